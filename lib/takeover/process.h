// Child processes from an argument vector (never a shell), with deadlines, and the
// TERM-then-KILL escalation every stop needs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace takeover::process {

using std::chrono::milliseconds;

struct ExitStatus {
    bool exited = false;  // exited normally with `code`
    int code = -1;
    int signal = 0;          // killed by this signal
    bool timed_out = false;  // we killed it at its deadline
    bool ok() const { return exited && code == 0; }
    std::string describe() const;  // "exit 1", "killed by signal 9", "timed out after ..."
};

struct RunResult {
    ExitStatus status;
    std::string output;  // stdout and stderr together, capped at 64 KiB
};

struct RunOptions {
    std::vector<std::string> extra_env;  // "NAME=value" added to the inherited environment
    std::optional<std::string> input;    // written to the child's stdin, then closed
    bool merge_stderr = true;            // false: stderr goes to /dev/null
};

// Runs argv[0] (searched in PATH) with argv, waits at most `timeout`, then TERM, then KILL.
// Throws Error(not_installed) when the program cannot be executed.
RunResult run(const std::vector<std::string>& argv, milliseconds timeout, const RunOptions& = {});

struct SpawnOptions {
    std::string stdout_path = "/dev/null";  // appended to
    bool new_session = true;                // detach from the caller's terminal and signals
    std::vector<std::string> extra_env;
    bool inherit_stdio = false;  // keep the caller's stdin/stdout/stderr (stdout_path unused)
};

// Starts argv without waiting for it; returns its pid. The caller reaps it (or not, when it
// daemonizes by itself). Throws Error(not_installed) when it cannot be executed.
pid_t spawn(const std::vector<std::string>& argv, const SpawnOptions& = {});

// Waits for our own child, at most `timeout`. nullopt if it is still running.
std::optional<ExitStatus> wait_child(pid_t, milliseconds timeout);

// True if the process exists and is not a zombie.
bool alive(pid_t);

// Sends SIGTERM, waits up to `term_grace`, then SIGKILL and waits up to `kill_grace`.
// Works for processes that are not our children (polls /proc). True when it is gone.
bool terminate(pid_t, milliseconds term_grace, milliseconds kill_grace = milliseconds(2000));

// Polls `done` every `step` until it returns true or `timeout` passes.
template <typename Predicate>
bool wait_until(Predicate done, milliseconds timeout, milliseconds step = milliseconds(10));

}  // namespace takeover::process

#include "takeover/process_wait.h"
