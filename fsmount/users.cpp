#include "users.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string_view>

namespace takeover::fsmount {
namespace {

struct CloseDir {
    void operator()(DIR* d) const { closedir(d); }
};
using DirPtr = std::unique_ptr<DIR, CloseDir>;

DirPtr open_dir(const std::string& path) {
    return DirPtr(opendir(path.c_str()));
}

bool all_digits(const char* s) {
    if (!*s) return false;
    for (; *s; ++s)
        if (*s < '0' || *s > '9') return false;
    return true;
}

// Links into pseudo filesystems no mount of ours can be: skip them without a statx.
bool is_pseudo_link(const std::string& link) {
    char buf[64];
    ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
    if (n <= 0) return true;  // gone meanwhile
    std::string_view target(buf, static_cast<size_t>(n));
    return target.starts_with("socket:") || target.starts_with("pipe:") ||
           target.starts_with("anon_inode:");
}

bool held(const MountIdentity& wanted, const std::string& link) {
    int id = mount_id_of_link(link);
    return id >= 0 && wanted.mount_ids.count(id) != 0;
}

void scan_fds(const MountIdentity& wanted, const std::string& base, pid_t pid,
              std::vector<MountUser>& out) {
    auto dir = open_dir(base + "/fd");
    if (!dir) return;
    while (dirent* d = readdir(dir.get())) {
        if (!all_digits(d->d_name)) continue;
        std::string link = base + "/fd/" + d->d_name;
        if (is_pseudo_link(link)) continue;
        if (held(wanted, link)) {
            out.push_back({pid, std::string("fd ") + d->d_name});
            return;  // one reason per process is enough to signal it
        }
    }
}

// /proc/PID/maps: "start-end perms offset major:minor inode path". The device field is the
// filesystem's, so a bind mount of the same filesystem matches too; map_files confirms the
// mount id for those lines only.
bool scan_maps(const MountIdentity& wanted, const std::string& base) {
    std::ifstream maps(base + "/maps");
    std::string line;
    while (std::getline(maps, line)) {
        unsigned long start = 0, end = 0, inode = 0;
        unsigned major = 0, minor = 0;
        if (std::sscanf(line.c_str(), "%lx-%lx %*s %*s %x:%x %lu", &start, &end, &major, &minor,
                        &inode) != 5 ||
            inode == 0)
            continue;
        if (wanted.devnos.count(makedev(major, minor)) == 0) continue;
        char range[64];
        std::snprintf(range, sizeof range, "/map_files/%lx-%lx", start, end);
        int id = mount_id_of_link(base + range);
        // Without map_files (no CAP_SYS_ADMIN) the device number has to do.
        if (id < 0 || wanted.mount_ids.count(id)) return true;
    }
    return false;
}

}  // namespace

int mount_id_of_link(const std::string& link) {
    struct statx stx {};
    if (statx(AT_FDCWD, link.c_str(), AT_STATX_DONT_SYNC, STATX_MNT_ID, &stx) != 0) return -1;
    if (!(stx.stx_mask & STATX_MNT_ID)) return -1;
    return static_cast<int>(stx.stx_mnt_id);
}

std::vector<MountUser> find_users(const MountIdentity& wanted, const std::string& proc) {
    std::vector<MountUser> out;
    auto dir = open_dir(proc);
    if (!dir) return out;
    const pid_t self = getpid();
    while (dirent* d = readdir(dir.get())) {
        if (!all_digits(d->d_name)) continue;
        pid_t pid = static_cast<pid_t>(std::atol(d->d_name));
        if (pid == self) continue;
        std::string base = proc + "/" + d->d_name;
        bool found = false;
        for (const char* link : {"cwd", "root", "exe"}) {
            if (held(wanted, base + "/" + link)) {
                out.push_back({pid, link});
                found = true;
                break;
            }
        }
        if (found) continue;
        size_t before = out.size();
        scan_fds(wanted, base, pid, out);
        if (out.size() != before) continue;
        if (scan_maps(wanted, base)) out.push_back({pid, "mmap"});
    }
    return out;
}

}  // namespace takeover::fsmount
