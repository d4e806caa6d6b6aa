// The split-brain guard. One server at a time may own the state device. On one node the
// device's flock says so (device.h); across nodes only the device itself is shared, so the
// owner names itself in the superblock and renews it (heartbeat) every lease interval. A
// starting server that finds another owner's lease watches the heartbeat for some intervals
// and takes over only if it stood still. A server that was paused and lost the device finds
// a superblock that is no longer its own before its next commit and stops.
#pragma once

#include "codec.h"
#include "device.h"

#include <chrono>
#include <functional>

namespace takeover::lockd::state {

struct LeaseOptions {
    int misses = 4;  // a heartbeat unchanged for this many of the owner's intervals is stale
    std::chrono::milliseconds poll{100};
    std::function<void(std::chrono::milliseconds)> sleep;  // tests pass a fake
};

// `seen` names a live-looking owner (non-empty owner). Returns once its lease proved stale;
// throws StateError(busy) when its heartbeat moved.
void wait_for_stale_lease(Device&, const Superblock& seen, const LeaseOptions&);

// Throws StateError(fenced) unless the newest superblock on the device is still `ours`.
void check_still_ours(Device&, const Superblock& ours);

}  // namespace takeover::lockd::state
