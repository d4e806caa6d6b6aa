// The C API over the C++ client: exceptions stop here and become return codes.
#include "memexp.h"

#include "client.h"
#include "config.h"
#include "takeover/outcome.h"

#include <cstring>

struct memexp_client {
    std::unique_ptr<takeover::lockd::client::Client> client;
};

namespace {

using namespace takeover::lockd;

template <typename F>
int guarded(F&& f) {
    try {
        f();
        return 0;
    } catch (const client::RequestError& e) {
        return -static_cast<int>(e.code());
    } catch (const takeover::Error&) {
        return MEMEXP_ECONNECT;
    } catch (...) {
        return MEMEXP_EINVAL;
    }
}

bool valid_mode(int mode) {
    return mode >= MEMEXP_NL && mode <= MEMEXP_EX;
}

}  // namespace

extern "C" {

memexp_client* memexp_open(const char* address, const char* key_file, const char* node,
                           unsigned lease_ms, char* err, size_t errlen) {
    try {
        if (!address || !key_file || !node)
            throw takeover::Error(takeover::Outcome::bad_arguments, "NULL argument");
        auto c = std::make_unique<memexp_client>();
        c->client = client::Client::connect({address, load_key_file(key_file)});
        c->client->open_session(node, std::chrono::milliseconds(lease_ms));
        return c.release();
    } catch (const std::exception& e) {
        if (err && errlen) std::snprintf(err, errlen, "%s", e.what());
        return nullptr;
    }
}

void memexp_close(memexp_client* c) {
    delete c;
}

int memexp_lock(memexp_client* c, const char* name, int mode, int try_only, unsigned timeout_ms,
                uint64_t* token, void* lvb, size_t* lvb_len) {
    if (!c || !name || !valid_mode(mode)) return MEMEXP_EINVAL;
    return guarded([&] {
        std::optional<client::Grant> g;
        if (try_only) {
            g = c->client->try_lock(name, Mode(mode));
            if (!g) throw client::RequestError(ErrorCode::would_block, "would block");
        } else {
            g = c->client->lock(name, Mode(mode), std::chrono::milliseconds(timeout_ms));
        }
        if (token) *token = g->token;
        if (lvb && lvb_len) {
            *lvb_len = g->lvb ? g->lvb->size() : 0;
            if (g->lvb) std::memcpy(lvb, g->lvb->data(), g->lvb->size());
        }
    });
}

int memexp_convert(memexp_client* c, const char* name, int mode, unsigned timeout_ms,
                   const void* lvb_in, size_t lvb_in_len, uint64_t* token) {
    if (!c || !name || !valid_mode(mode) || lvb_in_len > MEMEXP_LVB_MAX) return MEMEXP_EINVAL;
    return guarded([&] {
        std::optional<std::string> lvb;
        if (lvb_in) lvb = std::string(static_cast<const char*>(lvb_in), lvb_in_len);
        auto g = c->client->convert(name, Mode(mode), std::chrono::milliseconds(timeout_ms), lvb);
        if (token) *token = g.token;
    });
}

int memexp_unlock(memexp_client* c, const char* name, const void* lvb, size_t lvb_len) {
    if (!c || !name || lvb_len > MEMEXP_LVB_MAX) return MEMEXP_EINVAL;
    return guarded([&] {
        std::optional<std::string> v;
        if (lvb) v = std::string(static_cast<const char*>(lvb), lvb_len);
        c->client->unlock(name, v);
    });
}

int memexp_cancel(memexp_client* c, const char* name) {
    if (!c || !name) return MEMEXP_EINVAL;
    return guarded([&] { c->client->cancel(name); });
}

void memexp_on_blocking(memexp_client* c, memexp_blocking_fn fn, void* ctx) {
    if (!c) return;
    c->client->on_blocking([fn, ctx](const std::string& name, Mode m) {
        if (fn) fn(ctx, name.c_str(), static_cast<int>(m));
    });
}

void memexp_on_session_lost(memexp_client* c, memexp_session_lost_fn fn, void* ctx) {
    if (!c) return;
    c->client->on_session_lost([fn, ctx](const std::string& why) {
        if (fn) fn(ctx, why.c_str());
    });
}

void memexp_on_reconnected(memexp_client* c, memexp_reconnected_fn fn, void* ctx) {
    if (!c) return;
    c->client->on_reconnected([fn, ctx](uint64_t session, const std::vector<std::string>& lost) {
        if (!fn) return;
        std::vector<const char*> names;
        for (const auto& n : lost) names.push_back(n.c_str());
        names.push_back(nullptr);
        fn(ctx, session, names.data(), lost.size());
    });
}

const char* memexp_strerror(int code) {
    if (code == 0) return "success";
    if (code == MEMEXP_EINVAL) return "invalid argument";
    if (code == MEMEXP_ECONNECT) return "not connected to the lock server";
    if (code < 0 && code > -100) {
        static thread_local std::string text;
        text = std::string(proto::to_string(static_cast<ErrorCode>(-code)));
        return text.c_str();
    }
    return "unknown error";
}

}  // extern "C"
