// What the server does with each request frame.
#include "auth.h"
#include "request_frames.h"
#include "server.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace takeover::lockd {
namespace {

// Lists must fit in one reply frame even with the longest names.
constexpr uint32_t kMaxListReply = 2000;

}  // namespace

void Server::handle(Connection& c, proto::Frame&& f) {
    if (!c.authenticated) return handle_auth(c, f);
    if (c.session) table_.touch(*c.session, Clock::now());
    switch (f.type) {
        case proto::Type::ping:
            c.send(
                proto::Pong{
                    table_.epoch(),
                    static_cast<uint64_t>(
                        std::chrono::duration_cast<milliseconds>(Clock::now() - started_).count())},
                f.request_id);
            break;
        case proto::Type::keepalive:
            c.send(proto::Ok{}, f.request_id);
            break;
        case proto::Type::session_open:
        case proto::Type::session_close:
            handle_session(c, f);
            break;
        case proto::Type::session_reopen:
        case proto::Type::reclaim:
        case proto::Type::reclaim_done:
            handle_reclaim(c, f);
            break;
        case proto::Type::lock:
        case proto::Type::convert:
        case proto::Type::unlock:
        case proto::Type::cancel:
            handle_lock(c, f);
            break;
        case proto::Type::status:
        case proto::Type::list_locks:
        case proto::Type::list_sessions:
        case proto::Type::list_nodes:
        case proto::Type::fence_ack:
            handle_admin(c, f);
            break;
        default:
            reject(c, f, proto::ErrorCode::malformed);
            c.close("unexpected message type " + std::to_string(static_cast<int>(f.type)));
            return;
    }
    deliver_events();
    schedule_commit();
    arm_timer();
}

void Server::handle_auth(Connection& c, const proto::Frame& f) {
    const auto* a = message_as<proto::Auth>(f);
    if (!a) {
        reject(c, f, proto::ErrorCode::not_authenticated);
        c.close_after_flush();
        spdlog::warn("closing connection from {}: request before authentication", c.peer());
        return;
    }
    if (!auth::equal(a->mac, auth::client_proof(settings_.key, c.server_nonce, a->client_nonce))) {
        reject(c, f, proto::ErrorCode::auth_failed);
        c.close_after_flush();
        spdlog::warn("closing connection from {}: authentication failed (wrong key)", c.peer());
        return;
    }
    c.authenticated = true;
    c.send(proto::AuthOk{auth::server_proof(settings_.key, a->client_nonce, c.server_nonce)},
           f.request_id);
}

void Server::handle_session(Connection& c, const proto::Frame& f) {
    if (const auto* open = message_as<proto::SessionOpen>(f)) {
        if (c.session) return reject(c, f, proto::ErrorCode::session_exists);
        milliseconds lease;
        auto id =
            table_.open_session(open->node, milliseconds(open->lease_ms), Clock::now(), &lease);
        if (!id) {
            spdlog::warn("refusing a session from {}: max_sessions reached", c.peer());
            return reject(c, f, proto::ErrorCode::limit);
        }
        c.session = *id;
        by_session_[*id] = &c;
        if (journal_) journal_->session_opened(*id, open->node, lease);
        spdlog::info("session {} opened by node {} from {} (lease {} ms)", *id, open->node,
                     c.peer(), lease.count());
        c.send(proto::SessionOpened{*id, static_cast<uint32_t>(lease.count())}, f.request_id);
        return;
    }
    if (!c.session) return reject(c, f, proto::ErrorCode::no_session);
    table_.close_session(*c.session);
    by_session_.erase(*c.session);
    c.session.reset();
    c.send(proto::Ok{}, f.request_id);
}

