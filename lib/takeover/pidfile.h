// Pid files as daemons write them: a decimal pid and a newline.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace takeover::pidfile {

// The pid in the file, if the file exists and holds one.
std::optional<pid_t> read(const std::string& path);
// Writes atomically (temporary file + rename), so a reader never sees half a pid.
void write(const std::string& path, pid_t pid);
// The pid in the file, if that process is alive and its executable's base name is `exe_name`
// (a recycled pid belonging to another program does not count).
std::optional<pid_t> live_pid(const std::string& path, const std::string& exe_name);
// The base name of /proc/PID/exe ("" if unreadable). Drops " (deleted)".
std::string exe_name(pid_t pid);

}  // namespace takeover::pidfile
