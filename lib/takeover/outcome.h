// The one internal vocabulary of results. Every convention (OCF, LSB, heartbeat v1, daemon)
// converts from it in exit_codes.h; nothing else picks process exit codes.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace takeover {

enum class Outcome {
    success,
    not_running,     // monitor: cleanly stopped
    running_master,  // monitor: promoted instance
    failed_master,   // monitor: promoted instance that failed
    generic_error,   // the action failed; the resource may be half done
    bad_arguments,   // wrong arguments or an unknown action
    unimplemented,   // the agent does not offer this action
    permission,      // not allowed to do it (not root)
    not_installed,   // a program, module or library it needs is missing
    not_configured,  // the configuration can never work on any node
};

std::string_view to_string(Outcome);

// Thrown by library code below main; run_agent() and the daemons' mains catch it at the edge.
class Error : public std::runtime_error {
  public:
    Error(Outcome outcome, const std::string& reason)
        : std::runtime_error(reason), outcome_(outcome) {}
    Outcome outcome() const { return outcome_; }

  private:
    Outcome outcome_;
};

}  // namespace takeover
