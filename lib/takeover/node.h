// Who this node is: its cluster node name and its addresses.
#pragma once

#include <string>
#include <vector>

namespace takeover::node {

// heartbeat's node name: HA_CURHOST when heartbeat runs us, else uname -n (as heartbeat
// compares node lines, lower-cased).
std::string name();

struct InterfaceAddress {
    std::string interface;
    std::string address;  // numeric, no prefix
    int prefix_length = 0;
    bool ipv6 = false;
};

// Every address configured on this node (getifaddrs; no fork), loopback excluded.
std::vector<InterfaceAddress> addresses();

// This node's IPv4 address on the cluster network: the address of `interface` when given,
// else of heartbeat's bcast/ucast/mcast interface (HA_bcast, ...), else the first
// non-loopback IPv4 address. Throws Error(not_configured) when there is none.
std::string cluster_address(const std::string& interface = "");

}  // namespace takeover::node
