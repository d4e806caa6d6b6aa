// The reader thread: frames in, and after a drop the takeover protocol (docs/protocol.md
// "Takeover"): reconnect with bounded, jittered back-off, re-open the session, reclaim what we
// hold, say done, then send again the lock requests that were waiting.
#include "auth.h"
#include "client_impl.h"
#include "config.h"
#include "takeover/outcome.h"

#include <random>

namespace takeover::lockd::client {

using Steady = std::chrono::steady_clock;

void handshake(const Options& o, Socket& socket, proto::Decoder& decoder) {
    auto ep = parse_endpoint(o.address, proto::kDefaultPort);
    if (!ep) throw Error(Outcome::bad_arguments, "bad server address \"" + o.address + "\"");
    socket = Socket::connect(ep->host, ep->port, o.connect_timeout);
    auto deadline = Steady::now() + o.connect_timeout;
    auto challenge = socket.read_frame(decoder, deadline);
    auto* c = challenge ? std::get_if<proto::Challenge>(&challenge->message) : nullptr;
    if (!c) throw Error(Outcome::generic_error, ep->str() + " does not speak the memexpd protocol");
    proto::Auth a{auth::random_nonce(), {}};
    a.mac = auth::client_proof(o.key, c->nonce, a.client_nonce);
    socket.write_all(proto::encode(a, 1));
    auto reply = socket.read_frame(decoder, deadline);
    if (!reply) throw Error(Outcome::generic_error, ep->str() + " closed during authentication");
    if (auto* e = std::get_if<proto::Error>(&reply->message))
        throw Error(Outcome::permission, ep->str() + " refused the key: " + e->message);
    auto* ok = std::get_if<proto::AuthOk>(&reply->message);
    if (!ok || !auth::equal(ok->mac, auth::server_proof(o.key, a.client_nonce, c->nonce)))
        throw Error(Outcome::permission, ep->str() + " could not prove it knows the key");
}

namespace {

// One request and its reply on a socket nobody else reads yet.
proto::Message exchange(Socket& s, proto::Decoder& d, const proto::Message& m, uint32_t id,
                        milliseconds timeout) {
    s.write_all(proto::encode(m, id));
    auto deadline = Steady::now() + timeout;
    while (auto f = s.read_frame(d, deadline)) {
        if (f->request_id != id) continue;  // notices
        if (auto* e = std::get_if<proto::Error>(&f->message))
            throw RequestError(e->code, e->message);
        return std::move(f->message);
    }
    throw Error(Outcome::not_running, "connection lost during the reclaim");
}

// RECLAIM bodies stay under the smallest max_frame_bytes a server allows (1024).
constexpr size_t kReclaimBatchBytes = 1000;

struct Reclaimed {
    uint64_t session = 0;
    std::vector<std::string> lost;
};

Reclaimed reopen_and_reclaim(const Options& o, Socket& s, proto::Decoder& d, uint64_t session,
                             const std::string& node, milliseconds lease,
                             const std::map<std::string, Grant>& held) {
    uint32_t id = 2;
    auto reply =
        exchange(s, d, proto::SessionReopen{session, node, static_cast<uint32_t>(lease.count())},
                 id++, o.reply_timeout);
    auto* opened = std::get_if<proto::SessionOpened>(&reply);
    if (!opened) throw Error(Outcome::generic_error, "unexpected reply to SESSION_REOPEN");
    Reclaimed out{opened->session, {}};
    auto it = held.begin();
    while (it != held.end()) {
        proto::Reclaim batch;
        size_t bytes = 0;
        for (; it != held.end(); ++it) {
            size_t entry = it->first.size() + 11;  // name u16+bytes, mode u8, token u64
            if (!batch.entries.empty() && bytes + entry > kReclaimBatchBytes) break;
            batch.entries.push_back({it->first, it->second.mode, it->second.token});
            bytes += entry;
        }
        auto reply = exchange(s, d, batch, id++, o.reply_timeout);
        auto* r = std::get_if<proto::ReclaimReply>(&reply);
        if (!r || r->results.size() != batch.entries.size())
            throw Error(Outcome::generic_error, "unexpected reply to RECLAIM");
        for (size_t i = 0; i < r->results.size(); ++i)
            if (r->results[i].code != 0) out.lost.push_back(batch.entries[i].name);
    }
    exchange(s, d, proto::ReclaimDone{}, id++, o.reply_timeout);
    return out;
}

}  // namespace

void Client::Impl::read_loop() {
    for (;;) {
        while (auto frame = socket.read_frame(decoder, std::nullopt)) dispatch(std::move(*frame));
        if (!recover()) return;
    }
}

void Client::Impl::dispatch(proto::Frame f) {
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
    // Recorded here, not by the caller: a drop right after the grant must still reclaim it.
    if (auto* g = std::get_if<proto::Granted>(&f.message)) {
        Grant grant{g->mode, g->token, std::nullopt};
        if (g->lvb_flags & proto::kFlagLvbValid) grant.lvb = g->lvb;
        held[g->name] = grant;
    }
    auto it = pending.find(f.request_id);
    if (it == pending.end()) return;  // keep-alive replies, abandoned requests
    it->second.reply.set_value(std::move(f.message));
    pending.erase(it);
}

bool Client::Impl::recover() {
    std::unique_lock lock(mutex);
    if (closing || !session || options.reconnect_for.count() <= 0) {
        lock.unlock();
        give_up(proto::ErrorCode::shutting_down, "connection lost");
        return false;
    }
    reconnecting = true;
    auto deadline = Steady::now() + options.reconnect_for;
    milliseconds backoff = options.reconnect_min;
    std::mt19937 rng(std::random_device{}());
    std::string why = "connection lost";
    while (!closing) {
        uint64_t old = *session;
        auto claims = held;
        lock.unlock();
        Socket s;
        proto::Decoder d{proto::kHardMaxBody};
        std::optional<Reclaimed> back;
        bool lost = false;
        try {
            handshake(options, s, d);
            back = reopen_and_reclaim(options, s, d, old, node, lease, claims);
        } catch (const RequestError& e) {
            why = e.what();
            lost = true;  // the server does not know the session any more
        } catch (const Error& e) {
            why = e.what();
        }
        lock.lock();
        if (closing) break;
        if (lost) {
            lock.unlock();
            give_up(proto::ErrorCode::session_expired, "session lost: " + why);
            return false;
        }
        if (back) {
            {
                std::lock_guard w(write_mutex);
                socket = std::move(s);
                decoder = std::move(d);
                generation++;
            }
            session = back->session;
            for (const auto& name : back->lost) held.erase(name);
            reconnecting = false;
            // The requests that were waiting: lock requests go again (same ids), a conversion
            // of a lock that was lost fails, an unlock is done (the server released whatever we
            // did not reclaim), anything else may or may not have happened.
            for (auto it = pending.begin(); it != pending.end();) {
                auto& p = it->second;
                auto* conv = p.resend ? std::get_if<proto::Convert>(&*p.resend) : nullptr;
                if (p.resend && !(conv && !held.count(conv->name))) {
                    try {
                        send(*p.resend, it->first);
                    } catch (const Error&) {
                        // Dropped again: the next round handles it.
                    }
                    ++it;
                    continue;
                }
                if (conv)
                    p.reply.set_value(proto::Error{proto::ErrorCode::reclaim_refused,
                                                   "the lock was lost in the server's takeover"});
                else if (p.type == proto::Type::unlock)
                    p.reply.set_value(proto::Ok{});
                else
                    p.reply.set_value(
                        proto::Error{proto::ErrorCode::shutting_down,
                                     "connection lost before the reply; it may have been done"});
                it = pending.erase(it);
            }
            state_changed.notify_all();
            auto handler = reconnected;
            uint64_t id = *session;
            lock.unlock();
            if (handler) handler(id, back->lost);
            return true;
        }
        auto now = Steady::now();
        if (now + backoff / 2 >= deadline) break;
        // Uniform in [backoff/2, backoff]: clients of one server do not come back in step.
        std::uniform_int_distribution<int64_t> jitter(backoff.count() / 2, backoff.count());
        state_changed.wait_for(lock, milliseconds(jitter(rng)), [&] { return closing; });
        backoff = std::min(backoff * 2, options.reconnect_max);
    }
    bool was_closing = closing;
    lock.unlock();
    give_up(was_closing ? proto::ErrorCode::shutting_down : proto::ErrorCode::session_expired,
            was_closing ? "client closed"
                        : "session lost: no server within the reconnect time (" + why + ")");
    return false;
}

void Client::Impl::give_up(proto::ErrorCode code, const std::string& why) {
    std::function<void(const std::string&)> handler;
    {
        std::lock_guard lock(mutex);
        open = false;
        reconnecting = false;
        for (auto& [id, p] : pending) p.reply.set_value(proto::Error{code, why});
        pending.clear();
        if (code == proto::ErrorCode::session_expired && session && !closing)
            handler = session_lost;
        held.clear();
        state_changed.notify_all();
    }
    if (handler) handler(why);
}

void Client::Impl::keepalive_loop(milliseconds every) {
    std::unique_lock lock(mutex);
    while (keepalive_running && open) {
        if (stop_keepalive.wait_for(lock, every, [&] { return !keepalive_running; })) break;
        if (reconnecting) continue;
        uint32_t id = take_request_id();
        lock.unlock();
        try {
            send(proto::Keepalive{}, id);
        } catch (const Error&) {
        }
        lock.lock();
    }
}

void Client::Impl::stop_keepalive_thread() {
    {
        std::lock_guard lock(mutex);
        keepalive_running = false;
    }
    stop_keepalive.notify_all();
    if (keepalive.joinable()) keepalive.join();
}

}  // namespace takeover::lockd::client
