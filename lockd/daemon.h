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
};

// Runs until SIGTERM/SIGINT; SIGHUP reloads. Returns the outcome for main to convert.
// With daemonize, returns in the parent only once the child listens (or failed to).
Outcome run_daemon(const DaemonOptions&, std::string* reason);

}  // namespace takeover::lockd
