#include "server.h"

#include "takeover/outcome.h"

#include <fcntl.h>

#include <spdlog/spdlog.h>

namespace takeover::lockd {
namespace {

// Asio opens sockets without FD_CLOEXEC: a fence command (lockd/fencer.h) would inherit the
// listening socket and every client's, and a daemon it leaves behind would keep the port.
void close_on_exec(int fd) {
    ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
}

}  // namespace

Server::Server(asio::io_context& io, ServerSettings settings, state::Journal* journal)
    : io_(io),
      settings_(std::move(settings)),
      acceptor_(io),
      timer_(io),
      fencer_(io, fence_policy(), [this](const std::string& node) { fenced(node); }),
      table_(settings_.native.limits, journal ? journal->epoch() : 1),
      started_(Clock::now()),
      journal_(journal),
      lease_timer_(io) {
    if (journal_) table_.set_listener(journal_);
}

void Server::listen() {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(settings_.listen.host, ec);
    if (ec) throw Error(Outcome::not_configured, "bad listen address " + settings_.listen.host);
    tcp::endpoint ep(address, settings_.listen.port);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) close_on_exec(acceptor_.native_handle());
    if (ec)
        throw Error(Outcome::generic_error,
                    "cannot listen on " + settings_.listen.str() + ": " + ec.message());
    if (journal_)
        spdlog::info("memexpd listening on {} (epoch {}, durable mode on {})",
                     settings_.listen.str(), table_.epoch(), journal_->path());
    else
        spdlog::info("memexpd listening on {} (epoch {}, memory mode)", settings_.listen.str(),
                     table_.epoch());
    if (!restored_) {
        RecoveredState memory;  // nothing known but the epoch
        memory.epoch = table_.epoch();
        memory.last_token = table_.status().last_token;
        // Session ids from the clock: an id a client of the previous server re-opens cannot
        // be one this server has already given to a new client (unless the old one opened
        // over 2^20 sessions a second).
        memory.next_session =
            static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count())
            << 20;
        restore(memory);
    }
    accept();
    timer_.expires_after(std::chrono::hours(1));
    wait_timer();
    arm_timer();
    if (journal_) renew_lease();
}

void Server::accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
        if (!acceptor_.is_open()) return;
        if (!ec) {
            if (connections_.size() >= settings_.native.max_connections) {
                spdlog::warn("refusing a connection: max_connections ({}) reached",
                             settings_.native.max_connections);
                socket.close(ec);
            } else {
                close_on_exec(socket.native_handle());
                auto c = std::make_shared<Connection>(std::move(socket), *this);
                connections_.insert(c);
                c->start();
            }
        } else if (ec != asio::error::operation_aborted) {
            spdlog::warn("accept: {}", ec.message());
        }
        accept();
    });
}

// One timer for every deadline of the table (leases, request timeouts). Whoever moves the
// expiry cancels the wait; the handler re-checks `expiry <= now` before acting, as in Asio's
// timeouts example.
void Server::wait_timer() {
    timer_.async_wait([this](boost::system::error_code) {
        if (stopping_) return;
        auto now = Clock::now();
        if (timer_.expiry() <= now) {
            table_.tick(now);
            deliver_events();
            schedule_commit();
            timer_.expires_after(std::chrono::hours(1));
            arm_timer();
        }
        wait_timer();
    });
}

void Server::arm_timer() {
    auto next = table_.next_deadline();
    if (next && *next < timer_.expiry()) timer_.expires_at(*next);
}

