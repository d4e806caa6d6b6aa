#include "mount_table.h"

#include <gtest/gtest.h>
#include <sys/sysmacros.h>

#include <cstdio>
#include <fstream>

using namespace takeover::fsmount;

namespace {

// A mountinfo file as the kernel writes it, parsed through libmount like the real one.
class MountTableTest : public ::testing::Test {
  protected:
    void SetUp() override {
        path_ = ::testing::TempDir() + "/mountinfo." + std::to_string(::getpid());
        std::ofstream(path_) << "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
                                "20 1 7:3 / /srv/data rw - ext4 /dev/loop3 rw\n"
                                "21 20 7:4 / /srv/data/inner rw - ext4 /dev/loop4 rw\n"
                                "22 21 0:40 / /srv/data/inner/tmp rw - tmpfs tmpfs rw\n"
                                "23 20 7:5 / /srv/data/other rw - xfs /dev/loop5 rw\n"
                                "24 1 0:50 / /mnt/nfs rw - nfs4 server:/export/ rw\n"
                                "25 1 7:3 / /srv/again rw - ext4 /dev/loop3 rw\n";
    }
    void TearDown() override { std::remove(path_.c_str()); }
    std::string path_;
};

}  // namespace

TEST_F(MountTableTest, FindsByTargetAndId) {
    auto t = MountTable::read(path_);
    ASSERT_EQ(t.entries().size(), 7u);
    auto e = t.at("/srv/data");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->id, 20);
    EXPECT_EQ(e->devno, makedev(7, 3));
    EXPECT_EQ(e->fstype, "ext4");
    EXPECT_FALSE(t.at("/srv"));
    EXPECT_EQ(t.by_id(24)->source, "server:/export/");
}

TEST_F(MountTableTest, NestedDeepestFirst) {
    auto nested = MountTable::read(path_).nested_under(20);
    ASSERT_EQ(nested.size(), 3u);
    // Every mount comes after all of its own children.
    EXPECT_EQ(nested[0].id, 23);
    EXPECT_EQ(nested[1].id, 22);
    EXPECT_EQ(nested[2].id, 21);
}

TEST_F(MountTableTest, MatchesSourceByDeviceNumberAndExport) {
    auto t = MountTable::read(path_);
    ResolvedSource loop3{"/dev/loop3", true, false, makedev(7, 3)};
    auto mounts = t.of_source(loop3);
    ASSERT_EQ(mounts.size(), 2u);
    EXPECT_EQ(mounts[0].target, "/srv/data");
    EXPECT_EQ(mounts[1].target, "/srv/again");
    ResolvedSource nfs{"server:/export", false, false, 0};
    EXPECT_EQ(t.of_source(nfs).size(), 1u);
}
