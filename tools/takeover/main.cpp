// takeover: check a heartbeat configuration, or run a resource group without heartbeat.
#include "check.h"
#include "group.h"
#include "takeover/log.h"
#include "takeover/node.h"

#include <CLI/CLI.hpp>

#include <iostream>

using namespace takeover;

namespace {

// The group's resources: from the command line, or the haresources line of --node.
std::vector<haresources::Resource> resources_of(const std::vector<std::string>& words,
                                                const std::string& file, const std::string& node) {
    std::vector<haresources::Resource> out;
    if (!file.empty()) {
        const std::string owner = node.empty() ? node::name() : node;
        for (const auto& g : haresources::load(file))
            if (g.node == owner) return g.resources;
        throw Error(Outcome::not_configured, file + ": no group for node " + owner);
    }
    if (words.empty()) throw Error(Outcome::bad_arguments, "name the resources or --haresources");
    for (const auto& w : words) out.push_back(haresources::parse_resource(w));
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    log::init("takeover", log::Role::agent);
    CLI::App app{"takeover: check a heartbeat v1 cluster's configuration, or run its groups"};
    app.require_subcommand(1);

    check::Options check_opts;
    auto* check_cmd =
        app.add_subcommand("check", "validate ha.cf and haresources as each node would run them");
    check_cmd->add_option("--ha-cf", check_opts.ha_cf, "ha.cf path")->capture_default_str();
    check_cmd->add_option("--haresources", check_opts.haresources, "haresources path")
        ->capture_default_str();
    check_cmd->add_option("--resource-dir", check_opts.resource_dir, "heartbeat's resource.d")
        ->capture_default_str();
    check_cmd->add_option("--node", check_opts.nodes,
                          "check as this node (repeatable; default: every node)");

    group::Options group_opts;
    std::string action, haresources_file, node;
    std::vector<std::string> words;
    double timeout_s = 60;
    auto* group_cmd = app.add_subcommand(
        "group", "start, stop or show a resource group (ucarp/keepalived hooks)");
    group_cmd->add_option("action", action, "up, down or status")
        ->required()
        ->check(CLI::IsMember({"up", "down", "status"}));
    group_cmd->add_option("resources", words,
                          "haresources words, e.g. 10.0.0.1 Filesystem::/dev/sdb1::/srv smb");
    group_cmd->add_option("--haresources", haresources_file, "take the group from this file");
    group_cmd->add_option("--node", node,
                          "the group whose line starts with NODE (default: this node)");
    group_cmd->add_flag("--skip-ip", group_opts.skip_ip, "leave IP members to ucarp/keepalived");
    group_cmd
        ->add_option("--resource-dir", group_opts.member.resource_dir, "where other scripts are")
        ->capture_default_str();
    group_cmd->add_option("--lock-file", group_opts.lock_file, "serializes concurrent runs")
        ->capture_default_str();
    group_cmd->add_option("--timeout", timeout_s, "seconds per member action")
        ->check(CLI::Range(1.0, 3600.0))
        ->capture_default_str();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    try {
        if (check_cmd->parsed()) return check::run(check_opts, std::cout) == 0 ? 0 : 1;
        group_opts.member.timeout = std::chrono::milliseconds(static_cast<long>(timeout_s * 1000));
        group::Group g(resources_of(words, haresources_file, node), group_opts);
        if (action == "up") return g.up(std::cout);
        if (action == "down") return g.down(std::cout);
        return g.status(std::cout);
    } catch (const std::exception& e) {
        std::cerr << "takeover: " << e.what() << "\n";
        return 1;
    }
}
