// `takeover check`: ha.cf and haresources as each node would run them, before a failover
// finds the mistakes: scripts missing or not executable, our agents' validate-all with the
// arguments and node name that node would use (hostdata expansion, bad devices, bad
// addresses), and the group's order (IP, then memexpd, then Filesystem, then smb).
#pragma once

#include "takeover/haresources.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace takeover::check {

struct Options {
    std::string ha_cf = "/etc/ha.d/ha.cf";
    std::string haresources = "/etc/ha.d/haresources";
    std::string resource_dir = "/etc/ha.d/resource.d";
    std::string init_dir = "/etc/init.d";
    std::vector<std::string> nodes;  // empty: every node in ha.cf
};

// Order problems within one group ("" when fine).
std::vector<std::string> order_problems(const haresources::Group&);

// Prints the report; returns the number of errors.
int run(const Options&, std::ostream& out);

}  // namespace takeover::check
