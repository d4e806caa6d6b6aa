#include "group.h"

#include "takeover/outcome.h"
#include "takeover/process.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <ostream>

namespace takeover::group {
namespace {

// Serializes runs: ucarp may call the down script while the up script still runs.
class RunLock {
  public:
    RunLock(const std::string& path, std::chrono::milliseconds timeout) {
        std::filesystem::create_directories(std::filesystem::path(path).parent_path());
        fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ < 0) throw Error(Outcome::generic_error, "cannot open lock file " + path);
        bool locked = process::wait_until([&] { return flock(fd_, LOCK_EX | LOCK_NB) == 0; },
                                          timeout, std::chrono::milliseconds(20));
        if (!locked) {
            close(fd_);
            throw Error(Outcome::generic_error, "another takeover group run holds " + path);
        }
    }
    ~RunLock() { close(fd_); }
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

  private:
    int fd_ = -1;
};

const char* state_name(agent::ResourceState s) {
    switch (s) {
        case agent::ResourceState::running:
        case agent::ResourceState::running_master:
            return "running";
        case agent::ResourceState::stopped:
            return "stopped";
        default:
            return "failed";
    }
}

long elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 since)
        .count();
}

}  // namespace

bool is_ip_resource(const haresources::Resource& r) {
    return r.name == "IPaddr" || r.name == "IPaddr2" || r.name == "IPv6addr";
}

Group::Group(const std::vector<haresources::Resource>& resources, const Options& options)
    : options_(options) {
    for (const auto& r : resources)
        if (!(options.skip_ip && is_ip_resource(r))) members_.emplace_back(r, options.member);
}

int Group::up(std::ostream& out) const {
    RunLock lock(options_.lock_file, options_.lock_timeout);
    for (size_t i = 0; i < members_.size(); ++i) {
        const Member& m = members_[i];
        // As heartbeat does: a member that already runs is not started again.
        if (m.status().state == agent::ResourceState::running) {
            out << m.resource().text << ": already running\n";
            continue;
        }
        auto begun = std::chrono::steady_clock::now();
        Result r = m.start();
        if (r.ok()) {
            // The time goes into the hook's log: the first thing to read after a slow failover.
            out << m.resource().text << ": started in " << elapsed_ms(begun) << " ms\n";
            continue;
        }
        out << m.resource().text << ": FAILED: " << r.reason << "\n";
        spdlog::error("group up: {} failed: {}; stopping the members before it", m.resource().text,
                      r.reason);
        // A failed start may have done half its work: stop it too, then the rest in reverse.
        for (size_t j = i + 1; j-- > 0;) {
            Result s = members_[j].stop();
            out << members_[j].resource().text
                << (s.ok() ? ": stopped" : ": stop FAILED: " + s.reason) << "\n";
        }
        return 1;
    }
    return 0;
}

int Group::down(std::ostream& out) const {
    RunLock lock(options_.lock_file, options_.lock_timeout);
    int rc = 0;
    for (size_t j = members_.size(); j-- > 0;) {
        Result s = members_[j].stop();
        out << members_[j].resource().text << (s.ok() ? ": stopped" : ": stop FAILED: " + s.reason)
            << "\n";
        if (!s.ok()) rc = 1;
    }
    return rc;
}

int Group::status(std::ostream& out) const {
    size_t running = 0, stopped = 0;
    for (const auto& m : members_) {
        auto h = m.status();
        out << m.resource().text << ": " << state_name(h.state)
            << (h.detail.empty() ? "" : " (" + h.detail + ")") << "\n";
        if (h.state == agent::ResourceState::running) ++running;
        if (h.state == agent::ResourceState::stopped) ++stopped;
    }
    if (running == members_.size()) return 0;
    if (stopped == members_.size()) return 3;
    return 1;  // mixed or failed: the group is not in a state anyone asked for
}

}  // namespace takeover::group
