// lockd_bench failover: see failover.h.
#include "failover.h"

#include "auth.h"
#include "client_socket.h"
#include "config.h"
#include "resp.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace takeover::lockd::bench {
namespace {

using FailoverClock = std::chrono::steady_clock;

// An authenticated raw connection; the bench pipelines, which the Client library does not.
struct RawConnection {
    client::Socket socket;
    proto::Decoder decoder{proto::kHardMaxBody};

    RawConnection(const Endpoint& ep, const std::string& key) {
        socket = client::Socket::connect(ep.host, ep.port, std::chrono::milliseconds(5000));
        auto ch = std::get<proto::Challenge>(next().message);
        proto::Auth a{auth::random_nonce(), {}};
        a.mac = auth::client_proof(key, ch.nonce, a.client_nonce);
        socket.write_all(proto::encode(a, 1));
        if (!std::holds_alternative<proto::AuthOk>(next().message))
            throw std::runtime_error("authentication refused");
    }
    proto::Frame next() {
        auto f = socket.read_frame(decoder, FailoverClock::now() + std::chrono::seconds(30));
        if (!f) throw std::runtime_error("connection lost or no reply in 30 s");
        return std::move(*f);
    }
    template <typename T>
    T expect(const char* what) {
        auto f = next();
        if (auto* t = std::get_if<T>(&f.message)) return std::move(*t);
        std::string why = "unexpected reply";
        if (auto* e = std::get_if<proto::Error>(&f.message)) why = e->message;
        throw std::runtime_error(std::string(what) + ": " + why);
    }
};

struct HeldSession {
    uint64_t id = 0;
    std::string node;
    std::vector<proto::ReclaimEntry> locks;
};

HeldSession hold_locks(const Endpoint& ep, const std::string& key, int client, uint32_t first,
                       uint32_t count) {
    RawConnection c(ep, key);
    HeldSession s;
    s.node = "bench" + std::to_string(client);
    c.socket.write_all(proto::encode(proto::SessionOpen{s.node, 600000}, 2));
    s.id = c.expect<proto::SessionOpened>("session").session;
    std::string out;
    for (uint32_t i = first; i < first + count; ++i)
        out += proto::encode(proto::Lock{"lock:" + std::to_string(i), Mode::EX, 0, 0}, 10);
    c.socket.write_all(out);
    for (uint32_t i = 0; i < count; ++i) {
        auto g = c.expect<proto::Granted>("lock");
        s.locks.push_back({g.name, g.mode, g.token});
    }
    // The connection closes here: the session stays, disconnected, until its lease ends.
    return s;
}

void reclaim(const Endpoint& ep, const std::string& key, const HeldSession& s) {
    RawConnection c(ep, key);
    c.socket.write_all(proto::encode(proto::SessionReopen{s.id, s.node, 600000}, 2));
    c.expect<proto::SessionOpened>("session reopen");
    const size_t batch = 200;  // a RECLAIM of 200 entries stays far below max_frame_bytes
    for (size_t i = 0; i < s.locks.size(); i += batch) {
        proto::Reclaim r;
        r.entries.assign(s.locks.begin() + long(i),
                         s.locks.begin() + long(std::min(s.locks.size(), i + batch)));
        c.socket.write_all(proto::encode(r, 3));
        for (auto& result : c.expect<proto::ReclaimReply>("reclaim").results)
            if (result.code != 0) throw std::runtime_error("reclaim refused: " + s.node);
    }
    c.socket.write_all(proto::encode(proto::ReclaimDone{}, 4));
    c.expect<proto::Ok>("reclaim done");
}

double ms_since(FailoverClock::time_point t0) {
    return std::chrono::duration<double, std::milli>(FailoverClock::now() - t0).count();
}

// The first moment the restarted server accepts a connection.
template <typename Connect>
FailoverClock::time_point wait_accepting(Connect connect) {
    auto deadline = FailoverClock::now() + std::chrono::seconds(30);
    while (FailoverClock::now() < deadline) {
        try {
            connect();
            return FailoverClock::now();
        } catch (const std::exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    throw std::runtime_error("the server did not come back in 30 s");
}

void wait_for_restart(uint32_t held) {
    std::printf("held %u\n", held);
    std::fflush(stdout);
    std::string line;
    std::getline(std::cin, line);
}

}  // namespace

int failover_memexpd(const std::string& addr, const std::string& keyfile, int clients,
                     uint32_t locks) {
    std::string key = load_key_file(keyfile);
    auto ep = *parse_endpoint(addr);
    std::vector<HeldSession> sessions;
    uint32_t per = locks / uint32_t(clients);
    for (int i = 0; i < clients; ++i)
        sessions.push_back(hold_locks(ep, key, i, uint32_t(i) * per,
                                      i + 1 == clients ? locks - uint32_t(i) * per : per));
    wait_for_restart(locks);
    auto t0 = wait_accepting(
        [&] { client::Socket::connect(ep.host, ep.port, std::chrono::milliseconds(100)); });
    std::vector<std::thread> threads;
    std::vector<std::string> errors(sessions.size());
    for (size_t i = 0; i < sessions.size(); ++i)
        threads.emplace_back([&, i] {
            try {
                reclaim(ep, key, sessions[i]);
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
    for (auto& t : threads) t.join();
    for (auto& e : errors)
        if (!e.empty()) throw std::runtime_error(e);
    double reclaimed = ms_since(t0);
    RawConnection c(ep, key);
    c.socket.write_all(proto::encode(proto::SessionOpen{"newcomer", 30000}, 2));
    c.expect<proto::SessionOpened>("session");
    c.socket.write_all(proto::encode(proto::Lock{"fresh", Mode::EX, 0, 0}, 3));
    c.expect<proto::Granted>("first new lock");
    std::printf("reclaimed_ms %.1f first_grant_ms %.1f\n", reclaimed, ms_since(t0));
    return 0;
}

int failover_redis(const std::string& addr, uint32_t locks) {
    auto ep = *parse_endpoint(addr);
    {
        Resp r(ep.host, ep.port);
        for (uint32_t i = 0; i < locks; ++i)
            r.queue({"SET", "lock:" + std::to_string(i), "holder", "NX", "PX", "600000"});
        r.flush();
        for (uint32_t i = 0; i < locks; ++i)
            if (r.read().kind != Reply::Kind::status)
                throw std::runtime_error("redis SET NX failed");
    }
    wait_for_restart(locks);
    auto t0 = wait_accepting([&] { Resp probe(ep.host, ep.port); });
    Resp r(ep.host, ep.port);
    for (;;) {  // -LOADING until the AOF is read
        Reply n = r.call({"DBSIZE"});
        if (n.kind == Reply::Kind::integer && n.integer >= locks) break;
        if (ms_since(t0) > 30000) throw std::runtime_error("redis lost locks: DBSIZE " + n.text);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    double reclaimed = ms_since(t0);
    if (r.call({"SET", "fresh", "newcomer", "NX", "PX", "30000"}).kind != Reply::Kind::status)
        throw std::runtime_error("redis: first new lock refused");
    std::printf("reclaimed_ms %.1f first_grant_ms %.1f\n", reclaimed, ms_since(t0));
    return 0;
}

}  // namespace takeover::lockd::bench
