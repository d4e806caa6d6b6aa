// The IPaddr actions on a fake address table and a fake wire: what is added, removed and
// announced, and what is refused. The real ones are proven by tests/integration/ipaddr.sh.
#include "vip.h"

#include <gtest/gtest.h>

using namespace takeover;
using namespace takeover::ipaddr;
using namespace takeover::net;

namespace {

class FakeTable : public AddressTable {
  public:
    std::vector<Link> link_list = {{1, "lo", true, true, {}},
                                   {2, "eth0", true, false, {2, 0, 0, 0, 0, 1}},
                                   {3, "eth1", true, false, {2, 0, 0, 0, 0, 2}}};
    std::vector<LinkAddress> table = {
        {1, {*IpAddress::parse("127.0.0.1"), 8}, "", std::nullopt},
        {2, {*IpAddress::parse("10.77.3.1"), 24}, "", std::nullopt},
        {3, {*IpAddress::parse("10.77.4.1"), 24}, "", std::nullopt},
        {2, {*IpAddress::parse("fd00:77:3::1"), 64}, "", std::nullopt}};
    int dumps = 0;

    std::vector<Link> links() override { return link_list; }
    std::vector<LinkAddress> addresses() override {
        ++dumps;
        return table;
    }
    bool add(const LinkAddress& a) override {
        if (find_address(table, a.cidr.address)) return false;
        table.push_back(a);
        return true;
    }
    bool remove(const LinkAddress& a) override {
        auto before = table.size();
        std::erase_if(table, [&](const LinkAddress& x) { return x.cidr == a.cidr; });
        return table.size() != before;
    }
};

class FakeWire : public Neighbourhood {
  public:
    bool other_host_has_it = false;
    std::vector<std::string> sent;
    bool held_elsewhere(const Link& l, const IpAddress& ip, milliseconds) override {
        sent.push_back("probe " + ip.str() + " on " + l.name);
        return other_host_has_it;
    }
    void announce(const Link& l, const IpAddress& ip) override {
        sent.push_back("announce " + ip.str() + " on " + l.name);
    }
    void announce_later(const Link& l, const IpAddress& ip, int count,
                        milliseconds interval) override {
        sent.push_back("later " + std::to_string(count) + "x" + std::to_string(interval.count()) +
                       "ms " + ip.str() + " on " + l.name);
    }
};

VipConfig vip(const char* ip) {
    VipConfig c;
    c.ip = *IpAddress::parse(ip);
    return c;
}

}  // namespace

TEST(VipStart, FindsTheSubnetAddsAndAnnounces) {
    FakeTable kernel;
    FakeWire wire;
    start(vip("10.77.3.5"), kernel, wire);
    auto added = find_address(kernel.table, *IpAddress::parse("10.77.3.5"));
    ASSERT_TRUE(added);
    EXPECT_EQ(added->ifindex, 2);
    EXPECT_EQ(added->cidr.prefix, 24);
    EXPECT_EQ(added->broadcast->str(), "10.77.3.255");
    EXPECT_EQ(wire.sent,
              (std::vector<std::string>{"probe 10.77.3.5 on eth0", "announce 10.77.3.5 on eth0",
                                        "later 4x200ms 10.77.3.5 on eth0"}));
    EXPECT_EQ(status(vip("10.77.3.5"), kernel).state, agent::ResourceState::running);
}

TEST(VipStart, IsIdempotentAndProbesOnlyWhenAbsent) {
    FakeTable kernel;
    FakeWire wire;
    start(vip("10.77.3.5"), kernel, wire);
    wire.sent.clear();
    start(vip("10.77.3.5"), kernel, wire);
    EXPECT_TRUE(wire.sent.empty());
    EXPECT_EQ(kernel.table.size(), 5u);
}

TEST(VipStart, RefusesWhenAnotherHostAnswers) {
    FakeTable kernel;
    FakeWire wire;
    wire.other_host_has_it = true;
    try {
        start(vip("10.77.3.5"), kernel, wire);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "another host on eth0 already answers for 10.77.3.5; refusing to start (set "
                     "probe=no to skip this check)");
    }
    EXPECT_EQ(kernel.table.size(), 4u);
    auto no_probe = vip("10.77.3.5");
    no_probe.probe = false;
    start(no_probe, kernel, wire);
    EXPECT_EQ(kernel.table.size(), 5u);
}

TEST(VipStart, GivenInterfacePrefixLabelAndCount) {
    FakeTable kernel;
    FakeWire wire;
    auto c = vip("10.77.9.9");
    c.nic = "eth1";
    c.label = "eth1:vip";
    c.prefix = 28;
    c.arp_count = 1;
    start(c, kernel, wire);
    auto added = find_address(kernel.table, c.ip);
    EXPECT_EQ(added->ifindex, 3);
    EXPECT_EQ(added->label, "eth1:vip");
    EXPECT_EQ(added->broadcast->str(), "10.77.9.15");
    EXPECT_EQ(wire.sent.back(), "later 0x200ms 10.77.9.9 on eth1");
    // Outside every subnet, with no prefix given: a host address, no broadcast.
    auto host = vip("10.77.8.8");
    host.nic = "eth0";
    start(host, kernel, wire);
    EXPECT_EQ(find_address(kernel.table, host.ip)->cidr.prefix, 32);
    EXPECT_FALSE(find_address(kernel.table, host.ip)->broadcast);
}

TEST(VipStart, RefusesMissingDownOrWrongInterface) {
    FakeTable kernel;
    FakeWire wire;
    auto c = vip("10.77.3.5");
    c.nic = "eth9";
    EXPECT_THROW(start(c, kernel, wire), Error);
    EXPECT_THROW(start(vip("192.168.1.1"), kernel, wire), Error);  // no subnet holds it
    kernel.link_list[1].up = false;
    EXPECT_THROW(start(vip("10.77.3.5"), kernel, wire), Error);
    EXPECT_EQ(kernel.table.size(), 4u);
    EXPECT_TRUE(wire.sent.empty());

    kernel.link_list[1].up = true;
    start(vip("10.77.3.5"), kernel, wire);
    c.nic = "eth1";
    EXPECT_THROW(start(c, kernel, wire), Error);  // already on eth0
    auto s = status(c, kernel);
    EXPECT_EQ(s.state, agent::ResourceState::failed);
    EXPECT_EQ(s.detail, "10.77.3.5 is on eth0, not on eth1");
}

TEST(VipStopAndStatus, IdempotentAndReadOnly) {
    FakeTable kernel;
    FakeWire wire;
    auto c = vip("fd00:77:3::5");
    start(c, kernel, wire);
    EXPECT_EQ(find_address(kernel.table, c.ip)->cidr.prefix, 64);
    EXPECT_FALSE(find_address(kernel.table, c.ip)->broadcast);
    kernel.dumps = 0;
    EXPECT_EQ(status(c, kernel).state, agent::ResourceState::running);
    EXPECT_EQ(kernel.dumps, 1);
    stop(c, kernel);
    EXPECT_FALSE(find_address(kernel.table, c.ip));
    EXPECT_EQ(status(c, kernel).state, agent::ResourceState::stopped);
    stop(c, kernel);
    EXPECT_EQ(kernel.table.size(), 4u);
}
