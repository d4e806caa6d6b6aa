#include "takeover/process.h"
#include "takeover/outcome.h"
#include "takeover/pidfile.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

using namespace takeover;
using namespace std::chrono_literals;

TEST(Process, RunCapturesOutputAndExitCode) {
    auto r = process::run({"sh", "-c", "echo out; echo err >&2; exit 3"}, 5s);
    EXPECT_TRUE(r.status.exited);
    EXPECT_EQ(r.status.code, 3);
    EXPECT_EQ(r.output, "out\nerr\n");
}

TEST(Process, ArgumentsAreNeverInterpretedByAShell) {
    auto r = process::run({"echo", "$(id);", "`x`"}, 5s);
    EXPECT_TRUE(r.status.ok());
    EXPECT_EQ(r.output, "$(id); `x`\n");
}

TEST(Process, RunKillsAtTheDeadline) {
    auto start = std::chrono::steady_clock::now();
    auto r = process::run({"sleep", "30"}, 200ms);
    EXPECT_TRUE(r.status.timed_out);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(Process, MissingProgramIsNotInstalled) {
    try {
        process::run({"/nonexistent/program"}, 1s);
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.outcome(), Outcome::not_installed);
    }
}

TEST(Process, InputReachesTheChild) {
    process::RunOptions opts;
    opts.input = "hello";
    auto r = process::run({"cat"}, 5s, opts);
    EXPECT_EQ(r.output, "hello");
}

TEST(Process, TerminateEscalatesToKill) {
    // A child that ignores TERM: only KILL ends it.
    pid_t pid = process::spawn({"sh", "-c", "trap '' TERM; sleep 30"});
    ASSERT_TRUE(process::wait_until([&] { return process::alive(pid); }, 2s));
    std::this_thread::sleep_for(100ms);  // let the trap be installed
    EXPECT_TRUE(process::terminate(pid, 200ms, 2s));
    EXPECT_FALSE(process::alive(pid));
}

TEST(Pidfile, RoundTripAndLiveCheck) {
    auto dir =
        std::filesystem::temp_directory_path() / ("pidfile_test." + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    auto path = (dir / "x.pid").string();
    EXPECT_FALSE(pidfile::read(path));
    pidfile::write(path, getpid());
    EXPECT_EQ(pidfile::read(path), getpid());
    EXPECT_EQ(pidfile::live_pid(path, pidfile::exe_name(getpid())), getpid());
    EXPECT_FALSE(pidfile::live_pid(path, "not-this-program"));
    std::filesystem::remove_all(dir);
}
