// The lock table: named locks in the six DLM modes, FIFO queues, conversions, LVBs, blocking
// callbacks, sessions with leases and fencing tokens. Pure logic: time comes in as arguments
// (the server passes steady_clock::now(), tests pass a fake), and everything the table has to
// tell clients comes out as Events for the caller to deliver. No I/O, no threads.
#pragma once

#include "lock_mode.h"
#include "protocol.h"
#include "recovered_state.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace takeover::lockd {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using std::chrono::milliseconds;
using SessionId = uint64_t;
using RequestId = uint32_t;
using proto::ErrorCode;
using proto::SessionState;

struct Limits {
    uint32_t max_sessions = 1024;
    uint32_t max_locks_per_session = 1u << 22;  // held and queued together
    uint32_t max_queued_per_session = 1024;     // requests waiting at once
    milliseconds min_lease{1000};
    milliseconds max_lease{300000};
};

// Something for a client. The server turns each into a frame on the session's connection.
struct Event {
    // fence_needed: a session holding locks has expired (name: its node); only fencing the
    // node (fence_ack) releases them.
    enum class Kind { granted, failed, blocking, session_expired, fence_needed } kind;
    SessionId session = 0;
    RequestId request = 0;  // which LOCK/CONVERT this answers (granted, failed)
    std::string name;
    Mode mode = Mode::NL;  // granted mode, or the mode a blocked waiter wants
    uint64_t token = 0;
    std::optional<std::string> lvb;  // set when the LVB has ever been written
    ErrorCode error = ErrorCode::malformed;
};

// Where a durable journal (issue 6) hooks in: told of every change of ownership before the
// table's events reach any client.
class OwnershipListener {
  public:
    virtual ~OwnershipListener() = default;
    virtual void granted(const std::string& name, SessionId, Mode, uint64_t token) = 0;
    virtual void released(const std::string& name, SessionId) = 0;
    virtual void session_changed(SessionId, const std::string& node, SessionState) = 0;
    virtual void session_closed(SessionId) = 0;
};

struct LockRequest {
    std::string name;
    Mode mode = Mode::NL;
    bool try_only = false;           // never queue: fail with would_block
    milliseconds timeout{0};         // 0: wait without limit
    std::optional<std::string> lvb;  // convert only: written when down-converting from PW/EX
};

struct TableStatus {
    uint32_t sessions = 0, expired_sessions = 0, resources = 0, held = 0, waiting = 0;
    uint64_t last_token = 0;
};

// The reclaim window after a start (docs/lockd.md "Takeover").
struct GraceStatus {
    bool active = false;
    milliseconds left{0};
    uint32_t awaiting = 0;  // sessions that may still reclaim (durable mode: restored ones)
};

struct NodeSummary {
    uint32_t sessions = 0, expired = 0, locks = 0;
};

class LockTable {
  public:
    explicit LockTable(Limits = {}, uint32_t epoch = 1);
    ~LockTable();
    LockTable(const LockTable&) = delete;
    LockTable& operator=(const LockTable&) = delete;

    void set_listener(OwnershipListener* l) { listener_ = l; }
    void set_limits(const Limits& l) { limits_ = l; }
    uint32_t epoch() const { return epoch_; }

    // Sessions. open_session clamps the lease to the limits; fails with ErrorCode::limit.
    std::optional<SessionId> open_session(const std::string& node, milliseconds lease,
                                          TimePoint now, milliseconds* granted_lease = nullptr);
    void touch(SessionId, TimePoint now);       // the client is alive: renew the lease
    void close_session(SessionId);              // clean close: releases everything
    void disconnect(SessionId, TimePoint now);  // connection lost: keeps grants until expiry
    std::optional<SessionState> session_state(SessionId) const;
    std::optional<std::string> session_node(SessionId) const;

    // Requests. Results arrive as events (possibly at once); the return value is an error
    // that rejects the request outright (no event follows then).
    std::optional<ErrorCode> lock(SessionId, RequestId, const LockRequest&, TimePoint now);
    std::optional<ErrorCode> convert(SessionId, RequestId, const LockRequest&, TimePoint now);
    std::optional<ErrorCode> unlock(SessionId, const std::string& name,
                                    const std::optional<std::string>& lvb);
    std::optional<ErrorCode> cancel(SessionId, const std::string& name);

