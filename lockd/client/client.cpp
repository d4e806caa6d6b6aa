#include "client.h"

#include "client_impl.h"
#include "takeover/outcome.h"

namespace takeover::lockd::client {

using Steady = std::chrono::steady_clock;

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::unique_ptr<Client> Client::connect(const Options& o) {
    auto impl = std::make_unique<Impl>();
    impl->options = o;
    handshake(o, impl->socket, impl->decoder);
    impl->next_request = 2;
    Impl* raw = impl.get();
    impl->reader = std::thread([raw] { raw->read_loop(); });
    return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::~Client() {
    bool away;
    {
        // No reconnect from now on; one under way stops at its next step.
        std::lock_guard lock(impl_->mutex);
        impl_->closing = true;
        away = impl_->reconnecting;
        impl_->state_changed.notify_all();
    }
    try {
        if (impl_->keepalive_running && !away) close_session();
    } catch (...) {
        // Closing is best effort: the server releases on lease expiry otherwise... only after
        // fencing, which is why close_session is tried first.
    }
    impl_->stop_keepalive_thread();
    {
        // Under the mutex: the reader thread swaps sockets only under it, and checks closing.
        std::lock_guard lock(impl_->mutex);
        impl_->socket.shutdown();
    }
    if (impl_->reader.joinable()) impl_->reader.join();
}

proto::Message Client::call(const proto::Message& m, milliseconds wait) {
    std::future<proto::Message> reply;
    uint32_t id;
    uint64_t gen;
    bool resend =
        std::holds_alternative<proto::Lock>(m) || std::holds_alternative<proto::Convert>(m);
    {
        std::unique_lock lock(impl_->mutex);
        // While the reader thread reconnects, wait for it (bounded by our own wait).
        auto limit =
            wait.count() > 0 ? wait : impl_->options.reconnect_for + impl_->options.reply_timeout;
        if (!impl_->state_changed.wait_for(lock, limit, [&] {
                return !impl_->reconnecting || !impl_->open || impl_->closing;
            }))
            throw RequestError(proto::ErrorCode::timed_out, "still reconnecting to the server");
        if (!impl_->open || impl_->reconnecting)
            throw RequestError(proto::ErrorCode::shutting_down, "not connected");
        id = impl_->take_request_id();
        auto& p = impl_->pending[id];
        p.type = proto::type_of(m);
        if (resend) p.resend = m;
        reply = p.reply.get_future();
        if (auto* u = std::get_if<proto::Unlock>(&m)) impl_->held.erase(u->name);
        std::lock_guard w(impl_->write_mutex);
        gen = impl_->generation;
    }
    try {
        impl_->send_on(gen, m, id);
    } catch (const Error&) {
        // The connection is going: the reader thread reconnects and answers this request.
    }
    if (wait.count() > 0 && reply.wait_for(wait) != std::future_status::ready) {
        std::lock_guard lock(impl_->mutex);
        impl_->pending.erase(id);
        throw RequestError(proto::ErrorCode::timed_out, "no reply from the server in time");
    }
    auto result = reply.get();
    if (auto* e = std::get_if<proto::Error>(&result)) throw RequestError(e->code, e->message);
    return result;
}

template <typename T>
static T expect(proto::Message m) {
    if (auto* t = std::get_if<T>(&m)) return std::move(*t);
    throw RequestError(proto::ErrorCode::malformed, "unexpected reply type");
}

uint64_t Client::open_session(const std::string& node, milliseconds lease) {
    auto r = expect<proto::SessionOpened>(
        call(proto::SessionOpen{node, static_cast<uint32_t>(lease.count())},
             impl_->options.reply_timeout));
    std::lock_guard lock(impl_->mutex);
    impl_->session = r.session;
    impl_->node = node;
    impl_->lease = milliseconds(r.lease_ms);
    impl_->keepalive_running = true;
    auto every = milliseconds(std::max<uint32_t>(r.lease_ms / 3, 50));
    impl_->keepalive = std::thread([this, every] { impl_->keepalive_loop(every); });
    return r.session;
}

void Client::close_session() {
    impl_->stop_keepalive_thread();
    call(proto::SessionClose{}, impl_->options.reply_timeout);
    std::lock_guard lock(impl_->mutex);
    impl_->session.reset();
    impl_->held.clear();
}

std::optional<uint64_t> Client::session() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->session;
}

std::map<std::string, Grant> Client::held() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->held;
}

