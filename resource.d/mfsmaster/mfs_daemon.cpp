#include "mfs_daemon.h"

#include "takeover/outcome.h"
#include "takeover/pidfile.h"
#include "takeover/process.h"
#include "takeover/text.h"

#include <spdlog/spdlog.h>

#include <signal.h>

namespace takeover::mfs {
namespace {

std::string last_line(const std::string& output) {
    auto lines = text::split(text::trim(output), '\n');
    return lines.empty() ? "" : std::string(text::trim(lines.back()));
}

}  // namespace

std::optional<pid_t> master_pid(const MasterConfig& c) {
    return pidfile::live_pid(c.data_path + "/.mfsmaster.lock", "mfsmaster");
}

std::optional<pid_t> metalogger_pid(const MetaloggerConfig& c) {
    return pidfile::live_pid(c.data_path + "/.mfsmetalogger.lock", "mfsmetalogger");
}

std::string run_mfs(const std::vector<std::string>& argv, milliseconds timeout) {
    auto result = process::run(argv, timeout);
    if (result.status.ok()) return result.output;
    std::string command = argv[0];
    for (size_t i = 1; i < argv.size(); ++i) command += " " + argv[i];
    std::string why = result.status.timed_out
                          ? "timed out after " + std::to_string(timeout.count()) + " ms"
                          : result.status.describe();
    std::string line = last_line(result.output);
    throw Error(Outcome::generic_error,
                command + " failed (" + why + ")" + (line.empty() ? "" : ": " + line));
}

bool stop_process(pid_t pid, const std::string& what, milliseconds grace) {
    auto gone = [pid] { return !process::alive(pid); };
    if (gone()) return true;
    ::kill(pid, SIGTERM);
    if (process::wait_until(gone, grace)) return true;
    spdlog::warn("{} (pid {}) still running after {} ms, killing it", what, pid, grace.count());
    ::kill(pid, SIGKILL);
    if (!process::wait_until(gone, milliseconds(5000)))
        throw Error(Outcome::generic_error,
                    what + " (pid " + std::to_string(pid) + ") survives KILL");
    return false;
}

void start_metalogger(const MetaloggerConfig& c, milliseconds timeout) {
    if (metalogger_pid(c)) return;
    run_mfs({"mfsmetalogger", "-c", c.path, "start"}, timeout);
}

void stop_metalogger(const MetaloggerConfig& c, milliseconds grace) {
    if (auto pid = metalogger_pid(c)) stop_process(*pid, "mfsmetalogger", grace);
}

}  // namespace takeover::mfs
