#include "vip.h"

#include <spdlog/spdlog.h>

namespace takeover::ipaddr {
namespace {

std::string link_name(const std::vector<net::Link>& links, int index) {
    auto link = net::link_with_index(links, index);
    return link ? link->name : "interface " + std::to_string(index);
}

void announce(const VipConfig& c, const net::Link& link, net::Neighbourhood& wire) {
    if (c.arp_count == 0) return;
    if (!net::has_ethernet_address(link)) {
        spdlog::warn("{} has no Ethernet address: no announcement for {}", link.name, c.ip.str());
        return;
    }
    wire.announce(link, c.ip);
    wire.announce_later(link, c.ip, c.arp_count - 1, c.arp_interval);
}

}  // namespace

Placement place(const VipConfig& c, const std::vector<net::Link>& links,
                const std::vector<net::LinkAddress>& addresses) {
    Placement p;
    std::optional<int> subnet_prefix;
    if (c.nic.empty()) {
        auto match = net::interface_for(links, addresses, c.ip);
        p.link = match.link;
        subnet_prefix = match.prefix;
    } else {
        auto link = net::link_named(links, c.nic);
        if (!link) throw Error(Outcome::not_configured, "interface " + c.nic + " does not exist");
        p.link = *link;
        for (const auto& a : addresses)
            if (a.ifindex == link->index && a.cidr.address != c.ip && a.cidr.contains(c.ip) &&
                a.cidr.prefix < c.ip.max_prefix())
                subnet_prefix = a.cidr.prefix;
    }
    if (!p.link.up) throw Error(Outcome::generic_error, "interface " + p.link.name + " is down");
    const int prefix = c.prefix.value_or(subnet_prefix.value_or(c.ip.max_prefix()));
    p.address.ifindex = p.link.index;
    p.address.cidr = {c.ip, prefix};
    p.address.label = c.label;
    // /31 and /32 have no broadcast address (RFC 3021).
    if (c.ip.v4() && (c.broadcast || prefix < 31))
        p.address.broadcast = c.broadcast.value_or(p.address.cidr.broadcast());
    return p;
}

void start(const VipConfig& c, net::AddressTable& table, net::Neighbourhood& wire) {
    const auto links = table.links();
    const auto addresses = table.addresses();
    if (auto here = net::find_address(addresses, c.ip)) {
        auto nic = net::link_named(links, c.nic);
        if (c.nic.empty() || (nic && nic->index == here->ifindex)) {
            spdlog::info("{} is already on {}", c.ip.str(), link_name(links, here->ifindex));
            return;
        }
        throw Error(
            Outcome::generic_error,
            c.ip.str() + " is already on " + link_name(links, here->ifindex) + ", not on " + c.nic);
    }
    const Placement p = place(c, links, addresses);
    if (c.probe && net::has_ethernet_address(p.link) &&
        wire.held_elsewhere(p.link, c.ip, c.probe_timeout))
        throw Error(Outcome::generic_error,
                    "another host on " + p.link.name + " already answers for " + c.ip.str() +
                        "; refusing to start (set probe=no to skip this check)");
    table.add(p.address);
    spdlog::info("added {} to {}", p.address.cidr.str(), p.link.name);
    announce(c, p.link, wire);
}

void stop(const VipConfig& c, net::AddressTable& table) {
    // Bounded: an address can be configured on several interfaces at once.
    for (int i = 0; i < 16; ++i) {
        auto here = net::find_address(table.addresses(), c.ip);
        if (!here) return;
        table.remove(*here);
        spdlog::info("removed {}", here->cidr.str());
    }
    throw Error(Outcome::generic_error, c.ip.str() + " keeps coming back");
}

agent::Health status(const VipConfig& c, net::AddressTable& table) {
    auto here = net::find_address(table.addresses(), c.ip);
    if (!here) return {agent::ResourceState::stopped, ""};
    if (c.nic.empty()) return {agent::ResourceState::running, ""};
    // Only now are the links worth a second netlink dump.
    auto links = table.links();
    auto nic = net::link_named(links, c.nic);
    if (nic && nic->index == here->ifindex) return {agent::ResourceState::running, ""};
    return {agent::ResourceState::failed,
            c.ip.str() + " is on " + link_name(links, here->ifindex) + ", not on " + c.nic};
}

}  // namespace takeover::ipaddr
