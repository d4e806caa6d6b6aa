// memexpd: the cluster lock server as a resource.
//   heartbeat v1: `memexpd [config] {start|stop|status}` right after the IP on a haresources
//                 line (it listens on the cluster address, ogfscf.cf's lockdev).
//   OCF:          params config, ogfs_config, listen, start_timeout, pidfile.
// start returns once the server answers a protocol PING; monitor is a real round trip.
#include "server_control.h"
#include "takeover/agent.h"

namespace takeover::agents {
namespace {

using agent::Health;
using agent::Params;
using agent::ParamType;
using agent::ResourceState;
namespace control = takeover::lockd::control;

control::Instance instance(const Params& p) {
    control::Instance in;
    in.sources.native_path = p.str("config");
    in.sources.ogfs_path = p.str("ogfs_config");
    in.sources.listen = p.str("listen");
    in.sources.key_file = p.str("key_file");
    in.pidfile = p.str("pidfile");
    in.daemon = p.str("daemon");
    in.start_timeout = p.seconds("start_timeout");
    in.stop_timeout = p.seconds("stop_timeout");
    return in;
}

Health monitor(const Params& p) {
    auto probe = control::probe(instance(p));
    switch (probe.state) {
        case control::State::running:
            return {ResourceState::running, probe.detail};
        case control::State::stopped:
            return {ResourceState::stopped, probe.detail};
        case control::State::failed:
            break;
    }
    return {ResourceState::failed, probe.detail};
}

}  // namespace

agent::Spec memexpd_spec() {
    agent::Spec s;
    s.name = "memexpd";
    s.shortdesc = "memexpd cluster lock server";
    s.longdesc =
        "Runs memexpd, the OpenGFS-compatible cluster lock server (DLM lock modes, leases, "
        "fencing tokens), on the cluster address. Start returns once the server answers a "
        "protocol ping; monitor is an authenticated round trip; stop tells clients to reconnect.";
    s.heartbeat_usage = "[config]";
    s.parameters = {
        {.name = "config",
         .shortdesc = "memexpd.conf",
         .longdesc = "Native configuration (key file, limits, listen).",
         .default_value = "/etc/memexpd/memexpd.conf",
         .heartbeat_position = 0},
        {.name = "ogfs_config",
         .shortdesc = "ogfscf.cf",
         .longdesc = "OpenGFS cluster file: lockdev (listen address), nodes, STOMITH methods. "
                     "Overrides ogfs_config in memexpd.conf."},
        {.name = "listen",
         .shortdesc = "ADDRESS[:PORT]",
         .longdesc = "Listen address; overrides both files (port 15697 by default)."},
        {.name = "key_file",
         .shortdesc = "cluster key file",
         .longdesc = "Overrides key_file in memexpd.conf. Must be mode 0600."},
        {.name = "pidfile",
         .shortdesc = "pid file",
         .longdesc = "Default: pidfile in memexpd.conf, else /run/memexpd.pid."},
        {.name = "daemon",
         .shortdesc = "memexpd program",
         .longdesc = "Path of memexpd; by default found next to the agent or in sbin."},
        {.name = "start_timeout",
         .shortdesc = "seconds for start to see a ping answered",
         .default_value = "20",
         .type = ParamType::integer},
        {.name = "stop_timeout",
         .shortdesc = "seconds before SIGKILL on stop",
         .default_value = "20",
         .type = ParamType::integer},
    };
    s.validate = [](const Params& p) { control::validate(instance(p)); };
    s.start = [](const Params& p) { control::start(instance(p)); };
    s.stop = [](const Params& p) { control::stop(instance(p)); };
    s.monitor = monitor;
    s.start_timeout = std::chrono::seconds(30);
    s.stop_timeout = std::chrono::seconds(30);
    return s;
}

}  // namespace takeover::agents