void Server::handle_lock(Connection& c, const proto::Frame& f) {
    if (!c.session) return reject(c, f, proto::ErrorCode::no_session);
    SessionId s = *c.session;
    auto now = Clock::now();
    std::optional<ErrorCode> err;
    bool reply_ok = false;
    if (const auto* m = message_as<proto::Lock>(f)) {
        err = table_.lock(
            s, f.request_id,
            {m->name, m->mode, (m->flags & proto::kFlagTry) != 0, milliseconds(m->timeout_ms), {}},
            now);
    } else if (const auto* m = message_as<proto::Convert>(f)) {
        std::optional<std::string> lvb;
        if (m->lvb_flags & proto::kFlagHasLvb) lvb = m->lvb;
        err = table_.convert(
            s, f.request_id,
            {m->name, m->mode, (m->flags & proto::kFlagTry) != 0, milliseconds(m->timeout_ms), lvb},
            now);
    } else if (const auto* m = message_as<proto::Unlock>(f)) {
        std::optional<std::string> lvb;
        if (m->lvb_flags & proto::kFlagHasLvb) lvb = m->lvb;
        err = table_.unlock(s, m->name, lvb);
        reply_ok = true;
    } else if (const auto* m = message_as<proto::Cancel>(f)) {
        err = table_.cancel(s, m->name);
        reply_ok = true;
    }
    if (err) return reject(c, f, *err);
    if (reply_ok) c.send(proto::Ok{}, f.request_id);
}

void Server::handle_admin(Connection& c, const proto::Frame& f) {
    auto now = Clock::now();
    if (const auto* q = message_as<proto::Status>(f)) {
        if (q->detail) return c.send(takeover_status(), f.request_id);
        auto st = table_.status();
        c.send(
            proto::StatusReply{
                table_.epoch(),
                static_cast<uint64_t>(
                    std::chrono::duration_cast<milliseconds>(now - started_).count()),
                st.sessions, st.expired_sessions, st.resources, st.held, st.waiting, st.last_token,
                state_mode()},
            f.request_id);
    } else if (const auto* m = message_as<proto::ListLocks>(f)) {
        uint32_t limit = m->limit == 0 ? kMaxListReply : std::min(m->limit, kMaxListReply);
        bool truncated = false;
        auto entries = table_.list_locks(m->pattern, limit, &truncated);
        c.send(proto::LocksReply{truncated, std::move(entries)}, f.request_id);
    } else if (message_as<proto::ListSessions>(f)) {
        auto entries = table_.list_sessions(now);
        bool truncated = entries.size() > kMaxListReply;
        if (truncated) entries.resize(kMaxListReply);
        c.send(proto::SessionsReply{truncated, std::move(entries)}, f.request_id);
    } else if (message_as<proto::ListNodes>(f)) {
        c.send(nodes(), f.request_id);
    } else if (const auto* m = message_as<proto::FenceAck>(f)) {
        auto released = table_.fence_ack(m->node);
        fencer_.forget(m->node);
        if (!released) return reject(c, f, proto::ErrorCode::unknown_node);
        spdlog::warn("FENCE ACK for node {} from {}: {} lock(s) of its expired sessions released",
                     m->node, c.peer(), *released);
        c.send(proto::Ok{*released}, f.request_id);
    }
}

// The nodes of ogfscf.cf (sessions name them by address or CID) plus any other node that
// has a session.
proto::NodesReply Server::nodes() const {
    auto live = table_.nodes();
    proto::NodesReply reply;
    for (const auto& n : settings_.ogfs.nodes) {
        proto::NodeEntry e{n.address, n.cid, n.stomith};
        for (const auto& key : {n.address, std::to_string(n.cid)}) {
            auto it = live.find(key);
            if (it == live.end()) continue;
            e.sessions += it->second.sessions;
            e.expired += it->second.expired;
            e.locks += it->second.locks;
            live.erase(it);
        }
        for (const auto& m : settings_.ogfs.methods)
            if (m.name == n.stomith) e.stomith = m.type;
        reply.entries.push_back(e);
    }
    for (const auto& [name, sum] : live)
        reply.entries.push_back({name, -1, "", sum.sessions, sum.expired, sum.locks});
    if (reply.entries.size() > kMaxListReply) {
        reply.entries.resize(kMaxListReply);
        reply.truncated = 1;
    }
    return reply;
}

}  // namespace takeover::lockd
