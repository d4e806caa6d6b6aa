#include "takeover/agent.h"

#include <gtest/gtest.h>

using namespace takeover;

namespace takeover::agents {
agent::Spec ipaddr_spec();
}

TEST(IpaddrMetaData, DeclaresEveryParameterWithDefaults) {
    auto xml = agent::meta_data_xml(agents::ipaddr_spec());
    EXPECT_NE(xml.find("<resource-agent name=\"IPaddr\""), std::string::npos) << xml;
    for (const char* name : {"ip", "cidr_netmask", "nic", "broadcast", "arp_count", "arp_interval",
                             "probe", "probe_timeout"})
        EXPECT_NE(xml.find(std::string("<parameter name=\"") + name + "\""), std::string::npos)
            << name;
    EXPECT_NE(xml.find("default=\"5\""), std::string::npos);
    EXPECT_NE(xml.find("default=\"200\""), std::string::npos);
    for (const char* action : {"start", "stop", "monitor", "meta-data", "validate-all"})
        EXPECT_NE(xml.find(std::string("<action name=\"") + action + "\""), std::string::npos)
            << action;
    EXPECT_EQ(xml.find("promote"), std::string::npos);
}

TEST(IpaddrAgent, InvalidArgumentsNeverReachAnAction) {
    auto spec = agents::ipaddr_spec();
    std::string reason;
    agent::Params p;
    p.declare(&spec.parameters);
    p.set("ip", "10.77.3.5");
    p.set("nic", "eth0;touch /tmp/x");
    EXPECT_EQ(agent::invoke(spec, "start", p, agent::Convention::ocf, &reason),
              Outcome::not_configured);
    EXPECT_EQ(reason, "nic 'eth0;touch /tmp/x' is not an interface name");
    EXPECT_EQ(agent::invoke(spec, "stop", p, agent::Convention::ocf), Outcome::not_configured);
    EXPECT_EQ(agent::invoke(spec, "validate-all", p, agent::Convention::ocf),
              Outcome::not_configured);
}
