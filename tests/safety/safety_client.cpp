// safety_client: one client of the safety run. Until the deadline it loops
//   lock("L", EX) -> hold a few ms -> write (token, client, seq) through the fenced store
//   -> unlock
// logging every step to its history. The client library reconnects and reclaims on its own
// (the grant, and its token, survive a failover or a cut); a call that fails anyway (session
// lost: expired and fenced while paused, grace missed) means a new Client and a new
// session, and the old grant is never used again. Its write may still be under way when it
// is fenced: that is the stale write the store has to refuse.
//   safety_client ADDR KEYFILE CLIENT STOREDIR HISTORY SECONDS LEASE_MS [--unfenced-store]
// --unfenced-store: the store accepts every token (a broken store, to show that the checker
// catches what it lets through).
#include "client.h"
#include "config.h"
#include "fenced_store.h"
#include "history.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <random>
#include <thread>

using namespace takeover;
using namespace takeover::safety;
using std::chrono::milliseconds;

namespace {

struct Settings {
    lockd::client::Options server;
    std::string client, store, history;
    std::chrono::steady_clock::time_point deadline;
    milliseconds lease{1000};
    Fencing fencing = Fencing::on;
};

std::unique_ptr<lockd::client::Client> open_client(const Settings& s) {
    auto c = lockd::client::Client::connect(s.server);
    c->open_session(s.client, s.lease);
    return c;
}

// One cycle; returns false when the client has to start over with a new connection.
bool cycle(lockd::client::Client& c, const Settings& s, HistoryLog& h, uint64_t seq,
           std::mt19937& rng) {
    h.record(Kind::invoke, Op::lock, seq, 0);
    lockd::client::Grant g;
    try {
        g = c.lock("L", lockd::Mode::EX, milliseconds(3000));
    } catch (const lockd::client::RequestError&) {
        // Left indeterminate: a reply that did not come in time may still be a grant, so the
        // session (and whatever it holds) is given up rather than reused.
        return false;
    }
    h.record(Kind::ok, Op::lock, seq, g.token);
    // The critical section's work: mostly a few ms; one cycle in 20 takes 300 ms, a window in
    // which the nemesis can pause the holder (see client-pause in tests/safety/lib.sh).
    std::this_thread::sleep_for(milliseconds(rng() % 20 == 0 ? 300 : rng() % 8));
    h.record(Kind::invoke, Op::write, seq, g.token);
    StoreReply r = fenced_append(s.store, {g.token, s.client, seq}, s.fencing);
    h.record(r.accepted ? Kind::ok : Kind::fail, Op::write, seq, g.token);
    h.record(Kind::invoke, Op::unlock, seq, g.token);
    try {
        c.unlock("L");
    } catch (const lockd::client::RequestError&) {
        h.record(Kind::fail, Op::unlock, seq, g.token);
        return false;
    }
    h.record(Kind::ok, Op::unlock, seq, g.token);
    return true;
}

int run(const Settings& s) {
    HistoryLog h(s.history, s.client);
    std::mt19937 rng(std::random_device{}());
    // Sequence numbers stay unique across restarts of this client: start from the time.
    uint64_t seq = uint64_t(monotonic_ns() / 1000);
    std::unique_ptr<lockd::client::Client> c;
    while (std::chrono::steady_clock::now() < s.deadline) {
        try {
            if (!c) c = open_client(s);
            if (!cycle(*c, s, h, ++seq, rng)) c.reset();
        } catch (const std::exception& e) {
            // Not reachable, connection lost mid-call, ...: a fresh start after a pause.
            c.reset();
            std::this_thread::sleep_for(milliseconds(50));
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    bool unfenced = argc == 9 && std::string(argv[8]) == "--unfenced-store";
    if (argc != 8 && !unfenced) {
        std::cerr << "usage: safety_client ADDR KEYFILE CLIENT STOREDIR HISTORY SECONDS LEASE_MS"
                     " [--unfenced-store]\n";
        return 2;
    }
    try {
        Settings s;
        s.server.address = argv[1];
        s.server.key = lockd::load_key_file(argv[2]);
        s.server.connect_timeout = milliseconds(1000);
        s.server.reply_timeout = milliseconds(2000);
        s.client = argv[3];
        s.store = argv[4];
        s.history = argv[5];
        s.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(std::stoi(argv[6]));
        s.lease = milliseconds(std::stoi(argv[7]));
        if (unfenced) s.fencing = Fencing::off;
        return run(s);
    } catch (const std::exception& e) {
        std::cerr << "safety_client: " << e.what() << "\n";
        return 1;
    }
}
