// The server's side of takeover (docs/lockd.md "Takeover"): restoring the table at start,
// sessions re-opened and reclaimed by their clients, the status of grace and fencing, and
// fencing expired nodes by their configured command.
#include "request_frames.h"
#include "server.h"

#include <spdlog/spdlog.h>

namespace takeover::lockd {

FencePolicy Server::fence_policy() const {
    return {settings_.native.fence_timeout, settings_.native.fence_attempts,
            std::chrono::milliseconds(2000)};
}

void Server::restore(const RecoveredState& st, const std::string& state_path) {
    auto now = Clock::now();
    restored_ = true;
    state_path_ = state_path;
    table_.restore(st, now, settings_.native.grace);
    auto grace = settings_.native.grace.count();
    if (st.durable)
        spdlog::warn(
            "durable state restored from {}: epoch {}, {} session(s), {} lock(s); they have {} ms "
            "to reclaim",
            state_path, st.epoch, st.sessions.size(), st.locks.size(), grace);
    else if (grace > 0)
        spdlog::warn(
            "memory mode, epoch {}: a dead node's locks are unknown; clients have {} ms to "
            "reclaim theirs, nothing new is granted meanwhile",
            table_.epoch(), grace);
    else
        spdlog::warn(
            "memory mode, epoch {}: a dead node's locks are unknown, and with grace_ms 0 no "
            "client can reclaim its locks",
            table_.epoch());
    deliver_events();
    schedule_commit();
    arm_timer();
}

void Server::handle_reclaim(Connection& c, const proto::Frame& f) {
    auto now = Clock::now();
    if (const auto* m = message_as<proto::SessionReopen>(f)) {
        if (c.session) return reject(c, f, proto::ErrorCode::session_exists);
        SessionId id = m->session;
        // The old connection of this session may still look alive to us (a half-open TCP
        // connection): the client has moved on, so it goes.
        auto old = by_session_.find(id);
        if (old != by_session_.end() && table_.session_node(id) == m->node) {
            Connection* stale = old->second;
            stale->session.reset();
            by_session_.erase(old);
            stale->close("its session was re-opened on another connection");
        }
        milliseconds lease;
        if (auto err = table_.reopen_session(id, m->node, milliseconds(m->lease_ms), now, &lease)) {
            spdlog::warn("refusing to re-open session {} of node {} from {}: {}", m->session,
                         m->node, c.peer(), proto::to_string(*err));
            return reject(c, f, *err);
        }
        c.session = id;
        by_session_[id] = &c;
        spdlog::info("session {} of node {} re-opened from {} (was {})", id, m->node, c.peer(),
                     m->session);
        c.send(proto::SessionOpened{id, static_cast<uint32_t>(lease.count())}, f.request_id);
        return;
    }
    if (!c.session) return reject(c, f, proto::ErrorCode::no_session);
    SessionId s = *c.session;
    if (const auto* m = message_as<proto::Reclaim>(f)) {
        proto::ReclaimReply reply;
        uint32_t refused = 0;
        for (const auto& e : m->entries) {
            auto err = table_.reclaim(s, e.name, e.mode, e.token);
            reply.results.push_back({static_cast<uint16_t>(err ? static_cast<uint16_t>(*err) : 0)});
            refused += err.has_value();
        }
        if (refused)
            spdlog::warn("session {}: {} of {} reclaimed lock(s) refused", s, refused,
                         m->entries.size());
        c.send(reply, f.request_id);
        return;
    }
    auto released = table_.reclaim_done(s);
    if (!released) return reject(c, f, proto::ErrorCode::reclaim_refused);
    spdlog::info(
        "session {} has reclaimed its locks; {} restored lock(s) it did not confirm released", s,
        *released);
    c.send(proto::Ok{*released}, f.request_id);
}

proto::StatusReply Server::takeover_status() const {
    auto now = Clock::now();
    auto st = table_.status();
    proto::StatusReply r{
        table_.epoch(),
        static_cast<uint64_t>(std::chrono::duration_cast<milliseconds>(now - started_).count()),
        st.sessions,
        st.expired_sessions,
        st.resources,
        st.held,
        st.waiting,
        st.last_token,
        table_.durable() ? "durable" : "memory"};
    r.extended = true;
    r.state_path = state_path_;
    auto g = table_.grace(now);
    r.grace_left_ms = g.active ? static_cast<uint32_t>(std::max<int64_t>(g.left.count(), 1)) : 0;
    r.awaiting_reclaim = g.awaiting;
    r.fencing = fencer_.status();
    for (const auto& [node, sum] : table_.nodes()) {
        if (sum.expired == 0 || sum.locks == 0) continue;
        bool listed = false;
        for (const auto& e : r.fencing) listed = listed || e.node == node;
        if (!listed) r.fencing.push_back({node, 0, "manual: fence it, then lockctl fence-ack"});
    }
    return r;
}

void Server::fence_needed(const std::string& node, SessionId session) {
    auto argv = fence_argv(settings_, node);
    if (!argv) {
        spdlog::error(
            "session {} of node {} expired holding locks: they stay held until node {} is "
            "fenced; fencing is manual: make sure it is down, then run: lockctl fence-ack {}",
            session, node, node, node);
        return;
    }
    spdlog::warn("session {} of node {} expired holding locks: fencing the node", session, node);
    fencer_.fence(node, *argv);
}

void Server::fenced(const std::string& node) {
    auto released = table_.fence_ack(node);
    spdlog::warn("FENCED node {}: {} lock(s) of its sessions released", node, released.value_or(0));
    deliver_events();
    schedule_commit();  // durable mode: the releases are journaled like any other
    arm_timer();
}

}  // namespace takeover::lockd
