// safety_holder: one client of the crash test. It holds COUNT locks of its own
// ("NODE-0".."NODE-<COUNT-1>") and churns them (unlock one, lock it again) so that the
// server is mid-traffic when it is killed. When the connection goes it writes what it was
// told it holds to OUT.lost ("NAME TOKEN" lines; a lock whose unlock was sent is no longer
// counted), then gets them back on a new connection and stops churning: from then on it only
// holds, so the test can compare the server's table with OUT.lost. Every grant goes to
// OUT.grants ("PHASE NAME TOKEN", PHASE before or after the loss).
//   safety_holder ADDR KEYFILE NODE COUNT OUT SECONDS
#include "client.h"
#include "config.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <thread>

using namespace takeover;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

struct Holder {
    lockd::client::Options server;
    std::string node, out;
    int count = 0;
    Clock::time_point deadline;
    std::map<std::string, uint64_t> held;  // what the server told us we hold
    bool lost = false;
    std::ofstream grants;

    std::string name(int i) const { return node + "-" + std::to_string(i); }

    void lock(lockd::client::Client& c, const std::string& n) {
        auto g = c.lock(n, lockd::Mode::EX, milliseconds(5000));
        held[n] = g.token;
        grants << (lost ? "after " : "before ") << n << " " << g.token << "\n" << std::flush;
    }

    void write_lost() {
        std::ofstream f(out + ".lost.tmp");
        for (const auto& [n, token] : held) f << n << " " << token << "\n";
        f.close();
        std::rename((out + ".lost.tmp").c_str(), (out + ".lost").c_str());
    }

    // Connects, takes every lock not held yet, then churns (before the loss) or holds.
    void session(std::mt19937& rng) {
        auto c = lockd::client::Client::connect(server);
        c->open_session(node, milliseconds(3000));
        held.clear();  // memory mode: a new session holds nothing yet
        for (int i = 0; i < count && Clock::now() < deadline; ++i) lock(*c, name(i));
        while (Clock::now() < deadline) {
            if (lost) {
                if (!c->connected()) throw std::runtime_error("connection lost again");
                std::this_thread::sleep_for(milliseconds(50));
                continue;
            }
            std::string n = name(int(rng() % unsigned(count)));
            held.erase(n);  // from the moment the unlock is sent, we no longer claim it
            c->unlock(n);
            lock(*c, n);
        }
    }

    int run() {
        grants.open(out + ".grants");
        std::mt19937 rng(std::random_device{}());
        while (Clock::now() < deadline) {
            try {
                session(rng);
            } catch (const std::exception&) {
                if (!lost) write_lost();
                lost = true;
                std::this_thread::sleep_for(milliseconds(50));
            }
        }
        return 0;
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 7) {
        std::cerr << "usage: safety_holder ADDR KEYFILE NODE COUNT OUT SECONDS\n";
        return 2;
    }
    try {
        Holder h;
        h.server = {argv[1], lockd::load_key_file(argv[2])};
        h.server.connect_timeout = milliseconds(1000);
        h.server.reply_timeout = milliseconds(3000);
        h.node = argv[3];
        h.count = std::stoi(argv[4]);
        h.out = argv[5];
        h.deadline = Clock::now() + std::chrono::seconds(std::stoi(argv[6]));
        return h.run();
    } catch (const std::exception& e) {
        std::cerr << "safety_holder: " << e.what() << "\n";
        return 1;
    }
}
