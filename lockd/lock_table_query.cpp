// Read-only views of the table for lockctl.
#include "lock_table_internal.h"

#include <fnmatch.h>

namespace takeover::lockd {
namespace {

proto::LockState wire_state(EntryState s) {
    switch (s) {
        case EntryState::granted:
            return proto::LockState::granted;
        case EntryState::converting:
            return proto::LockState::converting;
        case EntryState::waiting:
            return proto::LockState::waiting;
    }
    return proto::LockState::waiting;
}

}  // namespace

TableStatus LockTable::status() const {
    TableStatus st;
    st.sessions = static_cast<uint32_t>(sessions_.size());
    for (auto& [id, s] : sessions_)
        if (s->state == SessionState::expired) st.expired_sessions++;
    st.resources = static_cast<uint32_t>(resources_.size());
    st.held = held_;
    st.waiting = waiting_;
    st.last_token = last_token_;
    return st;
}

std::vector<proto::LockEntry> LockTable::list_locks(const std::string& pattern, size_t limit,
                                                    bool* truncated) const {
    std::vector<proto::LockEntry> out;
    *truncated = false;
    for (const auto& [name, r] : resources_) {
        // Names are byte strings; a name with a NUL cannot match a C pattern, except "*".
        if (!pattern.empty() && pattern != "*" &&
            (name.find('\0') != std::string::npos ||
             fnmatch(pattern.c_str(), name.c_str(), 0) != 0))
            continue;
        for (const Entry* e = r.first; e; e = e->next) {
            if (out.size() >= limit) {
                *truncated = true;
                return out;
            }
            out.push_back({name, e->session->id, e->session->node, e->granted, e->requested,
                           wire_state(e->state), e->token});
        }
    }
    return out;
}

std::vector<proto::SessionEntry> LockTable::list_sessions(TimePoint now) const {
    std::vector<proto::SessionEntry> out;
    for (const auto& [id, s] : sessions_) {
        auto idle = std::chrono::duration_cast<milliseconds>(now - s->last_seen);
        out.push_back({id, s->node, s->state, static_cast<uint32_t>(s->lease.count()),
                       s->lock_count, static_cast<uint64_t>(std::max<int64_t>(idle.count(), 0))});
    }
    return out;
}

std::map<std::string, NodeSummary> LockTable::nodes() const {
    std::map<std::string, NodeSummary> out;
    for (const auto& [id, s] : sessions_) {
        auto& n = out[s->node];
        n.sessions++;
        if (s->state == SessionState::expired) n.expired++;
        n.locks += s->lock_count;
    }
    return out;
}

}  // namespace takeover::lockd
