// The smb agent's actions on one instance. Library code: the agent's Spec only maps
// parameters to Options and calls these.
#pragma once

#include "smb_instance.h"

#include "takeover/agent.h"

namespace takeover::smb {

// Validates (testparm, share path, pid directory), starts smbd (and nmbd) unless this
// instance already serves, and returns only when every service address serves the share.
// On failure nothing of the instance is left running. Throws Error.
void start(const Options&);

// TERM to every process of the instance, KILL after stop_timeout; returns only when none is
// left, else throws. Stopped already is success. Never touches another config's daemons.
void stop(const Options&);

// running: smbd of this config is alive and a real SMB session to the share works on every
// service address (and nmbd is alive when asked). stopped: no process of the instance.
// failed: anything in between. Forks nothing.
agent::Health monitor(const Options&);

// Validation only, for validate-all.
void validate(const Options&);

}  // namespace takeover::smb
