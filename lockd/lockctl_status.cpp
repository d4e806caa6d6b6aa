// `lockctl status` output: plain words about what survives a restart and what waits.
#include "lockctl_render.h"

#include <cstdio>

namespace takeover::lockd::lockctl {
namespace {

std::string uptime(uint64_t ms) {
    uint64_t s = ms / 1000;
    return std::to_string(s / 86400) + "d " + std::to_string((s / 3600) % 24) + "h " +
           std::to_string((s / 60) % 60) + "m " + std::to_string(s % 60) + "s";
}

std::string seconds(uint32_t ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000.0);
    return buf;
}

std::string json(const proto::StatusReply& s) {
    std::string out =
        "{\"epoch\": " + std::to_string(s.epoch) + ", \"mode\": " + json_string(s.state_mode) +
        ", \"uptime_s\": " + std::to_string(s.uptime_ms / 1000) +
        ", \"sessions\": " + std::to_string(s.sessions) +
        ", \"expired_sessions\": " + std::to_string(s.expired_sessions) +
        ", \"resources\": " + std::to_string(s.resources) +
        ", \"held\": " + std::to_string(s.held) + ", \"waiting\": " + std::to_string(s.waiting) +
        ", \"last_token\": " + std::to_string(s.last_token);
    if (s.extended) {
        out += ", \"state_path\": " + json_string(s.state_path) +
               ", \"grace_left_ms\": " + std::to_string(s.grace_left_ms) +
               ", \"awaiting_reclaim\": " + std::to_string(s.awaiting_reclaim) + ", \"fencing\": [";
        for (size_t i = 0; i < s.fencing.size(); ++i)
            out += std::string(i ? ", " : "") + "{\"node\": " + json_string(s.fencing[i].node) +
                   ", \"attempts\": " + std::to_string(s.fencing[i].attempts) +
                   ", \"state\": " + json_string(s.fencing[i].state) + "}";
        out += "]";
    }
    return out + "}\n";
}

}  // namespace

std::string render_status(const proto::StatusReply& s, bool as_json) {
    if (as_json) return json(s);
    std::string out = "server:    memexpd, epoch " + std::to_string(s.epoch) + ", up " +
                      uptime(s.uptime_ms) + "\n";
    if (s.state_mode == "durable")
        out += "mode:      durable " + printable(s.state_path) +
               " (every session and lock survives a restart)\n";
    else
        out += "mode:      " + printable(s.state_mode) +
               " (a dead node's locks are unknown; lost if the server dies)\n";
    if (!s.extended)
        out += "grace:     unknown (the server is too old to say)\n";
    else if (s.grace_left_ms > 0 && s.state_mode == "durable")
        out += "grace:     " + seconds(s.grace_left_ms) + " left, " +
               std::to_string(s.awaiting_reclaim) +
               " session(s) still to reclaim; new conflicting locks wait\n";
    else if (s.grace_left_ms > 0)  // memory mode cannot know who is still to come
        out += "grace:     " + seconds(s.grace_left_ms) +
               " left; clients of the previous server may reclaim, new locks wait\n";
    else
        out += "grace:     over\n";
    out += "sessions:  " + std::to_string(s.sessions) + " (" + std::to_string(s.expired_sessions) +
           " expired, their locks held until fenced)\n";
    out += "locks:     " + std::to_string(s.held) + " held, " + std::to_string(s.waiting) +
           " waiting, on " + std::to_string(s.resources) + " names\n";
    out += "token:     " + std::to_string(s.last_token) + "\n";
    for (const auto& f : s.fencing)
        out += "fencing:   " + printable(f.node) + ": " + printable(f.state) + ", " +
               std::to_string(f.attempts) + " attempt(s)\n";
    return out;
}

}  // namespace takeover::lockd::lockctl
