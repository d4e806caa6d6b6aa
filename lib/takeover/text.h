// Small string helpers shared by the config parsers and the agents.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace takeover::text {

std::string_view trim(std::string_view);
std::vector<std::string> split(std::string_view, char separator);
// Splits on runs of blanks (spaces and tabs), as ha.cf and haresources do.
std::vector<std::string> split_words(std::string_view);
bool starts_with(std::string_view, std::string_view prefix);
// True for any byte below 0x20 or 0x7f: newlines and NULs have no place in an argument.
bool has_control_chars(std::string_view);
// Characters that mean something to a shell; agents refuse them where a name is expected.
bool has_shell_meta(std::string_view);
std::string to_lower(std::string_view);

// Parses the whole string as a base-10 integer in [min, max]; nullopt otherwise.
template <typename Int>
std::optional<Int> parse_int(std::string_view s, Int min, Int max) {
    Int value{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    if (value < min || value > max) return std::nullopt;
    return value;
}

// "yes/no, true/false, on/off, 1/0" as heartbeat and OCF write booleans.
std::optional<bool> parse_bool(std::string_view);

}  // namespace takeover::text
