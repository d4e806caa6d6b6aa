// The fencer with real small scripts: success releases, failures are retried then given up,
// a hanging command is killed at its timeout; and where the command comes from.
#include "fencer.h"

#include "takeover/outcome.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace takeover::lockd {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

class FencerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/fencer_test.XXXXXX";
        dir = mkdtemp(tmpl);
    }
    void TearDown() override { std::filesystem::remove_all(dir); }
    std::string script(const std::string& name, const std::string& body) {
        std::string path = dir + "/" + name;
        std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
        chmod(path.c_str(), 0700);
        return path;
    }
    // Runs the io_context until `done` or 10 s.
    template <typename F>
    void run_until(F done) {
        auto deadline = std::chrono::steady_clock::now() + 10s;
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            io.run_for(20ms);
            io.restart();
        }
    }
    std::string dir;
    asio::io_context io;
    std::vector<std::string> fenced;
};

TEST_F(FencerTest, SuccessReleasesOnce) {
    std::string marker = dir + "/marker";
    auto cmd = script("ok", "echo \"$1\" > " + marker);
    Fencer f(io, {5s, 3, 10ms}, [&](const std::string& n) { fenced.push_back(n); });
    f.fence("node-2", {cmd, "node-2"});
    f.fence("node-2", {cmd, "node-2"});  // under way already: not twice
    run_until([&] { return !fenced.empty(); });
    io.run_for(100ms);
    EXPECT_EQ(fenced, std::vector<std::string>{"node-2"});
    std::string written;
    std::ifstream(marker) >> written;
    EXPECT_EQ(written, "node-2");
    EXPECT_TRUE(f.status().empty());
}

TEST_F(FencerTest, FailuresAreRetriedWithBackoffThenGivenUp) {
    std::string count = dir + "/count";
    auto cmd = script("fail", "echo x >> " + count + "; echo 'switch unreachable'; exit 3");
    Fencer f(io, {5s, 3, 20ms}, [&](const std::string& n) { fenced.push_back(n); });
    f.fence("n1", {cmd});
    run_until([&] {
        auto st = f.status();
        return !st.empty() && st[0].state.rfind("gave up", 0) == 0;
    });
    auto st = f.status();
    ASSERT_EQ(st.size(), 1u);
    EXPECT_EQ(st[0].attempts, 3u);
    EXPECT_NE(st[0].state.find("exit 3: switch unreachable"), std::string::npos) << st[0].state;
    EXPECT_TRUE(fenced.empty());
    std::ifstream in(count);
    int lines = 0;
    for (std::string l; std::getline(in, l);) lines++;
    EXPECT_EQ(lines, 3);
    f.forget("n1");  // fence-ack by hand
    EXPECT_TRUE(f.status().empty());
}

TEST_F(FencerTest, HangingCommandTimesOutAndCountsAsFailure) {
    auto cmd = script("sleeper", "sleep 30");
    Fencer f(io, {300ms, 1, 10ms}, [&](const std::string& n) { fenced.push_back(n); });
    auto start = std::chrono::steady_clock::now();
    f.fence("n1", {cmd});
    run_until([&] { return !f.status().empty() && f.status()[0].state.rfind("gave up", 0) == 0; });
    EXPECT_LT(std::chrono::steady_clock::now() - start, 8s);
    EXPECT_NE(f.status()[0].state.find("timed out"), std::string::npos) << f.status()[0].state;
    EXPECT_TRUE(fenced.empty());
}

TEST_F(FencerTest, TrueAndFalseAndAMissingProgram) {
    Fencer f(io, {5s, 1, 10ms}, [&](const std::string& n) { fenced.push_back(n); });
    f.fence("a", {"/bin/true"});
    f.fence("b", {"/bin/false"});
    f.fence("c", {dir + "/no-such-program"});
    auto settled = [&] {
        auto st = f.status();
        int gave_up = 0;
        for (auto& e : st) gave_up += e.state.rfind("gave up", 0) == 0;
        return !fenced.empty() && st.size() == 2 && gave_up == 2;
    };
    run_until(settled);
    EXPECT_TRUE(settled());
    EXPECT_EQ(fenced, std::vector<std::string>{"a"});
    ASSERT_EQ(f.status().size(), 2u);
    EXPECT_EQ(f.status()[0].node, "b");  // exit 1
    EXPECT_EQ(f.status()[1].node, "c");  // cannot be run: a failure like any other
}

TEST(FenceArgv, NativeCommandThenStomithMethodThenManual) {
    ServerSettings s;
    s.ogfs = parse_ogfs_config(
        "STOMITH: WTI_NPS\nname: power\nip: 10.77.0.9\npasswd: secret\n"
        "STOMITH: manual\nname: hand\n"
        "node: 10.77.0.1 0 SM: power 1\nnode: 10.77.0.2 1 SM: hand\n",
        "ogfscf.cf");
    EXPECT_EQ(fence_argv(s, "10.77.0.1"),
              (std::vector<std::string>{"stonith", "-t", "WTI_NPS", "ip=10.77.0.9", "passwd=secret",
                                        "-T", "reset", "10.77.0.1"}));
    EXPECT_EQ(fence_argv(s, "0"), fence_argv(s, "10.77.0.1"));  // by CID
    EXPECT_FALSE(fence_argv(s, "10.77.0.2").has_value());       // manual
    EXPECT_FALSE(fence_argv(s, "elsewhere").has_value());
    s.native = parse_native_config(
        "fence_command /usr/local/sbin/fence-node --hard reset\ngrace_ms 2500\n"
        "fence_timeout_ms 1000\nfence_attempts 5\n",
        "memexpd.conf");
    EXPECT_EQ(
        fence_argv(s, "10.77.0.2"),
        (std::vector<std::string>{"/usr/local/sbin/fence-node", "--hard", "reset", "10.77.0.2"}));
    EXPECT_FALSE(fence_argv(s, "-rf").has_value());
    EXPECT_EQ(s.native.grace, 2500ms);
    EXPECT_EQ(s.native.fence_attempts, 5u);
    try {
        parse_native_config("fence_command fence-node\n", "memexpd.conf");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "memexpd.conf:1: fence_command: expected an absolute path and its arguments");
    }
}

}  // namespace
}  // namespace takeover::lockd
