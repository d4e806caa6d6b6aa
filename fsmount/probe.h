// libblkid: which device node a spec names, and what filesystem is on it.
#pragma once

#include "device_spec.h"

#include <sys/types.h>

#include <optional>
#include <string>

namespace takeover::fsmount {

struct ResolvedSource {
    std::string path;  // canonical device node or image file; the export for network
    bool block_device = false;
    bool regular_file = false;  // mounted through a loop device
    dev_t rdev = 0;             // the block device's number
};

// Resolves tags through libblkid (udev links, then its cache and a probe) and paths through
// realpath. Throws Error(not_installed) when the device is not on this node: heartbeat and
// Pacemaker read that as "cannot run here", not as a failure of the resource.
ResolvedSource resolve_source(const DeviceSpec&);

// The filesystem type libblkid finds on `path`. Throws Error(not_configured) when there is
// none or the probe is ambiguous.
std::string detect_fstype(const std::string& path);

}  // namespace takeover::fsmount
