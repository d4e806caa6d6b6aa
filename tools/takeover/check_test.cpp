#include "check.h"

#include <gtest/gtest.h>

using namespace takeover;

TEST(CheckOrder, TheOpenGfsOrderIsFine) {
    auto g = haresources::parse("fred 10.0.0.1 memexpd Filesystem::/dev/x::/ogfs smb\n", "f")[0];
    EXPECT_TRUE(check::order_problems(g).empty());
}

TEST(CheckOrder, ShareBeforeItsMountIsAnError) {
    auto g = haresources::parse("fred 10.0.0.1 smb Filesystem::/dev/x::/ogfs\n", "f")[0];
    auto p = check::order_problems(g);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0], "Filesystem comes after smb; it must come before");
}

TEST(CheckOrder, LockServerBeforeTheAddressItListensOn) {
    auto g = haresources::parse("fred memexpd 10.0.0.1 MailTo::root\n", "f")[0];
    EXPECT_EQ(check::order_problems(g).size(), 1u);
}
