#include "daemon.h"

#include "server.h"
#include "state/dump.h"
#include "state/journal.h"
#include "takeover/outcome.h"
#include "takeover/pidfile.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cstring>

namespace takeover::lockd {
namespace {

// The child tells the parent "ok" or why it failed, so `memexpd --daemon` exits 0 only
// when the server really listens.
struct Readiness {
    int fd = -1;
    void report(const std::string& message) {
        if (fd < 0) return;
        (void)!::write(fd, message.data(), message.size());
        ::close(fd);
        fd = -1;
    }
};

int wait_for_child(int fd, std::string* reason) {
    std::string message;
    char buf[512];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0) message.append(buf, static_cast<size_t>(n));
    ::close(fd);
    if (message == "ok") return 0;
    *reason = message.empty() ? "the daemon died before it listened" : message;
    return 1;
}

void detach_stdio() {
    int null = ::open("/dev/null", O_RDWR);
    if (null < 0) return;
    for (int fd = 0; fd <= 2; ++fd) ::dup2(null, fd);
    if (null > 2) ::close(null);
}

// Replays the state device and takes the new epoch, durably, before anything is served.
std::unique_ptr<state::Journal> open_journal(const DaemonOptions& opts, const std::string& path) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    state::JournalOptions jo;
    jo.owner = std::string(host) + "/" + std::to_string(getpid());
    jo.discard_corrupt = opts.discard_corrupt_state;
    jo.force_takeover = opts.force_takeover;
    // A new regular file gets 64 MiB: room for a snapshot of about half a million locks.
    auto journal =
        state::Journal::open(state::open_device(path, false, 64 << 20, opts.force_takeover), jo);
    const auto& rs = journal->recovered();
    spdlog::info(
        "durable mode on {}: epoch {}, recovered {} session(s) and {} lock(s), last "
        "token {}{}",
        path, rs.epoch, rs.sessions.size(), rs.locks.size(), rs.last_token,
        journal->replayed().torn_tail ? " (a torn last write was ignored)" : "");
    return journal;
}

Outcome serve(const DaemonOptions& opts, ServerSettings settings, Readiness& ready,
              std::string* reason) {
    asio::io_context io;
    std::unique_ptr<state::Journal> journal;
    if (!settings.statedev.empty()) {
        try {
            journal = open_journal(opts, settings.statedev);
        } catch (const state::StateError& e) {
            ready.report(e.what());
            *reason = e.what();
            return Outcome::generic_error;
        }
    }
    Server server(io, std::move(settings), journal.get());
    // Every session and lock the journal knew, restored for their clients to reclaim.
    if (journal) server.restore(journal->recovered(), journal->path());
    std::string pidfile = opts.pidfile.empty() ? server.settings().native.pidfile : opts.pidfile;
    try {
        server.listen();
        if (!pidfile.empty()) pidfile::write(pidfile, getpid());
    } catch (const Error& e) {
        ready.report(e.what());
        *reason = e.what();
        return e.outcome();
    }
    ready.report("ok");
    if (opts.daemonize) detach_stdio();
    asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
    std::function<void(boost::system::error_code, int)> on_signal =
        [&](boost::system::error_code ec, int sig) {
            if (ec) return;
            if (sig == SIGHUP) {
                try {
                    server.reload(load_settings(opts.sources));
                } catch (const Error& e) {
                    spdlog::error("reload failed, keeping the old configuration: {}", e.what());
                }
                signals.async_wait(on_signal);
                return;
            }
            server.stop(std::string("signal ") + strsignal(sig));
            signals.cancel();
        };
    signals.async_wait(on_signal);
    io.run();
    if (!pidfile.empty()) ::unlink(pidfile.c_str());
    if (server.failure()) {
        *reason = *server.failure();
        return Outcome::generic_error;
    }
    if (journal) {
        try {
            journal->close();
        } catch (const state::StateError& e) {
            *reason = std::string("at the clean stop: ") + e.what();
            spdlog::error("{}", *reason);
            return Outcome::generic_error;
        }
    }
    spdlog::info("memexpd stopped");
    return Outcome::success;
}

}  // namespace

Outcome dump_state(const std::string& path, bool discard_corrupt, std::string* out,
                   std::string* reason) {
    try {
        auto dev = state::open_device(path, true, 0);
        *out = state::dump_state(*dev, discard_corrupt);
        return Outcome::success;
    } catch (const state::StateError& e) {
        *reason = e.what();
        return Outcome::generic_error;
    }
}

Outcome run_daemon(const DaemonOptions& opts, std::string* reason) {
    ServerSettings settings;
    try {
        settings = load_settings(opts.sources);
    } catch (const Error& e) {
        *reason = e.what();
        return e.outcome();
    }
    Readiness ready;
    if (opts.daemonize) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) != 0) {
            *reason = std::string("pipe: ") + std::strerror(errno);
            return Outcome::generic_error;
        }
        pid_t pid = fork();
        if (pid < 0) {
            *reason = std::string("fork: ") + std::strerror(errno);
            return Outcome::generic_error;
        }
        if (pid > 0) {
            ::close(p[1]);
            return wait_for_child(p[0], reason) == 0 ? Outcome::success : Outcome::generic_error;
        }
        ::close(p[0]);
        setsid();
        if (chdir("/") != 0) {
            // Staying in the start directory only keeps it busy; not worth failing over.
        }
        ready.fd = p[1];
    }
    return serve(opts, std::move(settings), ready, reason);
}

}  // namespace takeover::lockd