void Server::deliver_events() {
    for (auto& e : table_.take_events()) {
        if (e.kind == Event::Kind::fence_needed) {
            fence_needed(e.name, e.session);
            continue;
        }
        auto it = by_session_.find(e.session);
        if (it == by_session_.end()) continue;
        Connection& c = *it->second;
        switch (e.kind) {
            case Event::Kind::granted:
                c.send(proto::Granted{e.name, e.mode, e.token,
                                      static_cast<uint8_t>(e.lvb ? proto::kFlagLvbValid : 0),
                                      e.lvb.value_or("")},
                       e.request);
                break;
            case Event::Kind::failed:
                c.send(proto::Error{e.error, std::string(proto::to_string(e.error))}, e.request);
                break;
            case Event::Kind::blocking:
                c.send(proto::Blocking{e.name, e.mode}, 0);
                break;
            case Event::Kind::fence_needed:
                break;
            case Event::Kind::session_expired:
                spdlog::warn("session {} of {} expired; its locks stay held until fenced",
                             e.session, c.peer());
                c.send(proto::Error{proto::ErrorCode::session_expired, "lease expired"}, 0);
                c.session.reset();
                by_session_.erase(it);
                c.close_after_flush();
                break;
        }
    }
    schedule_commit();  // durable mode: what the events told is journaled before it leaves
}

void Server::closed(Connection& c) {
    if (c.session) {
        spdlog::info("session {} disconnected ({}); held until its lease ends", *c.session,
                     c.peer());
        table_.disconnect(*c.session, Clock::now());
        by_session_.erase(*c.session);
        c.session.reset();
        deliver_events();
        schedule_commit();
        arm_timer();
    }
    // The connection may be mid-handler: let the handler's own reference end its life.
    asio::post(io_, [this, self = c.shared_from_this()] { connections_.erase(self); });
}

void Server::stop(const std::string& reason) {
    if (stopping_) return;
    stopping_ = true;
    spdlog::info("memexpd stopping: {}", reason);
    boost::system::error_code ec;
    acceptor_.close(ec);
    timer_.cancel();
    lease_timer_.cancel();
    auto all = connections_;
    for (auto& c : all) {
        c->send(proto::Shutdown{reason}, 0);
        c->close_after_flush();
    }
}

// --- durable mode: group commit ---

bool Server::may_write(Connection& c) {
    if (!journal_ || failure_ || (!journal_->dirty() && !commit_posted_)) return !failure_;
    held_.push_back(c.shared_from_this());
    schedule_commit();
    return false;
}

// The commit runs after every handler already queued in this round of the io_context: all
// the requests that arrived meanwhile share its one write and fdatasync.
void Server::schedule_commit() {
    if (!journal_ || failure_ || commit_posted_ || !journal_->dirty()) return;
    commit_posted_ = true;
    asio::post(io_, [this] { run_commit(); });
}

void Server::run_commit() {
    commit_posted_ = false;
    if (failure_) return;
    try {
        journal_->commit();
    } catch (const state::StateError& e) {
        return fail_durable(e.what());
    }
    auto held = std::exchange(held_, {});
    for (auto& c : held) c->flush();
}

void Server::renew_lease() {
    lease_timer_.expires_after(journal_->lease_interval());
    lease_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopping_ || failure_) return;
        try {
            journal_->renew_lease();
        } catch (const state::StateError& e) {
            return fail_durable(e.what());
        }
        renew_lease();
    });
}

// No reply of the failed batch may leave: every connection closes with its outbox unsent,
// and the io_context stops so no other handler runs. The clients reconnect elsewhere.
void Server::fail_durable(const std::string& reason) {
    failure_ = reason;
    spdlog::critical("memexpd stops serving: {}", reason);
    stopping_ = true;
    held_.clear();
    boost::system::error_code ec;
    acceptor_.close(ec);
    timer_.cancel();
    lease_timer_.cancel();
    auto all = connections_;
    for (auto& c : all) c->close("");
    io_.stop();
}

void Server::reload(ServerSettings s) {
    if (s.listen.str() != settings_.listen.str())
        spdlog::warn("reload: the listen address ({}) changes only on restart", s.listen.str());
    s.listen = settings_.listen;
    if (s.statedev != settings_.statedev)
        spdlog::warn("reload: the state device ({}) changes only on restart",
                     s.statedev.empty() ? "none" : s.statedev);
    s.statedev = settings_.statedev;
    settings_ = std::move(s);
    table_.set_limits(settings_.native.limits);
    fencer_.set_policy(fence_policy());
    spdlog::info("configuration reloaded");
}

}  // namespace takeover::lockd
