// Telling the neighbours where an address lives, and asking whether someone else has it:
// ARP from an AF_PACKET socket (IPv4), neighbour discovery from a raw ICMPv6 socket (IPv6).
// Behind a narrow interface so the VIP logic can be unit-tested without root or a network.
#pragma once

#include "takeover/net/address.h"
#include "takeover/net/netlink.h"

#include <chrono>

namespace takeover::net {

using std::chrono::milliseconds;

class Neighbourhood {
  public:
    virtual ~Neighbourhood() = default;
    // True when another host answers for `ip` on `link` within `deadline`.
    virtual bool held_elsewhere(const Link&, const IpAddress&, milliseconds deadline) = 0;
    // One gratuitous ARP (IPv4) or unsolicited neighbour advertisement (IPv6), now.
    virtual void announce(const Link&, const IpAddress&) = 0;
    // `count` more announcements, `interval` apart, from a detached process, so the caller
    // returns at once. The process stops early once `ip` is no longer on `link` (a stop or a
    // failover must not be followed by announcements that pull traffic back here).
    virtual void announce_later(const Link&, const IpAddress&, int count,
                                milliseconds interval) = 0;
};

class Wire : public Neighbourhood {
  public:
    bool held_elsewhere(const Link&, const IpAddress&, milliseconds deadline) override;
    void announce(const Link&, const IpAddress&) override;
    void announce_later(const Link&, const IpAddress&, int count, milliseconds interval) override;
};

// Whether ARP / neighbour discovery makes sense on `link` (an Ethernet-like MAC).
bool has_ethernet_address(const Link&);

}  // namespace takeover::net
