#include "smb2_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace takeover::smb {
namespace smb2 {
namespace {

// [MS-SMB2] 2.2: commands and the statuses the probe tells apart.
enum Command : uint16_t { kNegotiate = 0, kSessionSetup = 1, kTreeConnect = 3 };
constexpr uint32_t kMoreProcessingRequired = 0xC0000016;
// [MS-NLMP] 2.2.2.5 NegotiateFlags.
constexpr uint32_t kUnicode = 0x1, kRequestTarget = 0x4, kNtlm = 0x200, kAnonymous = 0x800,
                   kAlwaysSign = 0x8000, kExtendedSecurity = 0x80000, k128 = 0x20000000,
                   k56 = 0x80000000;

void put16(std::vector<uint8_t>& b, uint16_t v) {
    b.push_back(v & 0xff);
    b.push_back(v >> 8);
}
void put32(std::vector<uint8_t>& b, uint32_t v) {
    put16(b, v & 0xffff);
    put16(b, v >> 16);
}
void put64(std::vector<uint8_t>& b, uint64_t v) {
    put32(b, v & 0xffffffff);
    put32(b, v >> 32);
}
uint16_t get16(const std::vector<uint8_t>& b, size_t at) {
    if (at + 2 > b.size()) throw std::runtime_error("short SMB2 reply");
    return static_cast<uint16_t>(b[at] | b[at + 1] << 8);
}
uint32_t get32(const std::vector<uint8_t>& b, size_t at) {
    return get16(b, at) | static_cast<uint32_t>(get16(b, at + 2)) << 16;
}
uint64_t get64(const std::vector<uint8_t>& b, size_t at) {
    return get32(b, at) | static_cast<uint64_t>(get32(b, at + 4)) << 32;
}

// [MS-SMB2] 2.2.1.2: the 64-byte sync header.
std::vector<uint8_t> header(Command command, uint64_t message_id, uint64_t session_id) {
    std::vector<uint8_t> b = {0xfe, 'S', 'M', 'B'};
    put16(b, 64);  // StructureSize
    put16(b, 1);   // CreditCharge
    put32(b, 0);   // Status
    put16(b, command);
    put16(b, 8);  // CreditRequest: enough for the whole exchange
    put32(b, 0);  // Flags
    put32(b, 0);  // NextCommand
    put64(b, message_id);
    put32(b, 0xfeff);  // Reserved (process id)
    put32(b, 0);       // TreeId
    put64(b, session_id);
    b.resize(b.size() + 16);  // Signature: unsigned
    return b;
}

}  // namespace

std::vector<uint8_t> negotiate_request() {
    auto b = header(kNegotiate, 0, 0);
    const uint16_t dialects[] = {0x0202, 0x0210, 0x0300, 0x0302};
    put16(b, 36);  // StructureSize
    put16(b, 4);   // DialectCount
    put16(b, 1);   // SecurityMode: signing enabled, not required
    put16(b, 0);
    put32(b, 0);                                                               // Capabilities
    for (int i = 0; i < 16; ++i) b.push_back(static_cast<uint8_t>(0x5a ^ i));  // ClientGuid
    put64(b, 0);                                                               // ClientStartTime
    for (uint16_t d : dialects) put16(b, d);
    return b;
}

std::vector<uint8_t> session_setup_request(uint64_t message_id, uint64_t session_id,
                                           const std::vector<uint8_t>& token) {
    auto b = header(kSessionSetup, message_id, session_id);
    put16(b, 25);       // StructureSize
    b.push_back(0);     // Flags
    b.push_back(1);     // SecurityMode
    put32(b, 0);        // Capabilities
    put32(b, 0);        // Channel
    put16(b, 64 + 24);  // SecurityBufferOffset
    put16(b, static_cast<uint16_t>(token.size()));
    put64(b, 0);  // PreviousSessionId
    b.insert(b.end(), token.begin(), token.end());
    return b;
}

// Raw NTLMSSP, no SPNEGO wrapping: Samba's SPNEGO server recognises it by its magic.
std::vector<uint8_t> ntlmssp_negotiate() {
    std::vector<uint8_t> b = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
    put32(b, 1);
    put32(b, kUnicode | kRequestTarget | kNtlm | kAlwaysSign | kExtendedSecurity | k128 | k56);
    b.resize(b.size() + 16);  // DomainNameFields, WorkstationFields: empty
    return b;
}

// [MS-NLMP] 3.1.5.1.2: anonymous is an empty user, an empty NT response and a one-zero-byte
// LM response.
std::vector<uint8_t> ntlmssp_anonymous_authenticate(uint32_t server_flags) {
    std::vector<uint8_t> b = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
    const uint32_t payload = 64;
    put32(b, 3);
    put16(b, 1), put16(b, 1), put32(b, payload);  // LmChallengeResponse: one zero byte
    for (int field = 0; field < 5; ++field)       // NT response, domain, user, workstation, key
        put16(b, 0), put16(b, 0), put32(b, payload + 1);
    put32(b, (server_flags & ~(k128 | k56)) | kAnonymous | kUnicode);
    b.push_back(0);
    return b;
}

std::vector<uint8_t> tree_connect_request(uint64_t message_id, uint64_t session_id,
                                          const std::string& unc) {
    auto b = header(kTreeConnect, message_id, session_id);
    put16(b, 9);  // StructureSize
    put16(b, 0);
    put16(b, 64 + 8);  // PathOffset
    put16(b, static_cast<uint16_t>(unc.size() * 2));
    for (char c : unc) put16(b, static_cast<uint8_t>(c));  // names here are ASCII
    return b;
}

Reply parse_reply(const std::vector<uint8_t>& m) {
    if (m.size() < 64 || m[0] != 0xfe || m[1] != 'S' || m[2] != 'M' || m[3] != 'B')
        throw std::runtime_error("not an SMB2 reply");
    Reply r;
    r.status = get32(m, 8);
    r.command = get16(m, 12);
    r.session_id = get64(m, 40);
    if (r.command == kSessionSetup && m.size() >= 72) {
        const size_t offset = get16(m, 68), length = get16(m, 70);
        if (offset + length <= m.size())
            r.security_buffer.assign(m.begin() + offset, m.begin() + offset + length);
    }
    return r;
}

uint32_t challenge_flags(const std::vector<uint8_t>& t) {
    if (t.size() < 24 || std::memcmp(t.data(), "NTLMSSP\0", 8) != 0 || get32(t, 8) != 2) return 0;
    return get32(t, 20);
}

}  // namespace smb2

