// What an IPaddr resource is: the VIP and how to announce it, parsed once from the agent's
// parameters with strict checks, so that no action touches the kernel with a bad value.
#pragma once

#include "takeover/agent.h"
#include "takeover/net/address.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace takeover::ipaddr {

using std::chrono::milliseconds;

// Bounds on the background announcer: at most this many and this far apart, so it is gone
// within kMaxArpCount * kMaxArpInterval (100 s) whatever the configuration says.
inline constexpr int kMaxArpCount = 50;
inline constexpr milliseconds kMinArpInterval{10};
inline constexpr milliseconds kMaxArpInterval{2000};
inline constexpr milliseconds kMaxProbeTimeout{2000};

struct VipConfig {
    net::IpAddress ip;
    std::optional<int> prefix;                // none: the prefix of the subnet that holds ip
    std::string nic;                          // none: the one interface whose subnet holds ip
    std::string label;                        // IPv4 "eth0:vip" label; empty: none
    std::optional<net::IpAddress> broadcast;  // IPv4; none: computed from the prefix
    int arp_count = 5;
    milliseconds arp_interval{200};
    bool probe = true;
    milliseconds probe_timeout{10};
};

// Validates every parameter. Throws Error(not_configured) naming the first bad one.
VipConfig vip_config(const agent::Params&);

// heartbeat v1: `ip[/prefixlen[/interface[:label]][/broadcast]]`, a third field starting
// with a digit being the broadcast (as heartbeat's IPaddr and IPaddr2 read it). Sets the
// OCF-named parameters and validates them; throws Error(bad_arguments).
void heartbeat_fields_to_params(const std::vector<std::string>& fields, agent::Params&);

}  // namespace takeover::ipaddr
