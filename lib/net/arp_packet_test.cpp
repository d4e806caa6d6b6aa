#include "takeover/net/arp_packet.h"

#include <gtest/gtest.h>

using namespace takeover::net;

namespace {
const Mac kOurs = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
const Mac kTheirs = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
}  // namespace

TEST(ArpPacket, GratuitousRequestBytes) {
    auto bytes = encode(gratuitous_arp(kOurs, *IpAddress::parse("10.77.3.5")));
    const std::array<uint8_t, 28> expected = {
        0x00, 0x01, 0x08, 0x00, 6,    4,    0x00, 0x01,         // Ethernet/IPv4 request
        0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 10,   77,   3, 5,   // sender
        0,    0,    0,    0,    0,    0,    10,   77,   3, 5};  // target
    EXPECT_EQ(bytes, expected);
}

TEST(ArpPacket, ProbeHasNoSenderAddress) {
    auto m = arp_probe(kOurs, *IpAddress::parse("10.77.3.5"));
    EXPECT_EQ(m.sender_ip, (std::array<uint8_t, 4>{0, 0, 0, 0}));
    EXPECT_EQ(m.target_ip, (std::array<uint8_t, 4>{10, 77, 3, 5}));
}

TEST(ArpPacket, DecodeRoundTripAndClaims) {
    auto vip = *IpAddress::parse("10.77.3.5");
    auto reply = gratuitous_arp(kTheirs, vip);
    reply.op = kArpReply;
    auto bytes = encode(reply);
    auto decoded = decode_arp(bytes.data(), bytes.size());
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->op, kArpReply);
    EXPECT_TRUE(claims_address(*decoded, vip, kOurs));
    EXPECT_FALSE(claims_address(*decoded, vip, kTheirs));  // our own frame
    EXPECT_FALSE(claims_address(*decoded, *IpAddress::parse("10.77.3.6"), kOurs));
    EXPECT_FALSE(claims_address(arp_probe(kTheirs, vip), vip, kOurs));  // a probe claims nothing
    EXPECT_FALSE(decode_arp(bytes.data(), 27));
    bytes[1] = 6;  // not Ethernet
    EXPECT_FALSE(decode_arp(bytes.data(), bytes.size()));
}

TEST(NeighbourDiscovery, AdvertisementAndSolicitation) {
    auto vip = *IpAddress::parse("fd00:77:3::5");
    auto na = neighbour_advertisement(vip, kOurs);
    ASSERT_EQ(na.size(), 32u);
    EXPECT_EQ(na[0], 136);
    EXPECT_EQ(na[4], 0x20);  // Override, not Solicited, not Router
    EXPECT_EQ(IpAddress::from_bytes(Family::v6, &na[8]), vip);
    EXPECT_EQ(na[24], 2);  // target link-layer address option
    EXPECT_EQ(na[25], 1);
    EXPECT_TRUE(std::equal(kOurs.begin(), kOurs.end(), na.begin() + 26));
    EXPECT_EQ(advertised_target(na.data(), na.size()), vip);

    auto ns = neighbour_solicitation(vip, kOurs);
    EXPECT_EQ(ns[0], 135);
    EXPECT_EQ(ns[24], 1);  // source link-layer address option
    EXPECT_FALSE(advertised_target(ns.data(), ns.size()));
    EXPECT_EQ(solicited_node_group(vip).str(), "ff02::1:ff00:5");
    EXPECT_EQ(solicited_node_group(*IpAddress::parse("2001:db8::12:3456")).str(),
              "ff02::1:ff12:3456");
}
