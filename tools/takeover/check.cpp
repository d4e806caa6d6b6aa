#include "check.h"

#include "takeover/hacf.h"
#include "takeover/outcome.h"
#include "takeover/process.h"
#include "takeover/text.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>

namespace takeover::check {
namespace {

// Where each kind of member must stand in a group: memexpd listens on the VIP, the mount
// needs its locks, and the share serves files from the mount.
int rank(const std::string& name) {
    static const std::map<std::string, int> ranks = {
        {"IPaddr", 0},     {"IPaddr2", 0}, {"IPv6addr", 0},  {"memexpd", 1},
        {"Filesystem", 2}, {"smb", 3},     {"mfsmaster", 3},
    };
    auto it = ranks.find(name);
    return it == ranks.end() ? -1 : it->second;
}

bool is_elf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

std::string find_script(const Options& o, const std::string& name) {
    if (name.find('/') != std::string::npos || text::has_shell_meta(name)) return "";
    for (const auto& dir : {o.resource_dir, o.init_dir})
        if (std::filesystem::exists(dir + "/" + name)) return dir + "/" + name;
    return "";
}

std::string indent(const std::string& output) {
    std::string out;
    for (const auto& line : text::split(text::trim(output), '\n'))
        if (!line.empty()) out += "      " + line + "\n";
    return out;
}

// Returns 1 on error. Runs validate-all of our agents as `node` would.
int check_member(const Options& o, const std::string& node, const haresources::Resource& r,
                 std::ostream& out) {
    const std::string script = find_script(o, r.name);
    out << "  " << node << "  " << r.text << "  ";
    if (script.empty()) {
        out << "ERROR: no script " << r.name << " in " << o.resource_dir << " or " << o.init_dir
            << "\n";
        return 1;
    }
    if (access(script.c_str(), X_OK) != 0) {
        out << "ERROR: " << script << " is not executable\n";
        return 1;
    }
    if (!is_elf(script)) {
        out << "ok (" << script << ", not ours: not validated)\n";
        return 0;
    }
    std::vector<std::string> argv{script};
    argv.insert(argv.end(), r.args.begin(), r.args.end());
    argv.push_back("validate-all");
    process::RunOptions env;
    env.extra_env = {"HA_CURHOST=" + node};
    auto result = process::run(argv, std::chrono::seconds(20), env);
    out << (result.status.ok() ? "ok" : "ERROR: validate-all " + result.status.describe()) << "\n"
        << indent(result.output);
    return result.status.ok() ? 0 : 1;
}

}  // namespace

std::vector<std::string> order_problems(const haresources::Group& g) {
    std::vector<std::string> problems;
    const haresources::Resource* highest = nullptr;
    for (const auto& r : g.resources) {
        int rk = rank(r.name);
        if (rk < 0) continue;
        if (highest && rk < rank(highest->name))
            problems.push_back(r.name + " comes after " + highest->name + "; it must come before");
        if (!highest || rk > rank(highest->name)) highest = &r;
    }
    return problems;
}

int run(const Options& o, std::ostream& out) {
    int errors = 0;
    hacf::Config cf;
    std::vector<haresources::Group> groups;
    try {
        cf = hacf::load(o.ha_cf);
        out << o.ha_cf << ": " << cf.nodes.size() << " nodes, keepalive " << cf.keepalive.count()
            << " ms, deadtime " << cf.deadtime.count() << " ms, initdead " << cf.initdead.count()
            << " ms, auto_failback " << cf.auto_failback << "\n";
        for (const auto& p : hacf::problems(cf)) {
            out << "ERROR: " << p << "\n";
            ++errors;
        }
        groups = haresources::load(o.haresources);
    } catch (const Error& e) {
        out << "ERROR: " << e.what() << "\n";
        return errors + 1;
    }
    std::vector<std::string> nodes = o.nodes.empty() ? cf.nodes : o.nodes;
    for (auto& n : nodes) n = text::to_lower(n);
    for (const auto& n : nodes)
        if (std::find(cf.nodes.begin(), cf.nodes.end(), n) == cf.nodes.end()) {
            out << "ERROR: node " << n << " is not a node in " << o.ha_cf << "\n";
            ++errors;
        }
    for (const auto& g : groups) {
        out << g.file << ":" << g.line << ": group of " << g.node << "\n";
        if (std::find(cf.nodes.begin(), cf.nodes.end(), g.node) == cf.nodes.end()) {
            out << "  ERROR: " << g.node << " is not a node in " << o.ha_cf << "\n";
            ++errors;
        }
        for (const auto& p : order_problems(g)) {
            out << "  ERROR: order: " << p << "\n";
            ++errors;
        }
        for (const auto& node : nodes)
            for (const auto& r : g.resources) errors += check_member(o, node, r, out);
    }
    out << "check: " << errors << (errors == 1 ? " error" : " errors") << "\n";
    return errors;
}

}  // namespace takeover::check
