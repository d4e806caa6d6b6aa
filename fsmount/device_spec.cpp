#include "device_spec.h"

#include "takeover/outcome.h"
#include "takeover/text.h"

#include <cctype>

namespace takeover::fsmount {
namespace {

[[noreturn]] void refuse(std::string_view spec, const std::string& why) {
    throw Error(Outcome::not_configured, "device '" + std::string(spec) + "': " + why);
}

// A tag value is what blkid reports: UUIDs are hex and dashes, labels are short names.
// Anything that looks like shell syntax is refused rather than quoted.
void check_tag_value(std::string_view spec, std::string_view value) {
    if (value.empty()) refuse(spec, "empty tag value");
    if (value.size() > 255) refuse(spec, "tag value longer than 255 characters");
    if (value.find_first_of(";&|$`<>(){}*?[]!\"'\\ \t,=/") != std::string_view::npos)
        refuse(spec, "tag value has a character a label or UUID cannot have");
}

void check_path(std::string_view spec, std::string_view path) {
    if (path.size() > 4095) refuse(spec, "path too long");
    if (text::has_shell_meta(path) || path.find(',') != std::string_view::npos)
        refuse(spec, "path has a shell metacharacter, a blank or a comma");
}

bool is_pseudo_name(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
            return false;
    return true;
}

}  // namespace

std::string DeviceSpec::source() const {
    switch (kind) {
        case Kind::uuid:
            return "UUID=" + value;
        case Kind::label:
            return "LABEL=" + value;
        default:
            return value;
    }
}

std::string_view to_string(DeviceSpec::Kind kind) {
    switch (kind) {
        case DeviceSpec::Kind::path:
            return "path";
        case DeviceSpec::Kind::uuid:
            return "uuid";
        case DeviceSpec::Kind::label:
            return "label";
        case DeviceSpec::Kind::network:
            return "network";
        case DeviceSpec::Kind::pseudo:
            return "pseudo";
    }
    return "?";
}

DeviceSpec parse_device_spec(std::string_view raw) {
    if (text::has_control_chars(raw)) refuse("?", "contains a control character");
    const std::string_view spec = text::trim(raw);
    if (spec.empty()) refuse(spec, "empty");
    DeviceSpec out;
    // heartbeat's Filesystem passes -U<uuid> / -L<label> straight to mount(8); some
    // haresources lines put a blank after the option letter.
    auto tag = [&](DeviceSpec::Kind kind, std::string_view value) {
        value = text::trim(value);
        check_tag_value(spec, value);
        out.kind = kind;
        out.value = std::string(value);
        return out;
    };
    if (text::starts_with(spec, "UUID=")) return tag(DeviceSpec::Kind::uuid, spec.substr(5));
    if (text::starts_with(spec, "LABEL=")) return tag(DeviceSpec::Kind::label, spec.substr(6));
    if (text::starts_with(spec, "-U")) return tag(DeviceSpec::Kind::uuid, spec.substr(2));
    if (text::starts_with(spec, "-L")) return tag(DeviceSpec::Kind::label, spec.substr(2));
    if (spec.front() == '-') refuse(spec, "unknown option (only -U<uuid> and -L<label>)");
    if (text::starts_with(spec, "//")) {
        check_path(spec, spec.substr(2));
        if (spec.size() < 4 || spec.find('/', 2) == std::string_view::npos)
            refuse(spec, "expected //server/share");
        out.kind = DeviceSpec::Kind::network;
    } else if (spec.front() == '/') {
        check_path(spec, spec);
        out.kind = DeviceSpec::Kind::path;
    } else if (auto sep = spec.find(":/"); sep != std::string_view::npos) {
        // host:/export; the host may be a bracketed IPv6 address.
        auto host = spec.substr(0, sep);
        if (host.empty()) refuse(spec, "expected host:/export");
        for (char c : host)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
                  c == ':' || c == '[' || c == ']'))
                refuse(spec, "host part has a character a host name cannot have");
        check_path(spec, spec.substr(sep + 1));
        out.kind = DeviceSpec::Kind::network;
    } else if (spec.find(':') != std::string_view::npos) {
        refuse(spec, "expected host:/export");
    } else if (is_pseudo_name(spec)) {
        out.kind = DeviceSpec::Kind::pseudo;
    } else {
        refuse(spec, "not a path, UUID=, LABEL=, -U, -L or host:/export");
    }
    out.value = std::string(spec);
    return out;
}

}  // namespace takeover::fsmount
