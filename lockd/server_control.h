// Starting, probing and stopping a memexpd instance: the logic of the memexpd resource agent.
// Probes are protocol round trips (connect, authenticate, PING), never pid checks alone.
#pragma once

#include "server_config.h"

#include <chrono>
#include <string>

namespace takeover::lockd::control {

struct Instance {
    SettingsSources sources;  // what memexpd is started with (config, ogfs_config, listen)
    std::string pidfile;      // "": memexpd.conf's pidfile, else /run/memexpd.pid
    std::string daemon;       // memexpd binary; "" to search next to us, then PATH
    std::chrono::milliseconds start_timeout{20000};
    std::chrono::milliseconds stop_timeout{20000};
};

enum class State { running, stopped, failed };
struct Probe {
    State state;
    std::string detail;
};

// Throws Error(not_configured) for a bad config or key, Error(not_installed) without memexpd.
ServerSettings validate(const Instance&);
// Running: answers PING with our key. Failed: our process is alive but does not answer, or
// something on the address refuses our key. Stopped otherwise.
Probe probe(const Instance&);
// Returns once the server answers a PING (idempotent: a running server is left alone).
void start(const Instance&);
// SIGTERM (the server tells its clients and exits), KILL at the deadline. Idempotent.
void stop(const Instance&);

// Where a client on this node reaches the server: 0.0.0.0 / :: become loopback.
std::string client_address(const Endpoint&);

}  // namespace takeover::lockd::control
