#include "smb_service.h"

#include "smb2_probe.h"
#include "smb_probe.h"

#include "takeover/outcome.h"
#include "takeover/process.h"

#include <signal.h>
#include <sys/stat.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

namespace takeover::smb {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using agent::Health;
using agent::ResourceState;

// A monitor's session to a healthy local smbd takes a few ms; this only bounds a hung one.
constexpr std::chrono::milliseconds kProbeTimeout = 5s;
// How often start re-tries the session while smbd comes up (it binds within ~50 ms).
constexpr std::chrono::milliseconds kStartPoll = 10ms;
constexpr std::chrono::milliseconds kKillGrace = 2s;

std::chrono::milliseconds left_until(Clock::time_point deadline) {
    return std::max(0ms,
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

// Anonymous checks speak SMB2 themselves (smb2_probe.h says why); credentials need
// libsmbclient's NTLMv2.
std::string check_share(const ProbeTarget& target, const Credentials& creds,
                        std::chrono::milliseconds timeout) {
    if (creds.username.empty()) return smb2_anonymous_probe(target, timeout);
    return probe_share(target, creds, timeout);
}

// The first address that does not serve, and why; "" when all do.
std::string first_failure(const Instance& inst, std::chrono::milliseconds timeout) {
    for (const auto& target : inst.probe_targets())
        if (auto why = check_share(target, inst.credentials, timeout); !why.empty()) return why;
    return "";
}

// The last line a program printed: its reason, when it gives one.
std::string text_tail(const std::string& output) {
    auto end = output.find_last_not_of(" \t\r\n");
    if (end == std::string::npos) return "";
    auto start = output.rfind('\n', end);
    return output.substr(start == std::string::npos ? 0 : start + 1,
                         end - (start == std::string::npos ? 0 : start + 1) + 1);
}

void run_daemon(const Instance& inst, const char* daemon, Clock::time_point deadline) {
    auto result = process::run({daemon, "-D", "-s", inst.options.config},
                               std::max(left_until(deadline), 100ms));
    if (!result.status.ok()) {
        const std::string said = text_tail(result.output);
        throw Error(Outcome::generic_error, std::string(daemon) + " -D -s " + inst.options.config +
                                                " failed (" + result.status.describe() + ")" +
                                                (said.empty() ? "" : ": " + said));
    }
}

// Polls until every service address serves, or smbd is gone, or the deadline passes.
void wait_until_serving(const Instance& inst, Clock::time_point deadline) {
    std::string why;
    for (;;) {
        why = first_failure(inst, std::clamp(left_until(deadline), 1ms, kProbeTimeout));
        if (why.empty()) return;
        // The pid file answers cheaply; only without it is all of /proc scanned.
        if (!live_daemon(inst, "smbd") && running_members(inst).empty())
            throw Error(Outcome::generic_error,
                        "smbd exited during start (its log file says why; testparm accepted " +
                            inst.options.config + ")");
        if (Clock::now() >= deadline) break;
        std::this_thread::sleep_for(kStartPoll);
    }
    throw Error(Outcome::generic_error, "not serving after start_timeout (" +
                                            std::to_string(inst.options.start_timeout.count()) +
                                            " s): " + why);
}

void signal_all(const std::vector<pid_t>& pids, int sig) {
    for (pid_t pid : pids) kill(pid, sig);
}

void stop_instance(const Instance& inst) {
    auto members = running_members(inst);
    if (members.empty()) return;
    spdlog::info("stopping {} processes of {}", members.size(), inst.options.config);
    signal_all(members, SIGTERM);
    auto gone = [&] {
        members = running_members(inst);
        return members.empty();
    };
    if (process::wait_until(gone, inst.options.stop_timeout)) return;
    spdlog::warn("{} processes of {} ignored TERM for {} s; killing them", members.size(),
                 inst.options.config, inst.options.stop_timeout.count());
    signal_all(members, SIGKILL);
    if (process::wait_until(gone, kKillGrace)) return;
    throw Error(Outcome::generic_error, std::to_string(members.size()) + " processes of " +
                                            inst.options.config + " survive SIGKILL (first: pid " +
                                            std::to_string(members.front()) + ")");
}

// The agent framework validates right before it starts; testparm costs ~50 ms of CPU, so the
// start that follows in the same process uses that result, if the file has not changed and
// it is fresh (`takeover group` may validate long before it starts).
constexpr std::chrono::milliseconds kValidationFresh = 1s;
struct Validated {
    std::string key;
    Clock::time_point when;
    Instance instance;
};
std::optional<Validated> last_validated;

std::string validation_key(const Options& o) {
    struct stat st {};
    stat(o.config.c_str(), &st);
    return o.config + '\0' + o.share + '\0' + o.credentials + '\0' + (o.nmbd ? "1" : "0") + '\0' +
           std::to_string(st.st_mtim.tv_sec) + '.' + std::to_string(st.st_mtim.tv_nsec) + '\0' +
           std::to_string(st.st_size) + '\0' + std::to_string(st.st_ino);
}

Instance validated_instance(const Options& o) {
    std::optional<Validated> last;
    last.swap(last_validated);  // used at most once
    if (last && last->key == validation_key(o) && Clock::now() - last->when < kValidationFresh)
        return last->instance;
    return validate_instance(o);
}

}  // namespace

void validate(const Options& o) {
    Instance inst = validate_instance(o);
    last_validated = Validated{validation_key(o), Clock::now(), std::move(inst)};
}

void start(const Options& o) {
    const auto deadline = Clock::now() + o.start_timeout;
    const Instance inst = validated_instance(o);
    const bool smbd_up = live_daemon(inst, "smbd").has_value();
    const bool nmbd_up = !o.nmbd || live_daemon(inst, "nmbd").has_value();
    if (smbd_up && nmbd_up && first_failure(inst, kProbeTimeout).empty()) return;
    try {
        if (!smbd_up) {
            stop_instance(inst);  // leftovers of a crashed instance hold its sockets and files
            run_daemon(inst, "smbd", deadline);
        }
        if (!o.nmbd || !live_daemon(inst, "nmbd")) {
            if (o.nmbd) run_daemon(inst, "nmbd", deadline);
        }
        wait_until_serving(inst, deadline);
    } catch (...) {
        try {
            stop_instance(inst);
        } catch (const std::exception& e) {
            spdlog::error("cleanup after failed start: {}", e.what());
        }
        throw;
    }
}

void stop(const Options& o) {
    Instance inst;
    try {
        inst = read_instance(o);
    } catch (const Error& e) {
        // Without a readable config we cannot find the pid directory; the daemons' command
        // lines still name the config, so those are found and stopped.
        spdlog::warn("{}; looking for its daemons by command line", e.what());
        inst.options = o;
        inst.settings.pid_directory = "/nonexistent";
    }
    stop_instance(inst);
}

Health monitor(const Options& o) {
    Instance inst;
    try {
        inst = read_instance(o);
    } catch (const Error& e) {
        inst.options = o;
        inst.settings.pid_directory = "/nonexistent";
        // The pid file answers cheaply; only without it is all of /proc scanned.
        if (!live_daemon(inst, "smbd") && running_members(inst).empty())
            return {ResourceState::stopped, ""};
        return {ResourceState::failed, std::string(e.what()) + ", yet its daemons run"};
    }
    const auto smbd = live_daemon(inst, "smbd");
    if (!smbd) {
        const auto left = running_members(inst);
        if (left.empty()) return {ResourceState::stopped, ""};
        return {ResourceState::failed, "smbd is gone but " + std::to_string(left.size()) +
                                           " of its processes are left (pid " +
                                           std::to_string(left.front()) + ")"};
    }
    if (o.nmbd && !live_daemon(inst, "nmbd")) return {ResourceState::failed, "nmbd is not running"};
    if (auto why = first_failure(inst, kProbeTimeout); !why.empty())
        return {ResourceState::failed, "smbd pid " + std::to_string(*smbd) + " runs but " + why};
    return {ResourceState::running, "smbd pid " + std::to_string(*smbd) + " serves " +
                                        share_url(inst.addresses.front(), inst.share)};
}

}  // namespace takeover::smb
