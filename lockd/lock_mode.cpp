#include "lock_mode.h"

#include <cctype>

namespace takeover::lockd {

namespace {
constexpr std::string_view kNames[kModeCount] = {"NL", "CR", "CW", "PR", "PW", "EX"};
}

std::string_view to_string(Mode m) {
    return kNames[static_cast<int>(m)];
}

std::optional<Mode> parse_mode(std::string_view s) {
    if (s.size() != 2) return std::nullopt;
    for (int i = 0; i < kModeCount; ++i) {
        if (std::toupper(static_cast<unsigned char>(s[0])) == kNames[i][0] &&
            std::toupper(static_cast<unsigned char>(s[1])) == kNames[i][1])
            return static_cast<Mode>(i);
    }
    return std::nullopt;
}

}  // namespace takeover::lockd
