#include "connection.h"

#include "auth.h"
#include "server.h"

#include <spdlog/spdlog.h>

namespace takeover::lockd {

Connection::Connection(tcp::socket socket, Server& server)
    : socket_(std::move(socket)),
      server_(server),
      decoder_(server.settings().native.max_frame_bytes),
      auth_timer_(socket_.get_executor()) {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    peer_ = ec ? "unknown peer" : ep.address().to_string() + ":" + std::to_string(ep.port());
    socket_.set_option(tcp::no_delay(true), ec);
}

void Connection::start() {
    server_nonce = auth::random_nonce();
    send(proto::Challenge{server_nonce}, 0);
    auth_timer_.expires_after(server_.settings().native.auth_timeout);
    auth_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec && !self->authenticated) self->close("no authentication within the deadline");
    });
    read();
}

void Connection::read() {
    socket_.async_read_some(
        asio::buffer(buffer_), [self = shared_from_this()](boost::system::error_code ec, size_t n) {
            if (self->closed_ || self->draining_) return;
            if (ec) {
                self->close(ec == asio::error::eof ? "" : "read: " + ec.message());
                return;
            }
            self->decoder_.feed(std::string_view(self->buffer_.data(), n));
            while (auto frame = self->decoder_.next()) {
                if (self->closed_ || self->draining_) return;
                self->server_.handle(*self, std::move(*frame));
            }
            if (self->decoder_.failed()) {
                self->close("malformed frame: " + self->decoder_.error());
                return;
            }
            if (!self->closed_ && !self->draining_) self->read();
        });
}

void Connection::send(const proto::Message& m, uint32_t request_id) {
    if (closed_) return;
    outbox_ += proto::encode(m, request_id);
    if (outbox_.size() > server_.settings().native.max_write_queue_bytes) {
        close("slow reader: more than " +
              std::to_string(server_.settings().native.max_write_queue_bytes) +
              " bytes of replies not taken");
        return;
    }
    if (!writing_ && server_.may_write(*this)) write();
}

void Connection::flush() {
    if (!closed_ && !writing_ && !outbox_.empty()) write();
}

// Everything queued goes out in one write; what arrives meanwhile waits for the next.
void Connection::write() {
    inflight_.swap(outbox_);
    outbox_.clear();
    writing_ = true;
    asio::async_write(socket_, asio::buffer(inflight_),
                      [self = shared_from_this()](boost::system::error_code ec, size_t) {
                          self->writing_ = false;
                          if (self->closed_) return;
                          if (ec) return self->close("write: " + ec.message());
                          if (!self->outbox_.empty()) {
                              if (self->server_.may_write(*self)) self->write();
                              return;
                          }
                          if (self->draining_) self->close("");
                      });
}

void Connection::close_after_flush() {
    if (closed_) return;
    draining_ = true;
    if (!writing_ && outbox_.empty()) close("");
}

void Connection::close(const std::string& reason) {
    if (closed_) return;
    closed_ = true;
    if (!reason.empty()) spdlog::warn("closing connection from {}: {}", peer_, reason);
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    auth_timer_.cancel();
    server_.closed(*this);
}

}  // namespace takeover::lockd
