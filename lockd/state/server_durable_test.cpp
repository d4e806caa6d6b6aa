// The server in durable mode, on a state device in memory, with real clients on loopback:
// a grant is on the device before its client hears of it, concurrent requests share
// flushes (group commit), and a commit that fails answers nothing.
#include "client.h"
#include "server.h"
#include "state/replay.h"
#include "state/test_device.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <future>
#include <thread>

namespace takeover::lockd::state {
namespace {

using namespace std::chrono_literals;
const std::string kKey = "durable-test-key-0123456789";

class DurableServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        JournalOptions o;
        o.owner = "test/1";
        journal = Journal::open(shared(medium), o);
        ServerSettings s;
        s.listen = {"127.0.0.1", 0};
        s.key = kKey;
        s.native.grace = 0ms;
        server = std::make_unique<Server>(io, s, journal.get());
        server->restore(journal->recovered(), medium.path());
        server->listen();
        thread = std::thread([this] { io.run(); });
    }
    void TearDown() override {
        asio::post(io, [this] { server->stop("test over"); });
        thread.join();
    }
    std::unique_ptr<client::Client> connect() {
        client::Options o{"127.0.0.1:" + std::to_string(server->port()), kKey};
        o.reconnect_for = 0ms;  // a server that stopped is gone for these tests
        return client::Client::connect(o);
    }
    // Runs f on the server's thread, which alone touches the medium while it runs.
    template <typename F>
    auto on_server(F f) {
        std::packaged_task<decltype(f())()> task(f);
        auto result = task.get_future();
        asio::post(io, [&task] { task(); });
        return result.get();
    }

    MemoryDevice medium{1 << 20};
    std::unique_ptr<Journal> journal;
    asio::io_context io;
    std::unique_ptr<Server> server;
    std::thread thread;
};

TEST_F(DurableServerTest, AGrantIsOnTheDeviceBeforeItsClientHearsOfIt) {
    auto c = connect();
    c->open_session("node1", 5s);
    auto g = c->lock("x", Mode::EX);
    auto rs = on_server([this] { return replay(medium).image.recovered(0); });
    ASSERT_EQ(rs.locks.size(), 1u);
    EXPECT_EQ(rs.locks[0].name, "x");
    EXPECT_EQ(rs.locks[0].token, g.token);
    ASSERT_EQ(rs.sessions.size(), 1u);
    EXPECT_EQ(rs.sessions[0].node, "node1");
    EXPECT_EQ(rs.sessions[0].lease, 5000ms);
    c->unlock("x");
    EXPECT_TRUE(on_server([this] { return replay(medium).image.recovered(0).locks.empty(); }));
}

TEST_F(DurableServerTest, ConcurrentRequestsShareFlushes) {
    uint64_t syncs_before = on_server([this] { return medium.syncs; });
    constexpr int kClients = 16, kPairs = 40;
    std::vector<std::thread> threads;
    std::atomic<int> granted{0};
    for (int i = 0; i < kClients; ++i)
        threads.emplace_back([&, i] {
            auto c = connect();
            c->open_session("n" + std::to_string(i), 5s);
            for (int k = 0; k < kPairs; ++k) {
                c->lock("l" + std::to_string(i), Mode::EX);
                c->unlock("l" + std::to_string(i));
                granted++;
            }
            c->close_session();
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(granted, kClients * kPairs);
    uint64_t syncs = on_server([this] { return medium.syncs; }) - syncs_before;
    // Each pair alone would take two flushes (grant, release), plus lease renewals.
    EXPECT_LT(syncs, uint64_t(2 * kClients * kPairs)) << syncs << " flushes";
}

TEST_F(DurableServerTest, AFailedCommitAnswersNothing) {
    auto c = connect();
    c->open_session("node1", 5s);
    on_server([this] {
        medium.fail_writes = EIO;
        return 0;
    });
    EXPECT_ANY_THROW(c->lock("never", Mode::EX, 2s));
    thread.join();  // the server stopped its io_context on its own
    ASSERT_TRUE(server->failure().has_value());
    EXPECT_NE(server->failure()->find("Input/output error"), std::string::npos)
        << *server->failure();
    medium.fail_writes.reset();
    EXPECT_TRUE(replay(medium).image.recovered(0).locks.empty());
    thread = std::thread([] {});  // for TearDown
    io.restart();
}

}  // namespace
}  // namespace takeover::lockd::state
