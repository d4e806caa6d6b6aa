#include "mount_call.h"

#include "takeover/outcome.h"

#include <gtest/gtest.h>

using namespace takeover;
using namespace takeover::fsmount;

namespace {

NodeFacts node(const std::string& name, const std::string& address) {
    return {[name] { return name; }, [address] { return address; },
            [](const std::string&) -> std::optional<std::string> { return "jid=7"; }};
}

Request req(std::string options, std::string hostdata = "") {
    return {"/dev/sdb1", "/data1", "", std::move(options), std::move(hostdata)};
}

}  // namespace

TEST(MountCall, DescribeIsTheExactCall) {
    MountCall c{"/dev/loop3", "/srv/data", "gfs2", "noatime,hostdata=node1"};
    EXPECT_EQ(c.describe(),
              "mount source=/dev/loop3 target=/srv/data type=gfs2 options=noatime,hostdata=node1");
    EXPECT_EQ((MountCall{"/dev/sdb", "/d", "ext4", ""}).describe(),
              "mount source=/dev/sdb target=/d type=ext4 options=defaults");
}

TEST(MountCall, HostdataOnlyForFilesystemsThatTakeIt) {
    auto n1 = node("node1", "10.77.1.1");
    EXPECT_EQ(final_options(req("noatime,hostdata=%n"), "gfs2", n1), "noatime,hostdata=node1");
    EXPECT_EQ(final_options(req("noatime,hostdata=%n"), "ext4", n1), "noatime");
    EXPECT_EQ(final_options(req("", "%i"), "ocfs2", n1), "hostdata=10.77.1.1");
    EXPECT_EQ(final_options(req("ro", "%m"), "ogfs", n1), "ro,hostdata=jid=7");
    EXPECT_EQ(final_options(req("ro", "%m"), "gfs", n1), "ro,hostdata=jid=7");
    EXPECT_EQ(final_options(req("ro"), "gfs", n1), "ro");
}

TEST(MountCall, TwoNodesTwoValues) {
    auto r = req("hostdata=%n@%i");
    EXPECT_EQ(final_options(r, "gfs2", node("node1", "10.77.1.1")), "hostdata=node1@10.77.1.1");
    EXPECT_EQ(final_options(r, "gfs2", node("node2", "10.77.1.2")), "hostdata=node2@10.77.1.2");
}

TEST(MountCall, RefusesBadOptions) {
    auto n1 = node("node1", "10.77.1.1");
    EXPECT_THROW(final_options(req("ro;reboot"), "ext4", n1), Error);
    EXPECT_THROW(final_options(req("ro,$(reboot)"), "ext4", n1), Error);
    EXPECT_THROW(final_options(req("ro,,rw"), "ext4", n1), Error);
    EXPECT_THROW(final_options(req("hostdata=a", "b"), "gfs2", n1), Error);
    EXPECT_THROW(final_options(req("hostdata="), "gfs2", n1), Error);
}

TEST(MountCall, Directories) {
    EXPECT_EQ(normalize_directory("/data1/"), "/data1");
    EXPECT_EQ(normalize_directory("//srv//data"), "/srv/data");
    for (const char* bad : {"", "data", "/", "/a/../b", "/a;b", "/a b", "/$(x)", "/a\nb"})
        EXPECT_THROW(normalize_directory(bad), Error) << bad;
}

TEST(MountCall, Fstypes) {
    EXPECT_NO_THROW(check_fstype("ext4"));
    EXPECT_NO_THROW(check_fstype("fuse.sshfs"));
    EXPECT_NO_THROW(check_fstype(""));
    EXPECT_THROW(check_fstype("ext4;reboot"), Error);
    EXPECT_THROW(check_fstype("EXT4 "), Error);
    EXPECT_TRUE(is_cluster_fs("gfs2"));
    EXPECT_FALSE(is_cluster_fs("ext4"));
    EXPECT_TRUE(takes_hostdata("ocfs2"));
    EXPECT_FALSE(takes_hostdata("nfs"));
}
