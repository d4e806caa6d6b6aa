// The bytes of ARP (RFC 826, 5227) and IPv6 neighbour discovery (RFC 4861) messages, built
// and read without sockets so that unit tests can check them byte by byte.
#pragma once

#include "takeover/net/address.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace takeover::net {

using Mac = std::array<uint8_t, 6>;

inline constexpr uint16_t kArpRequest = 1;
inline constexpr uint16_t kArpReply = 2;

// An Ethernet/IPv4 ARP message (the 28 bytes after the Ethernet header).
struct ArpMessage {
    uint16_t op = kArpRequest;
    Mac sender_mac{};
    std::array<uint8_t, 4> sender_ip{};
    Mac target_mac{};
    std::array<uint8_t, 4> target_ip{};
};

std::array<uint8_t, 28> encode(const ArpMessage&);
std::optional<ArpMessage> decode_arp(const uint8_t* data, size_t size);

// Gratuitous ARP: a request from `ip` for `ip`, which every Linux neighbour that already has
// an entry for `ip` takes as an update (arp_is_garp() in net/ipv4/arp.c).
ArpMessage gratuitous_arp(const Mac& ours, const IpAddress& ip);
// RFC 5227 probe: sender address 0.0.0.0 so that no neighbour learns anything from it.
ArpMessage arp_probe(const Mac& ours, const IpAddress& ip);
// True when `m` comes from a host other than `ours` that uses `ip` as its address.
bool claims_address(const ArpMessage& m, const IpAddress& ip, const Mac& ours);

// ICMPv6 bodies (the kernel fills in the checksum on raw ICMPv6 sockets).
// Unsolicited neighbour advertisement for ff02::1: Override set, Solicited clear, with the
// target link-layer address option.
std::vector<uint8_t> neighbour_advertisement(const IpAddress& target, const Mac& ours);
// Neighbour solicitation for `target` with our source link-layer address option.
std::vector<uint8_t> neighbour_solicitation(const IpAddress& target, const Mac& ours);
// The target of a neighbour advertisement, if `data` is one.
std::optional<IpAddress> advertised_target(const uint8_t* data, size_t size);
// ff02::1:ffXX:XXXX, where a solicitation for `target` is sent.
IpAddress solicited_node_group(const IpAddress& target);

}  // namespace takeover::net
