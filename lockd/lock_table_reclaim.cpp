// Takeover: restoring the journal's state, the grace period, sessions re-opened by their
// clients and the locks they reclaim. See docs/lockd.md "Takeover".
#include "lock_table_internal.h"

#include <algorithm>

namespace takeover::lockd {
namespace {

// Every mode `held` lets in, `m` lets in too: a conversion to `m` cannot hurt anyone.
bool no_stronger(Mode m, Mode held) {
    for (int x = 0; x < kModeCount; ++x)
        if (compatible(held, Mode(x)) && !compatible(m, Mode(x))) return false;
    return true;
}

constexpr uint64_t kCounterMask = (uint64_t{1} << kTokenCounterBits) - 1;

}  // namespace

void LockTable::raise_tokens_above(uint64_t token) {
    // A token of a later epoch than ours (memory mode: clients outlived several servers) moves
    // our epoch up, so every token we grant from now on is still larger.
    auto epoch = static_cast<uint32_t>(token >> kTokenCounterBits);
    if (epoch > epoch_) {
        epoch_ = epoch;
        counter_ = token & kCounterMask;
    } else if (epoch == epoch_) {
        counter_ = std::max(counter_, token & kCounterMask);
    }
    last_token_ = std::max(last_token_, token);
}

LockTable::Entry* LockTable::add_granted(ResourceNode* r, Session* s, Mode m, uint64_t token) {
    Entry* e = add_entry(r, s, 0);
    e->state = EntryState::granted;
    e->granted = e->requested = m;
    e->token = token;
    held_++;
    return e;
}

void LockTable::restore(const RecoveredState& st, TimePoint now, milliseconds grace) {
    durable_ = st.durable;
    epoch_ = st.epoch;
    counter_ = 0;
    last_token_ = make_token(epoch_, 0);
    raise_tokens_above(st.last_token);
    next_session_ = std::max(next_session_, st.next_session);
    for (const auto& rs : st.sessions) {
        auto s = std::make_unique<Session>();
        s->id = rs.id;
        s->node = rs.node;
        s->lease = rs.lease;
        s->last_seen = now;
        s->state = SessionState::disconnected;
        s->awaiting_reclaim = true;
        next_session_ = std::max(next_session_, rs.id + 1);
        sessions_.emplace(rs.id, std::move(s));
    }
    for (const auto& rl : st.locks) {
        Session* s = find_session(rl.session);
        if (!s || rl.name.empty()) continue;  // the journal's invariants say never
        auto [it, inserted] = resources_.try_emplace(rl.name);
        if (!inserted && find_entry(&*it, s)) continue;
        add_granted(&*it, s, rl.mode, rl.token);
        raise_tokens_above(rl.token);
    }
    grace_until_ = now + grace;
    if (grace <= milliseconds(0) || (durable_ && awaiting_reclaims() == 0)) end_grace();
}

uint32_t LockTable::awaiting_reclaims() const {
    uint32_t n = 0;
    for (const auto& [id, s] : sessions_)
        if (s->awaiting_reclaim || s->confirmed) n++;
    return n;
}

GraceStatus LockTable::grace(TimePoint now) const {
    GraceStatus g;
    if (!grace_until_) return g;
    g.active = true;
    g.left =
        std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(*grace_until_ - now));
    g.awaiting = awaiting_reclaims();
    return g;
}

// Memory mode knows nothing of the locks clients may still reclaim, so during grace it grants
// nothing but reclaims and conversions that let in everything the old mode let in. Durable
// mode holds every reclaimable lock as a real entry: the usual rules already keep others out.
bool LockTable::grace_blocks(const Entry* holder, Mode m) const {
    if (!grace_until_ || durable_) return false;
    return !(holder && holder->state != EntryState::waiting && no_stronger(m, holder->granted));
}

