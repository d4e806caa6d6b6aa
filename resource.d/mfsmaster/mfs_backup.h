// Files in and out of the master's DATA_PATH: backup generations (never a deletion of live
// metadata; old generations beyond keep_backups are pruned), copies owned by the mfs user.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace takeover::mfs {

struct Owner {
    uid_t uid = 0;
    gid_t gid = 0;
};
// WORKING_USER / WORKING_GROUP as uid/gid. Throws Error(not_installed) for an unknown user.
Owner lookup_owner(const std::string& user, const std::string& group);

// Copies src to dst (replacing it) and gives it to `owner`. Throws Error(generic_error).
void copy_as(const std::string& src, const std::string& dst, Owner owner);

// The files a restore reads or a master writes as its state: metadata, changelogs and
// metadata.crc. Names only, sorted.
std::vector<std::string> state_files(const std::string& dir);

struct Generation {
    std::string dir;                 // backup_dir/gen-YYYYmmddTHHMMSS.NNNNNNNNNZ-PID
    std::vector<std::string> moved;  // names moved out of the data directory
};

// Moves the data directory's state files into a new generation in backup_dir (rename, or copy
// then unlink across filesystems). Throws Error(generic_error), after moving back what it
// moved, when any step fails.
Generation move_into_backup(const std::string& data_dir, const std::string& backup_dir);
// Moves a generation's files back (the undo of move_into_backup).
void restore_generation(const Generation&, const std::string& data_dir);
// Removes the oldest gen-* directories so that `keep` remain. Returns how many it removed.
int prune_generations(const std::string& backup_dir, int keep);

}  // namespace takeover::mfs
