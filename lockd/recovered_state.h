// What memexpd knows when it starts: in durable mode, everything the state device's journal
// recorded (every session and every granted lock as of the last committed record); in memory
// mode, nothing but the new epoch. The journal (lockd/state/) produces it, LockTable::restore
// consumes it: the only contract between the two.
#pragma once

#include "lock_mode.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace takeover::lockd {

struct RecoveredSession {
    uint64_t id = 0;
    std::string node;
    std::chrono::milliseconds lease{0};
};

struct RecoveredLock {
    std::string name;
    uint64_t session = 0;
    Mode mode = Mode::NL;
    uint64_t token = 0;
};

struct RecoveredState {
    bool durable = false;     // false: memory mode, a dead node's locks are unknown
    uint32_t epoch = 1;       // this start's epoch, already recorded durably when durable
    uint64_t last_token = 0;  // the highest token ever granted (0 when unknown)
    uint64_t next_session = 1;
    std::vector<RecoveredSession> sessions;
    std::vector<RecoveredLock> locks;
};

}  // namespace takeover::lockd
