#include "member.h"

#include <gtest/gtest.h>

using takeover::group::heartbeat_says_running;

// The same reading as heartbeat 3.0's ResourceManager (case-insensitive globs).
TEST(HeartbeatStatusText, RunningAndNot) {
    EXPECT_TRUE(heartbeat_says_running("running\n"));
    EXPECT_TRUE(heartbeat_says_running("smbd (pid 12) is Running"));
    EXPECT_TRUE(heartbeat_says_running("OK"));
    EXPECT_FALSE(heartbeat_says_running("stopped\n"));
    EXPECT_FALSE(heartbeat_says_running("smbd is not running"));
    EXPECT_FALSE(heartbeat_says_running("NOT RUNNING"));
    EXPECT_FALSE(heartbeat_says_running("failed"));
}
