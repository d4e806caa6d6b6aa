#include "takeover/config_lines.h"
#include "takeover/outcome.h"

namespace takeover::config {

void fail(const std::string& file, int line, const std::string& message) {
    throw Error(Outcome::not_configured, file + ":" + std::to_string(line) + ": " + message);
}

void for_each_line(std::string_view content, const std::string& file,
                   const std::function<void(int, std::string_view)>& line_fn) {
    int line_no = 0;
    while (!content.empty()) {
        auto end = content.find('\n');
        std::string_view line = content.substr(0, end);
        content.remove_prefix(end == std::string_view::npos ? content.size() : end + 1);
        ++line_no;
        if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        for (char c : line)
            if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
                fail(file, line_no, "control character in line");
        line_fn(line_no, line);
    }
}

}  // namespace takeover::config
