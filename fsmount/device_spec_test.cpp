#include "device_spec.h"

#include "takeover/outcome.h"

#include <gtest/gtest.h>

using namespace takeover;
using namespace takeover::fsmount;
using Kind = DeviceSpec::Kind;

TEST(DeviceSpec, Paths) {
    auto s = parse_device_spec("/dev/sdb1");
    EXPECT_EQ(s.kind, Kind::path);
    EXPECT_EQ(s.value, "/dev/sdb1");
    EXPECT_EQ(parse_device_spec("/srv/images/disk.img").kind, Kind::path);
}

TEST(DeviceSpec, TagsInBothSpellings) {
    EXPECT_EQ(parse_device_spec("UUID=1b4e28ba-2fa1").kind, Kind::uuid);
    EXPECT_EQ(parse_device_spec("-U1b4e28ba-2fa1").value, "1b4e28ba-2fa1");
    EXPECT_EQ(parse_device_spec("-U 1b4e28ba").value, "1b4e28ba");
    auto l = parse_device_spec("-Ldata1");
    EXPECT_EQ(l.kind, Kind::label);
    EXPECT_EQ(l.value, "data1");
    EXPECT_EQ(l.source(), "LABEL=data1");
    EXPECT_EQ(parse_device_spec("LABEL=data1").source(), "LABEL=data1");
}

TEST(DeviceSpec, NetworkAndPseudo) {
    EXPECT_EQ(parse_device_spec("server:/data1").kind, Kind::network);
    EXPECT_EQ(parse_device_spec("10.0.0.1:/export/home").kind, Kind::network);
    EXPECT_EQ(parse_device_spec("[fd00::1]:/export").kind, Kind::network);
    EXPECT_EQ(parse_device_spec("//fileserver/share").kind, Kind::network);
    EXPECT_EQ(parse_device_spec("tmpfs").kind, Kind::pseudo);
}

TEST(DeviceSpec, RefusesHostileAndMalformed) {
    for (const char* bad : {"", "   ", "/dev/sdb1;reboot", "/dev/$(reboot)", "/dev/sd b", "UUID=",
                            "-L", "LABEL=a;b", "-X/dev/sda", "-U`id`", "server:", ":/export",
                            "/dev/sdb\n1", "relative/path", "LABEL=x,ro", "//x"}) {
        EXPECT_THROW(parse_device_spec(bad), Error) << "accepted [" << bad << "]";
    }
}

TEST(DeviceSpec, ErrorNamesTheSpec) {
    try {
        parse_device_spec("-Lbad;label");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.outcome(), Outcome::not_configured);
        EXPECT_NE(std::string(e.what()).find("-Lbad;label"), std::string::npos);
    }
}
