#include "takeover/net/address.h"

#include <gtest/gtest.h>

using namespace takeover::net;

TEST(IpAddress, ParsesBothFamiliesStrictly) {
    auto v4 = IpAddress::parse("10.77.3.5");
    ASSERT_TRUE(v4);
    EXPECT_TRUE(v4->v4());
    EXPECT_EQ(v4->str(), "10.77.3.5");
    auto v6 = IpAddress::parse("FD00:0::5");
    ASSERT_TRUE(v6);
    EXPECT_FALSE(v6->v4());
    EXPECT_EQ(v6->str(), "fd00::5");
    for (const char* bad :
         {"", "10.1", "10.77.3", "010.0.0.1", "10.0.0.256", "10.0.0.1 ", " 10.0.0.1", "10.0.0.1/24",
          "fe80::1%eth0", "10.0.0.1;true", "$(touch /tmp/x)", "10.0.0.1\n", "::g",
          "1:2:3:4:5:6:7:8:9", "0x0a.0.0.1", "10.0.0.-1"})
        EXPECT_FALSE(IpAddress::parse(bad)) << bad;
}

TEST(IpAddress, RefusesAddressesNoServiceCanTake) {
    for (const char* bad : {"0.0.0.0", "127.0.0.1", "224.0.0.1", "255.255.255.255", "169.254.1.1",
                            "::", "::1", "ff02::1", "fe80::1", "::ffff:10.0.0.1"})
        EXPECT_FALSE(IpAddress::parse(bad)->usable_as_vip()) << bad;
    for (const char* good : {"10.0.0.1", "192.168.1.254", "fd00::5", "2001:db8::1"})
        EXPECT_TRUE(IpAddress::parse(good)->usable_as_vip()) << good;
}

TEST(Cidr, ContainsAndBroadcast) {
    Cidr net{*IpAddress::parse("10.77.3.1"), 24};
    EXPECT_TRUE(net.contains(*IpAddress::parse("10.77.3.200")));
    EXPECT_FALSE(net.contains(*IpAddress::parse("10.77.4.1")));
    EXPECT_FALSE(net.contains(*IpAddress::parse("fd00::1")));
    EXPECT_EQ(net.broadcast().str(), "10.77.3.255");
    EXPECT_EQ((Cidr{*IpAddress::parse("10.77.3.1"), 22}.broadcast().str()), "10.77.3.255");
    EXPECT_EQ((Cidr{*IpAddress::parse("10.77.0.1"), 22}.broadcast().str()), "10.77.3.255");
    EXPECT_EQ((Cidr{*IpAddress::parse("10.77.3.130"), 25}.broadcast().str()), "10.77.3.255");
    Cidr v6{*IpAddress::parse("fd00:77:3::1"), 64};
    EXPECT_TRUE(v6.contains(*IpAddress::parse("fd00:77:3::ffff")));
    EXPECT_FALSE(v6.contains(*IpAddress::parse("fd00:77:4::1")));
    EXPECT_EQ(v6.str(), "fd00:77:3::1/64");
}

TEST(Prefix, LengthsAndNetmasks) {
    EXPECT_EQ(parse_prefix("24", Family::v4), 24);
    EXPECT_EQ(parse_prefix("0", Family::v4), 0);
    EXPECT_EQ(parse_prefix("255.255.255.0", Family::v4), 24);
    EXPECT_EQ(parse_prefix("255.255.252.0", Family::v4), 22);
    EXPECT_EQ(parse_prefix("255.255.255.255", Family::v4), 32);
    EXPECT_EQ(parse_prefix("64", Family::v6), 64);
    EXPECT_EQ(parse_prefix("128", Family::v6), 128);
    for (const char* bad : {"", "33", "-1", "024", "24 ", "255.0.255.0", "255.255.255.1", "x"})
        EXPECT_FALSE(parse_prefix(bad, Family::v4)) << bad;
    EXPECT_FALSE(parse_prefix("129", Family::v6));
    EXPECT_FALSE(parse_prefix("255.255.255.0", Family::v6));
}

TEST(InterfaceName, RefusesWhatNoInterfaceIsCalled) {
    EXPECT_TRUE(valid_interface_name("eth0"));
    EXPECT_TRUE(valid_interface_name("br-lan.10"));
    for (const char* bad : {"", "eth0;touch /tmp/x", "$(reboot)", "eth0\n", "a/b", "eth0:1",
                            "averyveryverylongname", "..", "eth 0", "`id`"})
        EXPECT_FALSE(valid_interface_name(bad)) << bad;
}
