// The processes of one Samba instance, found in /proc. An instance is what `smbd -D -s CONFIG`
// (and `nmbd -D -s CONFIG`) started: the daemon is a session leader (-D calls setsid), and
// everything it forks or execs (connection smbd's, smbd-notifyd, cleanupd, samba-dcerpcd,
// rpcd_*) stays in its session. Instances started with another config are other sessions.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace takeover::smb {

// `smbd -b`: CONFIGFILE, what a daemon started without -s reads.
inline constexpr const char* kSambaDefaultConfig = "/etc/samba/smb.conf";

struct ProcessInfo {
    pid_t pid = 0;
    pid_t session = 0;
    std::string exe;  // base name of /proc/PID/exe
    std::vector<std::string> argv;
};

// One process from /proc; nullopt if it is gone or a zombie, or a Samba daemon in another
// network namespace (another host's).
std::optional<ProcessInfo> read_process(pid_t);
// Every process in /proc (those that vanish while being read are skipped).
std::vector<ProcessInfo> list_processes();

// Pure: whether argv is smbd's or nmbd's started with `config` (-s PATH, -sPATH,
// --configfile=PATH, --configfile PATH, or no option when it is Samba's default), for any
// spelling of the path in `config_paths`.
bool started_with_config(const ProcessInfo&, const std::vector<std::string>& config_paths);

// Pure: the pids of the instance. `leaders` are the pids in the instance's pid files.
// Members are: the leaders' sessions; daemons started with the config and their sessions when
// they lead them or their leader is gone (never a login shell's session).
std::vector<pid_t> instance_members(const std::vector<ProcessInfo>& all,
                                    const std::vector<pid_t>& leaders,
                                    const std::vector<std::string>& config_paths);

}  // namespace takeover::smb
