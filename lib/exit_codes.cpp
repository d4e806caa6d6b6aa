#include "takeover/exit_codes.h"

namespace takeover {

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::success:
            return "success";
        case Outcome::not_running:
            return "not running";
        case Outcome::running_master:
            return "running (master)";
        case Outcome::failed_master:
            return "failed (master)";
        case Outcome::generic_error:
            return "error";
        case Outcome::bad_arguments:
            return "bad arguments";
        case Outcome::unimplemented:
            return "unimplemented";
        case Outcome::permission:
            return "permission denied";
        case Outcome::not_installed:
            return "not installed";
        case Outcome::not_configured:
            return "not configured";
    }
    return "error";
}

OcfExit to_ocf_exit(Outcome outcome) {
    switch (outcome) {
        case Outcome::success:
            return OcfExit::success;
        case Outcome::not_running:
            return OcfExit::not_running;
        case Outcome::running_master:
            return OcfExit::running_master;
        case Outcome::failed_master:
            return OcfExit::failed_master;
        case Outcome::generic_error:
            return OcfExit::err_generic;
        case Outcome::bad_arguments:
            return OcfExit::err_args;
        case Outcome::unimplemented:
            return OcfExit::err_unimplemented;
        case Outcome::permission:
            return OcfExit::err_perm;
        case Outcome::not_installed:
            return OcfExit::err_installed;
        case Outcome::not_configured:
            return OcfExit::err_configured;
    }
    return OcfExit::err_generic;
}

LsbExit to_lsb_exit(Outcome outcome) {
    switch (outcome) {
        case Outcome::success:
        case Outcome::running_master:
            return LsbExit::success;
        // heartbeat v1 treats any non-zero start/stop as failure; "not running" after a
        // stop request is what the caller wanted.
        case Outcome::not_running:
            return LsbExit::success;
        case Outcome::failed_master:
        case Outcome::generic_error:
            return LsbExit::generic;
        case Outcome::bad_arguments:
        case Outcome::unimplemented:
            return LsbExit::usage;
        case Outcome::permission:
            return LsbExit::permission;
        case Outcome::not_installed:
            return LsbExit::not_installed;
        case Outcome::not_configured:
            return LsbExit::not_configured;
    }
    return LsbExit::generic;
}

LsbStatusExit to_lsb_status_exit(Outcome outcome) {
    switch (outcome) {
        case Outcome::success:
        case Outcome::running_master:
            return LsbStatusExit::running;
        case Outcome::not_running:
            return LsbStatusExit::not_running;
        case Outcome::failed_master:
        case Outcome::generic_error:
            return LsbStatusExit::dead_pid_file;
        default:
            return LsbStatusExit::unknown;
    }
}

}  // namespace takeover
