// Challenge/response with HMAC-SHA256 over the shared cluster key (docs/protocol.md).
#pragma once

#include "protocol.h"

#include <string>

namespace takeover::lockd::auth {

proto::Nonce random_nonce();
// What the client proves: HMAC(key, "memexpd-client-v1" || server_nonce || client_nonce).
proto::Mac client_proof(const std::string& key, const proto::Nonce& server_nonce,
                        const proto::Nonce& client_nonce);
// What the server proves back: HMAC(key, "memexpd-server-v1" || client_nonce || server_nonce).
proto::Mac server_proof(const std::string& key, const proto::Nonce& client_nonce,
                        const proto::Nonce& server_nonce);
// Constant time, so a wrong guess learns nothing from timing.
bool equal(const proto::Mac&, const proto::Mac&);

}  // namespace takeover::lockd::auth
