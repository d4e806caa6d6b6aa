#include "lockctl_render.h"

#include <algorithm>
#include <cstdio>

namespace takeover::lockd::lockctl {

std::string printable(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out.push_back(static_cast<char>(c));
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        }
    }
    return out;
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c < 0x20 || c >= 0x7f) {
            // Not valid UTF-8 in general: bytes are shown as code points U+0000..U+00FF.
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out + "\"";
}

std::string Table::text() const {
    std::vector<size_t> width;
    for (const auto& c : columns_) width.push_back(c.size());
    std::vector<std::vector<std::string>> shown;
    for (const auto& r : rows_) {
        auto& line = shown.emplace_back();
        for (size_t i = 0; i < r.size(); ++i) {
            line.push_back(printable(r[i].first));
            width[i] = std::max(width[i], line.back().size());
        }
    }
    auto render = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (size_t i = 0; i < cells.size(); ++i) {
            out += cells[i];
            if (i + 1 < cells.size()) out += std::string(width[i] - cells[i].size() + 2, ' ');
        }
        return out + "\n";
    };
    std::string out = render(columns_);
    for (const auto& line : shown) out += render(line);
    return out;
}

std::string Table::json() const {
    std::string out = "[";
    for (size_t r = 0; r < rows_.size(); ++r) {
        out += r ? ",\n {" : "\n {";
        for (size_t i = 0; i < columns_.size(); ++i) {
            if (i) out += ", ";
            out += json_string(columns_[i]) + ": ";
            const auto& [value, numeric] = rows_[r][i];
            out += numeric ? value : json_string(value);
        }
        out += "}";
    }
    return out + (rows_.empty() ? "]\n" : "\n]\n");
}

}  // namespace takeover::lockd::lockctl
