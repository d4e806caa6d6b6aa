#include "takeover/net/arp.h"

#include "takeover/net/arp_packet.h"
#include "takeover/outcome.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <thread>
#include <utility>

namespace takeover::net {
namespace {

using Clock = std::chrono::steady_clock;

class Socket {
  public:
    Socket(int domain, int type, int protocol, const char* what)
        : fd_(::socket(domain, type | SOCK_CLOEXEC, protocol)) {
        if (fd_ < 0) {
            Outcome o =
                errno == EPERM || errno == EACCES ? Outcome::permission : Outcome::generic_error;
            throw Error(o, std::string("cannot open ") + what + " socket: " + strerror(errno));
        }
    }
    ~Socket() {
        if (fd_ >= 0) ::close(fd_);
    }
    Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Socket& operator=(Socket&&) = delete;
    int fd() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

Mac mac_of(const Link& link) {
    if (!has_ethernet_address(link))
        throw Error(Outcome::not_configured, link.name + " has no Ethernet address for ARP");
    Mac mac;
    std::memcpy(mac.data(), link.hwaddr.data(), 6);
    return mac;
}

// An ARP socket bound to one interface: receives only that interface's ARP frames.
// Created with protocol 0 and given ETH_P_ARP by bind(): a socket created with a protocol is
// already hooked to all interfaces, and re-binding it unhooks it with synchronize_net(), an
// RCU grace period (packet_do_bind() in net/packet/af_packet.c).
Socket open_arp_socket(const Link& link) {
    Socket s(AF_PACKET, SOCK_DGRAM, 0, "ARP packet");
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ARP);
    sll.sll_ifindex = link.index;
    if (::bind(s.fd(), reinterpret_cast<sockaddr*>(&sll), sizeof sll) < 0)
        throw Error(Outcome::generic_error,
                    "cannot bind ARP socket to " + link.name + ": " + strerror(errno));
    return s;
}

void send_arp(int fd, const Link& link, const ArpMessage& m) {
    auto bytes = encode(m);
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_protocol = htons(ETH_P_ARP);
    to.sll_ifindex = link.index;
    to.sll_halen = 6;
    std::memset(to.sll_addr, 0xff, 6);
    if (::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) <
        0)
        throw Error(Outcome::generic_error,
                    "cannot send ARP on " + link.name + ": " + strerror(errno));
}

// A raw ICMPv6 socket on one interface with hop limit 255, as neighbour discovery requires
// (receivers drop ND messages with any other hop limit).
Socket open_icmp6_socket(const Link& link) {
    Socket s(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, "ICMPv6 raw");
    int hops = 255;
    setsockopt(s.fd(), IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops);
    setsockopt(s.fd(), IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof hops);
    setsockopt(s.fd(), IPPROTO_IPV6, IPV6_MULTICAST_IF, &link.index, sizeof link.index);
    if (setsockopt(s.fd(), SOL_SOCKET, SO_BINDTODEVICE, link.name.c_str(), link.name.size()) < 0)
        throw Error(Outcome::generic_error,
                    "cannot bind ICMPv6 socket to " + link.name + ": " + strerror(errno));
    icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(ND_NEIGHBOR_ADVERT, &filter);
    setsockopt(s.fd(), IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter);
    return s;
}

void send_icmp6(int fd, const Link& link, const std::vector<uint8_t>& body,
                const IpAddress& to_ip) {
    sockaddr_in6 to{};
    to.sin6_family = AF_INET6;
    to.sin6_scope_id = static_cast<uint32_t>(link.index);
    std::memcpy(&to.sin6_addr, to_ip.data(), 16);
    if (::sendto(fd, body.data(), body.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) < 0)
        throw Error(Outcome::generic_error,
                    "cannot send neighbour discovery on " + link.name + ": " + strerror(errno));
}

// Waits for a datagram until `until`; false when the deadline passed first.
bool readable(int fd, Clock::time_point until) {
    for (;;) {
        auto left = std::chrono::ceil<milliseconds>(until - Clock::now()).count();
        if (left <= 0) return false;
        pollfd p{fd, POLLIN, 0};
        int n = ::poll(&p, 1, static_cast<int>(left));
        if (n > 0) return true;
        if (n < 0 && errno != EINTR) return false;
    }
}

bool arp_answered(int fd, const Link& link, const IpAddress& ip, milliseconds deadline) {
    const Mac ours = mac_of(link);
    send_arp(fd, link, arp_probe(ours, ip));
    const auto until = Clock::now() + deadline;
    uint8_t buf[128];
    while (readable(fd, until)) {
        sockaddr_ll from{};
        socklen_t len = sizeof from;
        ssize_t n =
            ::recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from), &len);
        if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING) continue;
        auto m = decode_arp(buf, static_cast<size_t>(n));
        if (m && claims_address(*m, ip, ours)) return true;
    }
    return false;
}

