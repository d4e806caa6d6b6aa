// memexpd's server: one single-threaded io_context, an acceptor, the connections, one lock
// table and one deadline timer (Asio's http/server shape: server / connection / request
// handling). Shutdown closes the acceptor and the connections, so run() returns.
#pragma once

#include "connection.h"
#include "fencer.h"
#include "lock_table.h"
#include "server_config.h"
#include "state/journal.h"

#include <boost/asio.hpp>

#include <memory>
#include <set>
#include <unordered_map>

namespace takeover::lockd {

class Server {
  public:
    // With a journal (durable mode), every change of ownership is made durable before any
    // reply leaves; the journal outlives the server.
    Server(asio::io_context&, ServerSettings, state::Journal* = nullptr);
    // Binds and listens; throws Error(generic_error) when the address cannot be had.
    void listen();
    uint16_t port() const { return acceptor_.local_endpoint().port(); }  // after listen()
    // Tells every client (SHUTDOWN) and stops accepting; run() returns once they are gone.
    void stop(const std::string& reason);
    // SIGHUP: new limits, key and nodes. The listen address needs a restart.
    void reload(ServerSettings);

    // For connections.
    void handle(Connection&, proto::Frame&&);
    void closed(Connection&);
    const ServerSettings& settings() const { return settings_; }
    LockTable& table() { return table_; }
    // Takeover: the journal's state (durable mode, with its state device) or a memory-mode
    // state; before listen(). listen() restores a memory-mode state when nobody did.
    void restore(const RecoveredState&, const std::string& state_path = "");
    // Durable mode: false while a batch of the journal waits for its commit; the connection
    // keeps its replies until then (the server flushes it after the commit).
    bool may_write(Connection&);
    // Why the server stopped on its own (the state device failed or was taken over).
    const std::optional<std::string>& failure() const { return failure_; }
    // For STATUS: "memory" or "durable".
    std::string state_mode() const { return journal_ ? "durable" : "memory"; }

  private:
    void accept();
    void wait_timer();
    void arm_timer();
    void deliver_events();
    void fence_needed(const std::string& node, SessionId);
    void handle_auth(Connection&, const proto::Frame&);
    void handle_session(Connection&, const proto::Frame&);
    void handle_lock(Connection&, const proto::Frame&);
    void handle_admin(Connection&, const proto::Frame&);
    proto::NodesReply nodes() const;
    void handle_reclaim(Connection&, const proto::Frame&);
    proto::StatusReply takeover_status() const;
    FencePolicy fence_policy() const;
    void fenced(const std::string& node);
    Limits limits() const;
    void schedule_commit();
    void run_commit();
    void renew_lease();
    void fail_durable(const std::string& reason);

    asio::io_context& io_;
    ServerSettings settings_;
    tcp::acceptor acceptor_;
    asio::steady_timer timer_;
    Fencer fencer_;
    bool restored_ = false;
    std::string state_path_;
    LockTable table_;
    std::set<std::shared_ptr<Connection>> connections_;
    std::unordered_map<SessionId, Connection*> by_session_;
    TimePoint started_;
    bool stopping_ = false;
    state::Journal* journal_ = nullptr;
    bool commit_posted_ = false;
    std::vector<std::shared_ptr<Connection>> held_;  // replies waiting for the commit
    asio::steady_timer lease_timer_;
    std::optional<std::string> failure_;
};

}  // namespace takeover::lockd
