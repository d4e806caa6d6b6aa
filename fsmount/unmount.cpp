#include "unmount.h"

#include "users.h"

#include "takeover/outcome.h"
#include "takeover/text.h"

#include <fcntl.h>
#include <libmount/libmount.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <set>
#include <thread>

namespace takeover::fsmount {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Between attempts: short enough that an idle process's exit is noticed at once.
constexpr milliseconds kRetryStep{5};
constexpr const char* kAsideDir = "/run/takeover/fsmount";

std::string describe(const std::vector<MountUser>& users) {
    std::string out;
    for (const auto& u : users)
        out += (out.empty() ? "" : ", ") + std::to_string(u.pid) + " (" + u.how + ")";
    return out;
}

// MS_MOVE to a private directory: atomic, so nothing can enter through the mount point from
// now on. The kernel refuses to move a mount whose parent is shared (systemd makes / shared);
// then the mount is detached instead, which is just as atomic for path lookups.
std::string move_aside(const MountEntry& entry) {
    mkdir("/run/takeover", 0700);
    mkdir(kAsideDir, 0700);
    std::string aside = std::string(kAsideDir) + "/aside-" + std::to_string(entry.id);
    mkdir(aside.c_str(), 0700);
    if (mount(entry.target.c_str(), aside.c_str(), nullptr, MS_MOVE, nullptr) == 0) {
        spdlog::info("moved {} aside to {}", entry.target, aside);
        return aside;
    }
    spdlog::info("cannot move {} ({}); detaching it instead", entry.target, std::strerror(errno));
    rmdir(aside.c_str());
    if (umount2(entry.target.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) != 0)
        throw Error(Outcome::generic_error,
                    "cannot move or detach " + entry.target + ": " + std::strerror(errno));
    return "";
}

// A detached mount is gone from the table at once but lives on while anything uses it. For a
// block device, an exclusive open succeeds only once no filesystem holds it any more.
bool detached_fs_released(const MountEntry& entry, const std::vector<MountUser>& users) {
    if (!users.empty()) return false;
    if (!text::starts_with(entry.source, "/dev/")) return true;
    int fd = open(entry.source.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC);
    if (fd < 0) return false;
    close(fd);
    return true;
}

class Releaser {
  public:
    Releaser(const MountEntry& entry, const StopOptions& opts)
        : entry_(entry), opts_(opts), where_(entry.target) {}

    void run() {
        int err = umount_once(where_, &message_);
        if (err == 0 || !still_mounted()) return;  // gone meanwhile is gone too
        if (err != EBUSY) throw Error(Outcome::generic_error, message_);
        if (opts_.force == ForceMode::move) {
            where_ = move_aside(entry_);
            if (!where_.empty() && umount_once(where_, &message_) == 0) return cleanup();
        }
        const auto grace =
            std::min<Clock::duration>(opts_.term_grace, (opts_.deadline - Clock::now()) / 3);
        kill_after_ = Clock::now() + grace;
        while (Clock::now() < opts_.deadline) {
            auto users = signal_users();
            // Busy with no user: something was mounted under it meanwhile.
            if (users.empty() && !where_.empty()) release_nested();
            if (where_.empty()) {
                if (detached_fs_released(entry_, users)) return;
            } else if (umount2(where_.c_str(), UMOUNT_NOFOLLOW) == 0) {
                // The retries call the kernel directly: libmount would re-read the mount
                // table every few milliseconds only to make this same call.
                return cleanup();
            }
            std::this_thread::sleep_for(kRetryStep);
        }
        auto users = find_users({{entry_.id}, {entry_.devno}});
        throw Error(Outcome::generic_error,
                    entry_.target + " still busy at the stop deadline" +
                        (users.empty() ? "" : "; used by " + describe(users)));
    }

  private:
    bool still_mounted() const { return MountTable::read().by_id(entry_.id).has_value(); }

    void release_nested() {
        for (const auto& nested : MountTable::read().nested_under(entry_.id))
            Releaser(nested, opts_).run();
    }

    std::vector<MountUser> signal_users() {
        auto users = find_users({{entry_.id}, {entry_.devno}});
        if (opts_.force == ForceMode::no) return users;
        const bool kill_now = Clock::now() >= kill_after_;
        for (const auto& u : users) {
            int sig = kill_now ? SIGKILL : SIGTERM;
            // TERM once per process; KILL on every round until it is gone.
            if (sig == SIGTERM && !termed_.insert(u.pid).second) continue;
            spdlog::info("{} uses {} ({}): sending {}", u.pid, entry_.target, u.how,
                         sig == SIGKILL ? "KILL" : "TERM");
            kill(u.pid, sig);
        }
        return users;
    }

    void cleanup() {
        if (where_ != entry_.target) rmdir(where_.c_str());
    }

    const MountEntry entry_;
    const StopOptions opts_;
    std::string where_;  // where the mount is now; "" once detached
    std::string message_;
    std::set<pid_t> termed_;
    Clock::time_point kill_after_;
};

}  // namespace

ForceMode parse_force_mode(const std::string& raw) {
    if (raw == "move") return ForceMode::move;
    // heartbeat's OCF Filesystem has "safe" for "signal without blocking on NFS": ours
    // always scans that way.
    if (raw == "safe") return ForceMode::yes;
    if (auto b = text::parse_bool(raw)) return *b ? ForceMode::yes : ForceMode::no;
    throw Error(Outcome::not_configured,
                "force_unmount must be yes, no, safe or move, not '" + raw + "'");
}

int umount_once(const std::string& target, std::string* message) {
    std::unique_ptr<libmnt_context, decltype(&mnt_free_context)> cxt(mnt_new_context(),
                                                                     mnt_free_context);
    if (!cxt) throw Error(Outcome::generic_error, "out of memory");
    mnt_context_set_target(cxt.get(), target.c_str());
    mnt_context_disable_canonicalize(cxt.get(), 1);
    int rc = mnt_context_umount(cxt.get());
    if (rc == 0 && mnt_context_get_status(cxt.get()) == 1) return 0;
    int err = mnt_context_syscall_called(cxt.get()) ? mnt_context_get_syscall_errno(cxt.get())
                                                    : (rc < 0 ? -rc : EINVAL);
    if (message) {
        char buf[BUFSIZ] = {};
        mnt_context_get_excode(cxt.get(), rc, buf, sizeof buf);
        *message = "umount " + target + ": " + (*buf ? buf : std::strerror(err));
    }
    return err == 0 ? EINVAL : err;
}

void unmount_tree(const MountEntry& top, const StopOptions& opts) {
    // Deepest first: a nested mount keeps its parent busy, and its users are ours to end too.
    for (const auto& nested : MountTable::read().nested_under(top.id)) {
        spdlog::info("unmounting nested {} first", nested.target);
        Releaser(nested, opts).run();
    }
    Releaser(top, opts).run();
}

}  // namespace takeover::fsmount
