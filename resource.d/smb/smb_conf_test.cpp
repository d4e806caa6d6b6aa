#include "smb_conf.h"

#include "takeover/outcome.h"

#include <gtest/gtest.h>

namespace takeover::smb {
namespace {

const char* kClustered = R"(# group A
[global]
    Interfaces = 10.77.7.10;speed=1000000000
    bind interfaces only = yes
    smb ports = 445
    pid directory = /run/takeover/smb-a
    lock dir = /srv/a/lock
    private directory = /srv/a/private
; a comment
[homes]
    browseable = no
[data]
    path = /srv/a/\
data
    guest ok = yes
)";

TEST(SmbConf, CanonicalKeysIgnoreCaseBlanksAndSynonyms) {
    EXPECT_EQ(canonical_key("Pid Directory"), "piddirectory");
    EXPECT_EQ(canonical_key("private directory"), "privatedir");
    EXPECT_EQ(canonical_key("lock dir"), "lockdirectory");
    EXPECT_EQ(canonical_key("directory"), "path");
}

TEST(SmbConf, ReadsTheSettingsAClusteredShareNeeds) {
    Settings s = settings_of(Conf::parse(kClustered, "a.conf"));
    EXPECT_EQ(s.pid_directory, "/run/takeover/smb-a");
    EXPECT_EQ(s.lock_directory, "/srv/a/lock");
    EXPECT_EQ(s.private_directory, "/srv/a/private");
    EXPECT_EQ(s.interfaces, std::vector<std::string>{"10.77.7.10"});
    EXPECT_TRUE(s.bind_interfaces_only);
    EXPECT_EQ(s.ports, std::vector<int>{445});
    ASSERT_EQ(s.shares.size(), 2u);
    EXPECT_EQ(s.share("DATA")->path, "/srv/a/ data");
}

TEST(SmbConf, DefaultsAreDebians) {
    Settings s = settings_of(Conf::parse("[global]\n[x]\npath=/x\n", "c"));
    EXPECT_EQ(s.pid_directory, "/run/samba");
    EXPECT_FALSE(s.bind_interfaces_only);
    EXPECT_EQ(s.ports, (std::vector<int>{445, 139}));
}

TEST(SmbConf, ErrorsNameFileAndLine) {
    try {
        Conf::parse("# x\npath = /x\n", "/etc/samba/b.conf");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.outcome(), Outcome::not_configured);
        EXPECT_STREQ(e.what(), "/etc/samba/b.conf:2: parameter outside any section: path = /x");
    }
    EXPECT_THROW(Conf::parse("[global\n", "c"), Error);
    EXPECT_THROW(settings_of(Conf::parse("[global]\nsmb ports = 445 x\n", "c")), Error);
}

TEST(SmbConf, LinesWithoutEqualsAreIgnoredAsSambaDoes) {
    EXPECT_NO_THROW(Conf::parse("[global]\n  foo\n", "c"));
}

TEST(SmbConf, RepeatedSectionsMerge) {
    Conf c = Conf::parse("[data]\npath=/a\n[global]\n[Data]\nread only = no\n", "c");
    ASSERT_EQ(c.shares().size(), 1u);
    EXPECT_EQ(c.shares()[0]->values.size(), 2u);
}

TEST(SmbConf, PicksTheWantedShareOrTheFirstOrdinaryOne) {
    Settings s = settings_of(Conf::parse(kClustered, "a.conf"));
    EXPECT_EQ(pick_share(s, "", "a.conf"), "data");
    EXPECT_EQ(pick_share(s, "Data", "a.conf"), "data");
    try {
        pick_share(s, "x;rm", "a.conf");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "share 'x;rm' is not defined in a.conf");
    }
    Settings only_homes = settings_of(Conf::parse("[homes]\n", "h"));
    EXPECT_THROW(pick_share(only_homes, "", "h"), Error);
}

TEST(SmbConf, ServiceAddressesFromInterfaces) {
    const std::vector<node::InterfaceAddress> local = {{"eth0", "10.77.7.1", 24, false},
                                                       {"eth0", "10.77.7.10", 24, false},
                                                       {"eth1", "10.77.8.1", 24, false}};
    Settings s;
    EXPECT_EQ(service_addresses(s, local), std::vector<std::string>{"127.0.0.1"});
    s.bind_interfaces_only = true;
    s.interfaces = {"10.77.7.10/24", "lo", "127.0.0.1"};
    EXPECT_EQ(service_addresses(s, local), std::vector<std::string>{"10.77.7.10"});
    s.interfaces = {"eth*"};
    EXPECT_EQ(service_addresses(s, local),
              (std::vector<std::string>{"10.77.7.1", "10.77.7.10", "10.77.8.1"}));
    s.interfaces = {"10.77.8.0/255.255.255.0"};
    EXPECT_EQ(service_addresses(s, local), std::vector<std::string>{"10.77.8.1"});
    s.interfaces = {"10.77.9.9"};  // not here (yet): probed, and the probe says so
    EXPECT_EQ(service_addresses(s, local), std::vector<std::string>{"10.77.9.9"});
}

TEST(SmbConf, InterfaceListsSplitLikeSamba) {
    Settings s = settings_of(
        Conf::parse("[global]\ninterfaces = \"10.0.0.1;speed=1\", eth1 10.0.0.2/8\n", "c"));
    EXPECT_EQ(s.interfaces, (std::vector<std::string>{"10.0.0.1", "eth1", "10.0.0.2/8"}));
}

TEST(SmbConf, CredentialsFileNeverEchoesItsLines) {
    Credentials c = parse_credentials("username = bob\npassword = s3 cret\ndomain=W\n", "f");
    EXPECT_EQ(c.username, "bob");
    EXPECT_EQ(c.password, "s3 cret");
    EXPECT_EQ(c.domain, "W");
    try {
        parse_credentials("passwd = hunter2\n", "f");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
        EXPECT_STREQ(e.what(), "f:1: unknown setting (username, password, domain)");
    }
}

}  // namespace
}  // namespace takeover::smb
