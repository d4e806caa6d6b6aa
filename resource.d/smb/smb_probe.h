// The health check with credentials: a real SMB session to a share, in-process through
// libsmbclient (anonymous checks use smb2_probe.h).
#pragma once

#include "smb_conf.h"

#include <chrono>
#include <string>

namespace takeover::smb {

struct ProbeTarget {
    std::string address;  // numeric IPv4 or IPv6
    int port = 445;
    std::string share;
};

// smb://ADDRESS/SHARE opened as a directory with a fresh libsmbclient context: protocol
// negotiation, session setup (credentials, else anonymous/guest) and tree connect, all within
// `timeout`. Returns "" when the share answered, else one line saying why not.
std::string probe_share(const ProbeTarget&, const Credentials&, std::chrono::milliseconds timeout);

// "smb://10.0.0.1/share", "smb://[fd00::1]/share" (pure; for messages and libsmbclient).
std::string share_url(const std::string& address, const std::string& share);

}  // namespace takeover::smb
