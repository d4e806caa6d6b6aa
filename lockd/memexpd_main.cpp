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
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : static_cast<int>(to_lsb_exit(Outcome::bad_arguments));
    }
    log::init("memexpd", log::Role::daemon);
    std::string reason;
    Outcome outcome = lockd::run_daemon(opts, &reason);
    if (outcome != Outcome::success) std::cerr << "memexpd: " << reason << "\n";
    return static_cast<int>(to_lsb_exit(outcome));
}
