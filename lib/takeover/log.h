// One logging facade over spdlog, configured here and nowhere else.
#pragma once

#include <spdlog/spdlog.h>

#include <string>

namespace takeover::log {

enum class Role {
    agent,   // resource agents and CLIs: stderr shows warnings and errors only
    daemon,  // long-running servers: stderr shows info too (foreground / systemd)
};

// Sets the default spdlog logger: stderr, plus syslog (facility from HA_LOGFACILITY, default
// daemon; "none" turns it off), plus HA_LOGFILE and HA_DEBUGLOG files when set, as heartbeat
// passes them to its resource scripts. HA_debug (non-zero) or TAKEOVER_DEBUG raises the level.
void init(const std::string& tag, Role role);

}  // namespace takeover::log
