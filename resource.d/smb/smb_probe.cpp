#include "smb_probe.h"

#include "takeover/outcome.h"

#include <dlfcn.h>
#include <libsmbclient.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace takeover::smb {
namespace {

// libsmbclient pulls in ~110 Samba libraries (~30 ms of CPU in the dynamic loader). Loading
// it only here keeps that cost off every other agent (they share one static library) and off
// stop and meta-data.
struct SmbClient {
    decltype(&smbc_new_context) new_context;
    decltype(&smbc_free_context) free_context;
    decltype(&smbc_init_context) init_context;
    decltype(&smbc_setDebug) set_debug;
    decltype(&smbc_setTimeout) set_timeout;
    decltype(&smbc_setPort) set_port;
    decltype(&smbc_setOptionUseKerberos) set_use_kerberos;
    decltype(&smbc_setOptionFallbackAfterKerberos) set_fallback_after_kerberos;
    decltype(&smbc_setOptionUserData) set_user_data;
    decltype(&smbc_getOptionUserData) get_user_data;
    decltype(&smbc_setFunctionAuthDataWithContext) set_auth_function;
    decltype(&smbc_getFunctionOpendir) get_opendir;
    decltype(&smbc_getFunctionClosedir) get_closedir;
};

template <typename Fn>
void bind(void* lib, const char* name, Fn& fn, std::string& missing) {
    fn = reinterpret_cast<Fn>(dlsym(lib, name));
    if (!fn) missing = name;
}

// The loaded library, or nullptr with `why` set.
const SmbClient* smbclient(std::string& why) {
    static SmbClient api{};
    static std::string error = [] {
        void* lib = dlopen("libsmbclient.so.0", RTLD_NOW | RTLD_LOCAL);
        if (!lib) return std::string("cannot load libsmbclient: ") + dlerror();
        std::string missing;
        bind(lib, "smbc_new_context", api.new_context, missing);
        bind(lib, "smbc_free_context", api.free_context, missing);
        bind(lib, "smbc_init_context", api.init_context, missing);
        bind(lib, "smbc_setDebug", api.set_debug, missing);
        bind(lib, "smbc_setTimeout", api.set_timeout, missing);
        bind(lib, "smbc_setPort", api.set_port, missing);
        bind(lib, "smbc_setOptionUseKerberos", api.set_use_kerberos, missing);
        bind(lib, "smbc_setOptionFallbackAfterKerberos", api.set_fallback_after_kerberos, missing);
        bind(lib, "smbc_setOptionUserData", api.set_user_data, missing);
        bind(lib, "smbc_getOptionUserData", api.get_user_data, missing);
        bind(lib, "smbc_setFunctionAuthDataWithContext", api.set_auth_function, missing);
        bind(lib, "smbc_getFunctionOpendir", api.get_opendir, missing);
        bind(lib, "smbc_getFunctionClosedir", api.get_closedir, missing);
        return missing.empty() ? "" : "libsmbclient lacks " + missing;
    }();
    why = error;
    return error.empty() ? &api : nullptr;
}

void copy_field(char* dst, int size, const std::string& value) {
    if (size <= 0) return;
    std::strncpy(dst, value.c_str(), static_cast<size_t>(size) - 1);
    dst[size - 1] = '\0';
}

// libsmbclient asks for credentials through this callback; the context carries ours.
void provide_credentials(SMBCCTX* ctx, const char*, const char*, char* workgroup, int wglen,
                         char* username, int unlen, char* password, int pwlen) {
    std::string why;
    const SmbClient* api = smbclient(why);
    const auto* creds = api ? static_cast<const Credentials*>(api->get_user_data(ctx)) : nullptr;
    if (!creds) return;
    if (!creds->domain.empty()) copy_field(workgroup, wglen, creds->domain);
    copy_field(username, unlen, creds->username);
    copy_field(password, pwlen, creds->password);
}

struct ContextDeleter {
    const SmbClient* api;
    void operator()(SMBCCTX* ctx) const { api->free_context(ctx, 1); }
};

std::string describe_errno(int err) {
    switch (err) {
        case ECONNREFUSED:
            return "connection refused";
        case ETIMEDOUT:
            return "timed out";
        case EACCES:
        case EPERM:
            return "access denied (credentials or guest access)";
        case ENOENT:
        case ENODEV:
            return "no such share";
        case EHOSTUNREACH:
        case ENETUNREACH:
            return "address unreachable";
        default:
            return std::strerror(err);
    }
}

}  // namespace

std::string share_url(const std::string& address, const std::string& share) {
    const bool ipv6 = address.find(':') != std::string::npos;
    return "smb://" + (ipv6 ? "[" + address + "]" : address) + "/" + share;
}

std::string probe_share(const ProbeTarget& target, const Credentials& creds,
                        std::chrono::milliseconds timeout) {
    std::string why;
    const SmbClient* api = smbclient(why);
    if (!api) throw Error(Outcome::not_installed, why);
    std::unique_ptr<SMBCCTX, ContextDeleter> ctx(api->new_context(), ContextDeleter{api});
    if (!ctx) return "libsmbclient: cannot create a context";
    api->set_debug(ctx.get(), 0);
    api->set_timeout(ctx.get(), static_cast<int>(std::max<long>(timeout.count(), 1)));
    api->set_port(ctx.get(), static_cast<uint16_t>(target.port));
    api->set_use_kerberos(ctx.get(), false);
    api->set_fallback_after_kerberos(ctx.get(), true);
    api->set_user_data(ctx.get(), const_cast<Credentials*>(&creds));
    api->set_auth_function(ctx.get(), provide_credentials);
    if (!api->init_context(ctx.get())) {
        const int err = errno;
        return std::string("libsmbclient: cannot initialise: ") + std::strerror(err);
    }
    const std::string url = share_url(target.address, target.share);
    errno = 0;
    SMBCFILE* dir = api->get_opendir(ctx.get())(ctx.get(), url.c_str());
    if (!dir) {
        const int err = errno;
        return url + " (port " + std::to_string(target.port) + "): " + describe_errno(err);
    }
    api->get_closedir(ctx.get())(ctx.get(), dir);
    return "";
}

}  // namespace takeover::smb
