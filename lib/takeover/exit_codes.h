// Exit-code vocabularies and the one function per boundary that converts an Outcome into each.
#pragma once

#include "takeover/outcome.h"

namespace takeover {

// OCF resource agent API 1.1, section "Return codes".
enum class OcfExit : int {
    success = 0,
    err_generic = 1,
    err_args = 2,
    err_unimplemented = 3,
    err_perm = 4,
    err_installed = 5,
    err_configured = 6,
    not_running = 7,
    running_master = 8,
    failed_master = 9,
};

// heartbeat v1 scripts follow the LSB init-script codes (0 ok, 1 generic, 4 permission,
// 5 not installed, 6 not configured), except that a usage error exits 1 as heartbeat's own
// resource.d scripts do. `status` uses the LSB status codes (0 running, 3 not running,
// 1 dead but pid file exists, 4 unknown); heartbeat itself reads only status's text.
enum class LsbExit : int {
    success = 0,
    generic = 1,
    usage = 1,
    permission = 4,
    not_installed = 5,
    not_configured = 6,
};
enum class LsbStatusExit : int { running = 0, dead_pid_file = 1, not_running = 3, unknown = 4 };

OcfExit to_ocf_exit(Outcome);
LsbExit to_lsb_exit(Outcome);
LsbStatusExit to_lsb_status_exit(Outcome);

}  // namespace takeover
