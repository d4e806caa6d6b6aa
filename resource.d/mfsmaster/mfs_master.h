// The mfsmaster resource on one node: promote (become the master from the freshest metadata
// this node has), demote (master down, metalogger up), and what monitor reports.
#pragma once

#include "mfs_config.h"

#include <chrono>
#include <optional>
#include <string>

namespace takeover::mfs {

struct Settings {
    std::string config = "/etc/mfs/mfsmaster.cfg";
    std::string data_dir;  // "": the config's DATA_PATH; else must equal it
    std::string metalogger_config = "/etc/mfs/mfsmetalogger.cfg";  // "none": no metalogger
    std::string metalogger_data_dir;  // "": the metalogger config's DATA_PATH
    std::string backup_dir;           // "": DATA_PATH/.takeover-backup
    int keep_backups = 3;
    std::chrono::seconds start_timeout{30};
    std::chrono::seconds stop_timeout{30};
};

// Everything a step needs, read once from the settings and the two config files.
struct Node {
    Settings settings;
    ConfigTable master_table;
    MasterConfig master;
    std::optional<MetaloggerConfig> metalogger;
    std::string backup_dir;
};

// Reads and cross-checks the configs. Throws Error(not_installed) for files missing here,
// Error(not_configured) for malformed or contradictory settings.
Node load(const Settings&);
// validate-all: the above plus data directories that exist and belong to the working user.
void validate(const Node&);

// Becomes the master (idempotent): stop the local metalogger, choose the freshest metadata,
// restore it in staging, back up and replace DATA_PATH's state, start mfsmaster, wait until
// its client port accepts connections. On any failure before the start, nothing in the data
// directories has changed. Returns a one-line summary.
std::string promote(const Node&);
// Master down (TERM, KILL after stop_timeout), then the local metalogger up (idempotent).
void demote(const Node&);
// Master and metalogger down (OCF stop).
void stop_all(const Node&);
// OCF start: the slave role, i.e. no master here and the metalogger running.
void start_slave(const Node&);

enum class Role { master, master_failed, slave, stopped };
struct Status {
    Role role = Role::stopped;
    std::string detail;
};
// Master: its pid is alive and it answers CLTOMA_INFO on its client port with a metadata
// version. Slave: the metalogger runs; the detail gives its copy's version and its lag behind
// the master at MASTER_HOST when that master answers.
Status status(const Node&);

}  // namespace takeover::mfs
