// A blocking TCP socket with deadlines, for the client library (no Asio in clients' address
// space: C programs link this too).
#pragma once

#include "protocol.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>

namespace takeover::lockd::client {

class Socket {
  public:
    Socket() = default;
    Socket(Socket&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    Socket& operator=(Socket&& o) noexcept;
    ~Socket();

    // Throws Error(not_running) when nothing answers by the deadline.
    static Socket connect(const std::string& host, uint16_t port, std::chrono::milliseconds);
    void write_all(const std::string&);  // throws Error(generic_error)
    // The next frame; nullopt on EOF, error, a malformed frame or the deadline.
    std::optional<proto::Frame> read_frame(
        proto::Decoder&, std::optional<std::chrono::steady_clock::time_point> deadline);
    void shutdown();  // wakes a reader blocked in read_frame

  private:
    int fd_ = -1;
};

}  // namespace takeover::lockd::client
