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
    // `count` more announcements, `interval` apart, from a detached child in its own session,
    // so the caller returns at once; the child is not waited for (an agent exits first and
    // init adopts it). It stops early once `ip` is no longer on `link`: a stop or a failover
    // must not be followed by announcements that pull traffic back here.
    virtual void announce_later(const Link&, const IpAddress&, int count,
                                milliseconds interval) = 0;
};

// The real wire. Keeps one socket per kind open for its lifetime and hands it to the
// background announcer: closing the last reference to an AF_PACKET socket waits for an RCU
// grace period (synchronize_net() in packet_release), measured at 10-30 ms on this loaded
// 2-core machine, a cost `start` should not pay in the foreground.
class Wire : public Neighbourhood {
  public:
    Wire() = default;
    ~Wire() override;
    Wire(const Wire&) = delete;
    Wire& operator=(const Wire&) = delete;

    bool held_elsewhere(const Link&, const IpAddress&, milliseconds deadline) override;
    void announce(const Link&, const IpAddress&) override;
    void announce_later(const Link&, const IpAddress&, int count, milliseconds interval) override;

  private:
    int arp_socket(const Link&);
    int icmp6_socket(const Link&);
    int arp_fd_ = -1;
    int arp_ifindex_ = 0;
    int icmp6_fd_ = -1;
    int icmp6_ifindex_ = 0;
};

// Whether ARP / neighbour discovery makes sense on `link` (an Ethernet-like MAC).
bool has_ethernet_address(const Link&);

}  // namespace takeover::net