namespace {

using Clock = std::chrono::steady_clock;

class Connection {
  public:
    Connection(const std::string& address, int port, Clock::time_point deadline)
        : deadline_(deadline) {
        sockaddr_storage sa{};
        socklen_t len = 0;
        auto* v4 = reinterpret_cast<sockaddr_in*>(&sa);
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&sa);
        if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
            v4->sin_family = AF_INET;
            v4->sin_port = htons(static_cast<uint16_t>(port));
            len = sizeof *v4;
        } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
            v6->sin6_family = AF_INET6;
            v6->sin6_port = htons(static_cast<uint16_t>(port));
            len = sizeof *v6;
        } else {
            throw std::runtime_error("not a numeric address");
        }
        fd_ = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd_ < 0) fail("socket");
        int one = 1;
        setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(fd_, reinterpret_cast<sockaddr*>(&sa), len) != 0 && errno != EINPROGRESS)
            fail("connect");
        wait(POLLOUT);
        int err = 0;
        socklen_t err_len = sizeof err;
        getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &err_len);
        if (err) {
            errno = err;
            fail("connect");
        }
    }
    ~Connection() { close(fd_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // One request and its reply, each in an RFC 1002 session frame (0, 24-bit length).
    smb2::Reply exchange(const std::vector<uint8_t>& message) {
        std::vector<uint8_t> frame = {0, static_cast<uint8_t>(message.size() >> 16),
                                      static_cast<uint8_t>(message.size() >> 8),
                                      static_cast<uint8_t>(message.size())};
        frame.insert(frame.end(), message.begin(), message.end());
        for (size_t sent = 0; sent < frame.size();) {
            wait(POLLOUT);
            ssize_t n = send(fd_, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN) fail("send");
            if (n > 0) sent += static_cast<size_t>(n);
        }
        auto head = receive(4);
        const size_t length = static_cast<size_t>(head[1]) << 16 | head[2] << 8 | head[3];
        if (length > 1 << 20) throw std::runtime_error("oversized SMB2 reply");
        return smb2::parse_reply(receive(length));
    }

  private:
    std::vector<uint8_t> receive(size_t size) {
        std::vector<uint8_t> b(size);
        for (size_t got = 0; got < size;) {
            wait(POLLIN);
            ssize_t n = recv(fd_, b.data() + got, size - got, 0);
            if (n == 0) throw std::runtime_error("server closed the connection");
            if (n < 0 && errno != EAGAIN) fail("recv");
            if (n > 0) got += static_cast<size_t>(n);
        }
        return b;
    }
    void wait(short events) {
        for (;;) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
            if (left.count() <= 0) throw std::runtime_error("timed out");
            pollfd p{fd_, events, 0};
            int n = poll(&p, 1, static_cast<int>(left.count()));
            if (n > 0) return;
            if (n < 0 && errno != EINTR) fail("poll");
        }
    }
    [[noreturn]] void fail(const char* what) {
        if (errno == ECONNREFUSED) throw std::runtime_error("connection refused");
        throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
    }

    int fd_ = -1;
    Clock::time_point deadline_;
};

std::string describe_status(uint32_t status) {
    switch (status) {
        case 0xC00000CC:
            return "no such share";
        case 0xC0000022:
            return "access denied (guest access)";
        case 0xC000006D:
            return "anonymous logon refused";
        default: {
            char hex[16];
            std::snprintf(hex, sizeof hex, "0x%08X", status);
            return std::string("NT status ") + hex;
        }
    }
}

}  // namespace

std::string smb2_anonymous_probe(const ProbeTarget& target, std::chrono::milliseconds timeout) {
    const std::string where =
        share_url(target.address, target.share) + " (port " + std::to_string(target.port) + "): ";
    try {
        Connection c(target.address, target.port, Clock::now() + timeout);
        auto negotiated = c.exchange(smb2::negotiate_request());
        if (negotiated.status != 0)
            return where + "negotiate: " + describe_status(negotiated.status);
        auto challenge = c.exchange(smb2::session_setup_request(1, 0, smb2::ntlmssp_negotiate()));
        if (challenge.status != 0xC0000016)
            return where + "session setup: " + describe_status(challenge.status);
        const uint32_t flags = smb2::challenge_flags(challenge.security_buffer);
        if (!flags) return where + "session setup: no NTLMSSP challenge";
        auto session = c.exchange(smb2::session_setup_request(
            2, challenge.session_id, smb2::ntlmssp_anonymous_authenticate(flags)));
        if (session.status != 0) return where + "session setup: " + describe_status(session.status);
        const std::string unc = "\\\\" + target.address + "\\" + target.share;
        auto tree = c.exchange(smb2::tree_connect_request(3, challenge.session_id, unc));
        if (tree.status != 0) return where + describe_status(tree.status);
        return "";
    } catch (const std::exception& e) {
        return where + e.what();
    }
}

}  // namespace takeover::smb
