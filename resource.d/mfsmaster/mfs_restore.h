// MooseFS's own recovery (`mfsmaster -a restore`) run on copies in a staging directory, so a
// failed or incomplete restore changes nothing in the live data directories.
#pragma once

#include "mfs_backup.h"
#include "mfs_config.h"
#include "mfs_freshest.h"

#include <chrono>
#include <cstdint>
#include <string>

namespace takeover::mfs {

struct Staged {
    std::string dir;       // DATA_PATH/.takeover-staging
    std::string metadata;  // dir/metadata.mfs, the rebuilt metadata
    uint64_t version = 0;
};

// Copies `source`'s newest metadata file and its changelogs into a fresh staging directory
// under the master's DATA_PATH (same filesystem, so the result can be renamed in), runs
// `mfsmaster -a -c STAGING_CFG restore` there and checks the result: exit 0, no "hole in
// change files", a complete metadata.mfs whose version reaches `source.reach` (so a restore
// that silently stopped early is refused). Throws Error(generic_error) with MooseFS's reason.
Staged restore_in_staging(const MasterConfig&, const ConfigTable& master_table,
                          const Snapshot& source, Owner owner, std::chrono::milliseconds timeout);

// Removes the staging directory (it only ever holds copies).
void remove_staging(const MasterConfig&);

// The first two lines of a restore's output that say what went wrong; "" when none does.
std::string restore_failure(const std::string& output);

}  // namespace takeover::mfs
