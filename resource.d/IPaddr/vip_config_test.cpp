#include "vip_config.h"

#include <gtest/gtest.h>

using namespace takeover;
using namespace takeover::ipaddr;
using takeover::agent::Params;

namespace takeover::agents {
agent::Spec ipaddr_spec();
}

namespace {

// Parameters as heartbeat would pass `IPaddr FIELDS... start`.
VipConfig from_heartbeat(const std::vector<std::string>& fields) {
    static const auto spec = agents::ipaddr_spec();
    return vip_config(agent::params_from_heartbeat(spec, fields));
}

Outcome heartbeat_error(const std::vector<std::string>& fields) {
    try {
        from_heartbeat(fields);
    } catch (const Error& e) {
        return e.outcome();
    }
    return Outcome::success;
}

}  // namespace

TEST(HeartbeatArgs, AllFourForms) {
    auto bare = from_heartbeat({"10.77.3.5"});
    EXPECT_EQ(bare.ip.str(), "10.77.3.5");
    EXPECT_FALSE(bare.prefix);
    EXPECT_TRUE(bare.nic.empty());
    EXPECT_EQ(bare.arp_count, 5);
    EXPECT_EQ(bare.arp_interval.count(), 200);
    EXPECT_TRUE(bare.probe);

    EXPECT_EQ(from_heartbeat({"10.77.3.5/24"}).prefix, 24);
    auto with_nic = from_heartbeat({"10.77.3.5/24/eth0"});
    EXPECT_EQ(with_nic.nic, "eth0");
    EXPECT_TRUE(with_nic.label.empty());
    auto full = from_heartbeat({"10.77.3.5/24/eth0:vip/10.77.3.255"});
    EXPECT_EQ(full.nic, "eth0");
    EXPECT_EQ(full.label, "eth0:vip");
    EXPECT_EQ(full.broadcast->str(), "10.77.3.255");
    // A third field starting with a digit is the broadcast, as heartbeat's IPaddr2 reads it.
    auto brd = from_heartbeat({"10.77.3.5/24/10.77.3.255"});
    EXPECT_TRUE(brd.nic.empty());
    EXPECT_EQ(brd.broadcast->str(), "10.77.3.255");
    EXPECT_EQ(from_heartbeat({"10.77.3.5/255.255.255.0/eth0"}).prefix, 24);
}

TEST(HeartbeatArgs, Ipv6IsRejoinedAfterHeartbeatSplitsOnDoubleColon) {
    auto v6 = from_heartbeat({"fd00:77:3::5/64/eth0"});
    EXPECT_EQ(v6.ip.str(), "fd00:77:3::5");
    EXPECT_EQ(v6.prefix, 64);
    // haresources `IPaddr::fd00:77:3::5/64/eth0` reaches the script as two arguments.
    auto split = from_heartbeat({"fd00:77:3", "5/64/eth0"});
    EXPECT_EQ(split.ip.str(), "fd00:77:3::5");
    EXPECT_EQ(split.nic, "eth0");
}

TEST(HeartbeatArgs, HostileAndInvalidStringsAreBadArguments) {
    for (const char* bad : {"10.77.3.5/24/eth0;touch /tmp/x",
                            "$(touch /tmp/x)",
                            "10.77.3.5/24/$(id)",
                            "10.77.3.5\n/24",
                            "10.77.3.5/24/eth0\ntouch",
                            "`id`",
                            "10.77.3.5;id",
                            "10.77.3",
                            "10.77.3.256",
                            "10.77.3.5/33",
                            "10.77.3.5/24/eth0/10.77.3.255/x",
                            "10.77.3.5/24/eth0/x",
                            "127.0.0.1",
                            "224.0.0.5",
                            "0.0.0.0",
                            "fd00::5/129",
                            "fd00::5/64/eth0:vip",
                            "",
                            "/24",
                            "10.77.3.5/24/10.77.3.255/eth0",
                            "10.77.3.5/24/eth0:a;b",
                            "10.77.3.5/24/eth0/fd00::1"})
        EXPECT_EQ(heartbeat_error({bad}), Outcome::bad_arguments) << bad;
    EXPECT_EQ(heartbeat_error({}), Outcome::bad_arguments);
}

TEST(OcfParams, RangesAndBooleans) {
    static const auto spec = agents::ipaddr_spec();
    auto params = [&](std::map<std::string, std::string> values) {
        Params p;
        p.declare(&spec.parameters);
        for (auto& [k, v] : values) p.set(k, v);
        return p;
    };
    auto c = vip_config(params({{"ip", "10.77.3.5"},
                                {"cidr_netmask", "24"},
                                {"nic", "eth0"},
                                {"arp_count", "0"},
                                {"arp_interval", "10"},
                                {"probe", "no"}}));
    EXPECT_EQ(c.arp_count, 0);
    EXPECT_EQ(c.arp_interval.count(), 10);
    EXPECT_FALSE(c.probe);
    for (auto bad : std::vector<std::map<std::string, std::string>>{
             {},
             {{"ip", "10.77.3.5"}, {"arp_count", "51"}},
             {{"ip", "10.77.3.5"}, {"arp_count", "-1"}},
             {{"ip", "10.77.3.5"}, {"arp_interval", "9"}},
             {{"ip", "10.77.3.5"}, {"arp_interval", "2001"}},
             {{"ip", "10.77.3.5"}, {"probe", "maybe"}},
             {{"ip", "10.77.3.5"}, {"probe_timeout", "0"}},
             {{"ip", "10.77.3.5"}, {"nic", "eth0 eth1"}},
             {{"ip", "fd00::5"}, {"broadcast", "10.0.0.255"}},
         }) {
        try {
            vip_config(params(bad));
            ADD_FAILURE() << "accepted " << (bad.empty() ? "nothing" : bad.rbegin()->second);
        } catch (const Error& e) {
            EXPECT_EQ(e.outcome(), Outcome::not_configured) << e.what();
        }
    }
}
