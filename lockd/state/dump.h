// `memexpd --dump-state PATH`: what a start would recover from a state device, read only
// (safe beside a running server), as text for admins and tests.
#pragma once

#include "device.h"
#include "replay.h"

#include <string>

namespace takeover::lockd::state {

// Throws StateError as replay() does.
std::string dump_state(Device&, bool discard_corrupt);

}  // namespace takeover::lockd::state
