// heartbeat v1 haresources: one resource group per line,
//   node1 10.0.0.100 memexpd Filesystem::/dev/sda3::/ogfs::ogfs::hostdata=%i smb
// `#` starts a comment, a trailing `\` continues the line, `::` separates a resource's
// arguments, and a bare IP address means IPaddr::ADDRESS (as heartbeat's ResourceManager does).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace takeover::haresources {

struct Resource {
    std::string name;               // script name: IPaddr, Filesystem, ...
    std::vector<std::string> args;  // the `::` fields after the name
    std::string text;               // as written on the line
};

struct Group {
    std::string node;  // the preferred owner
    std::vector<Resource> resources;
    std::string file;
    int line = 0;  // first line of the group
};

// Parses one resource word. Throws Error(not_configured) for an empty name.
Resource parse_resource(std::string_view word);
// Parses a whole file's content. Errors read "FILE:LINE: message".
std::vector<Group> parse(std::string_view content, const std::string& file);
std::vector<Group> load(const std::string& path);

}  // namespace takeover::haresources
