// `takeover group up|down|status`: heartbeat's ResourceManager without heartbeat, for ucarp
// and keepalived hooks. Members start in order and stop in reverse; a failed start stops
// again, in reverse, every member before it, so the group is never left half-started.
#pragma once

#include "member.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace takeover::group {

struct Options {
    Member::Options member;
    bool skip_ip = false;  // the address belongs to ucarp/keepalived
    std::string lock_file = "/run/lock/takeover-group.lock";
    std::chrono::milliseconds lock_timeout{120000};
};

class Group {
  public:
    Group(const std::vector<haresources::Resource>&, const Options&);

    // Each prints one line per member to `out` and returns the process exit code.
    int up(std::ostream& out) const;
    int down(std::ostream& out) const;
    int status(std::ostream& out) const;

  private:
    std::vector<Member> members_;
    Options options_;
};

bool is_ip_resource(const haresources::Resource&);

}  // namespace takeover::group
