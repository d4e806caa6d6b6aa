// The six DLM lock modes and their compatibility matrix (as in the Linux kernel DLM and
// VMS before it). Shared by the wire protocol, the lock table and the clients.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace takeover::lockd {

enum class Mode : uint8_t { NL = 0, CR = 1, CW = 2, PR = 3, PW = 4, EX = 5 };
constexpr int kModeCount = 6;

// compatible(a, b): may one holder have `a` while another has `b`? Symmetric.
//        NL CR CW PR PW EX
//   NL    1  1  1  1  1  1
//   CR    1  1  1  1  1  0
//   CW    1  1  1  0  0  0
//   PR    1  1  0  1  0  0
//   PW    1  1  0  0  0  0
//   EX    1  0  0  0  0  0
constexpr bool compatible(Mode a, Mode b) {
    constexpr std::array<std::array<bool, kModeCount>, kModeCount> matrix{{
        {1, 1, 1, 1, 1, 1},
        {1, 1, 1, 1, 1, 0},
        {1, 1, 1, 0, 0, 0},
        {1, 1, 0, 1, 0, 0},
        {1, 1, 0, 0, 0, 0},
        {1, 0, 0, 0, 0, 0},
    }};
    return matrix[static_cast<int>(a)][static_cast<int>(b)];
}

// PW and EX holders may write the lock value block (DLM writes it on their release or
// down-conversion).
constexpr bool writes_lvb(Mode m) {
    return m == Mode::PW || m == Mode::EX;
}

std::string_view to_string(Mode);
// Exact, case-insensitive: "ex" and "EX" parse, "exclusive" does not.
std::optional<Mode> parse_mode(std::string_view);

}  // namespace takeover::lockd
