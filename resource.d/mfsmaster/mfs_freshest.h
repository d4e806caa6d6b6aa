// Which directory holds the freshest metadata this node can see: the master's own DATA_PATH
// (clean stop: metadata.mfs; crash: metadata.mfs.back + changelog.N.mfs) or the metalogger's
// copy (metadata_ml.mfs.back + changelog_ml*.mfs). Decided by versions read from the files.
#pragma once

#include "mfs_metadata.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace takeover::mfs {

struct MetadataFile {
    std::string name;
    uint64_t version = 0;
    bool brand_new = false;  // "MFSM NEW"
};

struct ChangelogFile {
    std::string name;
    ChangeIds ids;
};

struct Snapshot {
    std::string dir;
    std::optional<MetadataFile> newest;  // the newest usable metadata file
    std::vector<ChangelogFile> changelogs;
    std::vector<std::string> problems;  // "metadata.mfs.back: truncated (no end marker)"
    // The version a restore from this directory should reach: the newest metadata's version,
    // raised by changelogs past it. 0 when there is no usable metadata file.
    uint64_t reach = 0;
    bool usable() const { return newest.has_value(); }
    // A clean stop's metadata.mfs with nothing after it: start needs no restore. A new
    // filesystem's "MFSM NEW" template is not: a master started on it writes no metadata that
    // metaloggers can download until its first hourly save (they hold only metadata_ml.tmp, so
    // no other node could take over), while `mfsmaster -a restore` rewrites it as "MFSM 2.0".
    bool clean() const;
    std::string describe() const;  // one line for logs and errors
};

// Reads the directory's metadata and changelog files. A missing directory is a problem in the
// result, not an exception.
Snapshot scan(const std::string& dir);

struct Choice {
    const Snapshot* source = nullptr;  // null: nothing usable anywhere
    std::string reason;                // why this one (or why none), one line
};

// The usable snapshot with the highest reach; on a tie the master's own directory, whose
// changelog the master wrote itself.
Choice choose_freshest(const Snapshot& master, const Snapshot& metalogger);

}  // namespace takeover::mfs
