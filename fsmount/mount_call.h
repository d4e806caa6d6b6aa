// The one mount(2) call a request turns into, computed before anything is touched so that
// validate-all and `fsmount --dry-run` can print it.
#pragma once

#include "device_spec.h"
#include "hostdata.h"

#include <string>
#include <string_view>
#include <vector>

namespace takeover::fsmount {

// What the administrator asked for (agent parameters or CLI arguments), unchecked.
struct Request {
    std::string device;
    std::string directory;
    std::string fstype;    // empty or "auto": detect with libblkid
    std::string options;   // comma-separated mount options, may hold hostdata=...
    std::string hostdata;  // the hostdata parameter (overrides none in options; both is an error)
};

struct MountCall {
    std::string source;  // resolved device node, image file or export
    std::string target;  // the mount point, normalized
    std::string fstype;
    std::string options;  // final option string, hostdata expanded (or dropped)

    std::string describe() const;  // "mount source=... target=... type=... options=..."
};

// Filesystems whose mount takes a per-node hostdata= option.
bool takes_hostdata(std::string_view fstype);
// Filesystems meant to be mounted on several nodes (and twice on one node) at once.
bool is_cluster_fs(std::string_view fstype);
bool is_network_fs(std::string_view fstype);

// Checks a fstype name ("" and "auto" mean detect). Throws Error(not_configured).
void check_fstype(std::string_view);
// Normalizes an absolute mount point: no trailing slash, no "." or ".." or empty
// components, no shell characters. Throws Error(not_configured).
std::string normalize_directory(std::string_view);
// Checks a comma-separated option string. Throws Error(not_configured).
std::vector<std::string> split_options(std::string_view);

// The final option string for `fstype`: hostdata= (from the options or the parameter) is
// expanded with `facts` and kept only for filesystems that take it.
std::string final_options(const Request&, std::string_view fstype, const NodeFacts& facts);

}  // namespace takeover::fsmount