bool ndisc_answered(int fd, const Link& link, const IpAddress& ip, milliseconds deadline) {
    send_icmp6(fd, link, neighbour_solicitation(ip, mac_of(link)), solicited_node_group(ip));
    const auto until = Clock::now() + deadline;
    uint8_t buf[256];
    while (readable(fd, until)) {
        ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n <= 0) continue;
        // Our own kernel never advertises an address we do not hold yet; any answer is
        // another host's.
        if (auto target = advertised_target(buf, static_cast<size_t>(n)); target == ip) return true;
    }
    return false;
}

// Closes every descriptor from 3 up except the ones in `keep` (sorted, -1 ignored).
void close_all_but(std::initializer_list<int> keep) {
    unsigned from = 3;
    for (int fd : keep) {
        if (fd < 3) continue;
        if (static_cast<unsigned>(fd) > from) ::close_range(from, fd - 1, 0);
        from = static_cast<unsigned>(fd) + 1;
    }
    ::close_range(from, ~0U, 0);
}

// Runs in the detached grandchild: sleeps, checks the address is still ours, announces.
[[noreturn]] void announcer(Wire& wire, const Link& link, const IpAddress& ip, int count,
                            milliseconds interval) {
    int code = 0;
    try {
        Netlink kernel;
        for (int i = 0; i < count; ++i) {
            std::this_thread::sleep_for(interval);
            auto where = find_address(kernel.addresses(), ip);
            if (!where || where->ifindex != link.index) break;
            wire.announce(link, ip);
        }
    } catch (...) {
        code = 1;
    }
    _exit(code);
}

}  // namespace

bool has_ethernet_address(const Link& link) {
    static const uint8_t zero[6] = {};
    return link.hwaddr.size() == 6 && std::memcmp(link.hwaddr.data(), zero, 6) != 0;
}

Wire::~Wire() {
    if (arp_fd_ >= 0) ::close(arp_fd_);
    if (icmp6_fd_ >= 0) ::close(icmp6_fd_);
}

int Wire::arp_socket(const Link& link) {
    if (arp_fd_ >= 0 && arp_ifindex_ == link.index) return arp_fd_;
    if (arp_fd_ >= 0) ::close(arp_fd_);
    arp_fd_ = open_arp_socket(link).release();
    arp_ifindex_ = link.index;
    return arp_fd_;
}

int Wire::icmp6_socket(const Link& link) {
    if (icmp6_fd_ >= 0 && icmp6_ifindex_ == link.index) return icmp6_fd_;
    if (icmp6_fd_ >= 0) ::close(icmp6_fd_);
    icmp6_fd_ = open_icmp6_socket(link).release();
    icmp6_ifindex_ = link.index;
    return icmp6_fd_;
}

bool Wire::held_elsewhere(const Link& link, const IpAddress& ip, milliseconds deadline) {
    return ip.v4() ? arp_answered(arp_socket(link), link, ip, deadline)
                   : ndisc_answered(icmp6_socket(link), link, ip, deadline);
}

void Wire::announce(const Link& link, const IpAddress& ip) {
    if (ip.v4()) {
        send_arp(arp_socket(link), link, gratuitous_arp(mac_of(link), ip));
        return;
    }
    static const IpAddress all_nodes = *IpAddress::parse("ff02::1");
    send_icmp6(icmp6_socket(link), link, neighbour_advertisement(ip, mac_of(link)), all_nodes);
}

void Wire::announce_later(const Link& link, const IpAddress& ip, int count, milliseconds interval) {
    // Opened here so the announcer inherits it (see the class comment). With nothing left to
    // announce the child still runs when an ARP socket is open: closing it is all it does.
    if (count > 0 && ip.v4()) arp_socket(link);
    if (count > 0 && !ip.v4()) icmp6_socket(link);
    if (count <= 0 && arp_fd_ < 0) return;
    // Not waited for: waiting for even a short-lived child to be scheduled cost 10-15 ms at
    // this machine's load. An agent exits right after start and init adopts the announcer; a
    // longer-lived caller reaps it like any other child once it exits.
    pid_t child = ::fork();
    if (child < 0)
        throw Error(Outcome::generic_error, std::string("cannot fork: ") + strerror(errno));
    if (child == 0) {
        // Its own session, away from the caller's signals, and no descriptor of ours but its
        // sockets: whoever reads our stdout (heartbeat, lrmd) must see EOF when we exit.
        ::setsid();
        int null = ::open("/dev/null", O_RDWR);
        for (int fd = 0; fd < 3; ++fd) ::dup2(null, fd);
        close_all_but({std::min(arp_fd_, icmp6_fd_), std::max(arp_fd_, icmp6_fd_)});
        announcer(*this, link, ip, count, interval);
    }
}

}  // namespace takeover::net
