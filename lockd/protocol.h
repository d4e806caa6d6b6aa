// The memexpd wire protocol (docs/protocol.md): length-prefixed binary frames with a version
// field, a bounded size and every field validated. Pure code: no sockets, so the incremental
// decoder is tested on byte strings.
#pragma once

#include "lock_mode.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace takeover::lockd::proto {

constexpr uint8_t kVersion = 1;
constexpr std::array<char, 2> kMagic{'M', 'X'};
constexpr size_t kHeaderSize = 12;  // magic[2] version[1] type[1] request_id[4] length[4]
constexpr uint32_t kDefaultMaxBody = 16 * 1024;
constexpr uint32_t kHardMaxBody = 1024 * 1024;  // no configuration may exceed this
constexpr uint16_t kDefaultPort = 15697;        // OpenGFS's memexpd port

constexpr size_t kMaxNameBytes = 255;   // lock names: any bytes, 1..255
constexpr size_t kMaxNodeBytes = 64;    // node names: printable ASCII, 1..64
constexpr size_t kMaxLvbBytes = 64;     // lock value block, as DLM's maximum
constexpr size_t kMaxTextBytes = 1024;  // error messages, patterns, reasons
constexpr size_t kNonceBytes = 32;
constexpr size_t kMacBytes = 32;  // HMAC-SHA256
constexpr uint32_t kMaxListEntries = 100000;

using Nonce = std::array<uint8_t, kNonceBytes>;
using Mac = std::array<uint8_t, kMacBytes>;

enum class Type : uint8_t {
    challenge = 0x01,
    auth = 0x02,
    auth_ok = 0x03,
    ping = 0x10,
    pong = 0x11,
    session_open = 0x12,
    session_opened = 0x13,
    session_close = 0x14,
    keepalive = 0x15,
    session_reopen = 0x16,
    lock = 0x20,
    convert = 0x21,
    unlock = 0x22,
    cancel = 0x23,
    reclaim = 0x24,
    reclaim_done = 0x25,
    granted = 0x30,
    blocking = 0x31,
    reclaim_reply = 0x32,
    error = 0x3E,
    ok = 0x3F,
    status = 0x40,
    status_reply = 0x41,
    list_locks = 0x42,
    locks_reply = 0x43,
    list_sessions = 0x44,
    sessions_reply = 0x45,
    list_nodes = 0x46,
    nodes_reply = 0x47,
    fence_ack = 0x48,
    shutdown = 0x50,
};

enum class ErrorCode : uint16_t {
    malformed = 1,
    unsupported_version = 2,
    auth_failed = 3,
    not_authenticated = 4,
    no_session = 5,
    session_exists = 6,
    limit = 7,
    would_block = 8,
    timed_out = 9,
    cancelled = 10,
    deadlock = 11,
    not_held = 12,
    busy = 13,
    unknown_node = 14,
    shutting_down = 15,
    session_expired = 16,
    reclaim_refused = 17,  // a reclaim that does not match the server's state, or conflicts
};
std::string_view to_string(ErrorCode);

// Lock request flags.
constexpr uint8_t kFlagTry = 0x01;  // fail with would_block instead of queueing
constexpr uint8_t kFlagLockMask = 0x01;
constexpr uint8_t kFlagHasLvb = 0x01;    // unlock / convert: the LVB field is to be written
constexpr uint8_t kFlagLvbValid = 0x01;  // granted: the LVB was ever written

