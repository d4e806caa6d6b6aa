// Granting: the DLM rules for the granted set, the conversion queue and the wait queue, and
// blocking callbacks. See docs/protocol.md "Locking rules".
#include "lock_table_internal.h"

namespace takeover::lockd {

LockTable::Entry* LockTable::find_entry(ResourceNode* r, const Session* s) const {
    for (Entry* e = r->second.first; e; e = e->next)
        if (e->session == s) return e;
    return nullptr;
}

LockTable::Entry* LockTable::add_entry(ResourceNode* r, Session* s, RequestId req) {
    auto* e = new Entry;
    e->session = s;
    e->resource = r;
    e->request = req;
    Entry** tail = &r->second.first;
    while (*tail) tail = &(*tail)->next;
    *tail = e;
    e->session_next = s->locks;
    if (s->locks) s->locks->session_prev = e;
    s->locks = e;
    s->lock_count++;
    return e;
}

void LockTable::remove_entry(Entry* e, bool notify_release) {
    if (e->state != EntryState::waiting) {
        held_--;
        if (notify_release && listener_) listener_->released(e->resource->first, e->session->id);
    }
    for (Entry** p = &e->resource->second.first; *p; p = &(*p)->next) {
        if (*p == e) {
            *p = e->next;
            break;
        }
    }
    Session* s = e->session;
    if (e->session_prev) e->session_prev->session_next = e->session_next;
    if (e->session_next) e->session_next->session_prev = e->session_prev;
    if (s->locks == e) s->locks = e->session_next;
    s->lock_count--;
    delete e;
}

void LockTable::maybe_erase(ResourceNode* r) {
    // A resource with a written LVB outlives its holders: the value is what the next holder
    // is to read. Without one there is nothing to remember.
    if (!r->second.first && !r->second.lvb) resources_.erase(r->first);
}

// The conversion queue is ordered by the time a conversion started waiting: move to the tail.
void LockTable::queue_conversion(Entry* e) {
    Entry** p = &e->resource->second.first;
    while (*p != e) p = &(*p)->next;
    *p = e->next;
    e->next = nullptr;
    while (*p) p = &(*p)->next;
    *p = e;
    e->state = EntryState::converting;
}

bool LockTable::compatible_with_holders(const ResourceNode* r, const Entry* self, Mode m) const {
    for (const Entry* e = r->second.first; e; e = e->next)
        if (e != self && e->state != EntryState::waiting && !compatible(e->granted, m))
            return false;
    return true;
}

// X (holding `self->granted`, wanting `m`) waits for C and C waits for X: neither can move.
bool LockTable::conversion_deadlock(const ResourceNode* r, const Entry* self, Mode m) const {
    for (const Entry* c = r->second.first; c; c = c->next)
        if (c != self && c->state == EntryState::converting &&
            !compatible(c->requested, self->granted) && !compatible(m, c->granted))
            return true;
    return false;
}

void LockTable::grant(Entry* e, Mode m) {
    if (e->state == EntryState::waiting) held_++;
    if (e->state != EntryState::granted) {
        e->session->pending_count--;
        waiting_--;
    }
    e->state = EntryState::granted;
    e->granted = e->requested = m;
    e->blocking_sent = 0;
    e->token = last_token_ = make_token(epoch_, ++counter_);
    const std::string& name = e->resource->first;
    if (listener_) listener_->granted(name, e->session->id, m, e->token);
    const auto& lvb = e->resource->second.lvb;
    events_.push_back({Event::Kind::granted, e->session->id, e->request, name, m, e->token,
                       lvb ? std::optional<std::string>(*lvb) : std::nullopt});
}

// After anything that may free room: conversions first (any that fits, in queue order, as
// DLM's grant_pending_convert), then new requests strictly first-come first-served, and only
// once no conversion waits.
void LockTable::grant_pending(ResourceNode* r) {
    bool progress = true;
    while (progress) {
        progress = false;
        bool converting = false;
        for (Entry* e = r->second.first; e; e = e->next) {
            if (e->state != EntryState::converting) continue;
            converting = true;
            if (compatible_with_holders(r, e, e->requested) && !grace_blocks(e, e->requested)) {
                grant(e, e->requested);
                progress = true;
                break;
            }
        }
        if (progress || converting) continue;
        for (Entry* e = r->second.first; e; e = e->next) {
            if (e->state != EntryState::waiting) continue;
            if (compatible_with_holders(r, e, e->requested) &&
                !grace_blocks(nullptr, e->requested)) {
                grant(e, e->requested);
                progress = true;
            }
            break;  // only the first waiter may go
        }
    }
    notify_blockers(r);
}

// Tells every holder whose mode blocks a queued request, once per (grant, wanted mode).
void LockTable::notify_blockers(ResourceNode* r) {
    for (Entry* w = r->second.first; w; w = w->next) {
        if (w->state == EntryState::granted) continue;
        uint8_t bit = static_cast<uint8_t>(1u << static_cast<int>(w->requested));
        for (Entry* h = r->second.first; h; h = h->next) {
            if (h == w || h->state == EntryState::waiting || (h->blocking_sent & bit)) continue;
            if (compatible(h->granted, w->requested)) continue;
            h->blocking_sent |= bit;
            events_.push_back({Event::Kind::blocking, h->session->id, 0, r->first, w->requested});
        }
    }
}

}  // namespace takeover::lockd
