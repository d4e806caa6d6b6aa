// Sessions and requests. The grant logic is in lock_table_grant.cpp.
#include "lock_table_internal.h"

#include <algorithm>

namespace takeover::lockd {
namespace {

// DLM writes the LVB when a PW or EX holder moves to a lesser mode (EX->PW included). Such a
// conversion is always compatible with the other holders, so it is granted at once.
bool steps_down_from_writer(Mode from, Mode to) {
    return (from == Mode::EX && to != Mode::EX) ||
           (from == Mode::PW && to != Mode::PW && to != Mode::EX);
}

}  // namespace

LockTable::LockTable(Limits limits, uint32_t epoch) : limits_(limits), epoch_(epoch) {
    last_token_ = make_token(epoch_, 0);
}

LockTable::~LockTable() {
    for (auto& [id, s] : sessions_)
        while (s->locks) remove_entry(s->locks, false);
}

LockTable::Session* LockTable::find_session(SessionId id) const {
    auto it = sessions_.find(id);
    return it == sessions_.end() ? nullptr : it->second.get();
}

std::optional<SessionState> LockTable::session_state(SessionId id) const {
    auto* s = find_session(id);
    if (!s) return std::nullopt;
    return s->state;
}

std::optional<std::string> LockTable::session_node(SessionId id) const {
    auto* s = find_session(id);
    if (!s) return std::nullopt;
    return s->node;
}

void LockTable::set_state(Session* s, SessionState state) {
    s->state = state;
    if (listener_) listener_->session_changed(s->id, s->node, state);
}

std::optional<SessionId> LockTable::open_session(const std::string& node, milliseconds lease,
                                                 TimePoint now, milliseconds* granted_lease) {
    if (sessions_.size() >= limits_.max_sessions) return std::nullopt;
    auto s = std::make_unique<Session>();
    while (sessions_.count(next_session_)) next_session_++;  // ids rebuilt by reclaims
    s->id = next_session_++;
    s->node = node;
    s->lease = std::clamp(lease, limits_.min_lease, limits_.max_lease);
    s->last_seen = now;
    if (granted_lease) *granted_lease = s->lease;
    if (!lease_check_ || now + s->lease < *lease_check_) lease_check_ = now + s->lease;
    SessionId id = s->id;
    sessions_.emplace(id, std::move(s));
    set_state(find_session(id), SessionState::active);
    return id;
}

void LockTable::touch(SessionId id, TimePoint now) {
    if (auto* s = find_session(id); s && s->state == SessionState::active) s->last_seen = now;
}

void LockTable::close_session(SessionId id) {
    auto* s = find_session(id);
    if (!s) return;
    cancel_pending(s, ErrorCode::cancelled, false);
    release_all(s);
    if (listener_) listener_->session_closed(id);
    sessions_.erase(id);
}

void LockTable::disconnect(SessionId id, TimePoint now) {
    auto* s = find_session(id);
    if (!s || s->state != SessionState::active) return;
    // Nobody is left to receive an answer, so pending requests go; grants stay until the
    // lease runs out (and after that, until fencing).
    cancel_pending(s, ErrorCode::cancelled, false);
    s->last_seen = std::min(s->last_seen, now);
    set_state(s, SessionState::disconnected);
}

void LockTable::release_all(Session* s) {
    std::vector<ResourceNode*> touched;
    while (s->locks) {
        touched.push_back(s->locks->resource);
        remove_entry(s->locks, true);
    }
    for (auto* r : touched) {
        if (r->second.first) {
            grant_pending(r);
        } else {
            maybe_erase(r);
        }
    }
}

void LockTable::cancel_pending(Session* s, ErrorCode why, bool tell_client) {
    std::vector<Entry*> pending;
    for (Entry* e = s->locks; e; e = e->session_next)
        if (e->state != EntryState::granted) pending.push_back(e);
    std::vector<ResourceNode*> touched;
    for (Entry* e : pending) {
        touched.push_back(e->resource);
        fail_pending(e, why, tell_client);
    }
    for (auto* r : touched) {
        if (r->second.first) {
            grant_pending(r);
        } else {
            maybe_erase(r);
        }
    }
}

// Answers a pending request with an error: a waiting entry goes away, a conversion falls
// back to its granted mode. The caller re-runs grant_pending on the resource.
void LockTable::fail_pending(Entry* e, ErrorCode why, bool tell_client) {
    if (tell_client)
        events_.push_back({Event::Kind::failed, e->session->id, e->request, e->resource->first,
                           e->requested, 0, std::nullopt, why});
    e->session->pending_count--;
    waiting_--;
    if (e->state == EntryState::waiting) {
        remove_entry(e, false);
    } else {
        e->state = EntryState::granted;
        e->requested = e->granted;
    }
}

std::optional<ErrorCode> LockTable::admit(Session* s, const LockRequest& r) {
    if (!s) return ErrorCode::no_session;
    if (s->state != SessionState::active) return ErrorCode::session_expired;
    if (r.name.empty() || r.name.size() > proto::kMaxNameBytes) return ErrorCode::malformed;
    return std::nullopt;
}

std::optional<ErrorCode> LockTable::lock(SessionId sid, RequestId req, const LockRequest& r,
                                         TimePoint now) {
    Session* s = find_session(sid);
    if (auto err = admit(s, r)) return err;
    if (s->lock_count >= limits_.max_locks_per_session) return ErrorCode::limit;
    if (!r.try_only && s->pending_count >= limits_.max_queued_per_session) return ErrorCode::limit;
    auto [it, inserted] = resources_.try_emplace(r.name);
    ResourceNode* node = &*it;
    if (!inserted && find_entry(node, s)) return ErrorCode::busy;  // use convert
    // DLM 6-4: granted now only if nobody is queued and the mode fits every holder.
    bool queues_empty = true;
    for (Entry* e = node->second.first; e; e = e->next)
        queues_empty = queues_empty && e->state == EntryState::granted;
    bool grantable = queues_empty && compatible_with_holders(node, nullptr, r.mode) &&
                     !grace_blocks(nullptr, r.mode);
    if (!grantable && r.try_only) {
        maybe_erase(node);
        events_.push_back({Event::Kind::failed, sid, req, r.name, r.mode, 0, std::nullopt,
                           ErrorCode::would_block});
        return std::nullopt;
    }
    Entry* e = add_entry(node, s, req);  // starts as a waiting entry
    e->requested = r.mode;
    s->pending_count++;
    waiting_++;
    if (grantable) {
        grant(e, r.mode);
        return std::nullopt;
    }
    arm_timeout(e, r, now);
    notify_blockers(node);
    return std::nullopt;
}

std::optional<ErrorCode> LockTable::convert(SessionId sid, RequestId req, const LockRequest& r,
                                            TimePoint now) {
    Session* s = find_session(sid);
    if (auto err = admit(s, r)) return err;
    auto it = resources_.find(r.name);
    Entry* e = it == resources_.end() ? nullptr : find_entry(&*it, s);
    if (!e || e->state == EntryState::waiting) return ErrorCode::not_held;
    if (e->state == EntryState::converting) return ErrorCode::busy;
    ResourceNode* node = &*it;
    // A holder of PW/EX hands its value on when it steps down, as DLM does with VALBLK.
    if (r.lvb && steps_down_from_writer(e->granted, r.mode))
        node->second.lvb = std::make_unique<std::string>(*r.lvb);
    e->request = req;
    if (compatible_with_holders(node, e, r.mode) && !grace_blocks(e, r.mode)) {
        grant(e, r.mode);
        grant_pending(node);  // a down-conversion may let others in
        return std::nullopt;
    }
    if (r.try_only || conversion_deadlock(node, e, r.mode)) {
        events_.push_back({Event::Kind::failed, sid, req, r.name, r.mode, 0, std::nullopt,
                           r.try_only ? ErrorCode::would_block : ErrorCode::deadlock});
        return std::nullopt;
    }
    if (s->pending_count >= limits_.max_queued_per_session) return ErrorCode::limit;
    e->requested = r.mode;
    queue_conversion(e);
    s->pending_count++;
    waiting_++;
    arm_timeout(e, r, now);
    notify_blockers(node);
    return std::nullopt;
}

std::optional<ErrorCode> LockTable::unlock(SessionId sid, const std::string& name,
                                           const std::optional<std::string>& lvb) {
    Session* s = find_session(sid);
    if (!s) return ErrorCode::no_session;
    auto it = resources_.find(name);
    Entry* e = it == resources_.end() ? nullptr : find_entry(&*it, s);
    if (!e || e->state == EntryState::waiting) return ErrorCode::not_held;
    ResourceNode* node = &*it;
    if (e->state == EntryState::converting) fail_pending(e, ErrorCode::cancelled, true);
    if (lvb && writes_lvb(e->granted)) node->second.lvb = std::make_unique<std::string>(*lvb);
    remove_entry(e, true);
    grant_pending(node);
    maybe_erase(node);
    return std::nullopt;
}

std::optional<ErrorCode> LockTable::cancel(SessionId sid, const std::string& name) {
    Session* s = find_session(sid);
    if (!s) return ErrorCode::no_session;
    auto it = resources_.find(name);
    Entry* e = it == resources_.end() ? nullptr : find_entry(&*it, s);
    if (!e || e->state == EntryState::granted) return ErrorCode::not_held;
    ResourceNode* node = &*it;
    fail_pending(e, ErrorCode::cancelled, true);
    grant_pending(node);
    maybe_erase(node);
    return std::nullopt;
}

std::optional<uint32_t> LockTable::fence_ack(const std::string& node) {
    std::vector<SessionId> fenced;
    for (auto& [id, s] : sessions_)
        if (s->node == node && s->state != SessionState::active) fenced.push_back(id);
    if (fenced.empty()) return std::nullopt;
    uint32_t released = 0;
    for (SessionId id : fenced) {
        released += find_session(id)->lock_count;
        close_session(id);
    }
    return released;
}

void LockTable::tick(TimePoint now) {
    if (grace_until_ && *grace_until_ <= now) end_grace();
    if (lease_check_ && *lease_check_ > now) {
        expire_timeouts(now);
        return;
    }
    // Sessions awaiting reclaim have until the end of grace, not their lease.
    for (auto& [id, s] : sessions_) {
        if (s->state == SessionState::expired || s->awaiting_reclaim ||
            s->last_seen + s->lease > now)
            continue;
        expire(s.get(), s->state == SessionState::active);
    }
    expire_timeouts(now);
    lease_check_.reset();
    for (auto& [id, s] : sessions_)
        if (s->state != SessionState::expired && !s->awaiting_reclaim &&
            (!lease_check_ || s->last_seen + s->lease < *lease_check_))
            lease_check_ = s->last_seen + s->lease;
}

std::optional<TimePoint> LockTable::next_deadline() const {
    std::optional<TimePoint> next = lease_check_;
    if (grace_until_ && (!next || *grace_until_ < *next)) next = grace_until_;
    if (!timeouts_.empty() && (!next || timeouts_.top().at < *next)) next = timeouts_.top().at;
    return next;
}

void LockTable::arm_timeout(Entry* e, const LockRequest& r, TimePoint now) {
    if (r.timeout.count() > 0)
        timeouts_.push({now + r.timeout, e->session->id, e->request, r.name});
}

void LockTable::expire_timeouts(TimePoint now) {
    // Entries in the heap may be stale (granted or cancelled since); re-check each one.
    while (!timeouts_.empty() && timeouts_.top().at <= now) {
        Timeout t = timeouts_.top();
        timeouts_.pop();
        Session* s = find_session(t.session);
        auto it = resources_.find(t.name);
        if (!s || it == resources_.end()) continue;
        Entry* e = find_entry(&*it, s);
        if (!e || e->state == EntryState::granted || e->request != t.request) continue;
        fail_pending(e, ErrorCode::timed_out, true);
        grant_pending(&*it);
        maybe_erase(&*it);
    }
}

}  // namespace takeover::lockd
