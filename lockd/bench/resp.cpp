#include "resp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace takeover::lockd::bench {

Resp::Resp(const std::string& host, int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, host.c_str(), &a.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        throw std::runtime_error("cannot connect to redis");
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

Resp::~Resp() {
    if (fd_ >= 0) ::close(fd_);
}

void Resp::queue(const std::vector<std::string>& args) {
    out_ += "*" + std::to_string(args.size()) + "\r\n";
    for (const auto& a : args) out_ += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
}

void Resp::flush() {
    size_t done = 0;
    while (done < out_.size()) {
        ssize_t n = ::send(fd_, out_.data() + done, out_.size() - done, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("redis send failed");
        done += static_cast<size_t>(n);
    }
    out_.clear();
}

char Resp::next() {
    if (pos_ == in_.size()) {
        in_.clear();
        pos_ = 0;
        char buf[65536];
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) throw std::runtime_error("redis closed the connection");
        in_.assign(buf, static_cast<size_t>(n));
    }
    return in_[pos_++];
}

std::string Resp::line() {
    std::string s;
    for (char c = next(); c != '\r'; c = next()) s.push_back(c);
    next();  // '\n'
    return s;
}

Reply Resp::read() {
    Reply r;
    char type = next();
    std::string l = line();
    switch (type) {
        case '+':
            r.kind = Reply::Kind::status;
            r.text = l;
            break;
        case '-':
            r.kind = Reply::Kind::error;
            r.text = l;
            break;
        case ':':
            r.kind = Reply::Kind::integer;
            r.integer = std::stoll(l);
            break;
        case '$': {
            long long n = std::stoll(l);
            if (n < 0) return r;  // nil
            r.kind = Reply::Kind::bulk;
            for (long long i = 0; i < n; ++i) r.text.push_back(next());
            next();
            next();
            break;
        }
        case '*': {
            long long n = std::stoll(l);
            r.kind = Reply::Kind::array;
            for (long long i = 0; i < n; ++i) read();
            break;
        }
        default:
            throw std::runtime_error("bad RESP reply");
    }
    return r;
}

}  // namespace takeover::lockd::bench
