// What the `device` argument names: a path, a tag (UUID=/LABEL=, or heartbeat's -U/-L), or a
// network export. Parsing is pure; resolving a tag to a device node is libblkid's (probe.h).
#pragma once

#include <string>
#include <string_view>

namespace takeover::fsmount {

struct DeviceSpec {
    enum class Kind {
        path,     // /dev/sdb1, /dev/disk/by-id/..., or an image file (mounted through loop)
        uuid,     // UUID=..., -U...
        label,    // LABEL=..., -L...
        network,  // host:/export (nfs) or //server/share (cifs)
        pseudo,   // tmpfs, none, ...: a name the kernel does not look up
    };
    Kind kind = Kind::path;
    std::string value;  // the path, the tag's value, or the export as written

    // The spec as mount(8) would take it ("UUID=..." for tags).
    std::string source() const;
    bool is_tag() const { return kind == Kind::uuid || kind == Kind::label; }
};

// Parses one device argument. Throws Error(not_configured) on an empty or malformed spec
// and on characters that have no place in a device name (control characters, shell
// metacharacters other than those an export path may carry).
DeviceSpec parse_device_spec(std::string_view);

std::string_view to_string(DeviceSpec::Kind);

}  // namespace takeover::fsmount
