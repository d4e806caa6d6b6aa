// Takeover end to end in one process: a memory-mode server is stopped and another started on
// the same port; the client library reconnects, re-opens its session and reclaims its lock
// with its token; others wait for grace; a client that cannot come back is told.
#include "client.h"
#include "memexp.h"
#include "server.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <future>
#include <map>
#include <thread>

namespace takeover::lockd {
namespace {

using namespace std::chrono_literals;
const std::string kKey = "takeover-test-key-0123456789";

class Takeover : public ::testing::Test {
  protected:
    void start(milliseconds grace, uint16_t port = 0) {
        ServerSettings s;
        s.listen = {"127.0.0.1", port};
        s.key = kKey;
        s.native.limits.min_lease = 200ms;
        s.native.grace = grace;
        s.native.max_frame_bytes = 1024;  // the smallest allowed: reclaims must fit
        io = std::make_unique<asio::io_context>();
        server = std::make_unique<Server>(*io, s);
        server->listen();
        this->port = server->port();
        thread = std::thread([this] { io->run(); });
    }
    void stop() {
        asio::post(*io, [this] { server->stop("failover"); });
        thread.join();
        server.reset();
        io.reset();
    }
    void TearDown() override {
        if (server) stop();
    }
    std::unique_ptr<client::Client> connect() {
        client::Options o{"127.0.0.1:" + std::to_string(port), kKey};
        o.reconnect_min = 20ms;
        o.reconnect_max = 200ms;
        o.reconnect_for = 5s;
        return client::Client::connect(o);
    }
    template <typename F>
    static bool eventually(F f, milliseconds limit = 5s) {
        auto end = std::chrono::steady_clock::now() + limit;
        while (!f()) {
            if (std::chrono::steady_clock::now() > end) return false;
            std::this_thread::sleep_for(10ms);
        }
        return true;
    }
    std::unique_ptr<asio::io_context> io;
    std::unique_ptr<Server> server;
    std::thread thread;
    uint16_t port = 0;
};

TEST_F(Takeover, ClientReclaimsItsLockWithItsTokenAndOthersWaitForGrace) {
    start(0ms);
    auto a = connect();
    std::atomic<int> reconnects{0};
    std::vector<std::string> lost{"unset"};
    std::mutex m;
    a->on_reconnected([&](uint64_t, const std::vector<std::string>& l) {
        std::lock_guard g(m);
        lost = l;
        reconnects++;
    });
    a->open_session("node-a", 5s);
    auto grant = a->lock("x", Mode::EX);
    stop();
    start(1500ms, port);
    ASSERT_TRUE(eventually([&] { return reconnects.load() == 1; }));
    {
        std::lock_guard g(m);
        EXPECT_TRUE(lost.empty());
    }
    auto b = connect();
    b->open_session("node-b", 5s);
    auto locks = b->list_locks("x");
    ASSERT_EQ(locks.entries.size(), 1u);
    EXPECT_EQ(locks.entries[0].token, grant.token);  // memory mode: as the client confirmed
    EXPECT_EQ(locks.entries[0].node, "node-a");
    auto st = b->status(true);
    EXPECT_EQ(st.state_mode, "memory");
    EXPECT_GT(st.grace_left_ms, 0u);
    // Nothing new during grace, not even a free name: some client may still reclaim it.
    auto y = std::async(std::launch::async, [&] { return b->lock("y", Mode::EX, 10s); });
    EXPECT_EQ(y.wait_for(500ms), std::future_status::timeout);
    EXPECT_EQ(y.wait_for(5s), std::future_status::ready);
    EXPECT_GT(y.get().token, grant.token);
    // x is A's until A lets go.
    auto x = std::async(std::launch::async, [&] { return b->lock("x", Mode::PR, 10s); });
    EXPECT_EQ(x.wait_for(300ms), std::future_status::timeout);
    a->unlock("x");
    EXPECT_EQ(x.wait_for(5s), std::future_status::ready);
    EXPECT_GT(x.get().token, grant.token);
}

TEST_F(Takeover, WaitingLockIsSentAgainAfterTheReconnect) {
    start(0ms);
    auto a = connect(), b = connect();
    a->open_session("node-a", 5s);
    b->open_session("node-b", 5s);
    a->lock("x", Mode::EX);
    auto waiting = std::async(std::launch::async, [&] { return b->lock("x", Mode::EX); });
    EXPECT_EQ(waiting.wait_for(200ms), std::future_status::timeout);
    stop();
    start(1000ms, port);
    ASSERT_TRUE(eventually([&] { return a->connected() && b->connected(); }));
    EXPECT_EQ(waiting.wait_for(300ms), std::future_status::timeout);  // a reclaimed x
    a->unlock("x");
    ASSERT_EQ(waiting.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(waiting.get().mode, Mode::EX);
}

TEST_F(Takeover, ManyLongNamedLocksAreReclaimedInFramesTheServerTakes) {
    start(0ms);
    auto a = connect();
    std::promise<std::vector<std::string>> lost;
    a->on_reconnected([&](uint64_t, const std::vector<std::string>& l) { lost.set_value(l); });
    a->open_session("node-a", 5s);
    std::map<std::string, uint64_t> tokens;
    for (int i = 0; i < 40; ++i) {
        std::string name = std::string(250, 'n') + std::to_string(i);
        tokens[name] = a->lock(name, Mode::PR).token;
    }
    stop();
    start(2000ms, port);
    auto f = lost.get_future();
    ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
    EXPECT_TRUE(f.get().empty());
    auto locks = a->list_locks("*");
    ASSERT_EQ(locks.entries.size(), 40u);
    for (const auto& e : locks.entries) EXPECT_EQ(e.token, tokens.at(e.name));
    EXPECT_EQ(a->held().size(), 40u);
}

TEST_F(Takeover, SessionLostWhenTheServerCannotTakeItBack) {
    start(0ms);
    auto a = connect();
    std::promise<std::string> lost;
    a->on_session_lost([&](const std::string& why) { lost.set_value(why); });
    a->open_session("node-a", 5s);
    a->lock("x", Mode::EX);
    stop();
    start(0ms, port);  // no grace: nothing can be reclaimed
    auto f = lost.get_future();
    ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
    EXPECT_NE(f.get().find("session lost"), std::string::npos);
    EXPECT_FALSE(a->connected());
    EXPECT_TRUE(a->held().empty());
    try {
        a->lock("y", Mode::EX);
        FAIL() << "a lost session still locks";
    } catch (const client::RequestError& e) {
        EXPECT_EQ(e.code(), proto::ErrorCode::shutting_down);
    }
}

struct CEvents {
    std::atomic<int> reconnects{0}, lost{0};
    std::atomic<size_t> nlost{99};
};

TEST_F(Takeover, CApiReconnectsAndTellsSessionLoss) {
    start(0ms);
    std::string keyfile = ::testing::TempDir() + "/takeover-c-key-" + std::to_string(getpid());
    std::ofstream(keyfile) << kKey << "\n";
    chmod(keyfile.c_str(), 0600);
    std::string addr = "127.0.0.1:" + std::to_string(port);
    char err[256] = "";
    memexp_client* c = memexp_open(addr.c_str(), keyfile.c_str(), "c", 5000, err, sizeof err);
    ASSERT_NE(c, nullptr) << err;
    CEvents ev;
    memexp_on_reconnected(
        c,
        [](void* ctx, uint64_t, const char* const* names, size_t n) {
            auto* e = static_cast<CEvents*>(ctx);
            e->nlost = n;
            EXPECT_EQ(names[n], nullptr);
            e->reconnects++;
        },
        &ev);
    memexp_on_session_lost(
        c, [](void* ctx, const char*) { static_cast<CEvents*>(ctx)->lost++; }, &ev);
    uint64_t token = 0;
    ASSERT_EQ(memexp_lock(c, "x", MEMEXP_EX, 0, 0, &token, nullptr, nullptr), 0);
    stop();
    start(1000ms, port);
    ASSERT_TRUE(eventually([&] { return ev.reconnects.load() == 1; }));
    EXPECT_EQ(ev.nlost.load(), 0u);
    stop();
    start(0ms, port);  // this time nothing can be reclaimed
    ASSERT_TRUE(eventually([&] { return ev.lost.load() == 1; }));
    EXPECT_EQ(memexp_lock(c, "y", MEMEXP_EX, 1, 0, nullptr, nullptr, nullptr), MEMEXP_ESHUTDOWN);
    memexp_close(c);
    ::unlink(keyfile.c_str());
}

}  // namespace
}  // namespace takeover::lockd
