#include "mfs_protocol.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace takeover::mfs {
namespace {

using Clock = std::chrono::steady_clock;

uint64_t be(std::string_view bytes) {
    uint64_t v = 0;
    for (char c : bytes) v = (v << 8) | static_cast<unsigned char>(c);
    return v;
}

void put_u32(std::string& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((v >> shift) & 0xff));
}

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::max<long>(0, left.count()));
}

class Socket {
  public:
    Socket() = default;
    ~Socket() {
        if (fd_ >= 0) close(fd_);
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;

    // Non-blocking connect bounded by the deadline.
    bool connect_to(const std::string& host, uint16_t port, Clock::time_point deadline) {
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* found = nullptr;
        if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0)
            return false;
        bool ok = false;
        for (addrinfo* a = found; a && !ok; a = a->ai_next) ok = try_one(a, deadline);
        freeaddrinfo(found);
        return ok;
    }

    bool send_all(std::string_view data, Clock::time_point deadline) {
        while (!data.empty()) {
            if (!wait(POLLOUT, deadline)) return false;
            ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n <= 0) return false;
            data.remove_prefix(static_cast<size_t>(n));
        }
        return true;
    }

    std::optional<std::string> recv_exact(size_t count, Clock::time_point deadline) {
        std::string buf(count, '\0');
        size_t got = 0;
        while (got < count) {
            if (!wait(POLLIN, deadline)) return std::nullopt;
            ssize_t n = ::recv(fd_, buf.data() + got, count - got, 0);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n <= 0) return std::nullopt;
            got += static_cast<size_t>(n);
        }
        return buf;
    }

  private:
    bool try_one(const addrinfo* a, Clock::time_point deadline) {
        if (fd_ >= 0) close(fd_);
        fd_ = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd_ < 0) return false;
        if (::connect(fd_, a->ai_addr, a->ai_addrlen) == 0) return true;
        if (errno != EINPROGRESS || !wait(POLLOUT, deadline)) return false;
        int err = 0;
        socklen_t len = sizeof err;
        return getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    }

    bool wait(short events, Clock::time_point deadline) {
        for (;;) {
            pollfd p{fd_, events, 0};
            int n = poll(&p, 1, remaining_ms(deadline));
            if (n < 0 && errno == EINTR) continue;
            return n > 0 && (p.revents & (events | POLLHUP | POLLERR));
        }
    }

    int fd_ = -1;
};

}  // namespace

std::string info_request() {
    std::string out;
    put_u32(out, kCltomaInfo);
    put_u32(out, 0);
    return out;
}

std::optional<uint32_t> info_reply_length(std::string_view header) {
    if (header.size() != 8 || be(header.substr(0, 4)) != kMatoclInfo) return std::nullopt;
    auto length = static_cast<uint32_t>(be(header.substr(4, 4)));
    if (length > 4096) return std::nullopt;
    return length;
}

std::optional<MasterInfo> parse_info_reply(std::string_view payload) {
    // Layouts as mfscli decodes them: 137 and 149 bytes insert 8 bytes before the state block;
    // the metadata version is the u64 after workingstate..changetime (offset 113 + shift).
    size_t shift = 0;
    switch (payload.size()) {
        case 121:
        case 129:
            break;
        case 137:
        case 149:
            shift = 8;
            break;
        default:
            return std::nullopt;
    }
    MasterInfo info;
    auto major = be(payload.substr(0, 2));
    auto mid = static_cast<unsigned char>(payload[2]);
    auto minor = static_cast<unsigned char>(payload[3]);
    // Since 2.0 the last byte is 2 * minor + pro.
    info.version = std::to_string(major) + "." + std::to_string(mid) + "." +
                   std::to_string(minor / 2) + ((minor & 1) ? " PRO" : "");
    info.metadata_version = be(payload.substr(113 + shift, 8));
    return info;
}

std::string local_address(const std::string& listen_host) {
    return listen_host.empty() || listen_host == "*" ? "127.0.0.1" : listen_host;
}

bool accepts_connections(const std::string& host, uint16_t port,
                         std::chrono::milliseconds timeout) {
    Socket s;
    return s.connect_to(host, port, Clock::now() + timeout);
}

std::optional<MasterInfo> query_master(const std::string& host, uint16_t port,
                                       std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    Socket s;
    if (!s.connect_to(host, port, deadline) || !s.send_all(info_request(), deadline))
        return std::nullopt;
    auto header = s.recv_exact(8, deadline);
    if (!header) return std::nullopt;
    auto length = info_reply_length(*header);
    if (!length) return std::nullopt;
    auto payload = s.recv_exact(*length, deadline);
    if (!payload) return std::nullopt;
    return parse_info_reply(*payload);
}

}  // namespace takeover::mfs
