#include "takeover/exit_codes.h"

#include <gtest/gtest.h>

using namespace takeover;

TEST(ExitCodes, OcfNumbersFollowTheSpec) {
    EXPECT_EQ(static_cast<int>(to_ocf_exit(Outcome::success)), 0);
    EXPECT_EQ(static_cast<int>(to_ocf_exit(Outcome::generic_error)), 1);
    EXPECT_EQ(static_cast<int>(to_ocf_exit(Outcome::bad_arguments)), 2);
    EXPECT_EQ(static_cast<int>(to_ocf_exit(Outcome::unimplemented)), 3);
    EXPECT_EQ(static_cast<int>(to_ocf_exit(Outcome::permission)), 4);
    EXPECT_EQ(static_cast<int>(to_ocf_exit(Outcome::not_installed)), 5);
    EXPECT_EQ(static_cast<int>(to_ocf_exit(Outcome::not_configured)), 6);
    EXPECT_EQ(static_cast<int>(to_ocf_exit(Outcome::not_running)), 7);
    EXPECT_EQ(static_cast<int>(to_ocf_exit(Outcome::running_master)), 8);
    EXPECT_EQ(static_cast<int>(to_ocf_exit(Outcome::failed_master)), 9);
}

TEST(ExitCodes, HeartbeatUsageErrorsExitOneLikeItsOwnScripts) {
    EXPECT_EQ(static_cast<int>(to_lsb_exit(Outcome::bad_arguments)), 1);
    EXPECT_EQ(static_cast<int>(to_lsb_exit(Outcome::unimplemented)), 1);
    EXPECT_EQ(static_cast<int>(to_lsb_exit(Outcome::not_configured)), 6);
    EXPECT_EQ(static_cast<int>(to_lsb_exit(Outcome::success)), 0);
}

TEST(ExitCodes, LsbStatus) {
    EXPECT_EQ(static_cast<int>(to_lsb_status_exit(Outcome::success)), 0);
    EXPECT_EQ(static_cast<int>(to_lsb_status_exit(Outcome::not_running)), 3);
    EXPECT_EQ(static_cast<int>(to_lsb_status_exit(Outcome::generic_error)), 1);
}
