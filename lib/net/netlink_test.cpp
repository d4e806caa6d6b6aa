// The pure queries over interface and address tables (the Netlink class itself is proven
// against the kernel by tests/integration/ipaddr.sh).
#include "takeover/net/netlink.h"
#include "takeover/outcome.h"

#include <gtest/gtest.h>

using namespace takeover;
using namespace takeover::net;

namespace {

LinkAddress addr(int ifindex, const char* ip, int prefix) {
    return {ifindex, {*IpAddress::parse(ip), prefix}, "", std::nullopt};
}

const std::vector<Link> kLinks = {
    {1, "lo", true, true, {}},
    {2, "eth0", true, false, {2, 0, 0, 0, 0, 1}},
    {3, "eth1", true, false, {2, 0, 0, 0, 0, 2}},
};

}  // namespace

TEST(InterfaceFor, PicksTheOneSubnetHolder) {
    std::vector<LinkAddress> table = {addr(1, "127.0.0.1", 8), addr(2, "10.77.3.1", 24),
                                      addr(3, "10.77.4.1", 24), addr(2, "fd00:77:3::1", 64)};
    auto m = interface_for(kLinks, table, *IpAddress::parse("10.77.3.5"));
    EXPECT_EQ(m.link.name, "eth0");
    EXPECT_EQ(m.prefix, 24);
    EXPECT_EQ(interface_for(kLinks, table, *IpAddress::parse("10.77.4.9")).link.name, "eth1");
    EXPECT_EQ(interface_for(kLinks, table, *IpAddress::parse("fd00:77:3::5")).prefix, 64);
}

TEST(InterfaceFor, RefusesNoneOrSeveral) {
    std::vector<LinkAddress> table = {addr(2, "10.77.3.1", 24), addr(3, "10.77.3.2", 16),
                                      addr(2, "10.77.3.9", 32)};
    try {
        interface_for(kLinks, table, *IpAddress::parse("10.77.3.5"));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.outcome(), Outcome::not_configured);
        EXPECT_STREQ(e.what(),
                     "several interfaces have a subnet holding 10.77.3.5 (eth0, eth1); give the "
                     "interface");
    }
    try {
        interface_for(kLinks, table, *IpAddress::parse("192.168.9.9"));
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "no interface has a subnet holding 192.168.9.9; give the interface");
    }
    // A host route (/32) and the VIP itself are no subnet.
    EXPECT_THROW(interface_for(kLinks, {addr(2, "10.77.3.9", 32)}, *IpAddress::parse("10.77.3.9")),
                 Error);
}

TEST(FindAddress, ByAddressOnly) {
    std::vector<LinkAddress> table = {addr(2, "10.77.3.1", 24), addr(3, "10.77.3.5", 24)};
    auto found = find_address(table, *IpAddress::parse("10.77.3.5"));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->ifindex, 3);
    EXPECT_FALSE(find_address(table, *IpAddress::parse("10.77.3.6")));
    EXPECT_EQ(link_named(kLinks, "eth1")->index, 3);
    EXPECT_FALSE(link_named(kLinks, "eth9"));
}
