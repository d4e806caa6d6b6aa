// fsmount: the Filesystem agent's engine for administrators.
//   fsmount mount DEVICE DIRECTORY [-t TYPE] [-o OPTIONS] [--hostdata H] [--fsck] [--dry-run]
//   fsmount umount DIRECTORY [--device DEVICE] [--timeout SECONDS] [--force yes|no|move]
//   fsmount status DEVICE DIRECTORY      exit 0 mounted, 3 not mounted, 1 something else there
#include "fsmount.h"

#include "takeover/exit_codes.h"
#include "takeover/log.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <vector>

using namespace takeover;
using namespace takeover::fsmount;

namespace {

int run(CLI::App& app, const Request& req, bool dry_run, bool fsck, int timeout_s,
        const std::string& force) {
    if (app.got_subcommand("mount")) {
        if (dry_run) {
            std::cout << plan(req, this_node_facts()).describe() << "\n";
            return 0;
        }
        start(req, this_node_facts(), {.fsck = fsck});
        return 0;
    }
    if (app.got_subcommand("umount")) {
        StopOptions opts{std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s),
                         parse_force_mode(force)};
        stop(req, opts);
        return 0;
    }
    auto st = status(req);
    std::cout << (st.state == MountState::mounted       ? "mounted: "
                  : st.state == MountState::not_mounted ? "not mounted: "
                                                        : "other: ")
              << st.detail << "\n";
    return st.state == MountState::mounted ? 0 : st.state == MountState::not_mounted ? 3 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Mount, check and unmount a failover filesystem (the Filesystem agent's engine)"};
    app.require_subcommand(1);
    Request req;
    bool dry_run = false, fsck = false;
    int timeout_s = 20;
    std::string force = "yes";

    auto* mount = app.add_subcommand("mount", "mount DEVICE on DIRECTORY");
    mount
        ->add_option("device", req.device,
                     "/dev/X, UUID=, LABEL=, -U<uuid>, -L<label>, host:/export")
        ->required();
    mount->add_option("directory", req.directory, "mount point (created if missing)")->required();
    mount->add_option("-t,--type", req.fstype, "filesystem type (default: detect)");
    mount->add_option("-o,--options", req.options, "mount options");
    mount->add_option("--hostdata", req.hostdata, "per-node hostdata (%n, %i, %m, %%)");
    mount->add_flag("--fsck", fsck, "e2fsck -p first (ext2/3/4)");
    mount->add_flag("-n,--dry-run", dry_run, "print the mount call, change nothing");

    auto* umount = app.add_subcommand("umount", "unmount DIRECTORY and what is nested under it");
    umount->add_option("directory", req.directory, "mount point")->required();
    umount->add_option("--device", req.device, "only if this device is mounted there");
    umount->add_option("--timeout", timeout_s, "seconds before giving up")
        ->check(CLI::Range(1, 3600));
    umount->add_option("--force", force, "yes: TERM then KILL users; no; move: move aside first");

    auto* stat = app.add_subcommand("status", "is DEVICE mounted on DIRECTORY?");
    stat->add_option("device", req.device, "device spec")->required();
    stat->add_option("directory", req.directory, "mount point")->required();

    // heartbeat's -U<uuid> / -L<label> would read as unknown options: spell them as tags.
    std::vector<std::string> args(argv, argv + argc);
    for (auto& a : args)
        if (a.size() > 2 && (a.starts_with("-U") || a.starts_with("-L")))
            a = (a[1] == 'U' ? "UUID=" : "LABEL=") + a.substr(2);
    std::vector<char*> cargs;
    for (auto& a : args) cargs.push_back(a.data());
    CLI11_PARSE(app, argc, cargs.data());
    try {
        log::init("fsmount", log::Role::agent);
        return run(app, req, dry_run, fsck, timeout_s, force);
    } catch (const Error& e) {
        std::cerr << "fsmount: " << e.what() << "\n";
        return static_cast<int>(to_lsb_exit(e.outcome()));
    } catch (const std::exception& e) {
        std::cerr << "fsmount: " << e.what() << "\n";
        return 1;
    }
}
