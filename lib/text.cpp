#include "takeover/text.h"

#include <algorithm>
#include <cctype>

namespace takeover::text {

std::string_view trim(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

std::vector<std::string> split(std::string_view s, char separator) {
    std::vector<std::string> parts;
    for (;;) {
        auto pos = s.find(separator);
        parts.emplace_back(s.substr(0, pos));
        if (pos == std::string_view::npos) return parts;
        s.remove_prefix(pos + 1);
    }
}

std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> words;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) words.emplace_back(s.substr(start, i - start));
    }
    return words;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool has_control_chars(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

bool has_shell_meta(std::string_view s) {
    return s.find_first_of(";&|$`<>(){}*?[]!~\"'\\ \t") != std::string_view::npos;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::optional<bool> parse_bool(std::string_view s) {
    auto v = to_lower(s);
    if (v == "1" || v == "yes" || v == "true" || v == "on" || v == "y") return true;
    if (v == "0" || v == "no" || v == "false" || v == "off" || v == "n") return false;
    return std::nullopt;
}

}  // namespace takeover::text
