// Unmounting a managed mount within a deadline: nested mounts first (deepest first), then
// the mount itself; when busy, its users get TERM, then KILL, and the unmount is retried.
#pragma once

#include "mount_table.h"

#include <chrono>
#include <string>

namespace takeover::fsmount {

enum class ForceMode {
    no,    // never signal anybody: retry until the deadline, then fail
    yes,   // TERM, then KILL the processes that use this mount
    move,  // as yes, but first move the mount out of the way so no new user can enter it
};

// "yes/true/safe", "no/false", "move". Throws Error(not_configured).
ForceMode parse_force_mode(const std::string&);

struct StopOptions {
    std::chrono::steady_clock::time_point deadline;
    ForceMode force = ForceMode::yes;
    // How long users get to exit after TERM before KILL; capped at a third of what is left.
    std::chrono::milliseconds term_grace{2000};
};

// Unmounts mount `top` (an entry of the current table) and everything under it. Returns
// when the mount is gone; throws Error(generic_error) naming what still holds it otherwise.
void unmount_tree(const MountEntry& top, const StopOptions&);

// One umount through a libmount context. Returns 0 or the errno of the failure.
int umount_once(const std::string& target, std::string* message = nullptr);

}  // namespace takeover::fsmount
