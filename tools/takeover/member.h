// One member of a resource group, as heartbeat's ResourceManager would run it: our own agent
// in-process when the name is one of ours, else the script it would find in resource.d
// (then /etc/init.d), run as a child with a deadline.
#pragma once

#include "takeover/agent.h"
#include "takeover/haresources.h"

#include <chrono>
#include <optional>
#include <string>

namespace takeover::group {

struct Result {
    Outcome outcome = Outcome::success;
    std::string reason;
    bool ok() const { return outcome == Outcome::success; }
};

class Member {
  public:
    struct Options {
        std::string resource_dir = "/etc/ha.d/resource.d";
        std::string init_dir = "/etc/init.d";
        std::chrono::milliseconds timeout{60000};
        bool prefer_ours = true;  // run our agents in-process whatever resource.d holds
    };

    Member(haresources::Resource resource, const Options&);

    const haresources::Resource& resource() const { return resource_; }
    bool in_process() const { return spec_.has_value(); }
    // The script heartbeat would run ("" when none exists).
    const std::string& script() const { return script_; }

    Result start() const { return act("start"); }
    Result stop() const { return act("stop"); }
    agent::Health status() const;

  private:
    Result act(const std::string& action) const;
    haresources::Resource resource_;
    Options options_;
    std::optional<agent::Spec> spec_;
    std::string script_;
};

// heartbeat's reading of a status script's standard output (ResourceManager): text matching
// *not *running* means not held, *running* or *OK* means held, anything else not held.
bool heartbeat_says_running(const std::string& status_output);

}  // namespace takeover::group
