// This node's mount table, read through libmount from /proc/self/mountinfo.
#pragma once

#include "probe.h"

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace takeover::fsmount {

struct MountEntry {
    int id = 0;
    int parent_id = 0;
    dev_t devno = 0;     // st_dev of files on it (major:minor in mountinfo)
    std::string source;  // as the kernel shows it (/dev/loop3, host:/export)
    std::string target;
    std::string fstype;
    std::string options;  // VFS and filesystem options together
};

class MountTable {
  public:
    // Throws Error(generic_error) when the table cannot be read.
    static MountTable read(const std::string& path = "/proc/self/mountinfo");

    // The mount visible at `target` (the last one mounted there, which hides the others).
    std::optional<MountEntry> at(const std::string& target) const;
    std::optional<MountEntry> by_id(int id) const;
    // Every mount whose source is `source` (matched by device number, loop backing file,
    // or the export string), in mount order.
    std::vector<MountEntry> of_source(const ResolvedSource& source) const;
    // Mounts below `id` (children, grandchildren, ...), deepest first: the order to unmount.
    std::vector<MountEntry> nested_under(int id) const;

    const std::vector<MountEntry>& entries() const { return entries_; }

  private:
    std::vector<MountEntry> entries_;
};

// True when the mount `entry` is of `source`.
bool same_source(const MountEntry& entry, const ResolvedSource& source);

// The file a loop device reads, from sysfs ("" when `device` is not an attached loop device).
std::string loop_backing_file(const std::string& device);

}  // namespace takeover::fsmount