    // Takeover (docs/lockd.md "Takeover"). restore() loads what the journal recovered:
    // sessions come back disconnected, awaiting reclaim, with their granted locks and tokens;
    // new tokens continue above state.last_token; nothing is told to the listener (it is
    // what the journal already has). A memory-mode state (durable=false) only starts grace.
    // Grace ends at now+grace, or once every restored session has reclaimed; then the ones
    // that did not come back expire (their locks stay held until fenced).
    void restore(const RecoveredState&, TimePoint now, milliseconds grace);
    bool durable() const { return durable_; }
    GraceStatus grace(TimePoint now) const;
    // A client re-opens its session after a reconnect: a known session that is not expired
    // is attached again (the caller drops any connection it still had); in memory mode during
    // grace an unknown one is rebuilt, under the same id when it is free. `id` may change.
    std::optional<ErrorCode> reopen_session(SessionId& id, const std::string& node,
                                            milliseconds lease, TimePoint now,
                                            milliseconds* granted_lease = nullptr);
    // The reopened session says it holds `name` in `mode` with `token`. Known session: must
    // match exactly. Rebuilt session (memory mode): granted unless it conflicts with a lock
    // already held. reclaim_refused otherwise.
    std::optional<ErrorCode> reclaim(SessionId, const std::string& name, Mode, uint64_t token);
    // The client has confirmed all it holds: release the rest (it never learned of those).
    // Returns how many were released.
    std::optional<uint32_t> reclaim_done(SessionId);

    // Admin: the node is fenced; release the locks of its sessions that are not connected.
    // Returns how many locks were released; unknown_node when it had no such session.
    std::optional<uint32_t> fence_ack(const std::string& node);

    // Deadlines: expires leases and request timeouts due at `now`.
    void tick(TimePoint now);
    // The earliest time tick() has something to do (nullopt: nothing pending).
    std::optional<TimePoint> next_deadline() const;

    std::vector<Event> take_events() { return std::exchange(events_, {}); }

    // Queries for lockctl.
    TableStatus status() const;
    std::vector<proto::LockEntry> list_locks(const std::string& pattern, size_t limit,
                                             bool* truncated) const;
    std::vector<proto::SessionEntry> list_sessions(TimePoint now) const;
    std::map<std::string, NodeSummary> nodes() const;

    struct Entry;
    struct Resource;
    struct Session;

  private:
    using ResourceNode = std::pair<const std::string, Resource>;
    Session* find_session(SessionId) const;
    Entry* find_entry(ResourceNode*, const Session*) const;
    std::optional<ErrorCode> admit(Session*, const LockRequest&);
    Entry* add_entry(ResourceNode*, Session*, RequestId);
    void remove_entry(Entry*, bool notify_release);
    void release_all(Session*);
    void cancel_pending(Session*, ErrorCode, bool tell_client);
    void fail_pending(Entry*, ErrorCode, bool tell_client);
    void queue_conversion(Entry*);
    void grant(Entry*, Mode);
    void grant_pending(ResourceNode*);
    void notify_blockers(ResourceNode*);
    bool compatible_with_holders(const ResourceNode*, const Entry*, Mode) const;
    bool conversion_deadlock(const ResourceNode*, const Entry*, Mode) const;
    void arm_timeout(Entry*, const LockRequest&, TimePoint now);
    void expire_timeouts(TimePoint now);
    void maybe_erase(ResourceNode*);
    void set_state(Session*, SessionState);
    void expire(Session*, bool connected);
    void end_grace();
    uint32_t awaiting_reclaims() const;
    bool grace_blocks(const Entry* holder, Mode) const;
    void raise_tokens_above(uint64_t token);
    Entry* add_granted(ResourceNode*, Session*, Mode, uint64_t token);

    Limits limits_;
    uint32_t epoch_;
    uint64_t counter_ = 0;  // low 40 bits of the token
    uint64_t last_token_ = 0;
    SessionId next_session_ = 1;
    // A hasher of our own: libstdc++ then does not store each name's hash in its node (it
    // does for std::hash<std::string>), 16 bytes less per lock (measured with bench-lockd).
    struct NameHash {
        size_t operator()(const std::string& s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, Resource, NameHash> resources_;
    std::unordered_map<SessionId, std::unique_ptr<Session>> sessions_;
    struct Timeout {
        TimePoint at;
        SessionId session;
        RequestId request;
        std::string name;
        bool operator>(const Timeout& o) const { return at > o.at; }
    };
    std::priority_queue<Timeout, std::vector<Timeout>, std::greater<>> timeouts_;
    std::vector<Event> events_;
    OwnershipListener* listener_ = nullptr;
    uint32_t held_ = 0, waiting_ = 0;
    // No lease ends before this (a lower bound, kept cheap: renewals only move leases later,
    // so it is recomputed by tick() and lowered by open_session()).
    std::optional<TimePoint> lease_check_;
    bool durable_ = false;
    std::optional<TimePoint> grace_until_;  // set while in grace
};

// Tokens: (epoch, counter) packed so that they increase across epochs.
constexpr int kTokenCounterBits = 40;
constexpr uint64_t make_token(uint32_t epoch, uint64_t counter) {
    return (static_cast<uint64_t>(epoch) << kTokenCounterBits) | counter;
}

}  // namespace takeover::lockd
