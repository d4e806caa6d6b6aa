// lockd_bench: lock+unlock pairs per second and latency against memexpd or Redis (SET NX PX +
// compare-and-delete script), and a pipelined filler that holds N locks for memory counts.
//   lockd_bench pairs memexpd ADDR KEYFILE CLIENTS SECONDS [hot]
//   lockd_bench pairs redis   ADDR -       CLIENTS SECONDS [hot]
//   lockd_bench fill  memexpd|redis ADDR KEYFILE|- COUNT   (prints "held N", waits for stdin)
//   lockd_bench failover memexpd|redis ADDR KEYFILE|- CLIENTS LOCKS   (see bench/failover.h)
// "hot": every client on one EX lock (contended); otherwise each client its own lock.
#include "auth.h"
#include "client.h"
#include "client_socket.h"
#include "config.h"
#include "failover.h"
#include "resp.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>
#include <vector>

using namespace takeover::lockd;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

const char* kUnlockScript =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
    "else return 0 end";

struct Worker {
    std::vector<uint32_t> latency_us;
    uint64_t pairs = 0;
};

void memexpd_worker(const std::string& addr, const std::string& key, int id, bool hot,
                    Clock::time_point start, Clock::time_point end, Worker& w) {
    auto c = client::Client::connect({addr, key});
    c->open_session("bench" + std::to_string(id), std::chrono::seconds(30));
    std::string name = hot ? "hot" : "lock-" + std::to_string(id);
    std::this_thread::sleep_until(start);
    while (Clock::now() < end) {
        auto t0 = Clock::now();
        c->lock(name, Mode::EX);
        c->unlock(name);
        auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
        w.latency_us.push_back(static_cast<uint32_t>(us.count()));
        w.pairs++;
    }
    c->close_session();
}

std::pair<std::string, int> host_port(const std::string& addr) {
    auto ep = parse_endpoint(addr);
    if (!ep) throw std::runtime_error("bad address " + addr);
    return {ep->host, ep->port};
}

void redis_worker(const std::string& addr, int id, bool hot, Clock::time_point start,
                  Clock::time_point end, Worker& w) {
    auto [host, port] = host_port(addr);
    bench::Resp r(host, port);
    std::string sha = r.call({"SCRIPT", "LOAD", kUnlockScript}).text;
    std::string name = hot ? "hot" : "lock-" + std::to_string(id);
    std::this_thread::sleep_until(start);
    uint64_t seq = 0;
    while (Clock::now() < end) {
        auto t0 = Clock::now();
        std::string token = std::to_string(id) + ":" + std::to_string(++seq);
        // Redis has no queue: a contended lock is retried until SET NX succeeds.
        while (r.call({"SET", name, token, "NX", "PX", "30000"}).kind != bench::Reply::Kind::status)
            if (Clock::now() >= end) return;
        r.call({"EVALSHA", sha, "1", name, token});
        auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
        w.latency_us.push_back(static_cast<uint32_t>(us.count()));
        w.pairs++;
    }
}

int pairs(const std::string& server, const std::string& addr, const std::string& keyfile,
          int clients, double seconds, bool hot) {
    std::string key = server == "memexpd" ? load_key_file(keyfile) : "";
    std::vector<Worker> workers(static_cast<size_t>(clients));
    std::vector<std::thread> threads;
    auto start = Clock::now() + milliseconds(300 + 10 * clients);  // all connected by then
    auto end = start + milliseconds(static_cast<int64_t>(seconds * 1000));
    for (int i = 0; i < clients; ++i) {
        threads.emplace_back([&, i] {
            try {
                if (server == "memexpd")
                    memexpd_worker(addr, key, i, hot, start, end, workers[static_cast<size_t>(i)]);
                else
                    redis_worker(addr, i, hot, start, end, workers[static_cast<size_t>(i)]);
            } catch (const std::exception& e) {
                std::cerr << "client " << i << ": " << e.what() << "\n";
            }
        });
    }
    for (auto& t : threads) t.join();
    std::vector<uint32_t> all;
    uint64_t total = 0;
    for (auto& w : workers) {
        all.insert(all.end(), w.latency_us.begin(), w.latency_us.end());
        total += w.pairs;
    }
    if (all.empty()) return 1;
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) { return all[std::min(all.size() - 1, size_t(p * all.size()))]; };
    std::printf("%.0f %u %u\n", total / seconds, pct(0.50), pct(0.99));
    return 0;
}

