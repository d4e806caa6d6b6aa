// memexpd: the cluster lock server.
#include "daemon.h"

#include "takeover/exit_codes.h"
#include "takeover/log.h"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
    using namespace takeover;
    lockd::DaemonOptions opts;
    CLI::App app{"memexpd: the cluster lock server (DLM modes, leases, fencing tokens)"};
    app.add_option("-c,--config", opts.sources.native_path, "memexpd.conf");
    app.add_option("-o,--ogfs-config", opts.sources.ogfs_path, "OpenGFS ogfscf.cf");
    app.add_option("-l,--listen", opts.sources.listen, "ADDRESS[:PORT] (default: lockdev)");
    app.add_option("-k,--key-file", opts.sources.key_file, "cluster key file (mode 0600)");
    app.add_option("-p,--pidfile", opts.pidfile, "pid file");
    app.add_flag("-d,--daemon", opts.daemonize, "detach; exit once listening");
    app.add_option("--statedev", opts.sources.statedev,
                   "durable mode: journal lock ownership on this block device or file");
    app.add_flag("--discard-corrupt-state", opts.discard_corrupt_state,
                 "start from what is readable of a damaged state device (loses the rest)");
    app.add_flag("--force-takeover", opts.force_takeover,
                 "take the state device although another server's lease looks alive");
    std::string dump;
    app.add_option("--dump-state", dump, "print what the state device PATH holds, then exit");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : static_cast<int>(to_lsb_exit(Outcome::bad_arguments));
    }
    std::string reason;
    if (!dump.empty()) {
        std::string out;
        Outcome o = lockd::dump_state(dump, opts.discard_corrupt_state, &out, &reason);
        std::cout << out;
        if (o != Outcome::success) std::cerr << "memexpd: " << reason << "\n";
        return static_cast<int>(to_lsb_exit(o));
    }
    log::init("memexpd", log::Role::daemon);
    Outcome outcome = lockd::run_daemon(opts, &reason);
    if (outcome != Outcome::success) std::cerr << "memexpd: " << reason << "\n";
    return static_cast<int>(to_lsb_exit(outcome));
}
