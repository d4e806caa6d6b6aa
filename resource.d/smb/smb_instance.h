// One Samba instance as the agent sees it: its options, its config as read, and where its
// pid files, processes and clients are.
#pragma once

#include "smb_conf.h"
#include "smb_probe.h"

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace takeover::smb {

struct Options {
    std::string config = kSambaConfig;  // absolute path
    std::string share;                  // "" = the config's first ordinary share
    bool nmbd = false;
    std::string credentials;  // file for the health check; "" = anonymous / guest
    std::chrono::seconds start_timeout{20};
    std::chrono::seconds stop_timeout{20};

    static constexpr const char* kSambaConfig = "/etc/samba/smb.conf";
};

struct Instance {
    Options options;
    Settings settings;
    std::string share;                   // as written in the config
    std::vector<std::string> addresses;  // where clients reach it
    Credentials credentials;

    std::string pid_file(const char* daemon) const {
        return settings.pid_directory + "/" + daemon + ".pid";
    }
    std::vector<ProbeTarget> probe_targets() const;
    // The spellings of the config path smbd's command line may carry.
    std::vector<std::string> config_paths() const;
};

// Reads the config file directly (no fork): what monitor and stop use. Throws
// Error(not_installed) when the file is missing, Error(not_configured) when it is unusable.
Instance read_instance(const Options&);

// Everything start checks before it starts anything: testparm accepts the file, Samba's
// reading agrees with ours on the values we act on, the share exists and its path is there,
// the credentials file reads, no other instance uses the pid directory.
Instance validate_instance(const Options&);

// The pids of the instance's processes now (its daemons, their children and helpers).
std::vector<pid_t> running_members(const Instance&);
// smbd's pid from its pid file when that process runs this instance's config.
std::optional<pid_t> live_daemon(const Instance&, const char* daemon);

}  // namespace takeover::smb
