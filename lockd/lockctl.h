// lockctl: the admin and scripting front end of memexpd. Exit codes:
//   0 success (lock: COMMAND's own exit code)   1 the server refused the request
//   2 usage error                               3 lock not obtained (busy, timed out)
//   4 key refused                               5 server unreachable
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace takeover::lockd::lockctl {

enum Exit : int { ok = 0, refused = 1, usage = 2, not_obtained = 3, auth = 4, unreachable = 5 };

struct Target {
    std::string server;    // "IP[:PORT]"; default from the config, else 127.0.0.1:15697
    std::string key_file;  // default from the config, else /etc/memexpd/key
    std::string config;    // memexpd.conf to take them from
    bool json = false;
};

struct LockCommand {
    std::string name;
    std::string mode = "EX";
    double timeout_s = 0;  // 0: wait without limit
    bool try_only = false;
    bool print_blocking = false;  // tell stderr when someone waits for this lock
    std::string node;             // session node name; default this node's name
    double lease_s = 10;          // session lease: how long the server waits after we vanish
    std::vector<std::string> command;
};

int status(const Target&);
int locks(const Target&, const std::string& pattern);
int sessions(const Target&);
int nodes(const Target&);
int fence_ack(const Target&, const std::string& node);
int lock(const Target&, const LockCommand&);

}  // namespace takeover::lockd::lockctl
