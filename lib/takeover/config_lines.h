// The line discipline heartbeat's files share (ha.cf, haresources): `#` starts a comment, a
// trailing CR is dropped, and a control character is an error naming FILE:LINE.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace takeover::config {

// Calls `line` for each line of `content` with its number (from 1), comment and CR removed.
void for_each_line(std::string_view content, const std::string& file,
                   const std::function<void(int line_no, std::string_view line)>& line);

// Throws Error(not_configured) "FILE:LINE: message".
[[noreturn]] void fail(const std::string& file, int line, const std::string& message);

}  // namespace takeover::config
