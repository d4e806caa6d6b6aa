// lockctl: inspect and use the memexpd lock server. See lockd/lockctl.h for exit codes.
#include "lockctl.h"

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    using namespace takeover::lockd::lockctl;
    Target t;
    LockCommand lock_cmd;
    std::string pattern, fence_node;
    CLI::App app{"lockctl: inspect and use the memexpd cluster lock server"};
    app.footer(
        "Exit codes: 0 ok (lock: the command's own code), 1 refused by the server, 2 usage,\n"
        "3 lock not obtained, 4 key refused, 5 server unreachable.");
    app.require_subcommand(1);
    app.add_option("-s,--server", t.server, "memexpd address IP[:PORT]");
    app.add_option("-k,--key-file", t.key_file, "cluster key file (mode 0600)");
    app.add_option("-c,--config", t.config, "memexpd.conf to read server and key from");
    app.add_flag("--json", t.json, "JSON output for scripts");
    auto* st = app.add_subcommand(
        "status", "epoch, mode (durable/memory), grace, sessions, locks, nodes awaiting fencing");
    auto* ls = app.add_subcommand("locks", "locks, optionally matching a shell PATTERN");
    ls->add_option("PATTERN", pattern);
    auto* ss = app.add_subcommand("sessions", "client sessions and their state");
    auto* ns = app.add_subcommand("nodes", "cluster nodes (ogfscf.cf) and their sessions");
    auto* fa = app.add_subcommand("fence-ack", "NODE is fenced: release its expired locks");
    fa->add_option("NODE", fence_node)->required();
    auto* lk = app.add_subcommand("lock", "hold lock NAME while COMMAND runs ($LOCK_TOKEN)");
    lk->add_option("NAME", lock_cmd.name)->required();
    lk->add_option("-m,--mode", lock_cmd.mode, "NL CR CW PR PW EX (default EX)");
    lk->add_option("-t,--timeout", lock_cmd.timeout_s, "seconds to wait (0: no limit)")
        ->check(CLI::Range(0.0, 86400.0));
    lk->add_flag("-n,--nonblock", lock_cmd.try_only, "fail at once if the lock is busy");
    lk->add_flag("--print-blocking", lock_cmd.print_blocking,
                 "print \"blocking NAME MODE\" to stderr when others wait");
    lk->add_option("--lease", lock_cmd.lease_s, "session lease in seconds (default 10)")
        ->check(CLI::Range(1.0, 300.0));
    lk->add_option("--node", lock_cmd.node, "session node name (default: this node)");
    lk->add_option("COMMAND", lock_cmd.command)->required();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : usage;
    }
    if (st->parsed()) return status(t);
    if (ls->parsed()) return locks(t, pattern);
    if (ss->parsed()) return sessions(t);
    if (ns->parsed()) return nodes(t);
    if (fa->parsed()) return fence_ack(t, fence_node);
    if (lk->parsed()) return lock(t, lock_cmd);
    return usage;
}
