// One client connection: reads frames through the incremental decoder, hands them to the
// server, and writes replies through a bounded outbox (a reader too slow to take its replies
// is disconnected, never buffered without bound).
#pragma once

#include "lock_table.h"
#include "protocol.h"

#include <boost/asio.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>

namespace takeover::lockd {

namespace asio = boost::asio;
using asio::ip::tcp;
class Server;

class Connection : public std::enable_shared_from_this<Connection> {
  public:
    Connection(tcp::socket, Server&);
    void start();
    void send(const proto::Message&, uint32_t request_id);
    // Closes now; a non-empty reason is logged.
    void close(const std::string& reason);
    // Sends what is queued, then closes; reads nothing more.
    void close_after_flush();
    // Writes what is queued (durable mode: the server held it until its commit).
    void flush();

    const std::string& peer() const { return peer_; }
    bool authenticated = false;
    proto::Nonce server_nonce{};
    std::optional<SessionId> session;

  private:
    void read();
    void write();

    tcp::socket socket_;
    Server& server_;
    std::string peer_;
    proto::Decoder decoder_;
    std::array<char, 16 * 1024> buffer_{};
    std::string outbox_, inflight_;
    bool writing_ = false, draining_ = false, closed_ = false;
    asio::steady_timer auth_timer_;
};

}  // namespace takeover::lockd
