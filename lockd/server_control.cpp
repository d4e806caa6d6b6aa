#include "server_control.h"

#include "client/client.h"
#include "takeover/outcome.h"
#include "takeover/pidfile.h"
#include "takeover/process.h"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include <filesystem>

namespace takeover::lockd::control {
namespace {

using std::chrono::milliseconds;
namespace fs = std::filesystem;

std::string find_daemon(const Instance& in) {
    if (!in.daemon.empty()) {
        if (access(in.daemon.c_str(), X_OK) != 0)
            throw Error(Outcome::not_installed, in.daemon + " is not an executable");
        return in.daemon;
    }
    // Next to the agent in a build tree (build/resource.d -> build/lockd), in the install's
    // sbin, then PATH.
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (auto candidate :
             {self.parent_path().parent_path() / "lockd" / "memexpd",
              self.parent_path().parent_path().parent_path().parent_path() / "sbin" / "memexpd"}) {
            if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
        }
    }
    for (const char* dir : {"/usr/sbin", "/usr/local/sbin", "/sbin"}) {
        std::string p = std::string(dir) + "/memexpd";
        if (access(p.c_str(), X_OK) == 0) return p;
    }
    throw Error(Outcome::not_installed, "memexpd is not installed");
}

std::string pidfile_of(const Instance& in, const ServerSettings& s) {
    if (!in.pidfile.empty()) return in.pidfile;
    return s.native.pidfile.empty() ? "/run/memexpd.pid" : s.native.pidfile;
}

std::vector<std::string> daemon_argv(const Instance& in, const std::string& pidfile) {
    std::vector<std::string> argv = {find_daemon(in), "--daemon", "--pidfile", pidfile};
    const auto& s = in.sources;
    if (!s.native_path.empty()) argv.insert(argv.end(), {"--config", s.native_path});
    if (!s.ogfs_path.empty()) argv.insert(argv.end(), {"--ogfs-config", s.ogfs_path});
    if (!s.listen.empty()) argv.insert(argv.end(), {"--listen", s.listen});
    if (!s.key_file.empty()) argv.insert(argv.end(), {"--key-file", s.key_file});
    if (!s.statedev.empty()) argv.insert(argv.end(), {"--statedev", s.statedev});
    return argv;
}

// One protocol round trip.
std::optional<std::string> ping(const ServerSettings& s, milliseconds timeout, Outcome* failure) {
    try {
        auto c = client::Client::connect({client_address(s.listen), s.key, timeout, timeout});
        auto pong = c->ping();
        return "memexpd on " + s.listen.str() + ", epoch " + std::to_string(pong.epoch) + ", up " +
               std::to_string(pong.uptime_ms / 1000) + " s";
    } catch (const client::RequestError& e) {
        *failure = Outcome::generic_error;
        return std::nullopt;
    } catch (const Error& e) {
        *failure = e.outcome();
        return std::nullopt;
    }
}

}  // namespace

std::string client_address(const Endpoint& e) {
    Endpoint out = e;
    if (out.host == "0.0.0.0") out.host = "127.0.0.1";
    if (out.host == "::") out.host = "::1";
    return out.str();
}

ServerSettings validate(const Instance& in) {
    ServerSettings s = load_settings(in.sources);
    find_daemon(in);
    return s;
}

Probe probe(const Instance& in) {
    ServerSettings s = load_settings(in.sources);
    Outcome failure = Outcome::success;
    if (auto detail = ping(s, milliseconds(2000), &failure)) return {State::running, *detail};
    auto pid = pidfile::live_pid(pidfile_of(in, s), "memexpd");
    if (failure == Outcome::permission)
        return {State::failed, "a server on " + s.listen.str() + " refuses our key"};
    if (pid)
        return {State::failed,
                "memexpd (pid " + std::to_string(*pid) + ") does not answer on " + s.listen.str()};
    return {State::stopped, "no memexpd answers on " + s.listen.str()};
}

void start(const Instance& in) {
    ServerSettings s = validate(in);
    Probe p = probe(in);
    if (p.state == State::running) return;
    if (p.state == State::failed) throw Error(Outcome::generic_error, p.detail);
    auto deadline = std::chrono::steady_clock::now() + in.start_timeout;
    // `memexpd --daemon` exits once its child listens, or with the reason it cannot.
    auto r = process::run(daemon_argv(in, pidfile_of(in, s)), in.start_timeout);
    if (!r.status.ok()) {
        std::string why = r.output;
        while (!why.empty() && why.back() == '\n') why.pop_back();
        if (auto nl = why.rfind('\n'); nl != std::string::npos) why = why.substr(nl + 1);
        throw Error(Outcome::generic_error,
                    "memexpd did not start (" + r.status.describe() + "): " + why);
    }
    Outcome failure;
    bool up = process::wait_until(
        [&] { return ping(s, milliseconds(500), &failure).has_value(); },
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now()),
        milliseconds(50));
    if (!up) {
        stop(in);
        throw Error(Outcome::generic_error,
                    "memexpd does not answer a ping on " + s.listen.str() + " in time");
    }
}

void stop(const Instance& in) {
    ServerSettings s = load_settings(in.sources);
    std::string pidfile = pidfile_of(in, s);
    if (auto pid = pidfile::live_pid(pidfile, "memexpd")) {
        // SIGTERM: the server sends SHUTDOWN to every client so they reconnect elsewhere.
        if (!process::terminate(*pid, in.stop_timeout, milliseconds(5000)))
            throw Error(Outcome::generic_error,
                        "memexpd (pid " + std::to_string(*pid) + ") does not die");
        ::unlink(pidfile.c_str());
    }
    Probe p = probe(in);
    if (p.state == State::running)
        throw Error(Outcome::generic_error, "a memexpd still answers on " + s.listen.str() +
                                                " but is not the one in " + pidfile);
}

}  // namespace takeover::lockd::control