std::optional<ErrorCode> LockTable::reopen_session(SessionId& id, const std::string& node,
                                                   milliseconds lease, TimePoint now,
                                                   milliseconds* granted_lease) {
    Session* s = find_session(id);
    if (s && s->node != node) return ErrorCode::no_session;
    if (s && s->state == SessionState::expired) return ErrorCode::session_expired;
    if (!s) {
        if (durable_ || !grace_until_ || sessions_.size() >= limits_.max_sessions)
            return ErrorCode::session_expired;
        if (id == 0) id = next_session_++;
        auto fresh = std::make_unique<Session>();
        fresh->id = id;
        fresh->node = node;
        fresh->rebuilt = true;
        s = fresh.get();
        sessions_.emplace(id, std::move(fresh));
    }
    if (s->state == SessionState::active) cancel_pending(s, ErrorCode::cancelled, false);
    s->lease = std::clamp(lease, limits_.min_lease, limits_.max_lease);
    s->last_seen = now;
    s->awaiting_reclaim = false;
    s->confirmed = std::make_unique<std::unordered_set<const Entry*>>();
    if (granted_lease) *granted_lease = s->lease;
    if (!lease_check_ || now + s->lease < *lease_check_) lease_check_ = now + s->lease;
    set_state(s, SessionState::active);
    return std::nullopt;
}

std::optional<ErrorCode> LockTable::reclaim(SessionId sid, const std::string& name, Mode m,
                                            uint64_t token) {
    Session* s = find_session(sid);
    if (!s) return ErrorCode::no_session;
    if (!s->confirmed || s->state != SessionState::active) return ErrorCode::reclaim_refused;
    if (name.empty() || name.size() > proto::kMaxNameBytes) return ErrorCode::malformed;
    auto it = resources_.find(name);
    Entry* e = it == resources_.end() ? nullptr : find_entry(&*it, s);
    if (e) {  // known to us: must match exactly
        if (e->state == EntryState::waiting || e->granted != m || e->token != token)
            return ErrorCode::reclaim_refused;
        s->confirmed->insert(e);
        return std::nullopt;
    }
    // Memory mode in grace: what the client says is all there is; first come, first kept.
    if (!s->rebuilt || durable_ || !grace_until_) return ErrorCode::reclaim_refused;
    if (token == 0 || s->lock_count >= limits_.max_locks_per_session) return ErrorCode::limit;
    auto [rit, inserted] = resources_.try_emplace(name);
    if (!inserted && !compatible_with_holders(&*rit, nullptr, m)) return ErrorCode::reclaim_refused;
    e = add_granted(&*rit, s, m, token);
    raise_tokens_above(token);
    s->confirmed->insert(e);
    if (listener_) listener_->granted(name, sid, m, token);
    notify_blockers(&*rit);
    return std::nullopt;
}

std::optional<uint32_t> LockTable::reclaim_done(SessionId sid) {
    Session* s = find_session(sid);
    if (!s || !s->confirmed) return std::nullopt;
    std::vector<ResourceNode*> touched;
    uint32_t released = 0;
    for (Entry* e = s->locks; e;) {
        Entry* next = e->session_next;
        if (e->state == EntryState::granted && !s->confirmed->count(e)) {
            touched.push_back(e->resource);
            remove_entry(e, true);
            released++;
        } else {
            // Callbacks sent while the holder was away were lost: send them again.
            e->blocking_sent = 0;
            touched.push_back(e->resource);
        }
        e = next;
    }
    s->confirmed.reset();
    for (auto* r : touched) {
        if (r->second.first) {
            grant_pending(r);
        } else {
            maybe_erase(r);
        }
    }
    if (grace_until_ && durable_ && awaiting_reclaims() == 0) end_grace();
    return released;
}

// Sessions that did not come back expire; reopened ones that never said "done" are done now;
// in memory mode, what waited for grace may now be granted.
void LockTable::end_grace() {
    grace_until_.reset();
    std::vector<SessionId> unfinished;
    for (auto& [id, s] : sessions_) {
        if (s->awaiting_reclaim) {
            s->awaiting_reclaim = false;
            expire(s.get(), false);
        } else if (s->confirmed) {
            unfinished.push_back(id);
        }
    }
    for (SessionId id : unfinished) reclaim_done(id);
    if (durable_) return;
    std::vector<ResourceNode*> waiting;
    for (auto& r : resources_)
        for (Entry* e = r.second.first; e; e = e->next)
            if (e->state != EntryState::granted) {
                waiting.push_back(&r);
                break;
            }
    for (auto* r : waiting) grant_pending(r);
}

void LockTable::expire(Session* s, bool connected) {
    cancel_pending(s, ErrorCode::session_expired, connected);
    set_state(s, SessionState::expired);
    if (connected) events_.push_back({Event::Kind::session_expired, s->id});
    if (s->lock_count > 0) {
        Event e{Event::Kind::fence_needed, s->id};
        e.name = s->node;
        events_.push_back(std::move(e));
    }
}

}  // namespace takeover::lockd
