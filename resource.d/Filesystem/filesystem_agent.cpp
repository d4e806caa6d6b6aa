// Filesystem: mounts the group's shared filesystem. Drop-in for heartbeat's
//   Filesystem device directory [fstype [options]] {start|stop|status}
// and an OCF agent with the same parameters. The work is fsmount's.
#include "fsmount.h"

#include "takeover/agent.h"
#include "takeover/outcome.h"
#include "takeover/text.h"

#include <cstdlib>
#include <iostream>

namespace takeover::agents {
namespace {

using namespace std::chrono;
using agent::Health;
using agent::Params;
using agent::ResourceState;
using fsmount::Request;

Request request_of(const Params& p) {
    return {p.str("device"), p.str("directory"), p.str("fstype"), p.str("options"),
            p.str("hostdata")};
}

// Pacemaker passes the action's timeout; heartbeat v1 passes none. Finish a second (or a
// tenth) early so that a failure is ours to report and not a timeout.
steady_clock::time_point stop_deadline(seconds fallback) {
    milliseconds budget = fallback;
    if (const char* t = std::getenv("OCF_RESKEY_CRM_meta_timeout"))
        if (auto ms = text::parse_int<long>(t, 1000, 86400000)) budget = milliseconds(*ms);
    return steady_clock::now() + budget - std::max<milliseconds>(budget / 10, seconds(1));
}

Health monitor(const Params& p) {
    auto st = fsmount::status(request_of(p));
    switch (st.state) {
        case fsmount::MountState::mounted:
            return {ResourceState::running, st.detail};
        case fsmount::MountState::not_mounted:
            return {ResourceState::stopped, st.detail};
        case fsmount::MountState::wrong_source:
            break;
    }
    return {ResourceState::failed, st.detail};
}

}  // namespace

agent::Spec filesystem_spec() {
    agent::Spec s;
    s.name = "Filesystem";
    s.shortdesc = "Manages a shared filesystem mount";
    s.longdesc =
        "Mounts a filesystem on a mount point and unmounts it, ending exactly the processes that "
        "use that mount when it is busy. hostdata for cluster filesystems (gfs, gfs2, ogfs, "
        "ocfs2) may use %n (node name), %i (cluster address), %m (this node's line in "
        "/etc/ha.d/conf/hostdata.map) and %%.";
    s.heartbeat_usage = "device directory [fstype [options]]";
    s.parameters = {
        {.name = "device",
         .shortdesc = "block device, UUID=, LABEL=, -U<uuid>, -L<label> or host:/export",
         .required = true,
         .heartbeat_position = 0},
        {.name = "directory",
         .shortdesc = "mount point",
         .required = true,
         .unique = true,
         .heartbeat_position = 1},
        {.name = "fstype",
         .shortdesc = "filesystem type (default: detected)",
         .heartbeat_position = 2},
        {.name = "options", .shortdesc = "mount options (-o)", .heartbeat_position = 3},
        {.name = "hostdata", .shortdesc = "per-node hostdata for gfs/gfs2/ogfs/ocfs2"},
        {.name = "force_unmount",
         .shortdesc = "yes: end the mount's users on stop; no; move: move aside first",
         .default_value = "yes"},
        {.name = "fsck",
         .shortdesc = "run e2fsck -p before mounting ext2/3/4",
         .default_value = "no",
         .type = agent::ParamType::boolean},
    };
    s.validate = [](const Params& p) {
        fsmount::parse_force_mode(p.str("force_unmount"));
        std::cout << fsmount::plan(request_of(p), fsmount::this_node_facts()).describe()
                  << std::endl;
    };
    s.start = [](const Params& p) {
        fsmount::start(request_of(p), fsmount::this_node_facts(), {.fsck = p.flag("fsck")});
    };
    s.stop = [](const Params& p) {
        fsmount::StopOptions opts{stop_deadline(seconds(20)),
                                  fsmount::parse_force_mode(p.str("force_unmount"))};
        fsmount::stop(request_of(p), opts);
    };
    s.monitor = monitor;
    s.start_timeout = seconds(60);
    s.stop_timeout = seconds(60);
    return s;
}

}  // namespace takeover::agents
