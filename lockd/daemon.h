// Running memexpd: in the foreground (systemd Type=simple) or as a daemon with a pid file
// (heartbeat), with signals as events of the main loop.
#pragma once

#include "server_config.h"
#include "takeover/outcome.h"

#include <string>

namespace takeover::lockd {

struct DaemonOptions {
    SettingsSources sources;
    bool daemonize = false;
    std::string pidfile;  // overrides memexpd.conf's
    // Durable mode (a state device configured):
    bool discard_corrupt_state = false;  // start from what is readable of a damaged device
    bool force_takeover = false;         // take the device from a server whose lease looks live
};

// `memexpd --dump-state PATH`: what a start would recover, as text (read only).
Outcome dump_state(const std::string& path, bool discard_corrupt, std::string* out,
                   std::string* reason);

// Runs until SIGTERM/SIGINT; SIGHUP reloads. Returns the outcome for main to convert.
// With daemonize, returns in the parent only once the child listens (or failed to).
Outcome run_daemon(const DaemonOptions&, std::string* reason);

}  // namespace takeover::lockd
