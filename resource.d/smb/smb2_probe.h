// A guest health check without libsmbclient: SMB2 negotiate, an anonymous NTLMSSP session
// setup and a tree connect, over one TCP connection. libsmbclient costs ~30 ms of CPU in the
// dynamic loader alone; this costs a few syscalls, so status meets its 20 ms budget.
#pragma once

#include "smb_probe.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace takeover::smb {

// "" when the share accepted an anonymous tree connect, else why not (one line).
std::string smb2_anonymous_probe(const ProbeTarget&, std::chrono::milliseconds timeout);

namespace smb2 {
// Pure message builders and parsers, for unit tests.
std::vector<uint8_t> negotiate_request();
std::vector<uint8_t> session_setup_request(uint64_t message_id, uint64_t session_id,
                                           const std::vector<uint8_t>& token);
std::vector<uint8_t> ntlmssp_negotiate();
std::vector<uint8_t> ntlmssp_anonymous_authenticate(uint32_t server_flags);
std::vector<uint8_t> tree_connect_request(uint64_t message_id, uint64_t session_id,
                                          const std::string& unc);
struct Reply {
    uint16_t command = 0;
    uint32_t status = 0;
    uint64_t session_id = 0;
    std::vector<uint8_t> security_buffer;  // session setup replies only
};
// Throws std::runtime_error for a reply that is not SMB2.
Reply parse_reply(const std::vector<uint8_t>& message);
// The NegotiateFlags of an NTLMSSP CHALLENGE message (0 if it is not one).
uint32_t challenge_flags(const std::vector<uint8_t>& token);
}  // namespace smb2

}  // namespace takeover::smb
