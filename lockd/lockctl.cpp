#include "lockctl.h"

#include "client/client.h"
#include "config.h"
#include "lockctl_render.h"
#include "takeover/node.h"
#include "takeover/outcome.h"
#include "takeover/process.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iostream>

namespace takeover::lockd::lockctl {
namespace {

using client::Client;
using client::RequestError;

std::unique_ptr<Client> connect(const Target& t) {
    NativeConfig cfg;
    std::string config = t.config;
    if (config.empty() && access("/etc/memexpd/memexpd.conf", R_OK) == 0)
        config = "/etc/memexpd/memexpd.conf";
    if (!config.empty()) cfg = load_native_config(config);
    std::string server = t.server;
    if (server.empty() && cfg.listen) server = cfg.listen->str();
    if (server.empty() && !cfg.ogfs_config.empty()) {
        auto ogfs = load_ogfs_config(cfg.ogfs_config);
        if (ogfs.lockdev) server = ogfs.lockdev->str();
    }
    if (server.empty()) server = "127.0.0.1";
    // A server bound to every address is reached on loopback.
    if (server.rfind("0.0.0.0", 0) == 0) server = "127.0.0.1" + server.substr(7);
    std::string key = load_key_file(t.key_file.empty() ? cfg.key_file : t.key_file);
    return Client::connect({server, key});
}

// Every command: connect, run, map failures to the documented exit codes with one line.
template <typename F>
int guarded(const Target& t, F&& body) {
    try {
        auto c = connect(t);
        return body(*c);
    } catch (const RequestError& e) {
        std::cerr << "lockctl: " << e.what() << "\n";
        bool busy =
            e.code() == proto::ErrorCode::would_block || e.code() == proto::ErrorCode::timed_out;
        return busy ? not_obtained : refused;
    } catch (const Error& e) {
        std::cerr << "lockctl: " << e.what() << "\n";
        switch (e.outcome()) {
            case Outcome::permission:
                return auth;
            case Outcome::not_running:
                return unreachable;
            case Outcome::bad_arguments:
                return usage;
            case Outcome::not_configured:
                return usage;
            default:
                return refused;
        }
    }
}

std::string num(uint64_t v) {
    return std::to_string(v);
}

void print(const Target& t, const Table& table) {
    std::cout << (t.json ? table.json() : table.text());
}

const char* state_name(proto::SessionState s) {
    switch (s) {
        case proto::SessionState::active:
            return "active";
        case proto::SessionState::disconnected:
            return "disconnected";
        case proto::SessionState::expired:
            return "expired";
    }
    return "?";
}

const char* lock_state_name(proto::LockState s) {
    switch (s) {
        case proto::LockState::granted:
            return "granted";
        case proto::LockState::converting:
            return "converting";
        case proto::LockState::waiting:
            return "waiting";
    }
    return "?";
}

}  // namespace

int status(const Target& t) {
    return guarded(t, [&](Client& c) {
        auto s = c.status(true);
        std::cout << render_status(s, t.json);
        return ok;
    });
}

int locks(const Target& t, const std::string& pattern) {
    return guarded(t, [&](Client& c) {
        auto r = c.list_locks(pattern);
        Table table({"name", "mode", "state", "wants", "session", "node", "token"});
        for (const auto& e : r.entries)
            table.row(
                {{e.name, false},
                 {e.state == proto::LockState::waiting ? "-" : std::string(to_string(e.granted)),
                  false},
                 {lock_state_name(e.state), false},
                 {std::string(to_string(e.requested)), false},
                 {num(e.session), true},
                 {e.node, false},
                 {num(e.token), true}});
        print(t, table);
        if (r.truncated) std::cerr << "lockctl: list truncated; narrow the pattern\n";
        return ok;
    });
}

int sessions(const Target& t) {
    return guarded(t, [&](Client& c) {
        Table table({"id", "node", "state", "lease_ms", "locks", "idle_ms"});
        for (const auto& e : c.list_sessions().entries)
            table.row({{num(e.id), true},
                       {e.node, false},
                       {state_name(e.state), false},
                       {num(e.lease_ms), true},
                       {num(e.locks), true},
                       {num(e.idle_ms), true}});
        print(t, table);
        return ok;
    });
}

int nodes(const Target& t) {
    return guarded(t, [&](Client& c) {
        Table table({"node", "cid", "stomith", "sessions", "expired", "locks"});
        for (const auto& e : c.list_nodes().entries)
            table.row({{e.node, false},
                       {e.cid < 0 ? "-" : std::to_string(e.cid), e.cid >= 0},
                       {e.stomith.empty() ? "-" : e.stomith, false},
                       {num(e.sessions), true},
                       {num(e.expired), true},
                       {num(e.locks), true}});
        print(t, table);
        return ok;
    });
}

int fence_ack(const Target& t, const std::string& node) {
    return guarded(t, [&](Client& c) {
        uint64_t released = c.fence_ack(node);
        if (t.json)
            std::cout << "{\"node\": " << json_string(node) << ", \"released\": " << released
                      << "}\n";
        else
            std::cout << "node " << node << " fenced: " << released << " lock(s) released\n";
        return ok;
    });
}

int lock(const Target& t, const LockCommand& cmd) {
    auto mode = parse_mode(cmd.mode);
    if (!mode) {
        std::cerr << "lockctl: unknown mode \"" << cmd.mode << "\" (NL CR CW PR PW EX)\n";
        return usage;
    }
    if (cmd.command.empty()) {
        std::cerr << "lockctl: lock needs a command after --\n";
        return usage;
    }
    if (cmd.name.empty() || cmd.name.size() > proto::kMaxNameBytes) {
        std::cerr << "lockctl: a lock name has 1..255 bytes\n";
        return usage;
    }
    return guarded(t, [&](Client& c) {
        if (cmd.print_blocking)
            c.on_blocking([](const std::string& name, Mode wanted) {
                std::cerr << "blocking " + printable(name) + " " + std::string(to_string(wanted)) +
                                 "\n";
            });
        c.on_shutdown([](const std::string& reason) {
            std::cerr << "lockctl: server shutting down: " + reason + "\n";
        });
        // Across a failover the library reconnects and reclaims; say so, and say loudly when
        // the lock is lost (COMMAND still runs: it is its business to use $LOCK_TOKEN).
        c.on_reconnected([name = cmd.name](uint64_t session, const std::vector<std::string>& lost) {
            bool kept = std::find(lost.begin(), lost.end(), name) == lost.end();
            std::cerr << "lockctl: reconnected, session " + std::to_string(session) +
                             (kept ? ", lock reclaimed\n"
                                   : ", LOCK LOST: " + printable(name) + "\n");
        });
        c.on_session_lost(
            [](const std::string& why) { std::cerr << "lockctl: LOCK LOST: " + why + "\n"; });
        c.open_session(cmd.node.empty() ? takeover::node::name() : cmd.node,
                       std::chrono::milliseconds(std::llround(cmd.lease_s * 1000)));
        std::optional<client::Grant> g;
        if (cmd.try_only) {
            g = c.try_lock(cmd.name, *mode);
            if (!g) throw RequestError(proto::ErrorCode::would_block, cmd.name + " is busy");
        } else {
            auto ms =
                std::chrono::milliseconds(static_cast<int64_t>(std::llround(cmd.timeout_s * 1000)));
            g = c.lock(cmd.name, *mode, ms);
        }
        process::SpawnOptions spawn;
        spawn.new_session = false;  // the terminal's ^C reaches COMMAND, as with flock(1)
        spawn.inherit_stdio = true;
        spawn.extra_env = {"LOCK_TOKEN=" + std::to_string(g->token), "LOCK_NAME=" + cmd.name,
                           "LOCK_MODE=" + std::string(to_string(*mode))};
        pid_t pid = process::spawn(cmd.command, spawn);
        std::optional<process::ExitStatus> st;
        while (!(st = process::wait_child(pid, std::chrono::hours(24)))) {
        }
        try {
            c.unlock(cmd.name);
            c.close_session();
        } catch (const RequestError& e) {
            // The command has run; its result stands, but the holder should know the lock
            // may have been lost on the way (server stopped, session expired).
            std::cerr << "lockctl: warning: releasing " << printable(cmd.name) << ": " << e.what()
                      << "\n";
        }
        if (st->exited) return st->code;
        return 128 + st->signal;
    });
}

}  // namespace takeover::lockd::lockctl
