#include "hostdata.h"

#include "takeover/outcome.h"

#include <gtest/gtest.h>

using namespace takeover;
using namespace takeover::fsmount;

namespace {

NodeFacts facts_for(const std::string& name, const std::string& address = "10.77.1.1",
                    const HostdataMap* map = nullptr) {
    return {[name] { return name; }, [address] { return address; },
            [map](const std::string& node) -> std::optional<std::string> {
                if (!map) throw Error(Outcome::not_configured, "no map");
                return map->lookup(node);
            }};
}

std::string parse_error(const std::string& text) {
    try {
        HostdataMap::parse(text, "hostdata.map");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Hostdata, LiteralValueUnchanged) {
    EXPECT_EQ(expand_hostdata("jid=0:id=1", facts_for("node1")), "jid=0:id=1");
}

TEST(Hostdata, Placeholders) {
    EXPECT_EQ(expand_hostdata("%n", facts_for("node1")), "node1");
    EXPECT_EQ(expand_hostdata("ip=%i", facts_for("node2", "10.77.1.2")), "ip=10.77.1.2");
    EXPECT_EQ(expand_hostdata("100%%-%n", facts_for("a")), "100%-a");
}

TEST(Hostdata, DifferentNodesDifferentValues) {
    EXPECT_NE(expand_hostdata("%n:%i", facts_for("node1", "10.77.1.1")),
              expand_hostdata("%n:%i", facts_for("node2", "10.77.1.2")));
}

TEST(Hostdata, MapLookup) {
    auto map = HostdataMap::parse("# node value\nnode1 jid=0\n\nNode2   jid=1  # second\n", "m");
    EXPECT_EQ(map.size(), 2u);
    EXPECT_EQ(expand_hostdata("%m", facts_for("node1", "", &map)), "jid=0");
    EXPECT_EQ(expand_hostdata("%m", facts_for("node2", "", &map)), "jid=1");
    EXPECT_THROW(expand_hostdata("%m", facts_for("node3", "", &map)), Error);
}

TEST(Hostdata, RefusesBadExpansions) {
    EXPECT_THROW(expand_hostdata("%x", facts_for("n")), Error);
    EXPECT_THROW(expand_hostdata("abc%", facts_for("n")), Error);
    EXPECT_THROW(expand_hostdata("", facts_for("n")), Error);
    EXPECT_THROW(expand_hostdata("%n", facts_for("a,rw")), Error);  // smuggled option
    EXPECT_THROW(expand_hostdata("a b", facts_for("n")), Error);
    EXPECT_THROW(expand_hostdata("$(reboot)", facts_for("n")), Error);
}

TEST(HostdataMap, MalformedLinesNameFileAndLine) {
    EXPECT_EQ(parse_error("node1 a\nnode2\n"),
              "hostdata.map:2: expected 'nodename value', got 1 words");
    EXPECT_EQ(parse_error("node1 a b\n"), "hostdata.map:1: expected 'nodename value', got 3 words");
    EXPECT_EQ(parse_error("\n\nnode1 a\nNODE1 b\n"), "hostdata.map:4: node 'NODE1' listed twice");
    EXPECT_EQ(parse_error("node1 a,rw\n"),
              "hostdata.map:1: value 'a,rw' has a comma, quote or shell character");
    EXPECT_EQ(parse_error("no;de x\n"), "hostdata.map:1: node name 'no;de' is not a host name");
    EXPECT_EQ(parse_error("node1 x\r\n"), "");  // CRLF files are trimmed, not refused
    EXPECT_EQ(parse_error("node1 \x01x\n"), "hostdata.map:1: control character");
}

TEST(HostdataMap, MissingFile) {
    EXPECT_THROW(HostdataMap::load("/nonexistent/hostdata.map"), Error);
}
