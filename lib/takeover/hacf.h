// heartbeat's ha.cf, parsed once into a typed, range-checked struct. Unknown directives and
// bad values are errors with FILE:LINE, so a typo shows up before a failover, not during one.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace takeover::hacf {

using std::chrono::milliseconds;

struct Medium {
    std::string kind;  // bcast, ucast, mcast, serial
    std::vector<std::string> args;
    int line = 0;
};

struct Config {
    std::vector<std::string> nodes;  // lower-cased, as heartbeat compares them
    std::vector<Medium> media;
    milliseconds keepalive{2000};
    milliseconds deadtime{30000};
    milliseconds warntime{10000};
    milliseconds initdead{60000};
    int udpport = 694;
    std::string auto_failback = "legacy";  // on, off, legacy
    bool crm = false;
    std::vector<std::string> ping_nodes;
    std::string logfacility;
    std::string logfile;
    std::string debugfile;
    std::string file;
};

// heartbeat time values: "2" (seconds), "1.5" (seconds), "500ms". heartbeat 3.0 refuses "2s"
// (measured: "initdead 1s" is a configuration error), so we do too.
bool parse_time(std::string_view, milliseconds* out);

Config parse(std::string_view content, const std::string& file);
Config load(const std::string& path);

// Consistency problems heartbeat would refuse at start or that make a cluster flap
// (deadtime too close to keepalive, initdead below deadtime, no media, no nodes).
std::vector<std::string> problems(const Config&);

}  // namespace takeover::hacf
