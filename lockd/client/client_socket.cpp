#include "client_socket.h"

#include "takeover/outcome.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace takeover::lockd::client {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

Socket& Socket::operator=(Socket&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
}

Socket::~Socket() {
    if (fd_ >= 0) ::close(fd_);
}

Socket Socket::connect(const std::string& host, uint16_t port, milliseconds timeout) {
    sockaddr_storage addr{};
    socklen_t len;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
    if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        len = sizeof *v4;
    } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        len = sizeof *v6;
    } else {
        throw Error(Outcome::bad_arguments, "\"" + host + "\" is not a numeric address");
    }
    Socket s;
    s.fd_ = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s.fd_ < 0) throw Error(Outcome::generic_error, std::string("socket: ") + strerror(errno));
    std::string where = host + ":" + std::to_string(port);
    if (::connect(s.fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
        if (errno != EINPROGRESS)
            throw Error(Outcome::not_running,
                        "cannot connect to " + where + ": " + strerror(errno));
        pollfd p{s.fd_, POLLOUT, 0};
        int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
        if (n == 0) throw Error(Outcome::not_running, "no answer from " + where + " in time");
        int err = 0;
        socklen_t elen = sizeof err;
        getsockopt(s.fd_, SOL_SOCKET, SO_ERROR, &err, &elen);
        if (n < 0 || err != 0)
            throw Error(Outcome::not_running,
                        "cannot connect to " + where + ": " + strerror(n < 0 ? errno : err));
    }
    int flags = fcntl(s.fd_, F_GETFL);
    fcntl(s.fd_, F_SETFL, flags & ~O_NONBLOCK);
    int one = 1;
    setsockopt(s.fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return s;
}

void Socket::write_all(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Error(Outcome::generic_error, std::string("send: ") + strerror(errno));
        done += static_cast<size_t>(n);
    }
}

std::optional<proto::Frame> Socket::read_frame(proto::Decoder& d,
                                               std::optional<steady_clock::time_point> deadline) {
    char buf[16 * 1024];
    for (;;) {
        if (auto f = d.next()) return f;
        if (d.failed()) return std::nullopt;
        if (deadline) {
            auto left = std::chrono::duration_cast<milliseconds>(*deadline - steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            pollfd p{fd_, POLLIN, 0};
            int n = ::poll(&p, 1, static_cast<int>(left.count()));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return std::nullopt;
        }
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return std::nullopt;
        d.feed(std::string_view(buf, static_cast<size_t>(n)));
    }
}

void Socket::shutdown() {
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

}  // namespace takeover::lockd::client
