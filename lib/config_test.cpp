#include "takeover/hacf.h"
#include "takeover/haresources.h"
#include "takeover/outcome.h"

#include <gtest/gtest.h>

using namespace takeover;
using namespace std::chrono_literals;

TEST(Haresources, TheOpenGfsLine) {
    auto groups = haresources::parse(
        "# comment\n"
        "fred 192.168.1.100 memexpd Filesystem::/dev/sda3::/ogfs::ogfs::hostdata=%i smb\n",
        "haresources");
    ASSERT_EQ(groups.size(), 1u);
    const auto& g = groups[0];
    EXPECT_EQ(g.node, "fred");
    EXPECT_EQ(g.line, 2);
    ASSERT_EQ(g.resources.size(), 4u);
    EXPECT_EQ(g.resources[0].name, "IPaddr");
    EXPECT_EQ(g.resources[0].args, std::vector<std::string>{"192.168.1.100"});
    EXPECT_EQ(g.resources[1].name, "memexpd");
    EXPECT_TRUE(g.resources[1].args.empty());
    EXPECT_EQ(g.resources[2].name, "Filesystem");
    EXPECT_EQ(g.resources[2].args,
              (std::vector<std::string>{"/dev/sda3", "/ogfs", "ogfs", "hostdata=%i"}));
    EXPECT_EQ(g.resources[3].name, "smb");
}

TEST(Haresources, ContinuationLinesAndEmptyFields) {
    auto groups =
        haresources::parse("node1 10.0.0.1/24/eth0 \\\n  Filesystem::/dev/x::/mnt::::ro\n", "f");
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].resources.size(), 2u);
    EXPECT_EQ(groups[0].resources[0].args[0], "10.0.0.1/24/eth0");
    EXPECT_EQ(groups[0].resources[1].args, (std::vector<std::string>{"/dev/x", "/mnt", "", "ro"}));
}

TEST(Haresources, ErrorsNameFileAndLine) {
    try {
        haresources::parse("\n\nlonely\n", "haresources");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "haresources:3: node lonely has no resources");
    }
    EXPECT_THROW(haresources::parse("n1 ::x\n", "f"), Error);
    EXPECT_THROW(haresources::parse("n1 a\x01\n", "f"), Error);
}

TEST(HaCf, TimersAndNodes) {
    auto c = hacf::parse(
        "keepalive 200ms\ndeadtime 1\ninitdead 5\nbcast eth0\nnode Node1 node2\n"
        "auto_failback off\ncrm no\nudpport 694\n",
        "ha.cf");
    EXPECT_EQ(c.keepalive, 200ms);
    EXPECT_EQ(c.deadtime, 1000ms);
    EXPECT_EQ(c.initdead, 5000ms);
    EXPECT_EQ(c.nodes, (std::vector<std::string>{"node1", "node2"}));
    EXPECT_EQ(c.auto_failback, "off");
    EXPECT_FALSE(c.crm);
    EXPECT_TRUE(hacf::problems(c).empty());
}

TEST(HaCf, UnknownDirectiveAndBadValuesAreErrorsWithLine) {
    try {
        hacf::parse("node a\nkeepalve 2\n", "ha.cf");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "ha.cf:2: unknown directive 'keepalve'");
    }
    EXPECT_THROW(hacf::parse("deadtime 10x\n", "f"), Error);
    EXPECT_THROW(hacf::parse("udpport 70000\n", "f"), Error);
    EXPECT_THROW(hacf::parse("auto_failback maybe\n", "f"), Error);
    EXPECT_THROW(hacf::parse("ucast eth0\n", "f"), Error);
}

TEST(HaCf, ProblemsHeartbeatWouldRefuse) {
    auto c =
        hacf::parse("keepalive 200ms\ndeadtime 400ms\ninitdead 300ms\nnode a\nbcast eth0\n", "f");
    auto p = hacf::problems(c);
    EXPECT_EQ(p.size(), 2u);
}

TEST(HaCf, ParseTime) {
    std::chrono::milliseconds t;
    EXPECT_TRUE(hacf::parse_time("1.5", &t));
    EXPECT_EQ(t, 1500ms);
    EXPECT_FALSE(hacf::parse_time("", &t));
    EXPECT_FALSE(hacf::parse_time("ms", &t));
    EXPECT_FALSE(hacf::parse_time("1..2", &t));
    EXPECT_FALSE(hacf::parse_time("-1", &t));
    EXPECT_FALSE(hacf::parse_time("2s", &t));
}
