// The kernel's interfaces and addresses, through rtnetlink (libnl-route-3), behind a narrow
// interface so the VIP logic can be unit-tested against a fake table without root.
#pragma once

#include "takeover/net/address.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct nl_sock;  // libnl

namespace takeover::net {

struct Link {
    int index = 0;
    std::string name;
    bool up = false;
    bool loopback = false;
    std::vector<uint8_t> hwaddr;  // 6 bytes on Ethernet
};

struct LinkAddress {
    int ifindex = 0;
    Cidr cidr;
    std::string label;                   // IPv4 only; empty: the interface's name
    std::optional<IpAddress> broadcast;  // IPv4 only
};

class AddressTable {
  public:
    virtual ~AddressTable() = default;
    virtual std::vector<Link> links() = 0;
    virtual std::vector<LinkAddress> addresses() = 0;
    // False when the address was already there. Throws Error on any other failure.
    virtual bool add(const LinkAddress&) = 0;
    // False when the address was not there. Throws Error on any other failure.
    virtual bool remove(const LinkAddress&) = 0;
};

// The real table: one rtnetlink socket, opened by the constructor (throws Error).
class Netlink : public AddressTable {
  public:
    Netlink();
    ~Netlink() override;
    Netlink(const Netlink&) = delete;
    Netlink& operator=(const Netlink&) = delete;

    std::vector<Link> links() override;
    std::vector<LinkAddress> addresses() override;
    bool add(const LinkAddress&) override;
    bool remove(const LinkAddress&) override;

  private:
    ::nl_sock* sock_ = nullptr;
};

// Pure queries over a table's contents.
std::optional<Link> link_named(const std::vector<Link>&, const std::string& name);
std::optional<Link> link_with_index(const std::vector<Link>&, int index);
// Where `ip` is configured, if anywhere.
std::optional<LinkAddress> find_address(const std::vector<LinkAddress>&, const IpAddress&);

// The one interface with a configured subnet holding `ip` (the VIP itself and host-only
// prefixes do not count), and that subnet's prefix. Throws Error(not_configured) naming the
// candidates when none or several interfaces qualify.
struct SubnetMatch {
    Link link;
    int prefix = 0;
};
SubnetMatch interface_for(const std::vector<Link>&, const std::vector<LinkAddress>&,
                          const IpAddress&);

}  // namespace takeover::net
