#include "takeover/net/arp_packet.h"

#include <cstring>

namespace takeover::net {
namespace {

constexpr uint8_t kNeighbourSolicitation = 135;
constexpr uint8_t kNeighbourAdvertisement = 136;
constexpr uint8_t kOptionSourceLinkAddress = 1;
constexpr uint8_t kOptionTargetLinkAddress = 2;
constexpr uint8_t kFlagOverride = 0x20;

std::array<uint8_t, 4> v4_bytes(const IpAddress& ip) {
    std::array<uint8_t, 4> out{};
    std::memcpy(out.data(), ip.data(), 4);
    return out;
}

// Type, code, checksum, 4 bytes of flags/reserved, the 16-byte target, one link-layer option.
std::vector<uint8_t> ndisc_message(uint8_t type, uint8_t flags, const IpAddress& target,
                                   uint8_t option, const Mac& mac) {
    std::vector<uint8_t> m(8 + 16 + 8, 0);
    m[0] = type;
    m[4] = flags;
    std::memcpy(&m[8], target.data(), 16);
    m[24] = option;
    m[25] = 1;  // option length in units of 8 bytes
    std::memcpy(&m[26], mac.data(), 6);
    return m;
}

}  // namespace

std::array<uint8_t, 28> encode(const ArpMessage& m) {
    std::array<uint8_t, 28> b{};
    b[0] = 0, b[1] = 1;        // hardware type: Ethernet
    b[2] = 0x08, b[3] = 0x00;  // protocol type: IPv4
    b[4] = 6, b[5] = 4;        // address lengths
    b[6] = static_cast<uint8_t>(m.op >> 8), b[7] = static_cast<uint8_t>(m.op);
    std::memcpy(&b[8], m.sender_mac.data(), 6);
    std::memcpy(&b[14], m.sender_ip.data(), 4);
    std::memcpy(&b[18], m.target_mac.data(), 6);
    std::memcpy(&b[24], m.target_ip.data(), 4);
    return b;
}

std::optional<ArpMessage> decode_arp(const uint8_t* b, size_t size) {
    if (size < 28 || b[0] != 0 || b[1] != 1 || b[2] != 0x08 || b[3] != 0 || b[4] != 6 || b[5] != 4)
        return std::nullopt;
    ArpMessage m;
    m.op = static_cast<uint16_t>(b[6] << 8 | b[7]);
    std::memcpy(m.sender_mac.data(), &b[8], 6);
    std::memcpy(m.sender_ip.data(), &b[14], 4);
    std::memcpy(m.target_mac.data(), &b[18], 6);
    std::memcpy(m.target_ip.data(), &b[24], 4);
    return m;
}

ArpMessage gratuitous_arp(const Mac& ours, const IpAddress& ip) {
    ArpMessage m;
    m.op = kArpRequest;
    m.sender_mac = ours;
    m.sender_ip = v4_bytes(ip);
    m.target_ip = v4_bytes(ip);
    return m;
}

ArpMessage arp_probe(const Mac& ours, const IpAddress& ip) {
    ArpMessage m;
    m.op = kArpRequest;
    m.sender_mac = ours;
    m.target_ip = v4_bytes(ip);
    return m;
}

bool claims_address(const ArpMessage& m, const IpAddress& ip, const Mac& ours) {
    return ip.v4() && m.sender_mac != ours && std::memcmp(m.sender_ip.data(), ip.data(), 4) == 0;
}

std::vector<uint8_t> neighbour_advertisement(const IpAddress& target, const Mac& ours) {
    return ndisc_message(kNeighbourAdvertisement, kFlagOverride, target, kOptionTargetLinkAddress,
                         ours);
}

std::vector<uint8_t> neighbour_solicitation(const IpAddress& target, const Mac& ours) {
    return ndisc_message(kNeighbourSolicitation, 0, target, kOptionSourceLinkAddress, ours);
}

std::optional<IpAddress> advertised_target(const uint8_t* data, size_t size) {
    if (size < 24 || data[0] != kNeighbourAdvertisement || data[1] != 0) return std::nullopt;
    return IpAddress::from_bytes(Family::v6, data + 8);
}

IpAddress solicited_node_group(const IpAddress& target) {
    uint8_t b[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0, 0, 0};
    std::memcpy(b + 13, target.data() + 13, 3);
    return IpAddress::from_bytes(Family::v6, b);
}

}  // namespace takeover::net
