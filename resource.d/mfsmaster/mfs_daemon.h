// The MooseFS daemons as processes: their pids from the lock files they hold, start through
// their own front end, stop by TERM (they save metadata on TERM) with a KILL deadline.
#pragma once

#include "mfs_config.h"

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace takeover::mfs {

using std::chrono::milliseconds;

// The live pid in DATA_PATH/.mfsmaster.lock whose executable is mfsmaster (a recycled pid of
// another program does not count).
std::optional<pid_t> master_pid(const MasterConfig&);
std::optional<pid_t> metalogger_pid(const MetaloggerConfig&);

// Runs one MooseFS command line (argument vector) and returns its output; throws
// Error(generic_error) with the command's last output line when it fails or times out.
std::string run_mfs(const std::vector<std::string>& argv, milliseconds timeout);

// TERM, wait up to `grace` for it to go (the daemon writes its metadata first), then KILL.
// We signal the lock's pid ourselves rather than run `mfsmaster stop`: that front end polls
// once a second (4 s for a tiny filesystem, measured), we poll every 10 ms.
// Returns false if it had to be killed. Throws Error(generic_error) if even KILL fails.
bool stop_process(pid_t, const std::string& what, milliseconds grace);

void start_metalogger(const MetaloggerConfig&, milliseconds timeout);
// Stops the local metalogger so it flushes its buffered changelog (up to 1 s of changes).
void stop_metalogger(const MetaloggerConfig&, milliseconds grace);

}  // namespace takeover::mfs
