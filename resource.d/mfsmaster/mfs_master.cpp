#include "mfs_master.h"

#include "mfs_backup.h"
#include "mfs_daemon.h"
#include "mfs_freshest.h"
#include "mfs_protocol.h"
#include "mfs_restore.h"
#include "mfs_sockets.h"
#include "takeover/outcome.h"
#include "takeover/process.h"

#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <filesystem>

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace takeover::mfs {
namespace {

long ms_since(Clock::time_point t) {
    return std::chrono::duration_cast<milliseconds>(Clock::now() - t).count();
}

milliseconds left_until(Clock::time_point deadline) {
    return std::max(milliseconds(0),
                    std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
}

void check_same_dir(const std::string& given, const std::string& from_config, const char* param,
                    const std::string& config) {
    if (given.empty()) return;
    std::string a = given;
    while (a.size() > 1 && a.back() == '/') a.pop_back();
    if (a != from_config)
        throw Error(Outcome::not_configured, std::string(param) + " " + given +
                                                 " differs from DATA_PATH " + from_config + " in " +
                                                 config);
}

void check_data_dir(const std::string& dir, Owner owner, const char* what) {
    struct stat st {};
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error(Outcome::not_installed, std::string(what) + " " + dir + " does not exist");
    if (st.st_uid != owner.uid)
        throw Error(Outcome::not_installed, std::string(what) + " " + dir +
                                                " is not owned by the working user (uid " +
                                                std::to_string(owner.uid) + ")");
}

bool serving(const MasterConfig& m, milliseconds timeout) {
    return accepts_connections(local_address(m.matocl_listen_host), m.matocl_port, timeout);
}

// Waits for the client port; a master loading big metadata takes a while to listen.
void wait_serving(const MasterConfig& m, Clock::time_point deadline) {
    bool up = process::wait_until([&] { return serving(m, milliseconds(200)); },
                                  left_until(deadline), milliseconds(20));
    if (!up)
        throw Error(Outcome::generic_error, "mfsmaster does not accept connections on " +
                                                local_address(m.matocl_listen_host) + ":" +
                                                std::to_string(m.matocl_port) + " in time");
}

// Puts the rebuilt metadata in place: the data directory's old state goes into a new backup
// generation first; if the final rename fails, the old state comes back.
void install_staged(const Node& n, const Staged& staged) {
    Generation gen = move_into_backup(n.master.data_path, n.backup_dir);
    std::error_code ec;
    fs::rename(staged.metadata, n.master.data_path + "/metadata.mfs", ec);
    if (ec) {
        restore_generation(gen, n.master.data_path);
        throw Error(Outcome::generic_error, "cannot move the rebuilt metadata into " +
                                                n.master.data_path + ": " + ec.message());
    }
    spdlog::info("previous state of {} ({} files) kept in {}", n.master.data_path, gen.moved.size(),
                 gen.dir);
    if (int pruned = prune_generations(n.backup_dir, n.settings.keep_backups))
        spdlog::info("removed {} backup generation(s) beyond keep_backups", pruned);
}

// Chooses the source and rebuilds it into DATA_PATH. Returns the metadata version that the
// master will start from and the time MooseFS's restore took.
std::pair<uint64_t, long> prepare_metadata(const Node& n, Clock::time_point deadline) {
    Snapshot own = scan(n.master.data_path);
    Snapshot copy = n.metalogger ? scan(n.metalogger->data_path) : Snapshot{"(no metalogger)"};
    Choice choice = choose_freshest(own, copy);
    if (!choice.source)
        throw Error(Outcome::generic_error,
                    "refusing to start an empty master: " + choice.reason +
                        "; for a new filesystem copy /var/lib/mfs/metadata.mfs.empty to " +
                        n.master.data_path + "/metadata.mfs");
    spdlog::info("{}", choice.reason);
    const Snapshot& source = *choice.source;
    if (&source == &own && own.clean()) return {own.reach, 0};
    Owner owner = lookup_owner(n.master.working_user, n.master.working_group);
    auto t = Clock::now();
    try {
        Staged staged =
            restore_in_staging(n.master, n.master_table, source, owner, left_until(deadline));
        long restore_ms = ms_since(t);
        install_staged(n, staged);
        remove_staging(n.master);
        return {staged.version, restore_ms};
    } catch (...) {
        remove_staging(n.master);
        throw;
    }
}

// A metalogger that starts over files of an earlier era (it followed another master, or this
// node was the master meanwhile) appends the new master's changes to them and leaves a hole
// that a later `mfsmaster -a` refuses (measured: "hole in change files", entries 25 to 39).
// So its old files go into a backup generation and it downloads a whole copy instead.
void archive_metalogger_copy(const Node& n) {
    const std::string& dir = n.metalogger->data_path;
    if (state_files(dir).empty()) return;
    const std::string archive = n.backup_dir + "/metalogger";
    Generation gen = move_into_backup(dir, archive);
    spdlog::info("previous metalogger copy ({} files) kept in {}", gen.moved.size(), gen.dir);
    prune_generations(archive, n.settings.keep_backups);
}

}  // namespace

Node load(const Settings& s) {
    Node n;
    n.settings = s;
    n.master_table = read_config(s.config);
    n.master = master_config(n.master_table, s.config);
    check_same_dir(s.data_dir, n.master.data_path, "data_dir", s.config);
    if (s.metalogger_config != "none") {
        n.metalogger = metalogger_config(read_config(s.metalogger_config), s.metalogger_config);
        check_same_dir(s.metalogger_data_dir, n.metalogger->data_path, "metalogger_data_dir",
                       s.metalogger_config);
    }
    if (s.keep_backups < 1) throw Error(Outcome::not_configured, "keep_backups must be at least 1");
    n.backup_dir = s.backup_dir.empty() ? n.master.data_path + "/.takeover-backup" : s.backup_dir;
    if (n.backup_dir.front() != '/')
        throw Error(Outcome::not_configured, "backup_dir must be an absolute path");
    return n;
}

// The master's ports must be free unless our own master holds them.
void check_ports_free(const MasterConfig& m) {
    if (master_pid(m)) return;
    auto sockets = tcp_sockets();
    for (uint16_t port : {m.matoml_port, m.matocs_port, m.matocl_port})
        if (listening_on(sockets, port))
            throw Error(Outcome::generic_error, "port " + std::to_string(port) +
                                                    " is held by another program (" + m.path +
                                                    " wants it and its master is not running)");
}

void validate(const Node& n) {
    check_ports_free(n.master);
    check_data_dir(n.master.data_path, lookup_owner(n.master.working_user, n.master.working_group),
                   "master DATA_PATH");
    if (n.metalogger)
        check_data_dir(n.metalogger->data_path,
                       lookup_owner(n.metalogger->working_user, n.metalogger->working_group),
                       "metalogger DATA_PATH");
}

std::string promote(const Node& n) {
    const auto t0 = Clock::now();
    const auto deadline = t0 + n.settings.start_timeout;
    if (auto pid = master_pid(n.master)) {
        wait_serving(n.master, deadline);
        return "mfsmaster already running (pid " + std::to_string(*pid) + ")";
    }
    const bool following = n.metalogger && metalogger_pid(*n.metalogger);
    if (following) stop_metalogger(*n.metalogger, n.settings.stop_timeout);
    uint64_t version = 0;
    long restore_ms = 0;
    try {
        std::tie(version, restore_ms) = prepare_metadata(n, deadline);
    } catch (...) {
        // Nothing changed: this node keeps following the master it followed.
        if (following) start_metalogger(*n.metalogger, n.settings.start_timeout);
        throw;
    }
    auto t_start = Clock::now();
    run_mfs({"mfsmaster", "-c", n.master.path, "start"}, left_until(deadline));
    wait_serving(n.master, deadline);
    std::string summary = "mfsmaster serving metadata version " + std::to_string(version) +
                          " (restore " + std::to_string(restore_ms) + " ms, start " +
                          std::to_string(ms_since(t_start)) + " ms, total " +
                          std::to_string(ms_since(t0)) + " ms)";
    spdlog::info("{}", summary);
    return summary;
}

void demote(const Node& n) {
    if (auto pid = master_pid(n.master))
        if (!stop_process(*pid, "mfsmaster", n.settings.stop_timeout))
            spdlog::warn(
                "mfsmaster was killed: its metadata was not saved, the next promote "
                "restores from changelogs");
    if (!n.metalogger || metalogger_pid(*n.metalogger)) return;
    archive_metalogger_copy(n);
    start_metalogger(*n.metalogger, n.settings.start_timeout);
}

void stop_all(const Node& n) {
    if (auto pid = master_pid(n.master)) stop_process(*pid, "mfsmaster", n.settings.stop_timeout);
    if (n.metalogger) stop_metalogger(*n.metalogger, n.settings.stop_timeout);
}

void start_slave(const Node& n) {
    demote(n);
}

Status status(const Node& n) {
    if (auto pid = master_pid(n.master)) {
        const std::string where =
            local_address(n.master.matocl_listen_host) + ":" + std::to_string(n.master.matocl_port);
        auto info = query_master(local_address(n.master.matocl_listen_host), n.master.matocl_port,
                                 milliseconds(3000));
        if (!info)
            return {Role::master_failed, "mfsmaster pid " + std::to_string(*pid) +
                                             " does not answer an info request on " + where};
        return {Role::master, "mfsmaster " + info->version + " pid " + std::to_string(*pid) +
                                  ", metadata version " + std::to_string(info->metadata_version)};
    }
    if (!n.metalogger) return {Role::stopped, ""};
    auto pid = metalogger_pid(*n.metalogger);
    if (!pid) return {Role::stopped, ""};
    Snapshot copy = scan(n.metalogger->data_path);
    std::string detail = "mfsmetalogger pid " + std::to_string(*pid) + ", copy reaches version " +
                         std::to_string(copy.reach);
    detail +=
        connected_to(tcp_sockets(), n.metalogger->master_port) ? ", connected" : ", not connected";
    if (auto master =
            query_master(n.metalogger->master_host, n.master.matocl_port, milliseconds(1000))) {
        long lag = static_cast<long>(master->metadata_version) - static_cast<long>(copy.reach);
        detail += ", master at " + std::to_string(master->metadata_version) + " (lag " +
                  std::to_string(lag) + ")";
    }
    return {Role::slave, detail};
}

}  // namespace takeover::mfs
