// The IPaddr actions against the kernel's address table and the wire, both behind the narrow
// interfaces of takeover_net so that unit tests run them on fakes.
#pragma once

#include "takeover/agent.h"
#include "takeover/net/arp.h"
#include "takeover/net/netlink.h"
#include "vip_config.h"

namespace takeover::ipaddr {

// Where the VIP goes: the interface and the address as it will be configured.
struct Placement {
    net::Link link;
    net::LinkAddress address;
};

// Resolves the interface (given, or the one whose subnet holds the VIP), the prefix (given,
// else that subnet's, else a host prefix) and the IPv4 broadcast. Throws Error.
Placement place(const VipConfig&, const std::vector<net::Link>&,
                const std::vector<net::LinkAddress>&);

// Idempotent: an address already in place is success and changes nothing. Probes first
// (unless told not to) and refuses when another host answers for the VIP; then adds it,
// announces it once at once and arp_count - 1 more times in the background.
void start(const VipConfig&, net::AddressTable&, net::Neighbourhood&);
// Idempotent: removes the VIP wherever it is configured on this node.
void stop(const VipConfig&, net::AddressTable&);
// Running when the VIP is on the configured interface (any, without nic); stopped when it is
// nowhere; failed when it is on another interface than the configured one.
agent::Health status(const VipConfig&, net::AddressTable&);

}  // namespace takeover::ipaddr
