// Which processes use a mount: cwd, root, exe, open fds and memory maps, matched by mount id
// (statx STATX_MNT_ID through the /proc links) and, for maps, by device number first.
//
// Never by path prefix: a path under the mount point may belong to a nested mount, and a
// bind mount elsewhere may reach into this one. Never by touching the files themselves: a
// stat() that revalidates can hang forever on a dead NFS server that has nothing to do with
// us. statx with AT_STATX_DONT_SYNC asking only for the mount id makes no filesystem call.
#pragma once

#include <sys/types.h>

#include <set>
#include <string>
#include <vector>

namespace takeover::fsmount {

struct MountUser {
    pid_t pid = 0;
    std::string how;  // "cwd", "root", "exe", "fd 4", "mmap"
};

struct MountIdentity {
    std::set<int> mount_ids;
    std::set<dev_t> devnos;  // pre-filter for /proc/PID/maps lines
};

// Every process (but this one) that holds one of the mounts. `proc` is the procfs root.
std::vector<MountUser> find_users(const MountIdentity&, const std::string& proc = "/proc");

// The mount id behind a /proc magic link, or -1. Makes no call into the target filesystem.
int mount_id_of_link(const std::string& link);

}  // namespace takeover::fsmount
