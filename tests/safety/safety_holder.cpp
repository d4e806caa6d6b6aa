// safety_holder: one client of the crash test. It holds COUNT locks of its own
// ("NODE-0".."NODE-<COUNT-1>") and churns them (unlock one, lock it again) so that the
// server is mid-traffic when it is killed. When the connection goes it writes what it was
// told it holds to OUT.lost ("NAME TOKEN" lines; a lock whose unlock was sent is no longer
// counted) and stops churning: from then on it only holds, so the test can compare the
// server's table with OUT.lost. Every grant goes to OUT.grants ("PHASE NAME TOKEN", PHASE
// before or after the loss).
// With a client library that reconnects and reclaims (Client::on_reconnected), the library
// gets the locks back and OUT.lost is written when it is back (calls wait meanwhile, so
// nothing changed since the loss); without one, a new Client locks them again.
//   safety_holder ADDR KEYFILE NODE COUNT OUT SECONDS
//   safety_holder --reclaims   (prints yes or no: built with a reclaiming client library)
#include "client.h"
#include "config.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

using namespace takeover;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

template <typename C>
concept Reclaiming = requires(C& c) {
    c.on_reconnected(nullptr);
};
constexpr bool kReclaims = Reclaiming<lockd::client::Client>;

struct Holder {
    lockd::client::Options server;
    std::string node, out;
    int count = 0;
    Clock::time_point deadline;
    std::mutex mutex;                      // held and lost, also used by the library's thread
    std::map<std::string, uint64_t> held;  // what the server told us we hold
    bool lost = false;
    std::ofstream grants;

    std::string name(int i) const { return node + "-" + std::to_string(i); }

    void lock(lockd::client::Client& c, const std::string& n) {
        auto g = c.lock(n, lockd::Mode::EX, milliseconds(5000));
        std::lock_guard guard(mutex);
        held[n] = g.token;
        grants << (lost ? "after " : "before ") << n << " " << g.token << "\n" << std::flush;
    }

    void write_lost() {  // under mutex
        lost = true;
        std::ofstream f(out + ".lost.tmp");
        for (const auto& [n, token] : held) f << n << " " << token << "\n";
        f.close();
        std::rename((out + ".lost.tmp").c_str(), (out + ".lost").c_str());
    }

    template <typename C>
    void watch_reconnects(C& c) {
        if constexpr (Reclaiming<C>)
            c.on_reconnected([this](uint64_t, const std::vector<std::string>& refused) {
                std::lock_guard guard(mutex);
                if (!refused.empty())
                    std::cerr << node << ": " << refused.size() << " lock(s) not reclaimed\n";
                if (!lost) write_lost();
            });
    }

    bool is_lost() {
        std::lock_guard guard(mutex);
        return lost;
    }

    // Connects, takes every lock not held yet, then churns (before the loss) or holds.
    void session(std::mt19937& rng) {
        auto c = lockd::client::Client::connect(server);
        watch_reconnects(*c);
        c->open_session(node, milliseconds(3000));
        {
            std::lock_guard guard(mutex);
            held.clear();  // a new session holds nothing yet
        }
        for (int i = 0; i < count && Clock::now() < deadline; ++i) lock(*c, name(i));
        while (Clock::now() < deadline) {
            if (is_lost()) {
                if (!kReclaims && !c->connected()) throw std::runtime_error("lost again");
                std::this_thread::sleep_for(milliseconds(50));
                continue;
            }
            std::string n = name(int(rng() % unsigned(count)));
            {
                std::lock_guard guard(mutex);
                held.erase(n);  // from the moment the unlock is sent, we no longer claim it
            }
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
            } catch (const std::exception& e) {
                std::cerr << node << ": " << e.what() << "\n";
                {
                    std::lock_guard guard(mutex);
                    if (!lost) write_lost();
                }
                std::this_thread::sleep_for(milliseconds(50));
            }
        }
        return 0;
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::string(argv[1]) == "--reclaims") {
        std::cout << (kReclaims ? "yes" : "no") << "\n";
        return 0;
    }
    if (argc != 7) {
        std::cerr << "usage: safety_holder ADDR KEYFILE NODE COUNT OUT SECONDS\n";
        return 2;
    }
    try {
        Holder h;
        h.server = {argv[1], lockd::load_key_file(argv[2])};
        h.server.connect_timeout = milliseconds(1000);
        h.server.reply_timeout = milliseconds(10000);  // a reconnect with back-off fits in it
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
