#include "protocol.h"

#include <cctype>
#include <cstring>
#include <type_traits>

namespace takeover::lockd::proto {
namespace {

// Big-endian appends. Every field type the protocol has is written by one of these.
class Writer {
  public:
    std::string out;
    void u8(const uint8_t& v) { out.push_back(static_cast<char>(v)); }
    void u16(const uint16_t& v) { put(v, 2); }
    void u32(const uint32_t& v) { put(v, 4); }
    void u64(const uint64_t& v) { put(v, 8); }
    void i32(const int32_t& v) { put(static_cast<uint32_t>(v), 4); }
    void flags(const uint8_t& v, uint8_t) { u8(v); }
    template <typename E>
    void enumeration(const E& v, uint8_t) {
        u8(static_cast<uint8_t>(v));
    }
    void name(const std::string& s) { string(s); }
    void node(const std::string& s) { string(s); }
    void text(const std::string& s, size_t) { string(s); }
    void lvb(const std::string& s) {
        u8(static_cast<uint8_t>(s.size()));
        out += s;
    }
    template <size_t N>
    void bytes(const std::array<uint8_t, N>& a) {
        out.append(reinterpret_cast<const char*>(a.data()), N);
    }
    template <typename Entry>
    void list(const std::vector<Entry>& v);

  private:
    void put(uint64_t v, int n) {
        for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
    void string(const std::string& s) {
        u16(static_cast<uint16_t>(s.size()));
        out += s;
    }
};

// Reads and validates; the first problem is kept in `error` and every later read is a no-op.
class Reader {
  public:
    explicit Reader(std::string_view in) : in_(in) {}
    std::string error;
    bool done() const { return pos_ == in_.size(); }

    void u8(uint8_t& v) { v = static_cast<uint8_t>(get(1, "u8")); }
    void u16(uint16_t& v) { v = static_cast<uint16_t>(get(2, "u16")); }
    void u32(uint32_t& v) { v = static_cast<uint32_t>(get(4, "u32")); }
    void u64(uint64_t& v) { v = get(8, "u64"); }
    void i32(int32_t& v) { v = static_cast<int32_t>(static_cast<uint32_t>(get(4, "i32"))); }
    void flags(uint8_t& v, uint8_t mask) {
        u8(v);
        if (v & ~mask) fail("unknown flag bits");
    }
    template <typename E>
    void enumeration(E& v, uint8_t count) {
        uint8_t raw = 0;
        u8(raw);
        if (raw >= count) fail("enumeration value out of range");
        v = static_cast<E>(raw);
    }
    void name(std::string& s) {
        string(s, kMaxNameBytes, "lock name");
        if (error.empty() && s.empty()) fail("empty lock name");
    }
    void node(std::string& s) {
        string(s, kMaxNodeBytes, "node name");
        if (!error.empty()) return;
        if (s.empty()) fail("empty node name");
        // Host names and CIDs: they end up in logs and tables, so nothing else.
        for (unsigned char c : s)
            if (!std::isalnum(c) && c != '.' && c != '-' && c != '_')
                return fail("node name has a byte other than letters, digits, '.', '-', '_'");
    }
    void text(std::string& s, size_t max) { string(s, max, "text"); }
    void lvb(std::string& s) {
        uint8_t n = 0;
        u8(n);
        if (n > kMaxLvbBytes) return fail("lock value block longer than 64 bytes");
        s = std::string(take(n, "lock value block"));
    }
    template <size_t N>
    void bytes(std::array<uint8_t, N>& a) {
        auto b = take(N, "fixed bytes");
        if (b.size() == N) std::memcpy(a.data(), b.data(), N);
    }
    template <typename Entry>
    void list(std::vector<Entry>& v);

    void fail(const std::string& why) {
        if (error.empty()) error = why;
    }

