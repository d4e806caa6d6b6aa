// The memexpd client library: one authenticated connection, at most one session, automatic
// keep-alive, synchronous lock calls with timeouts, and blocking callbacks.
//
// Takeover: when the connection drops or the server restarts (a failover), a client with a
// session reconnects to the same address with bounded, jittered back-off for up to
// Options::reconnect_for, re-opens its session and reclaims the locks it holds (same mode
// and token). Calls made meanwhile wait for it. A lock() or convert() that was waiting is sent
// again and gets its grant later (with a new token), unless its own timeout passes first
// (timed_out). Any other request in flight fails with shutting_down ("may have been done"),
// except unlock, which is done (the server releases what is not reclaimed). When the session
// cannot be had back (grace missed, expired, no server in time), every call fails and the
// session-lost handler runs: stop using the locks, their protection is gone.
//
// Threads: calls may come from any thread (one at a time per lock name). Blocking callbacks
// and the shutdown handler run on the library's reader thread: they must not block or call
// back into the Client; hand work to another thread instead.
#pragma once

#include "lock_mode.h"
#include "protocol.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace takeover::lockd::client {

using std::chrono::milliseconds;

struct Options {
    std::string address;  // "IP:PORT" (port defaults to 15697)
    std::string key;      // the cluster key itself (see load_key_file in lockd/config.h)
    milliseconds connect_timeout{5000};
    // For requests that do not wait for a lock. A request sent just before the server dies
    // waits out a reconnect too: keep it above the back-off (reconnect_max) plus a failover.
    milliseconds reply_timeout{10000};
    milliseconds reconnect_for{30000};  // 0: never reconnect, the session ends with the link
    milliseconds reconnect_min{100};    // back-off: first wait, doubling up to reconnect_max
    milliseconds reconnect_max{2000};
};

// A request the server refused (would_block, timed_out, deadlock, ...).
class RequestError : public std::runtime_error {
  public:
    RequestError(proto::ErrorCode code, const std::string& what)
        : std::runtime_error(what), code_(code) {}
    proto::ErrorCode code() const { return code_; }

  private:
    proto::ErrorCode code_;
};

struct Grant {
    Mode mode = Mode::NL;
    uint64_t token = 0;              // fencing token of this grant
    std::optional<std::string> lvb;  // the lock value block, if ever written
};

class Client {
  public:
    // Connects and authenticates (both ways). Throws takeover::Error on failure:
    // not_running when nothing listens, permission when the key is refused.
    static std::unique_ptr<Client> connect(const Options&);
    ~Client();  // closes the session cleanly (its locks are released) and the connection

    // Sessions: all locks belong to one; keep-alives are sent every lease/3.
    uint64_t open_session(const std::string& node, milliseconds lease);
    void close_session();

    // timeout 0: wait without limit. Throws RequestError.
    Grant lock(const std::string& name, Mode, milliseconds timeout = milliseconds(0));
    std::optional<Grant> try_lock(const std::string& name, Mode);
    Grant convert(const std::string& name, Mode, milliseconds timeout = milliseconds(0),
                  const std::optional<std::string>& lvb = std::nullopt);
    void unlock(const std::string& name, const std::optional<std::string>& lvb = std::nullopt);
    void cancel(const std::string& name);

    void on_blocking(std::function<void(const std::string& name, Mode wanted)>);
    void on_shutdown(std::function<void(const std::string& reason)>);
    // The session is gone for good (grace missed, expired, no server within reconnect_for):
    // the locks it held are no longer ours.
    void on_session_lost(std::function<void(const std::string& why)>);
    // Back after a reconnect, with the session's id (it may change on a memory-mode server)
    // and the locks the server refused to give back (they are no longer held).
    void on_reconnected(
        std::function<void(uint64_t session, const std::vector<std::string>& lost)>);
    bool connected() const;  // false while reconnecting and once given up
    std::optional<uint64_t> session() const;
    std::map<std::string, Grant> held() const;  // what this client holds, as granted

    // Admin and health.
    proto::Pong ping();
    proto::StatusReply status(bool detail = false);  // detail: the takeover fields
    proto::LocksReply list_locks(const std::string& pattern, uint32_t limit = 0);
    proto::SessionsReply list_sessions();
    proto::NodesReply list_nodes();
    uint64_t fence_ack(const std::string& node);

    // One request, one reply (ERROR replies are thrown as RequestError).
    proto::Message call(const proto::Message&, milliseconds wait);

    struct Impl;

  private:
    explicit Client(std::unique_ptr<Impl>);
    std::unique_ptr<Impl> impl_;
};

}  // namespace takeover::lockd::client
