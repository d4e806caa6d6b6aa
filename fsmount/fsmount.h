// The engine behind the Filesystem agent and the fsmount CLI: plan, mount, status, unmount.
#pragma once

#include "hostdata.h"
#include "mount_call.h"
#include "mount_table.h"
#include "unmount.h"

#include <chrono>
#include <optional>
#include <string>

namespace takeover::fsmount {

// The exact mount call for `req` on this node: device resolved (Error(not_installed) when it
// is not here), type detected when not given, options final (hostdata expanded or dropped).
MountCall plan(const Request&, const NodeFacts&);

struct StartOptions {
    bool fsck = false;  // e2fsck -p first, for ext2/3/4 only
    std::chrono::milliseconds fsck_timeout{std::chrono::minutes(5)};
};

// Mounts `req` unless it is mounted already. Creates the mount point. Refuses a
// non-cluster filesystem that is mounted elsewhere on this node, and a mount point that
// holds another filesystem.
void start(const Request&, const NodeFacts&, const StartOptions& = {});

enum class MountState { mounted, not_mounted, wrong_source };

struct Status {
    MountState state = MountState::not_mounted;
    std::string detail;
    std::optional<MountEntry> entry;  // ours, when mounted
};

// Reads the mount table (no fork, no probe of an unresolvable device).
Status status(const Request&);

// Unmounts the device's mount at the directory, and what is nested under it. A device that
// cannot be resolved here (pulled, no label) still gets its directory unmounted.
void stop(const Request&, const StopOptions&);

}  // namespace takeover::fsmount
