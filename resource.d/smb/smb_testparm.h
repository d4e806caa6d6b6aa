// Samba's own reading of a config file: `testparm -s`, run from an argument vector.
#pragma once

#include "smb_conf.h"

#include <chrono>
#include <string>

namespace takeover::smb {

// The configuration as testparm resolved it (includes followed, values normalized). Throws
// Error(not_configured, "CONFIG: <testparm's reason>") when Samba refuses the file, and
// Error(not_installed) when testparm is missing.
Conf load_with_testparm(const std::string& config, std::chrono::milliseconds timeout);

// Pure: the reason testparm gives in its output, for the error message.
std::string testparm_reason(const std::string& output);

// Pure: the dump part of testparm's output (stdout and stderr arrive merged; stderr's
// chatter precedes the first section header).
std::string testparm_dump(const std::string& output);

}  // namespace takeover::smb
