// mfsmaster: a MooseFS master that fails over from metalogger data.
//   heartbeat v1: `mfsmaster [config [metalogger_config]] {start|stop|status}` after the IP on a
//   haresources line;
//                 start = become the master, stop = master down and the metalogger back up.
//   OCF:          a promotable clone; start/stop = the slave (metalogger) role, promote/demote
//                 move the master role, monitor tells them apart.
#include "mfs_freshest.h"
#include "mfs_master.h"
#include "mfs_pacemaker.h"
#include "takeover/agent.h"

#include <iostream>

namespace takeover::agents {
namespace {

using agent::Health;
using agent::Params;
using agent::ParamType;
using agent::ResourceState;
namespace mfs = takeover::mfs;

mfs::Node node_from(const Params& p) {
    mfs::Settings s;
    s.config = p.str("config");
    s.data_dir = p.str("data_dir");
    s.metalogger_config = p.str("metalogger_config");
    s.metalogger_data_dir = p.str("metalogger_data_dir");
    s.backup_dir = p.str("backup_dir");
    s.keep_backups = static_cast<int>(p.integer("keep_backups"));
    s.start_timeout = p.seconds("start_timeout");
    s.stop_timeout = p.seconds("stop_timeout");
    return mfs::load(s);
}

// The score this node deserves as a promotion candidate: only a usable copy earns one.
void update_slave_score(const mfs::Node& n) {
    if (!mfs::under_pacemaker()) return;
    bool usable = mfs::scan(n.master.data_path).usable() ||
                  (n.metalogger && mfs::scan(n.metalogger->data_path).usable());
    if (usable)
        mfs::set_master_score(mfs::kSlaveScore);
    else
        mfs::clear_master_score();
}

Health monitor(const Params& p) {
    mfs::Node n = node_from(p);
    mfs::Status st = mfs::status(n);
    const bool ocf = mfs::ocf_semantics();
    switch (st.role) {
        case mfs::Role::master:
            mfs::set_master_score(mfs::kMasterScore);
            return {ocf ? ResourceState::running_master : ResourceState::running, st.detail};
        case mfs::Role::master_failed:
            return {ocf ? ResourceState::failed_master : ResourceState::failed, st.detail};
        case mfs::Role::slave:
            // heartbeat v1 holds only the master role: a metalogger alone is "stopped".
            if (!ocf) return {ResourceState::stopped, st.detail};
            update_slave_score(n);
            return {ResourceState::running, st.detail};
        case mfs::Role::stopped:
            break;
    }
    return {ResourceState::stopped, st.detail};
}

void promote(const Params& p) {
    mfs::Node n = node_from(p);
    std::string summary = mfs::promote(n);
    mfs::set_master_score(mfs::kMasterScore);
    std::cout << summary << std::endl;
}

void start(const Params& p) {
    if (!mfs::ocf_semantics()) return promote(p);
    mfs::Node n = node_from(p);
    mfs::start_slave(n);
    update_slave_score(n);
}

void stop(const Params& p) {
    mfs::Node n = node_from(p);
    if (!mfs::ocf_semantics()) return mfs::demote(n);
    mfs::stop_all(n);
    mfs::clear_master_score();
}

void demote(const Params& p) {
    mfs::Node n = node_from(p);
    mfs::demote(n);
    update_slave_score(n);
}

// Notifications carry nothing this agent needs: each promote reads the metadata itself.
void notify(const Params&) {}

void validate(const Params& p) {
    mfs::validate(node_from(p));
}

}  // namespace

agent::Spec mfsmaster_spec() {
    agent::Spec spec;
    spec.name = "mfsmaster";
    spec.shortdesc = "MooseFS master with failover from metalogger data";
    spec.longdesc =
        "Runs the MooseFS (3.0, community edition) metadata master on the node that holds the "
        "cluster IP, rebuilding its metadata from the freshest copy this node has: its own "
        "DATA_PATH or its metalogger's (versions read from the files). The local metalogger is "
        "stopped first so it flushes; the current state is moved into backup_dir; "
        "'mfsmaster -a restore' runs on copies in a staging directory and is refused on a hole "
        "in the changelogs or a result older than the changelogs reach; the master never starts "
        "on empty or stale metadata. heartbeat v1: start = master, stop = master down and "
        "metalogger up. OCF: a promotable clone; the slave role is the metalogger. LizardFS: "
        "the same daemons and file names work, its shadow-master mode is not used.";
    spec.heartbeat_usage = "[config[::metalogger_config]]";
    spec.parameters = {
        {.name = "config",
         .shortdesc = "mfsmaster.cfg",
         .default_value = "/etc/mfs/mfsmaster.cfg",
         .heartbeat_position = 0},
        {.name = "data_dir",
         .shortdesc = "master data directory (default: the config's DATA_PATH, must match it)"},
        {.name = "metalogger_config",
         .shortdesc = "mfsmetalogger.cfg of this node's metalogger, or 'none'",
         .default_value = "/etc/mfs/mfsmetalogger.cfg",
         .heartbeat_position = 1},
        {.name = "metalogger_data_dir",
         .shortdesc = "metalogger data directory (default: its config's DATA_PATH)"},
        {.name = "backup_dir",
         .shortdesc = "where the previous metadata goes (default: DATA_PATH/.takeover-backup)"},
        {.name = "keep_backups",
         .shortdesc = "backup generations kept",
         .default_value = "3",
         .type = ParamType::integer},
        {.name = "start_timeout",
         .shortdesc = "seconds for restore + start + first connection",
         .default_value = "60",
         .type = ParamType::integer},
        {.name = "stop_timeout",
         .shortdesc = "seconds for a clean stop before KILL",
         .default_value = "60",
         .type = ParamType::integer},
    };
    spec.validate = validate;
    spec.start = start;
    spec.stop = stop;
    spec.monitor = monitor;
    spec.promote = promote;
    spec.demote = demote;
    spec.notify = notify;
    spec.start_timeout = std::chrono::seconds(90);
    spec.stop_timeout = std::chrono::seconds(90);
    spec.monitor_interval = std::chrono::seconds(10);
    return spec;
}

}  // namespace takeover::agents
