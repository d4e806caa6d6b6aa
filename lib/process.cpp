#include "takeover/process.h"
#include "takeover/outcome.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

extern char** environ;

namespace takeover::process {
namespace {

constexpr size_t kOutputCap = 64 * 1024;

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
    std::vector<char*> out;
    for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
    out.push_back(nullptr);
    return out;
}

// The inherited environment plus `extra` ("NAME=value" entries override same-named ones).
std::vector<std::string> environment(const std::vector<std::string>& extra) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        std::string_view kv(*e);
        bool overridden = false;
        for (const auto& x : extra) {
            auto name = x.substr(0, x.find('=') + 1);
            overridden = overridden || kv.substr(0, name.size()) == name;
        }
        if (!overridden) env.emplace_back(kv);
    }
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

ExitStatus decode(int status) {
    ExitStatus s;
    if (WIFEXITED(status)) {
        s.exited = true;
        s.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        s.signal = WTERMSIG(status);
    }
    return s;
}

class FileActions {
  public:
    FileActions() { posix_spawn_file_actions_init(&fa_); }
    ~FileActions() { posix_spawn_file_actions_destroy(&fa_); }
    posix_spawn_file_actions_t* get() { return &fa_; }

  private:
    posix_spawn_file_actions_t fa_;
};

class Attributes {
  public:
    Attributes() { posix_spawnattr_init(&attr_); }
    ~Attributes() { posix_spawnattr_destroy(&attr_); }
    posix_spawnattr_t* get() { return &attr_; }

  private:
    posix_spawnattr_t attr_;
};

// posix_spawnp with default signal dispositions and an unblocked mask, so a child of a
// daemon that blocks or ignores signals still stops when told to.
pid_t spawn_with(const std::vector<std::string>& argv, FileActions& fa, bool new_session,
                 const std::vector<std::string>& extra_env) {
    if (argv.empty()) throw Error(Outcome::bad_arguments, "empty command");
    Attributes attr;
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    if (new_session) flags |= POSIX_SPAWN_SETSID;
    posix_spawnattr_setflags(attr.get(), flags);
    posix_spawnattr_setsigdefault(attr.get(), &all);
    posix_spawnattr_setsigmask(attr.get(), &none);
    auto env_strings = environment(extra_env);
    auto envp = c_argv(env_strings);
    auto args = c_argv(argv);
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, argv[0].c_str(), fa.get(), attr.get(), args.data(), envp.data());
    if (rc != 0)
        throw Error(Outcome::not_installed, "cannot run " + argv[0] + ": " + std::strerror(rc));
    return pid;
}

}  // namespace

std::string ExitStatus::describe() const {
    if (timed_out) return "timed out";
    if (exited) return "exit " + std::to_string(code);
    if (signal) return std::string("killed by signal ") + strsignal(signal);
    return "unknown status";
}

RunResult run(const std::vector<std::string>& argv, milliseconds timeout, const RunOptions& opts) {
    int out[2], in[2] = {-1, -1};
    if (pipe2(out, O_CLOEXEC) != 0) throw Error(Outcome::generic_error, "pipe failed");
    if (opts.input && pipe2(in, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        throw Error(Outcome::generic_error, "pipe failed");
    }
    FileActions fa;
    if (opts.input)
        posix_spawn_file_actions_adddup2(fa.get(), in[0], 0);
    else
        posix_spawn_file_actions_addopen(fa.get(), 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(fa.get(), out[1], 1);
    if (opts.merge_stderr)
        posix_spawn_file_actions_adddup2(fa.get(), out[1], 2);
    else
        posix_spawn_file_actions_addopen(fa.get(), 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    try {
        pid = spawn_with(argv, fa, false, opts.extra_env);
    } catch (...) {
        for (int fd : {out[0], out[1], in[0], in[1]})
            if (fd >= 0) close(fd);
        throw;
    }
    close(out[1]);
    if (opts.input) {
        close(in[0]);
        // Small inputs only (configs, scripts' stdin); a full pipe would block, so cap it.
        (void)!::write(in[1], opts.input->data(), std::min<size_t>(opts.input->size(), 60000));
        close(in[1]);
    }

    RunResult result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool open = true;
    while (open) {
        auto left =
            std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{out[0], POLLIN, 0};
        int n = poll(&p, 1, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        char buf[4096];
        ssize_t got = ::read(out[0], buf, sizeof buf);
        if (got <= 0) {
            open = false;
        } else if (result.output.size() < kOutputCap) {
            result.output.append(buf, static_cast<size_t>(got));
        }
    }
    close(out[0]);
    auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (auto status = wait_child(pid, std::max(left, milliseconds(0)))) {
        result.status = *status;
        return result;
    }
    kill(pid, SIGTERM);
    if (auto status = wait_child(pid, milliseconds(1000))) {
        result.status = *status;
    } else {
        kill(pid, SIGKILL);
        result.status = wait_child(pid, milliseconds(5000)).value_or(ExitStatus{});
    }
    result.status.timed_out = true;
    return result;
}

pid_t spawn(const std::vector<std::string>& argv, const SpawnOptions& opts) {
    FileActions fa;
    if (!opts.inherit_stdio) {
        posix_spawn_file_actions_addopen(fa.get(), 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(fa.get(), 1, opts.stdout_path.c_str(),
                                         O_WRONLY | O_CREAT | O_APPEND, 0640);
        posix_spawn_file_actions_adddup2(fa.get(), 1, 2);
    }
    return spawn_with(argv, fa, opts.new_session, opts.extra_env);
}

std::optional<ExitStatus> wait_child(pid_t pid, milliseconds timeout) {
    std::optional<ExitStatus> result;
    wait_until(
        [&] {
            int status = 0;
            pid_t r = waitpid(pid, &status, WNOHANG);
            if (r == pid) result = decode(status);
            if (r < 0 && errno == ECHILD) result = ExitStatus{};
            return result.has_value();
        },
        timeout, milliseconds(5));
    return result;
}

bool alive(pid_t pid) {
    if (pid <= 0) return false;
    if (kill(pid, 0) != 0 && errno == ESRCH) return false;
    // A zombie has exited; only its parent's wait is missing.
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    auto close_paren = line.rfind(')');
    return close_paren == std::string::npos || close_paren + 2 >= line.size() ||
           line[close_paren + 2] != 'Z';
}

bool terminate(pid_t pid, milliseconds term_grace, milliseconds kill_grace) {
    if (!alive(pid)) return true;
    // Reap it ourselves if it is our child, so it does not linger as a zombie.
    auto gone = [pid] {
        int status;
        waitpid(pid, &status, WNOHANG);
        return !alive(pid);
    };
    kill(pid, SIGTERM);
    if (wait_until(gone, term_grace)) return true;
    kill(pid, SIGKILL);
    return wait_until(gone, kill_grace);
}

}  // namespace takeover::process
