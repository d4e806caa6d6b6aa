// IPaddr: a service address (VIP) that follows the service, with gratuitous ARP.
// Drop-in for heartbeat's IPaddr/IPaddr2 argument syntax; OCF parameters as IPaddr2's.
#include "takeover/agent.h"
#include "takeover/net/arp.h"
#include "takeover/net/netlink.h"
#include "vip.h"
#include "vip_config.h"

namespace takeover::agents {

using agent::Parameter;
using agent::Params;
using agent::ParamType;

namespace {

std::vector<Parameter> parameters() {
    return {
        {.name = "ip",
         .shortdesc = "IPv4 or IPv6 service address",
         .longdesc = "The address to bring up, e.g. 10.0.0.10 or fd00::10.",
         .required = true,
         .unique = true},
        {.name = "cidr_netmask",
         .shortdesc = "prefix length",
         .longdesc = "Prefix length (24) or IPv4 netmask (255.255.255.0). Default: that of the "
                     "interface's subnet holding ip, else a host prefix."},
        {.name = "nic",
         .shortdesc = "interface",
         .longdesc = "Interface to put ip on, optionally with an IPv4 label (eth0:vip). "
                     "Default: the one interface whose configured subnet holds ip."},
        {.name = "broadcast",
         .shortdesc = "IPv4 broadcast address",
         .longdesc = "Default: computed from the prefix."},
        {.name = "arp_count",
         .shortdesc = "announcements",
         .longdesc = "Gratuitous ARPs (IPv6: unsolicited neighbour advertisements) sent on "
                     "start: the first at once, the rest from a background process. 0-50.",
         .default_value = "5",
         .type = ParamType::integer},
        {.name = "arp_interval",
         .shortdesc = "ms between announcements",
         .longdesc = "Milliseconds between two announcements, 10-2000.",
         .default_value = "200",
         .type = ParamType::integer},
        {.name = "probe",
         .shortdesc = "refuse when another host has ip",
         .longdesc = "Before adding ip, ask the network (ARP probe, IPv6 neighbour "
                     "solicitation) whether another host answers for it, and refuse to start "
                     "if one does (split-brain guard).",
         .default_value = "yes",
         .type = ParamType::boolean},
        {.name = "probe_timeout",
         .shortdesc = "ms to wait for a probe answer",
         .longdesc = "How long start waits for an answer to its probe, 1-2000 ms. Hosts on "
                     "one Ethernet segment answer within a millisecond.",
         .default_value = "10",
         .type = ParamType::integer},
    };
}

}  // namespace

agent::Spec ipaddr_spec() {
    agent::Spec s;
    s.name = "IPaddr";
    s.shortdesc = "Service IP address with gratuitous ARP";
    s.longdesc =
        "Adds and removes a service address through rtnetlink and announces it with "
        "gratuitous ARP (IPv4) or unsolicited neighbour advertisements (IPv6) from raw "
        "sockets. Monitor reads the kernel's address table and forks nothing. heartbeat v1: "
        "IPaddr ip[/prefixlen[/interface[:label][/broadcast]]] {start|stop|status}.";
    s.heartbeat_usage = "ip[/prefixlen[/interface[:label][/broadcast]]]";
    s.parameters = parameters();
    s.heartbeat_args = ipaddr::heartbeat_fields_to_params;
    s.validate = [](const Params& p) { ipaddr::vip_config(p); };
    s.start = [](const Params& p) {
        auto config = ipaddr::vip_config(p);
        net::Netlink kernel;
        net::Wire wire;
        ipaddr::start(config, kernel, wire);
    };
    s.stop = [](const Params& p) {
        auto config = ipaddr::vip_config(p);
        net::Netlink kernel;
        ipaddr::stop(config, kernel);
    };
    s.monitor = [](const Params& p) {
        auto config = ipaddr::vip_config(p);
        net::Netlink kernel;
        return ipaddr::status(config, kernel);
    };
    s.start_timeout = std::chrono::seconds(20);
    s.stop_timeout = std::chrono::seconds(20);
    s.monitor_timeout = std::chrono::seconds(20);
    s.monitor_interval = std::chrono::seconds(10);
    return s;
}

}  // namespace takeover::agents