  private:
    uint64_t get(size_t n, const char* what) {
        auto b = take(n, what);
        uint64_t v = 0;
        for (unsigned char c : b) v = (v << 8) | c;
        return v;
    }
    std::string_view take(size_t n, const char* what) {
        if (!error.empty()) return {};
        if (in_.size() - pos_ < n) {
            fail(std::string("truncated ") + what);
            return {};
        }
        auto b = in_.substr(pos_, n);
        pos_ += n;
        return b;
    }
    void string(std::string& s, size_t max, const char* what) {
        uint16_t n = 0;
        u16(n);
        if (n > max) return fail(std::string(what) + " too long");
        s = std::string(take(n, what));
    }
    std::string_view in_;
    size_t pos_ = 0;
};

// --- field lists: one per message, used by both Writer and Reader ---
template <class IO>
void fields(IO&, Ping&) {}
template <class IO>
void fields(IO&, SessionClose&) {}
template <class IO>
void fields(IO&, Keepalive&) {}
template <class IO>
void fields(IO&, ReclaimDone&) {}
template <class IO>
void fields(IO& io, Status& m) {
    // Optional: an empty body is the request of older clients.
    if constexpr (std::is_same_v<IO, Reader>) {
        if (io.done()) return;
    } else {
        if (!m.detail) return;
    }
    io.u8(m.detail);
    if constexpr (std::is_same_v<IO, Reader>) {
        if (m.detail != 1) io.fail("status detail must be 1 when present");
    }
}
template <class IO>
void fields(IO&, ListSessions&) {}
template <class IO>
void fields(IO&, ListNodes&) {}
template <class IO>
void fields(IO& io, Challenge& m) {
    io.bytes(m.nonce);
}
template <class IO>
void fields(IO& io, Auth& m) {
    io.bytes(m.client_nonce);
    io.bytes(m.mac);
}
template <class IO>
void fields(IO& io, AuthOk& m) {
    io.bytes(m.mac);
}
template <class IO>
void fields(IO& io, Pong& m) {
    io.u32(m.epoch);
    io.u64(m.uptime_ms);
}
template <class IO>
void fields(IO& io, SessionOpen& m) {
    io.node(m.node);
    io.u32(m.lease_ms);
}
template <class IO>
void fields(IO& io, SessionOpened& m) {
    io.u64(m.session);
    io.u32(m.lease_ms);
}
template <class IO>
void fields(IO& io, Lock& m) {
    io.name(m.name);
    io.enumeration(m.mode, kModeCount);
    io.flags(m.flags, kFlagLockMask);
    io.u32(m.timeout_ms);
}
template <class IO>
void fields(IO& io, Convert& m) {
    io.name(m.name);
    io.enumeration(m.mode, kModeCount);
    io.flags(m.flags, kFlagLockMask);
    io.u32(m.timeout_ms);
    io.flags(m.lvb_flags, kFlagHasLvb);
    io.lvb(m.lvb);
}
template <class IO>
void fields(IO& io, Unlock& m) {
    io.name(m.name);
    io.flags(m.lvb_flags, kFlagHasLvb);
    io.lvb(m.lvb);
}
template <class IO>
void fields(IO& io, Cancel& m) {
    io.name(m.name);
}
template <class IO>
void fields(IO& io, Granted& m) {
    io.name(m.name);
    io.enumeration(m.mode, kModeCount);
    io.u64(m.token);
    io.flags(m.lvb_flags, kFlagLvbValid);
    io.lvb(m.lvb);
}
template <class IO>
void fields(IO& io, Blocking& m) {
    io.name(m.name);
    io.enumeration(m.mode, kModeCount);
}
template <class IO>
void fields(IO& io, Error& m) {
    uint16_t code = static_cast<uint16_t>(m.code);
    io.u16(code);
    if constexpr (std::is_same_v<IO, Reader>) {
        if (code == 0 || code > static_cast<uint16_t>(ErrorCode::reclaim_refused))
            io.fail("unknown error code");
        m.code = static_cast<ErrorCode>(code);
    }
    io.text(m.message, kMaxTextBytes);
}
template <class IO>
void fields(IO& io, Ok& m) {
    io.u64(m.value);
}
template <class IO>
void fields(IO& io, FencingEntry& m) {
    io.node(m.node);
    io.u32(m.attempts);
    io.text(m.state, kMaxTextBytes);
}
template <class IO>
void fields(IO& io, StatusReply& m) {
    io.u32(m.epoch);
    io.u64(m.uptime_ms);
    io.u32(m.sessions);
    io.u32(m.expired_sessions);
    io.u32(m.resources);
    io.u32(m.held);
    io.u32(m.waiting);
    io.u64(m.last_token);
    io.text(m.state_mode, 32);
    if constexpr (std::is_same_v<IO, Reader>) {
        m.extended = !io.done();
    }
    if (!m.extended) return;
    io.text(m.state_path, kMaxTextBytes);
    io.u32(m.grace_left_ms);
    io.u32(m.awaiting_reclaim);
    io.list(m.fencing);
}
template <class IO>
void fields(IO& io, ListLocks& m) {
    io.text(m.pattern, kMaxNameBytes);
    io.u32(m.limit);
}
template <class IO>
void fields(IO& io, LockEntry& m) {
    io.name(m.name);
    io.u64(m.session);
    io.node(m.node);
    io.enumeration(m.granted, kModeCount);
    io.enumeration(m.requested, kModeCount);
    io.enumeration(m.state, 3);
    io.u64(m.token);
}
template <class IO>
void fields(IO& io, LocksReply& m) {
    io.flags(m.truncated, 1);
    io.list(m.entries);
}
template <class IO>
void fields(IO& io, SessionEntry& m) {
    io.u64(m.id);
    io.node(m.node);
    io.enumeration(m.state, 3);
    io.u32(m.lease_ms);
    io.u32(m.locks);
    io.u64(m.idle_ms);
}
template <class IO>
void fields(IO& io, SessionsReply& m) {
    io.flags(m.truncated, 1);
    io.list(m.entries);
}
template <class IO>
void fields(IO& io, NodeEntry& m) {
    io.node(m.node);
    io.i32(m.cid);
    io.text(m.stomith, 64);
    io.u32(m.sessions);
    io.u32(m.expired);
    io.u32(m.locks);
}
template <class IO>
void fields(IO& io, NodesReply& m) {
    io.flags(m.truncated, 1);
    io.list(m.entries);
}
template <class IO>
void fields(IO& io, FenceAck& m) {
    io.node(m.node);
}
template <class IO>
void fields(IO& io, Shutdown& m) {
    io.text(m.reason, kMaxTextBytes);
}

template <class IO>
void fields(IO& io, SessionReopen& m) {
    io.u64(m.session);
    io.node(m.node);
    io.u32(m.lease_ms);
}
template <class IO>
void fields(IO& io, ReclaimEntry& m) {
    io.name(m.name);
    io.enumeration(m.mode, kModeCount);
    io.u64(m.token);
}
template <class IO>
void fields(IO& io, Reclaim& m) {
    io.list(m.entries);
}
template <class IO>
void fields(IO& io, ReclaimResult& m) {
    io.u16(m.code);
    if constexpr (std::is_same_v<IO, Reader>) {
        if (m.code > static_cast<uint16_t>(ErrorCode::reclaim_refused))
            io.fail("unknown error code");
    }
}
template <class IO>
void fields(IO& io, ReclaimReply& m) {
    io.list(m.results);
}

template <typename Entry>
void Writer::list(const std::vector<Entry>& v) {
    u32(static_cast<uint32_t>(v.size()));
    for (const auto& e : v) fields(*this, const_cast<Entry&>(e));
}

template <typename Entry>
void Reader::list(std::vector<Entry>& v) {
    uint32_t n = 0;
    u32(n);
    if (n > kMaxListEntries) return fail("list too long");
    for (uint32_t i = 0; i < n && error.empty(); ++i) fields(*this, v.emplace_back());
}

// The wire type of each alternative, in variant order.
constexpr Type kTypes[] = {
    Type::challenge,   Type::auth,          Type::auth_ok,        Type::ping,
    Type::pong,        Type::session_open,  Type::session_opened, Type::session_close,
    Type::keepalive,   Type::lock,          Type::convert,        Type::unlock,
    Type::cancel,      Type::granted,       Type::blocking,       Type::error,
    Type::ok,          Type::status,        Type::status_reply,   Type::list_locks,
    Type::locks_reply, Type::list_sessions, Type::sessions_reply, Type::list_nodes,
    Type::nodes_reply, Type::fence_ack,     Type::shutdown,       Type::session_reopen,
    Type::reclaim,     Type::reclaim_reply, Type::reclaim_done,
};
static_assert(std::size(kTypes) == std::variant_size_v<Message>);

template <size_t I = 0>
std::optional<Message> decode_as(uint8_t type, Reader& r) {
    if constexpr (I == std::variant_size_v<Message>) {
        r.fail("unknown message type " + std::to_string(type));
        return std::nullopt;
    } else {
        if (static_cast<uint8_t>(kTypes[I]) != type) return decode_as<I + 1>(type, r);
        std::variant_alternative_t<I, Message> m{};
        fields(r, m);
        return Message(std::move(m));
    }
}

uint32_t read_be32(const char* p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

}  // namespace

Type type_of(const Message& m) {
    return kTypes[m.index()];
}

std::string encode(const Message& m, uint32_t request_id) {
    Writer w;
    w.out.append(kMagic.data(), kMagic.size());
    w.u8(kVersion);
    w.u8(static_cast<uint8_t>(type_of(m)));
    w.u32(request_id);
    w.u32(0);  // length, patched below
    std::visit([&](const auto& msg) { fields(w, const_cast<std::decay_t<decltype(msg)>&>(msg)); },
               m);
    uint32_t body = static_cast<uint32_t>(w.out.size() - kHeaderSize);
    for (int i = 0; i < 4; ++i) w.out[8 + i] = static_cast<char>((body >> (8 * (3 - i))) & 0xff);
    return std::move(w.out);
}

std::optional<Message> decode_body(uint8_t type, std::string_view body, std::string* why) {
    Reader r(body);
    auto m = decode_as(type, r);
    if (r.error.empty() && !r.done()) r.fail("trailing bytes after the message");
    if (!r.error.empty()) {
        if (why) *why = r.error;
        return std::nullopt;
    }
    return m;
}

void Decoder::feed(std::string_view bytes) {
    if (failed()) return;
    // Compact lazily: only when the consumed prefix is most of the buffer.
    if (consumed_ > 0 && consumed_ * 2 >= buffer_.size()) {
        buffer_.erase(0, consumed_);
        consumed_ = 0;
    }
    buffer_.append(bytes);
}

std::optional<Frame> Decoder::next() {
    if (failed()) return std::nullopt;
    std::string_view in(buffer_);
    in.remove_prefix(consumed_);
    if (in.size() < kHeaderSize) {
        // Reject garbage as early as its first bytes show it.
        if (!in.empty() && in[0] != kMagic[0]) error_ = "bad magic";
        if (in.size() >= 2 && in[1] != kMagic[1]) error_ = "bad magic";
        if (in.size() >= 3 && static_cast<uint8_t>(in[2]) != kVersion)
            error_ = "unsupported protocol version " + std::to_string(static_cast<uint8_t>(in[2]));
        return std::nullopt;
    }
    if (in[0] != kMagic[0] || in[1] != kMagic[1]) {
        error_ = "bad magic";
        return std::nullopt;
    }
    if (static_cast<uint8_t>(in[2]) != kVersion) {
        error_ = "unsupported protocol version " + std::to_string(static_cast<uint8_t>(in[2]));
        return std::nullopt;
    }
    uint32_t length = read_be32(in.data() + 8);
    if (length > max_body_) {
        error_ = "frame body of " + std::to_string(length) + " bytes exceeds the limit of " +
                 std::to_string(max_body_);
        return std::nullopt;
    }
    if (in.size() < kHeaderSize + length) return std::nullopt;
    uint8_t type = static_cast<uint8_t>(in[3]);
    std::string why;
    auto m = decode_body(type, in.substr(kHeaderSize, length), &why);
    if (!m) {
        error_ = why;
        return std::nullopt;
    }
    consumed_ += kHeaderSize + length;
    return Frame{static_cast<Type>(type), read_be32(in.data() + 4), std::move(*m)};
}

std::string_view to_string(ErrorCode c) {
    switch (c) {
        case ErrorCode::malformed:
            return "malformed";
        case ErrorCode::unsupported_version:
            return "unsupported version";
        case ErrorCode::auth_failed:
            return "authentication failed";
        case ErrorCode::not_authenticated:
            return "not authenticated";
        case ErrorCode::no_session:
            return "no session";
        case ErrorCode::session_exists:
            return "session already open";
        case ErrorCode::limit:
            return "limit reached";
        case ErrorCode::would_block:
            return "would block";
        case ErrorCode::timed_out:
            return "timed out";
        case ErrorCode::cancelled:
            return "cancelled";
        case ErrorCode::deadlock:
            return "conversion deadlock";
        case ErrorCode::not_held:
            return "not held";
        case ErrorCode::busy:
            return "request already pending";
        case ErrorCode::unknown_node:
            return "unknown node";
        case ErrorCode::shutting_down:
            return "server shutting down";
        case ErrorCode::session_expired:
            return "session expired";
        case ErrorCode::reclaim_refused:
            return "reclaim refused";
    }
    return "unknown error";
}

}  // namespace takeover::lockd::proto
