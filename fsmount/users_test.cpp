#include "users.h"

#include "mount_table.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace takeover::fsmount;

namespace {

pid_t child_with_cwd(const std::string& dir) {
    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(dir.c_str()) != 0) _exit(1);
        pause();
        _exit(0);
    }
    return pid;
}

bool listed(const std::vector<MountUser>& users, pid_t pid) {
    return std::any_of(users.begin(), users.end(),
                       [pid](const MountUser& u) { return u.pid == pid; });
}

}  // namespace

TEST(Users, MountIdOfProcLinks) {
    EXPECT_GT(mount_id_of_link("/proc/self/cwd"), 0);
    EXPECT_EQ(mount_id_of_link("/proc/self/nonexistent"), -1);
}

TEST(Users, FindsAChildByItsCwdAndNotByAnotherMount) {
    const std::string dir = ::testing::TempDir();
    const int id = mount_id_of_link("/proc/self/cwd");
    ASSERT_GT(id, 0);
    pid_t child = child_with_cwd("/proc");  // procfs: never the mount under test
    ASSERT_GT(child, 0);
    // Until the child has changed directory it still shares ours.
    for (int i = 0; i < 200 && mount_id_of_link("/proc/" + std::to_string(child) + "/cwd") !=
                                   mount_id_of_link("/proc/self/root/proc");
         ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const int proc_id = mount_id_of_link("/proc/" + std::to_string(child) + "/cwd");
    EXPECT_NE(proc_id, -1);
    EXPECT_TRUE(listed(find_users({{proc_id}, {}}), child));
    EXPECT_FALSE(listed(find_users({{proc_id + 100000}, {}}), child));
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
}