static Grant to_grant(const proto::Granted& g) {
    Grant out{g.mode, g.token, std::nullopt};
    if (g.lvb_flags & proto::kFlagLvbValid) out.lvb = g.lvb;
    return out;
}

// The server answers a waiting request itself at its timeout; wait a little longer for that.
static milliseconds lock_wait(milliseconds timeout) {
    return timeout.count() == 0 ? milliseconds(0) : timeout + milliseconds(5000);
}

Grant Client::lock(const std::string& name, Mode mode, milliseconds timeout) {
    proto::Lock m{name, mode, 0, static_cast<uint32_t>(timeout.count())};
    return to_grant(expect<proto::Granted>(call(m, lock_wait(timeout))));
}

std::optional<Grant> Client::try_lock(const std::string& name, Mode mode) {
    try {
        proto::Lock m{name, mode, proto::kFlagTry, 0};
        return to_grant(expect<proto::Granted>(call(m, impl_->options.reply_timeout)));
    } catch (const RequestError& e) {
        if (e.code() == proto::ErrorCode::would_block) return std::nullopt;
        throw;
    }
}

Grant Client::convert(const std::string& name, Mode mode, milliseconds timeout,
                      const std::optional<std::string>& lvb) {
    proto::Convert m{name,
                     mode,
                     0,
                     static_cast<uint32_t>(timeout.count()),
                     static_cast<uint8_t>(lvb ? proto::kFlagHasLvb : 0),
                     lvb.value_or("")};
    return to_grant(expect<proto::Granted>(call(m, lock_wait(timeout))));
}

void Client::unlock(const std::string& name, const std::optional<std::string>& lvb) {
    proto::Unlock m{name, static_cast<uint8_t>(lvb ? proto::kFlagHasLvb : 0), lvb.value_or("")};
    call(m, impl_->options.reply_timeout);
}

void Client::cancel(const std::string& name) {
    call(proto::Cancel{name}, impl_->options.reply_timeout);
}

void Client::on_blocking(std::function<void(const std::string&, Mode)> f) {
    std::lock_guard lock(impl_->mutex);
    impl_->blocking = std::move(f);
}

void Client::on_shutdown(std::function<void(const std::string&)> f) {
    std::lock_guard lock(impl_->mutex);
    impl_->shutdown = std::move(f);
}

void Client::on_session_lost(std::function<void(const std::string&)> f) {
    std::lock_guard lock(impl_->mutex);
    impl_->session_lost = std::move(f);
}

void Client::on_reconnected(std::function<void(uint64_t, const std::vector<std::string>&)> f) {
    std::lock_guard lock(impl_->mutex);
    impl_->reconnected = std::move(f);
}

bool Client::connected() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->open && !impl_->reconnecting;
}

proto::Pong Client::ping() {
    return expect<proto::Pong>(call(proto::Ping{}, impl_->options.reply_timeout));
}
proto::StatusReply Client::status(bool detail) {
    return expect<proto::StatusReply>(
        call(proto::Status{static_cast<uint8_t>(detail ? 1 : 0)}, impl_->options.reply_timeout));
}
proto::LocksReply Client::list_locks(const std::string& pattern, uint32_t limit) {
    return expect<proto::LocksReply>(
        call(proto::ListLocks{pattern, limit}, impl_->options.reply_timeout));
}
proto::SessionsReply Client::list_sessions() {
    return expect<proto::SessionsReply>(call(proto::ListSessions{}, impl_->options.reply_timeout));
}
proto::NodesReply Client::list_nodes() {
    return expect<proto::NodesReply>(call(proto::ListNodes{}, impl_->options.reply_timeout));
}
uint64_t Client::fence_ack(const std::string& node) {
    return expect<proto::Ok>(call(proto::FenceAck{node}, impl_->options.reply_timeout)).value;
}

}  // namespace takeover::lockd::client
