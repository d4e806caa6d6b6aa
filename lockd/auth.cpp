#include "auth.h"

#include "takeover/outcome.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace takeover::lockd::auth {
namespace {

proto::Mac hmac(const std::string& key, std::string_view label, const proto::Nonce& a,
                const proto::Nonce& b) {
    std::string msg(label);
    msg.append(reinterpret_cast<const char*>(a.data()), a.size());
    msg.append(reinterpret_cast<const char*>(b.data()), b.size());
    proto::Mac mac{};
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), mac.data(), &len) ||
        len != mac.size())
        throw Error(Outcome::generic_error, "HMAC-SHA256 failed");
    return mac;
}

}  // namespace

proto::Nonce random_nonce() {
    proto::Nonce n{};
    if (RAND_bytes(n.data(), static_cast<int>(n.size())) != 1)
        throw Error(Outcome::generic_error, "no random bytes from OpenSSL");
    return n;
}

proto::Mac client_proof(const std::string& key, const proto::Nonce& server_nonce,
                        const proto::Nonce& client_nonce) {
    return hmac(key, "memexpd-client-v1", server_nonce, client_nonce);
}

proto::Mac server_proof(const std::string& key, const proto::Nonce& client_nonce,
                        const proto::Nonce& server_nonce) {
    return hmac(key, "memexpd-server-v1", client_nonce, server_nonce);
}

bool equal(const proto::Mac& a, const proto::Mac& b) {
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace takeover::lockd::auth
