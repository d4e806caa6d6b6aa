// The server and the client library together, in one process, on loopback: authentication
// both ways, locking through the wire, blocking callbacks, LVB, shutdown notice, limits.
#include "server.h"
#include "auth.h"
#include "client.h"
#include "client_socket.h"
#include "memexp.h"

#include "takeover/outcome.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <future>
#include <thread>

namespace takeover::lockd {
namespace {

using namespace std::chrono_literals;
const std::string kKey = "server-test-key-0123456789";

class ServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ServerSettings s;
        s.listen = {"127.0.0.1", 0};
        s.key = kKey;
        s.native.limits.max_sessions = 4;
        s.native.limits.min_lease = 200ms;
        s.native.max_write_queue_bytes = 64 * 1024;
        s.native.grace = 0ms;  // memory mode's reclaim window would hold every first grant
        server = std::make_unique<Server>(io, s);
        server->listen();
        thread = std::thread([this] { io.run(); });
    }
    void TearDown() override {
        asio::post(io, [this] { server->stop("test over"); });
        thread.join();
    }
    std::unique_ptr<client::Client> connect(const std::string& key = kKey) {
        return client::Client::connect({"127.0.0.1:" + std::to_string(server->port()), key});
    }
    asio::io_context io;
    std::unique_ptr<Server> server;
    std::thread thread;
};

TEST_F(ServerTest, WrongKeyIsRefused) {
    try {
        connect("not-the-key-0123456789");
        FAIL() << "connected with a wrong key";
    } catch (const Error& e) {
        EXPECT_EQ(e.outcome(), Outcome::permission);
    }
}

TEST_F(ServerTest, LockConvertUnlockOverTheWire) {
    auto a = connect(), b = connect();
    a->open_session("fred", 5s);
    b->open_session("barney", 5s);
    std::promise<Mode> told;
    a->on_blocking([&](const std::string& name, Mode m) {
        if (name == "res") told.set_value(m);
    });
    auto g1 = a->lock("res", Mode::EX);
    EXPECT_FALSE(g1.lvb.has_value());
    EXPECT_FALSE(b->try_lock("res", Mode::PR).has_value());
    auto waiting = std::async(std::launch::async, [&] { return b->lock("res", Mode::PR, 5s); });
    auto told_future = told.get_future();
    ASSERT_EQ(told_future.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(told_future.get(), Mode::PR);
    auto g2 = a->convert("res", Mode::PR, 0ms, std::string("value"));
    auto g3 = waiting.get();
    EXPECT_GT(g2.token, g1.token);
    EXPECT_GT(g3.token, g2.token);
    EXPECT_EQ(g3.lvb, "value");
    auto st = a->status();
    EXPECT_EQ(st.held, 2u);
    EXPECT_EQ(st.sessions, 2u);
    EXPECT_EQ(a->list_locks("r*").entries.size(), 2u);
    a->unlock("res");
    b->unlock("res");
    try {
        b->unlock("res");
        FAIL() << "unlocked twice";
    } catch (const client::RequestError& e) {
        EXPECT_EQ(e.code(), proto::ErrorCode::not_held);
    }
}

TEST_F(ServerTest, RequestTimeoutComesFromTheServer) {
    auto a = connect(), b = connect();
    a->open_session("a", 5s);
    b->open_session("b", 5s);
    a->lock("x", Mode::EX);
    auto t0 = std::chrono::steady_clock::now();
    try {
        b->lock("x", Mode::EX, 200ms);
        FAIL() << "granted while held";
    } catch (const client::RequestError& e) {
        EXPECT_EQ(e.code(), proto::ErrorCode::timed_out);
    }
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 200ms);
}

TEST_F(ServerTest, SessionLimitAndShutdownNotice) {
    std::vector<std::unique_ptr<client::Client>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(connect());
        clients.back()->open_session("n" + std::to_string(i), 5s);
    }
    auto extra = connect();
    try {
        extra->open_session("n5", 5s);
        FAIL() << "max_sessions exceeded";
    } catch (const client::RequestError& e) {
        EXPECT_EQ(e.code(), proto::ErrorCode::limit);
    }
    std::promise<std::string> reason;
    clients[0]->on_shutdown([&](const std::string& r) { reason.set_value(r); });
    asio::post(io, [this] { server->stop("maintenance"); });
    auto f = reason.get_future();
    ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(f.get(), "maintenance");
}

