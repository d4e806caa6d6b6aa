#include "client.h"

#include "auth.h"
#include "client_socket.h"
#include "config.h"
#include "takeover/outcome.h"

#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace takeover::lockd::client {

struct Client::Impl {
    Socket socket;
    proto::Decoder decoder{proto::kHardMaxBody};
    milliseconds reply_timeout;
    std::mutex write_mutex;
    std::mutex mutex;  // guards everything below
    std::map<uint32_t, std::promise<proto::Message>> pending;
    uint32_t next_request = 1;
    bool open = true;
    std::function<void(const std::string&, Mode)> blocking;
    std::function<void(const std::string&)> shutdown;
    std::thread reader;
    std::thread keepalive;
    std::condition_variable stop_keepalive;
    bool keepalive_running = false;

    void send(const proto::Message& m, uint32_t id) {
        std::lock_guard lock(write_mutex);
        socket.write_all(proto::encode(m, id));
    }

    void read_loop() {
        for (;;) {
            auto frame = socket.read_frame(decoder, std::nullopt);
            if (!frame) break;
            dispatch(std::move(*frame));
        }
        std::lock_guard lock(mutex);
        open = false;
        for (auto& [id, p] : pending)
            p.set_value(proto::Error{proto::ErrorCode::shutting_down, "connection lost"});
        pending.clear();
    }

    void dispatch(proto::Frame f) {
        if (auto* b = std::get_if<proto::Blocking>(&f.message)) {
            std::function<void(const std::string&, Mode)> handler;
            {
                std::lock_guard lock(mutex);
                handler = blocking;
            }
            if (handler) handler(b->name, b->mode);
            return;
        }
        if (auto* s = std::get_if<proto::Shutdown>(&f.message)) {
            std::function<void(const std::string&)> handler;
            {
                std::lock_guard lock(mutex);
                handler = shutdown;
            }
            if (handler) handler(s->reason);
            return;
        }
        std::lock_guard lock(mutex);
        auto it = pending.find(f.request_id);
        if (it == pending.end()) return;  // keep-alive replies, abandoned requests
        it->second.set_value(std::move(f.message));
        pending.erase(it);
    }

    void keepalive_loop(milliseconds every) {
        std::unique_lock lock(mutex);
        while (keepalive_running && open) {
            if (stop_keepalive.wait_for(lock, every, [&] { return !keepalive_running; })) break;
            uint32_t id = next_request++;
            lock.unlock();
            try {
                send(proto::Keepalive{}, id);
            } catch (const Error&) {
            }
            lock.lock();
        }
    }

    void stop_keepalive_thread() {
        {
            std::lock_guard lock(mutex);
            keepalive_running = false;
        }
        stop_keepalive.notify_all();
        if (keepalive.joinable()) keepalive.join();
    }
};

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::unique_ptr<Client> Client::connect(const Options& o) {
    auto ep = parse_endpoint(o.address, proto::kDefaultPort);
    if (!ep) throw Error(Outcome::bad_arguments, "bad server address \"" + o.address + "\"");
    auto impl = std::make_unique<Impl>();
    impl->reply_timeout = o.reply_timeout;
    impl->socket = Socket::connect(ep->host, ep->port, o.connect_timeout);
    auto deadline = std::chrono::steady_clock::now() + o.connect_timeout;
    auto challenge = impl->socket.read_frame(impl->decoder, deadline);
    auto* c = challenge ? std::get_if<proto::Challenge>(&challenge->message) : nullptr;
    if (!c) throw Error(Outcome::generic_error, ep->str() + " does not speak the memexpd protocol");
    proto::Auth a{auth::random_nonce(), {}};
    a.mac = auth::client_proof(o.key, c->nonce, a.client_nonce);
    impl->send(a, 1);
    auto reply = impl->socket.read_frame(impl->decoder, deadline);
    if (!reply) throw Error(Outcome::generic_error, ep->str() + " closed during authentication");
    if (auto* e = std::get_if<proto::Error>(&reply->message))
        throw Error(Outcome::permission, ep->str() + " refused the key: " + e->message);
    auto* ok = std::get_if<proto::AuthOk>(&reply->message);
    if (!ok || !auth::equal(ok->mac, auth::server_proof(o.key, a.client_nonce, c->nonce)))
        throw Error(Outcome::permission, ep->str() + " could not prove it knows the key");
    impl->next_request = 2;
    Impl* raw = impl.get();
    impl->reader = std::thread([raw] { raw->read_loop(); });
    return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::~Client() {
    try {
        if (impl_->keepalive_running) close_session();
    } catch (...) {
        // Closing is best effort: the server releases on lease expiry otherwise... only after
        // fencing, which is why close_session is tried first.
    }
    impl_->stop_keepalive_thread();
    impl_->socket.shutdown();
    if (impl_->reader.joinable()) impl_->reader.join();
}

proto::Message Client::call(const proto::Message& m, milliseconds wait) {
    std::future<proto::Message> reply;
    uint32_t id;
    {
        std::lock_guard lock(impl_->mutex);
        if (!impl_->open) throw RequestError(proto::ErrorCode::shutting_down, "not connected");
        id = impl_->next_request++;
        if (id == 0) id = impl_->next_request++;  // 0 is for notices
        reply = impl_->pending[id].get_future();
    }
    impl_->send(m, id);
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
        call(proto::SessionOpen{node, static_cast<uint32_t>(lease.count())}, impl_->reply_timeout));
    std::lock_guard lock(impl_->mutex);
    impl_->keepalive_running = true;
    auto every = milliseconds(std::max<uint32_t>(r.lease_ms / 3, 50));
    impl_->keepalive = std::thread([this, every] { impl_->keepalive_loop(every); });
    return r.session;
}

void Client::close_session() {
    impl_->stop_keepalive_thread();
    call(proto::SessionClose{}, impl_->reply_timeout);
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
        return to_grant(expect<proto::Granted>(call(m, impl_->reply_timeout)));
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
    call(m, impl_->reply_timeout);
}

void Client::cancel(const std::string& name) {
    call(proto::Cancel{name}, impl_->reply_timeout);
}

void Client::on_blocking(std::function<void(const std::string&, Mode)> f) {
    std::lock_guard lock(impl_->mutex);
    impl_->blocking = std::move(f);
}

void Client::on_shutdown(std::function<void(const std::string&)> f) {
    std::lock_guard lock(impl_->mutex);
    impl_->shutdown = std::move(f);
}

bool Client::connected() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->open;
}

proto::Pong Client::ping() {
    return expect<proto::Pong>(call(proto::Ping{}, impl_->reply_timeout));
}
proto::StatusReply Client::status() {
    return expect<proto::StatusReply>(call(proto::Status{}, impl_->reply_timeout));
}
proto::LocksReply Client::list_locks(const std::string& pattern, uint32_t limit) {
    return expect<proto::LocksReply>(call(proto::ListLocks{pattern, limit}, impl_->reply_timeout));
}
proto::SessionsReply Client::list_sessions() {
    return expect<proto::SessionsReply>(call(proto::ListSessions{}, impl_->reply_timeout));
}
proto::NodesReply Client::list_nodes() {
    return expect<proto::NodesReply>(call(proto::ListNodes{}, impl_->reply_timeout));
}
uint64_t Client::fence_ack(const std::string& node) {
    return expect<proto::Ok>(call(proto::FenceAck{node}, impl_->reply_timeout)).value;
}

}  // namespace takeover::lockd::client
