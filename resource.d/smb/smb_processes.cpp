#include "smb_processes.h"

#include "takeover/pidfile.h"
#include "takeover/text.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <set>

namespace takeover::smb {
namespace {

// A /proc file, "" if unreadable. Plain read(2): a process that exits between open and read
// makes read fail with ESRCH, which libstdc++'s filebuf turns into an exception.
std::string read_all(const std::string& path) {
    std::string out;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return out;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    close(fd);
    return out;
}

// Field 6 of /proc/PID/stat, counted after the ")" that ends the command name; 0 for a
// zombie (it has exited; only its parent's wait is missing) or an unreadable entry.
pid_t session_of(const std::string& stat) {
    auto close = stat.rfind(')');
    if (close == std::string::npos) return 0;
    auto fields = text::split_words(std::string_view(stat).substr(close + 1));
    // state ppid pgrp session ...
    if (fields.size() < 4 || fields[0] == "Z") return 0;
    return text::parse_int<pid_t>(fields[3], 0, INT_MAX).value_or(0);
}

bool is_daemon(const std::string& exe) {
    return exe == "smbd" || exe == "nmbd";
}

// The network namespace of a process (its inode), 0 when it cannot be read.
ino_t net_namespace(const std::string& proc_dir) {
    struct stat st {};
    return stat((proc_dir + "/ns/net").c_str(), &st) == 0 ? st.st_ino : 0;
}

// A daemon in another network namespace serves another host (a container, or a node of a
// test cluster on one machine) even when it was started with the same config path: stopping
// it would stop someone else's share.
bool on_another_host(const std::string& proc_dir) {
    static const ino_t ours = net_namespace("/proc/self");
    ino_t theirs = net_namespace(proc_dir);
    return ours != 0 && theirs != 0 && theirs != ours;
}

}  // namespace

std::optional<ProcessInfo> read_process(pid_t pid) {
    const std::string base = "/proc/" + std::to_string(pid);
    ProcessInfo p;
    p.pid = pid;
    p.session = session_of(read_all(base + "/stat"));
    if (p.session == 0) return std::nullopt;  // gone, a zombie, or a kernel thread
    p.exe = pidfile::exe_name(pid);
    // Only daemons' command lines are ever matched; start scans all of /proc, so skip the rest.
    if (!is_daemon(p.exe)) return p;
    if (on_another_host(base)) return std::nullopt;
    for (auto& arg : text::split(read_all(base + "/cmdline"), '\0'))
        if (!arg.empty()) p.argv.push_back(std::move(arg));
    return p;
}

std::vector<ProcessInfo> list_processes() {
    std::vector<ProcessInfo> out;
    DIR* dir = opendir("/proc");
    if (!dir) return out;
    while (dirent* e = readdir(dir)) {
        auto pid = text::parse_int<pid_t>(e->d_name, 1, INT_MAX);
        if (!pid) continue;
        if (auto p = read_process(*pid)) out.push_back(std::move(*p));
    }
    closedir(dir);
    return out;
}

bool started_with_config(const ProcessInfo& p, const std::vector<std::string>& paths) {
    if (!is_daemon(p.exe)) return false;
    auto is_ours = [&](std::string_view value) {
        return std::find(paths.begin(), paths.end(), value) != paths.end();
    };
    bool named_config = false;
    for (size_t i = 1; i < p.argv.size(); ++i) {
        const std::string& a = p.argv[i];
        named_config =
            named_config || text::starts_with(a, "-s") || text::starts_with(a, "--configfile");
        const bool has_next = i + 1 < p.argv.size();
        if ((a == "-s" || a == "--configfile") && has_next && is_ours(p.argv[i + 1])) return true;
        if (text::starts_with(a, "--configfile=") && is_ours(a.substr(13))) return true;
        if (a.size() > 2 && text::starts_with(a, "-s") && is_ours(a.substr(2))) return true;
    }
    // Started without a config option: it reads Samba's compiled-in default.
    return !named_config && is_ours(kSambaDefaultConfig);
}

std::vector<pid_t> instance_members(const std::vector<ProcessInfo>& all,
                                    const std::vector<pid_t>& leaders,
                                    const std::vector<std::string>& config_paths) {
    std::set<pid_t> live;
    for (const auto& p : all) live.insert(p.pid);
    std::set<pid_t> sessions;
    // A pid file's process counts only if it runs our config: a pid directory shared by
    // mistake must not make us stop another instance.
    for (const auto& p : all)
        if (std::count(leaders.begin(), leaders.end(), p.pid) &&
            started_with_config(p, config_paths))
            sessions.insert(p.pid);
    std::set<pid_t> members;
    for (const auto& p : all) {
        if (!started_with_config(p, config_paths)) continue;
        members.insert(p.pid);
        if (p.session == p.pid || !live.count(p.session)) sessions.insert(p.session);
    }
    for (const auto& p : all)
        if (sessions.count(p.session)) members.insert(p.pid);
    return {members.begin(), members.end()};
}

}  // namespace takeover::smb