TEST_F(ServerTest, CApi) {
    std::string keyfile = ::testing::TempDir() + "/memexp-c-key-" + std::to_string(getpid());
    std::ofstream(keyfile) << kKey << "\n";
    chmod(keyfile.c_str(), 0600);
    std::string addr = "127.0.0.1:" + std::to_string(server->port());
    char err[256] = "";
    EXPECT_EQ(memexp_open(addr.c_str(), "/nonexistent", "n", 1000, err, sizeof err), nullptr);
    EXPECT_NE(std::string(err).find("/nonexistent"), std::string::npos);
    memexp_client* a = memexp_open(addr.c_str(), keyfile.c_str(), "a", 2000, err, sizeof err);
    memexp_client* b = memexp_open(addr.c_str(), keyfile.c_str(), "b", 2000, err, sizeof err);
    ASSERT_NE(a, nullptr) << err;
    ASSERT_NE(b, nullptr) << err;
    uint64_t t1 = 0, t2 = 0;
    char lvb[MEMEXP_LVB_MAX];
    size_t lvb_len = 99;
    EXPECT_EQ(memexp_lock(a, "c", MEMEXP_EX, 0, 0, &t1, lvb, &lvb_len), 0);
    EXPECT_EQ(lvb_len, 0u);
    EXPECT_EQ(memexp_lock(b, "c", MEMEXP_PR, 1, 0, &t2, nullptr, nullptr), MEMEXP_EWOULDBLOCK);
    EXPECT_EQ(memexp_lock(b, "c", MEMEXP_PR, 0, 100, &t2, nullptr, nullptr), MEMEXP_ETIMEDOUT);
    EXPECT_STREQ(memexp_strerror(MEMEXP_ETIMEDOUT), "timed out");
    EXPECT_EQ(memexp_unlock(a, "c", "hello", 5), 0);
    EXPECT_EQ(memexp_lock(b, "c", MEMEXP_PR, 0, 0, &t2, lvb, &lvb_len), 0);
    EXPECT_EQ(std::string(lvb, lvb_len), "hello");
    EXPECT_GT(t2, t1);
    EXPECT_EQ(memexp_unlock(a, "c", nullptr, 0), MEMEXP_ENOTHELD);
    EXPECT_EQ(memexp_lock(a, "c", 17, 0, 0, nullptr, nullptr, nullptr), MEMEXP_EINVAL);
    memexp_close(a);
    memexp_close(b);
    unlink(keyfile.c_str());
}

TEST_F(ServerTest, SlowReaderIsDisconnectedNotBuffered) {
    auto sock = client::Socket::connect("127.0.0.1", server->port(), 5s);
    proto::Decoder d(proto::kHardMaxBody);
    auto ch = std::get<proto::Challenge>(sock.read_frame(d, std::nullopt)->message);
    proto::Auth a{auth::random_nonce(), {}};
    a.mac = auth::client_proof(kKey, ch.nonce, a.client_nonce);
    sock.write_all(proto::encode(a, 1));
    ASSERT_TRUE(sock.read_frame(d, std::nullopt).has_value());
    // Ask for replies and never read them: kernel buffers fill, then the server's outbox.
    std::string pings;
    for (int i = 0; i < 10000; ++i) pings += proto::encode(proto::Ping{}, 2);
    bool cut = false;
    for (int round = 0; round < 400 && !cut; ++round) {
        try {
            sock.write_all(pings);
        } catch (const Error&) {
            cut = true;
        }
    }
    EXPECT_TRUE(cut) << "the server kept buffering for a reader that does not read";
    auto other = connect();  // everyone else is served as before
    EXPECT_EQ(other->ping().epoch, 1u);
}

}  // namespace
}  // namespace takeover::lockd