// --- messages (the field order here is the wire order) ---
struct Challenge {
    Nonce nonce{};
};
struct Auth {
    Nonce client_nonce{};
    Mac mac{};
};
struct AuthOk {
    Mac mac{};
};
struct Ping {};
struct Pong {
    uint32_t epoch = 0;
    uint64_t uptime_ms = 0;
};
struct SessionOpen {
    std::string node;
    uint32_t lease_ms = 0;
};
struct SessionOpened {
    uint64_t session = 0;
    uint32_t lease_ms = 0;
};
struct SessionClose {};
struct Keepalive {};
struct Lock {
    std::string name;
    Mode mode = Mode::NL;
    uint8_t flags = 0;
    uint32_t timeout_ms = 0;
};
struct Convert {
    std::string name;
    Mode mode = Mode::NL;
    uint8_t flags = 0;
    uint32_t timeout_ms = 0;
    uint8_t lvb_flags = 0;
    std::string lvb;
};
struct Unlock {
    std::string name;
    uint8_t lvb_flags = 0;
    std::string lvb;
};
struct Cancel {
    std::string name;
};
struct Granted {
    std::string name;
    Mode mode = Mode::NL;
    uint64_t token = 0;
    uint8_t lvb_flags = 0;
    std::string lvb;
};
struct Blocking {
    std::string name;
    Mode mode = Mode::NL;
};
struct Error {
    ErrorCode code = ErrorCode::malformed;
    std::string message;
};
struct Ok {
    uint64_t value = 0;
};
// `detail` (optional on the wire, 1 byte): ask for the takeover fields of StatusReply.
struct Status {
    uint8_t detail = 0;
};
struct FencingEntry {
    std::string node;
    uint32_t attempts = 0;
    std::string state;  // "running", "retry in 4 s", "gave up: exit 1; fence-ack NODE", ...
};
struct StatusReply {
    uint32_t epoch = 0;
    uint64_t uptime_ms = 0;
    uint32_t sessions = 0;
    uint32_t expired_sessions = 0;
    uint32_t resources = 0;
    uint32_t held = 0;
    uint32_t waiting = 0;
    uint64_t last_token = 0;
    std::string state_mode;  // "memory" or "durable"
    // Sent only when the request asked for detail (older clients reject trailing bytes).
    bool extended = false;   // not on the wire: whether the fields below were
    std::string state_path;  // durable: the state device
    uint32_t grace_left_ms = 0;
    uint32_t awaiting_reclaim = 0;
    std::vector<FencingEntry> fencing;  // nodes whose locks wait for fencing
};
struct ListLocks {
    std::string pattern;
    uint32_t limit = 0;
};
enum class LockState : uint8_t { granted = 0, converting = 1, waiting = 2 };
struct LockEntry {
    std::string name;
    uint64_t session = 0;
    std::string node;
    Mode granted = Mode::NL;
    Mode requested = Mode::NL;
    LockState state = LockState::granted;
    uint64_t token = 0;
};
struct LocksReply {
    uint8_t truncated = 0;
    std::vector<LockEntry> entries;
};
struct ListSessions {};
enum class SessionState : uint8_t { active = 0, disconnected = 1, expired = 2 };
struct SessionEntry {
    uint64_t id = 0;
    std::string node;
    SessionState state = SessionState::active;
    uint32_t lease_ms = 0;
    uint32_t locks = 0;
    uint64_t idle_ms = 0;
};
struct SessionsReply {
    uint8_t truncated = 0;
    std::vector<SessionEntry> entries;
};
struct ListNodes {};
struct NodeEntry {
    std::string node;
    int32_t cid = -1;
    std::string stomith;
    uint32_t sessions = 0;
    uint32_t expired = 0;
    uint32_t locks = 0;
};
struct NodesReply {
    uint8_t truncated = 0;
    std::vector<NodeEntry> entries;
};
struct FenceAck {
    std::string node;
};
struct Shutdown {
    std::string reason;
};
// Takeover: a client back after a reconnect or a server restart re-opens its session (reply
// SessionOpened, whose id may differ in memory mode), reclaims what it believes it holds
// (RECLAIM, any number of times; one result per entry, 0 = confirmed), then says it is done
// (reply OK, value = restored locks released because nobody confirmed them).
struct SessionReopen {
    uint64_t session = 0;
    std::string node;
    uint32_t lease_ms = 0;
};
struct ReclaimEntry {
    std::string name;
    Mode mode = Mode::NL;
    uint64_t token = 0;
};
struct Reclaim {
    std::vector<ReclaimEntry> entries;
};
struct ReclaimResult {
    uint16_t code = 0;  // 0 or an ErrorCode
};
struct ReclaimReply {
    std::vector<ReclaimResult> results;
};
struct ReclaimDone {};

using Message =
    std::variant<Challenge, Auth, AuthOk, Ping, Pong, SessionOpen, SessionOpened, SessionClose,
                 Keepalive, Lock, Convert, Unlock, Cancel, Granted, Blocking, Error, Ok, Status,
                 StatusReply, ListLocks, LocksReply, ListSessions, SessionsReply, ListNodes,
                 NodesReply, FenceAck, Shutdown, SessionReopen, Reclaim, ReclaimReply, ReclaimDone>;

Type type_of(const Message&);

// One whole frame as bytes, header included.
std::string encode(const Message&, uint32_t request_id);

struct Frame {
    Type type{};
    uint32_t request_id = 0;
    Message message;
};

// Decodes one body of a known type; nullopt and `why` when any field is invalid or bytes
// are left over.
std::optional<Message> decode_body(uint8_t type, std::string_view body, std::string* why);

// Incremental decoder: feed bytes as they arrive, take frames out. Once it has failed it
// stays failed (the connection is to be closed; resynchronising on garbage is not safe).
class Decoder {
  public:
    explicit Decoder(uint32_t max_body = kDefaultMaxBody) : max_body_(max_body) {}
    void feed(std::string_view bytes);
    // A complete valid frame, or nullopt when more bytes are needed or it failed().
    std::optional<Frame> next();
    bool failed() const { return !error_.empty(); }
    const std::string& error() const { return error_; }
    size_t buffered() const { return buffer_.size() - consumed_; }

  private:
    std::string buffer_;
    size_t consumed_ = 0;
    uint32_t max_body_;
    std::string error_;
};

}  // namespace takeover::lockd::proto
