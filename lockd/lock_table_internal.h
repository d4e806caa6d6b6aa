// The table's data structures, shared by lock_table*.cpp only. Laid out for memory: a held
// lock costs one hash-map node (name + Resource) and one 56-byte Entry, because a lock server
// holding a million locks should not need more per lock than Redis needs per key.
#pragma once

#include "lock_table.h"

#include <unordered_set>

namespace takeover::lockd {

enum class EntryState : uint8_t { granted, converting, waiting };

// One session's lock on one resource. Linked into two lists: the resource's (in queue
// order: an entry moves to the tail when it starts waiting) and its session's.
struct LockTable::Entry {
    Session* session = nullptr;
    std::pair<const std::string, Resource>* resource = nullptr;
    Entry* next = nullptr;  // in the resource's list
    Entry* session_prev = nullptr;
    Entry* session_next = nullptr;
    uint64_t token = 0;
    RequestId request = 0;    // the pending LOCK/CONVERT, while waiting or converting
    Mode granted = Mode::NL;  // meaningless while waiting
    Mode requested = Mode::NL;
    EntryState state = EntryState::waiting;
    uint8_t blocking_sent = 0;  // bit per mode: callbacks already sent for this grant
};

struct LockTable::Resource {
    Entry* first = nullptr;
    std::unique_ptr<std::string> lvb;  // null until a PW/EX holder writes it
};

struct LockTable::Session {
    SessionId id = 0;
    std::string node;
    milliseconds lease{0};
    TimePoint last_seen{};
    SessionState state = SessionState::active;
    Entry* locks = nullptr;  // head of this session's entries
    uint32_t lock_count = 0;
    uint32_t pending_count = 0;
    // Takeover: restored from the journal and not reopened yet (expires when grace ends).
    bool awaiting_reclaim = false;
    // Rebuilt from a reclaim in memory mode: its claims are granted, not matched.
    bool rebuilt = false;
    // Between reopen and reclaim_done: the entries the client confirmed.
    std::unique_ptr<std::unordered_set<const Entry*>> confirmed;
};

}  // namespace takeover::lockd
