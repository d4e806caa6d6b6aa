// The durable state as the journal knows it: sessions and granted locks, kept beside the
// lock table so that a snapshot can be written without asking the table, and rebuilt by
// replay from a snapshot and the records after it.
#pragma once

#include "codec.h"
#include "recovered_state.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace takeover::lockd::state {

class StateImage {
  public:
    void apply(const Record&);
    // snapshot_info + one session_open per session + one grant per lock.
    std::string encode_snapshot() const;
    RecoveredState recovered(uint32_t epoch) const;

    uint64_t last_token() const { return last_token_; }
    size_t sessions() const { return sessions_.size(); }
    size_t locks() const { return locks_.size(); }
    bool operator==(const StateImage&) const;

  private:
    struct Session {
        std::string node;
        uint32_t lease_ms = 0;
        std::unordered_set<std::string> names;
        bool operator==(const Session&) const = default;
    };
    struct Lock {
        Mode mode = Mode::NL;
        uint64_t token = 0;
        bool operator==(const Lock&) const = default;
    };
    static std::string key(const std::string& name, uint64_t session);
    void drop_session(uint64_t id);

    std::unordered_map<uint64_t, Session> sessions_;
    std::unordered_map<std::string, Lock> locks_;  // name + '\0' + session id (8 bytes)
    uint64_t last_token_ = 0;
    uint64_t next_session_ = 1;
};

}  // namespace takeover::lockd::state
