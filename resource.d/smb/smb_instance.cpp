#include "smb_instance.h"

#include "smb_processes.h"
#include "smb_testparm.h"

#include "takeover/node.h"
#include "takeover/outcome.h"
#include "takeover/pidfile.h"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace takeover::smb {
namespace {

using namespace std::chrono_literals;

// testparm reads a config in ~30 ms; this only bounds a hung one.
constexpr std::chrono::milliseconds kTestparmTimeout = 10s;

std::string read_file(const std::string& path, Outcome missing) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(missing, path + ": cannot read (" + std::strerror(errno) + ")");
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool is_directory(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void check_options(const Options& o) {
    if (o.config.empty() || o.config[0] != '/')
        throw Error(Outcome::not_configured,
                    "config must be an absolute path, not '" + o.config + "'");
    if (!o.credentials.empty() && o.credentials[0] != '/')
        throw Error(Outcome::not_configured,
                    "credentials must be an absolute path, not '" + o.credentials + "'");
    if (o.start_timeout.count() < 1 || o.stop_timeout.count() < 1)
        throw Error(Outcome::not_configured, "start_timeout and stop_timeout must be at least 1");
}

Instance build(const Options& o, const Settings& settings) {
    Instance inst;
    inst.options = o;
    inst.settings = settings;
    inst.share = pick_share(settings, o.share, o.config);
    inst.addresses = service_addresses(settings, node::addresses());
    if (!o.credentials.empty())
        inst.credentials =
            parse_credentials(read_file(o.credentials, Outcome::not_configured), o.credentials);
    return inst;
}

// Monitor and stop read the file themselves; if Samba reads it differently (an include, a
// macro), they would look in the wrong place, so start refuses such a config.
void require_same_reading(const Settings& ours, const Settings& samba, const Instance& inst) {
    auto differ = [&](const std::string& what, const std::string& a, const std::string& b) {
        if (a != b)
            throw Error(Outcome::not_configured,
                        inst.options.config + ": " + what + " reads as '" + b + "' to Samba but '" +
                            a + "' in the file (includes and macros are not supported there)");
    };
    differ("pid directory", ours.pid_directory, samba.pid_directory);
    differ("bind interfaces only", ours.bind_interfaces_only ? "yes" : "no",
           samba.bind_interfaces_only ? "yes" : "no");
    differ("smb ports", std::to_string(ours.ports.front()), std::to_string(samba.ports.front()));
    std::string a, b;
    for (const auto& i : ours.interfaces) a += i + " ";
    for (const auto& i : samba.interfaces) b += i + " ";
    differ("interfaces", a, b);
    const auto* share = samba.share(inst.share);
    differ("share '" + inst.share + "' path",
           ours.share(inst.share) ? ours.share(inst.share)->path : "", share ? share->path : "");
}

void require_own_pid_directory(const Instance& inst) {
    for (const char* daemon : {"smbd", "nmbd"}) {
        auto pid = pidfile::live_pid(inst.pid_file(daemon), daemon);
        if (!pid) continue;
        auto p = read_process(*pid);
        if (p && !started_with_config(*p, inst.config_paths()))
            throw Error(Outcome::not_configured,
                        "pid directory " + inst.settings.pid_directory + " is in use by " + daemon +
                            " pid " + std::to_string(*pid) +
                            " of another config: give each instance its own");
    }
}

void make_directory(const std::string& path, mode_t mode) {
    if (path.empty()) return;
    for (size_t pos = 1; pos != std::string::npos;) {
        pos = path.find('/', pos + 1);
        const std::string prefix = path.substr(0, pos);
        if (mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST)
            throw Error(Outcome::generic_error,
                        "cannot create " + prefix + ": " + std::strerror(errno));
    }
}

// testparm and smbd refuse missing state and cache directories, and Samba does not make
// missing parents; an instance's directories under a fresh per-group root are made here.
void make_instance_directories(const Settings& s) {
    for (const auto* dir :
         {&s.pid_directory, &s.lock_directory, &s.state_directory, &s.cache_directory})
        make_directory(*dir, 0755);
    make_directory(s.private_directory, 0700);
}

}  // namespace

std::vector<ProbeTarget> Instance::probe_targets() const {
    std::vector<ProbeTarget> out;
    for (const auto& a : addresses) out.push_back({a, settings.ports.front(), share});
    return out;
}

std::vector<std::string> Instance::config_paths() const {
    std::vector<std::string> paths{options.config};
    char resolved[PATH_MAX];
    if (realpath(options.config.c_str(), resolved) && options.config != resolved)
        paths.emplace_back(resolved);
    return paths;
}

Instance read_instance(const Options& o) {
    check_options(o);
    const std::string text = read_file(o.config, Outcome::not_installed);
    return build(o, settings_of(Conf::parse(text, o.config)));
}

Instance validate_instance(const Options& o) {
    check_options(o);
    const std::string text = read_file(o.config, Outcome::not_installed);
    const Settings ours = settings_of(Conf::parse(text, o.config));
    // testparm refuses a config whose state and cache directories are missing; for a new
    // instance they are created first, from a file that at least parses.
    make_instance_directories(ours);
    const Settings samba = settings_of(load_with_testparm(o.config, kTestparmTimeout));
    Instance inst = build(o, samba);
    require_same_reading(ours, samba, inst);
    const std::string& path = samba.share(inst.share)->path;
    if (path.empty())
        throw Error(Outcome::not_configured, o.config + ": share '" + inst.share + "' has no path");
    // The path lives on the shared mount: missing here means "not on this node", which
    // Pacemaker answers by trying another node rather than giving up everywhere.
    if (!is_directory(path))
        throw Error(Outcome::not_installed,
                    "share '" + inst.share + "': path " + path + " does not exist on this node");
    if (inst.addresses.empty())
        throw Error(Outcome::generic_error, "interfaces (" +
                                                std::to_string(samba.interfaces.size()) +
                                                " entries) matches no address on this node");
    if (o.nmbd && samba.disable_netbios)
        throw Error(Outcome::not_configured,
                    o.config + " says disable netbios = yes, where nmbd does not run: nmbd=no");
    require_own_pid_directory(inst);
    return inst;
}

std::optional<pid_t> live_daemon(const Instance& inst, const char* daemon) {
    auto pid = pidfile::live_pid(inst.pid_file(daemon), daemon);
    if (!pid) return std::nullopt;
    auto p = read_process(*pid);
    if (!p || !started_with_config(*p, inst.config_paths())) return std::nullopt;
    return pid;
}

std::vector<pid_t> running_members(const Instance& inst) {
    std::vector<pid_t> leaders;
    for (const char* daemon : {"smbd", "nmbd"})
        if (auto pid = pidfile::read(inst.pid_file(daemon))) leaders.push_back(*pid);
    return instance_members(list_processes(), leaders, inst.config_paths());
}

}  // namespace takeover::smb
