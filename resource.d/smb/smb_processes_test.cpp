#include "smb_processes.h"

#include <gtest/gtest.h>

namespace takeover::smb {
namespace {

const std::vector<std::string> kA = {"/srv/a/smb.conf"};

TEST(SmbProcesses, RecognisesEverySpellingOfTheConfigOption) {
    EXPECT_TRUE(started_with_config({1, 1, "smbd", {"smbd", "-D", "-s", "/srv/a/smb.conf"}}, kA));
    EXPECT_TRUE(started_with_config({1, 1, "smbd", {"smbd", "-s/srv/a/smb.conf"}}, kA));
    EXPECT_TRUE(started_with_config({1, 1, "nmbd", {"nmbd", "--configfile=/srv/a/smb.conf"}}, kA));
    EXPECT_TRUE(
        started_with_config({1, 1, "smbd", {"smbd", "--configfile", "/srv/a/smb.conf"}}, kA));
    EXPECT_FALSE(started_with_config({1, 1, "smbd", {"smbd", "-s", "/srv/b/smb.conf"}}, kA));
    EXPECT_FALSE(started_with_config({1, 1, "vim", {"vim", "-s", "/srv/a/smb.conf"}}, kA));
    // No option: Samba's default config, which is ours only if we were given that one.
    EXPECT_FALSE(started_with_config({1, 1, "smbd", {"smbd", "-D"}}, kA));
    EXPECT_TRUE(started_with_config({1, 1, "smbd", {"smbd", "-D"}}, {kSambaDefaultConfig}));
}

TEST(SmbProcesses, MembersAreTheDaemonsSessions) {
    const std::vector<ProcessInfo> all = {
        {100, 100, "smbd", {"smbd", "-D", "-s", "/srv/a/smb.conf"}},
        {101, 100, "smbd", {"smbd", "-D", "-s", "/srv/a/smb.conf"}},
        {102, 100, "samba-dcerpcd", {"samba-dcerpcd", "--np-helper"}},
        {200, 200, "smbd", {"smbd", "-D", "-s", "/srv/b/smb.conf"}},
        {201, 200, "smbd", {"smbd", "-D", "-s", "/srv/b/smb.conf"}},
        {300, 300, "bash", {"-bash"}},
        {301, 300, "smbd", {"smbd", "-i", "-s", "/srv/a/smb.conf"}},  // by hand, in a shell
        {302, 300, "vim", {"vim"}},
    };
    EXPECT_EQ(instance_members(all, {100}, kA), (std::vector<pid_t>{100, 101, 102, 301}));
    // Pid file gone: found by command line; still never the shell's session.
    EXPECT_EQ(instance_members(all, {}, kA), (std::vector<pid_t>{100, 101, 102, 301}));
    // A pid file naming another instance's daemon (a shared pid directory) is ignored.
    EXPECT_EQ(instance_members(all, {200}, {"/srv/c/smb.conf"}), std::vector<pid_t>{});
}

TEST(SmbProcesses, OrphansOfADeadLeaderAreMembers) {
    const std::vector<ProcessInfo> all = {
        {101, 100, "smbd", {"smbd", "-D", "-s", "/srv/a/smb.conf"}},
        {102, 100, "rpcd_classic", {"rpcd_classic"}},
    };
    EXPECT_EQ(instance_members(all, {100}, kA), (std::vector<pid_t>{101, 102}));
}

}  // namespace
}  // namespace takeover::smb
