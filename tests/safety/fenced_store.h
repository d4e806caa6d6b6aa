// The fenced store: an append-only log on shared storage that accepts a write only if its
// fencing token is not lower than the last accepted one (Kleppmann's fencing-token check,
// done by the storage, not the lock holder).
//
// Files in the store directory, every access under flock(2) of DIR/lock:
//   DIR/accepted   one line per accepted write: "TOKEN CLIENT SEQ"
//   DIR/rejected   one line per refused write:  "TOKEN CLIENT SEQ LAST_ACCEPTED_TOKEN"
// Equal tokens: accepted only from the client whose record carries that token last (a holder
// may write more than once under one grant); from anyone else an equal token is refused, so
// one token never covers two clients' writes. Lines go out in one write(2) each, so a client
// killed with SIGKILL leaves whole lines; no fsync, as the store outlives processes, not the
// machine.
#pragma once

#include <cstdint>
#include <string>

namespace takeover::safety {

struct StoreRecord {
    uint64_t token = 0;
    std::string client;
    uint64_t seq = 0;
    bool operator==(const StoreRecord&) const = default;
};

struct StoreReply {
    bool accepted = false;
    uint64_t last_token = 0;  // the last accepted token before this write (0: none yet)
};

// off: every write is accepted (a broken store, for proving that the checker catches it).
enum class Fencing { on, off };

// Throws std::runtime_error when the store cannot be read or written.
StoreReply fenced_append(const std::string& dir, const StoreRecord&, Fencing = Fencing::on);

}  // namespace takeover::safety
