#include "takeover/net/netlink.h"

#include "takeover/outcome.h"

#include <linux/if_addr.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include <algorithm>
#include <set>

namespace takeover::net {
namespace {

[[noreturn]] void fail(const std::string& what, int nl_error) {
    Outcome outcome = nl_error == -NLE_PERM ? Outcome::permission : Outcome::generic_error;
    throw Error(outcome, what + ": " + nl_geterror(nl_error));
}

// Owns whatever libnl hands out, released by the matching put/free.
template <typename T, void (*Free)(T*)>
struct Owned {
    T* p = nullptr;
    ~Owned() {
        if (p) Free(p);
    }
};
using Cache = Owned<nl_cache, nl_cache_free>;
using Addr = Owned<nl_addr, nl_addr_put>;
using RtAddr = Owned<rtnl_addr, rtnl_addr_put>;

IpAddress to_ip(nl_addr* a) {
    Family family = nl_addr_get_family(a) == AF_INET ? Family::v4 : Family::v6;
    return IpAddress::from_bytes(family, static_cast<const uint8_t*>(nl_addr_get_binary_addr(a)));
}

nl_addr* to_nl(const IpAddress& ip) {
    nl_addr* a = nl_addr_build(ip.v4() ? AF_INET : AF_INET6, ip.data(), ip.size());
    if (!a) throw Error(Outcome::generic_error, "out of memory building a netlink address");
    return a;
}

// A rtnl_addr naming one address on one interface, as RTM_NEWADDR/RTM_DELADDR want it.
rtnl_addr* to_rtnl(const LinkAddress& la) {
    rtnl_addr* r = rtnl_addr_alloc();
    if (!r) throw Error(Outcome::generic_error, "out of memory building a netlink request");
    Addr local{to_nl(la.cidr.address)};
    rtnl_addr_set_ifindex(r, la.ifindex);
    rtnl_addr_set_local(r, local.p);
    rtnl_addr_set_prefixlen(r, la.cidr.prefix);
    if (la.cidr.address.v4()) {
        if (la.broadcast) {
            Addr brd{to_nl(*la.broadcast)};
            rtnl_addr_set_broadcast(r, brd.p);
        }
        if (!la.label.empty()) rtnl_addr_set_label(r, la.label.c_str());
    } else {
        // Usable at once: duplicate detection would hold the VIP "tentative" for a second or
        // more; the agent's own probe is the guard against a second holder.
        rtnl_addr_set_flags(r, IFA_F_NODAD);
    }
    return r;
}

}  // namespace

Netlink::Netlink() {
    sock_ = nl_socket_alloc();
    if (!sock_) throw Error(Outcome::generic_error, "cannot allocate a netlink socket");
    if (int err = nl_connect(sock_, NETLINK_ROUTE); err < 0) {
        nl_socket_free(sock_);
        sock_ = nullptr;
        fail("cannot open rtnetlink", err);
    }
}

Netlink::~Netlink() {
    if (sock_) nl_socket_free(sock_);
}

std::vector<Link> Netlink::links() {
    Cache cache;
    if (int err = rtnl_link_alloc_cache(sock_, AF_UNSPEC, &cache.p); err < 0)
        fail("cannot list interfaces", err);
    std::vector<Link> out;
    for (nl_object* o = nl_cache_get_first(cache.p); o; o = nl_cache_get_next(o)) {
        auto* l = reinterpret_cast<rtnl_link*>(o);
        Link link;
        link.index = rtnl_link_get_ifindex(l);
        link.name = rtnl_link_get_name(l) ? rtnl_link_get_name(l) : "";
        link.up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
        link.loopback = (rtnl_link_get_flags(l) & IFF_LOOPBACK) != 0;
        if (nl_addr* hw = rtnl_link_get_addr(l)) {
            auto* b = static_cast<const uint8_t*>(nl_addr_get_binary_addr(hw));
            link.hwaddr.assign(b, b + nl_addr_get_len(hw));
        }
        out.push_back(std::move(link));
    }
    return out;
}

std::vector<LinkAddress> Netlink::addresses() {
    Cache cache;
    if (int err = rtnl_addr_alloc_cache(sock_, &cache.p); err < 0)
        fail("cannot list addresses", err);
    std::vector<LinkAddress> out;
    for (nl_object* o = nl_cache_get_first(cache.p); o; o = nl_cache_get_next(o)) {
        auto* r = reinterpret_cast<rtnl_addr*>(o);
        nl_addr* local = rtnl_addr_get_local(r);
        int family = rtnl_addr_get_family(r);
        if (!local || (family != AF_INET && family != AF_INET6)) continue;
        LinkAddress la;
        la.ifindex = rtnl_addr_get_ifindex(r);
        la.cidr = {to_ip(local), rtnl_addr_get_prefixlen(r)};
        if (const char* label = rtnl_addr_get_label(r)) la.label = label;
        if (nl_addr* brd = rtnl_addr_get_broadcast(r)) la.broadcast = to_ip(brd);
        out.push_back(std::move(la));
    }
    return out;
}

bool Netlink::add(const LinkAddress& la) {
    RtAddr r{to_rtnl(la)};
    int err = rtnl_addr_add(sock_, r.p, NLM_F_EXCL);
    if (err == -NLE_EXIST) return false;
    if (err < 0) fail("cannot add " + la.cidr.str(), err);
    return true;
}

bool Netlink::remove(const LinkAddress& la) {
    RtAddr r{to_rtnl(la)};
    int err = rtnl_addr_delete(sock_, r.p, 0);
    // The kernel says EADDRNOTAVAIL for an address that is not there, ENODEV for a link gone.
    if (err == -NLE_NOADDR || err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND) return false;
    if (err < 0) fail("cannot remove " + la.cidr.str(), err);
    return true;
}

std::optional<Link> link_named(const std::vector<Link>& links, const std::string& name) {
    for (const auto& l : links)
        if (l.name == name) return l;
    return std::nullopt;
}

std::optional<Link> link_with_index(const std::vector<Link>& links, int index) {
    for (const auto& l : links)
        if (l.index == index) return l;
    return std::nullopt;
}

std::optional<LinkAddress> find_address(const std::vector<LinkAddress>& addresses,
                                        const IpAddress& ip) {
    for (const auto& a : addresses)
        if (a.cidr.address == ip) return a;
    return std::nullopt;
}

SubnetMatch interface_for(const std::vector<Link>& links, const std::vector<LinkAddress>& addresses,
                          const IpAddress& ip) {
    std::vector<SubnetMatch> matches;
    std::set<int> seen;
    for (const auto& a : addresses) {
        if (a.cidr.address == ip || a.cidr.prefix >= ip.max_prefix()) continue;
        if (!a.cidr.contains(ip) || seen.count(a.ifindex)) continue;
        auto link = link_with_index(links, a.ifindex);
        if (!link || link->loopback) continue;
        seen.insert(a.ifindex);
        matches.push_back({*link, a.cidr.prefix});
    }
    if (matches.size() == 1) return matches.front();
    if (matches.empty())
        throw Error(Outcome::not_configured,
                    "no interface has a subnet holding " + ip.str() + "; give the interface");
    std::string names;
    for (const auto& m : matches) names += (names.empty() ? "" : ", ") + m.link.name;
    throw Error(Outcome::not_configured, "several interfaces have a subnet holding " + ip.str() +
                                             " (" + names + "); give the interface");
}

}  // namespace takeover::net