// Holds `count` locks through one pipelined connection, then waits for stdin to close.
int fill_memexpd(const std::string& addr, const std::string& keyfile, uint32_t count) {
    std::string key = load_key_file(keyfile);
    auto ep = *parse_endpoint(addr);
    auto s = client::Socket::connect(ep.host, ep.port, milliseconds(5000));
    proto::Decoder d(proto::kHardMaxBody);
    auto ch = std::get<proto::Challenge>(s.read_frame(d, std::nullopt)->message);
    proto::Auth a{auth::random_nonce(), {}};
    a.mac = auth::client_proof(key, ch.nonce, a.client_nonce);
    s.write_all(proto::encode(a, 1));
    s.read_frame(d, std::nullopt);
    s.write_all(proto::encode(proto::SessionOpen{"filler", 600000}, 2));
    s.read_frame(d, std::nullopt);
    uint32_t granted = 0;
    const uint32_t batch = 2000;
    for (uint32_t i = 0; i < count; i += batch) {
        std::string out;
        uint32_t n = std::min(batch, count - i);
        for (uint32_t j = 0; j < n; ++j)
            out += proto::encode(proto::Lock{"lock:" + std::to_string(i + j), Mode::EX, 0, 0}, 10);
        s.write_all(out);
        for (uint32_t j = 0; j < n; ++j) {
            auto f = s.read_frame(d, std::nullopt);
            if (!f) return 1;
            if (std::holds_alternative<proto::Granted>(f->message)) granted++;
        }
    }
    std::printf("held %u\n", granted);
    std::fflush(stdout);
    std::string line;
    std::getline(std::cin, line);
    return granted == count ? 0 : 1;
}

int fill_redis(const std::string& addr, uint32_t count) {
    auto [host, port] = host_port(addr);
    bench::Resp r(host, port);
    uint32_t held = 0;
    const uint32_t batch = 2000;
    for (uint32_t i = 0; i < count; i += batch) {
        uint32_t n = std::min(batch, count - i);
        for (uint32_t j = 0; j < n; ++j)
            r.queue({"SET", "lock:" + std::to_string(i + j), "filler:" + std::to_string(i + j),
                     "NX", "PX", "600000"});
        r.flush();
        for (uint32_t j = 0; j < n; ++j)
            if (r.read().kind == bench::Reply::Kind::status) held++;
    }
    std::printf("held %u\n", held);
    std::fflush(stdout);
    std::string line;
    std::getline(std::cin, line);
    r.call({"FLUSHALL"});
    return held == count ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> a(argv + 1, argv + argc);
    try {
        if (a.size() >= 6 && a[0] == "pairs")
            return pairs(a[1], a[2], a[3], std::stoi(a[4]), std::stod(a[5]),
                         a.size() > 6 && a[6] == "hot");
        if (a.size() == 6 && a[0] == "failover" && a[1] == "memexpd")
            return bench::failover_memexpd(a[2], a[3], std::stoi(a[4]),
                                           static_cast<uint32_t>(std::stoul(a[5])));
        if (a.size() == 6 && a[0] == "failover" && a[1] == "redis")
            return bench::failover_redis(a[2], static_cast<uint32_t>(std::stoul(a[5])));
        if (a.size() == 5 && a[0] == "fill" && a[1] == "memexpd")
            return fill_memexpd(a[2], a[3], static_cast<uint32_t>(std::stoul(a[4])));
        if (a.size() == 5 && a[0] == "fill" && a[1] == "redis")
            return fill_redis(a[2], static_cast<uint32_t>(std::stoul(a[4])));
    } catch (const std::exception& e) {
        std::cerr << "lockd_bench: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: see the comment at the top of lockd/bench/lockd_bench.cpp\n";
    return 2;
}
