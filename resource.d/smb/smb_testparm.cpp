#include "smb_testparm.h"

#include "takeover/outcome.h"
#include "takeover/process.h"
#include "takeover/text.h"

namespace takeover::smb {

std::string testparm_reason(const std::string& output) {
    // Lines testparm always prints, which say nothing about what is wrong.
    static const char* const chatter[] = {"Load smb config files from", "Error loading services",
                                          "Ignoring unknown parameter", "Loaded services file",
                                          "Weak crypto is allowed",     "Server role:"};
    auto is_chatter = [](std::string_view line) {
        for (const char* c : chatter)
            if (text::starts_with(line, c)) return true;
        return line.empty();
    };
    // Most telling first: an ERROR, then any other remark, then a WARNING (testparm fails
    // with only "WARNING: Ignoring invalid value ..." for a bad value).
    const auto all = text::split(output, '\n');
    std::vector<std::string_view> lines;
    for (const auto& raw : all)
        if (auto line = text::trim(raw); !is_chatter(line)) lines.push_back(line);
    for (const char* prefix : {"ERROR", ""})
        for (auto line : lines)
            if (text::starts_with(line, prefix) && !text::starts_with(line, "WARNING:"))
                return std::string(line);
    if (!lines.empty()) return std::string(lines.front());
    return "testparm refused it";
}

std::string testparm_dump(const std::string& output) {
    for (size_t pos = 0; pos < output.size();) {
        if (output[pos] == '[') return output.substr(pos);
        auto next = output.find('\n', pos);
        if (next == std::string::npos) break;
        pos = next + 1;
    }
    return "";
}

Conf load_with_testparm(const std::string& config, std::chrono::milliseconds timeout) {
    auto result = process::run({"testparm", "-s", config}, timeout);
    if (result.status.timed_out)
        throw Error(Outcome::generic_error, "testparm -s " + config + " timed out");
    if (!result.status.ok())
        throw Error(Outcome::not_configured, config + ": " + testparm_reason(result.output));
    return Conf::parse(testparm_dump(result.output), "testparm -s " + config);
}

}  // namespace takeover::smb
