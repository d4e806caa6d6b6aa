#include "fencer.h"

#include "takeover/outcome.h"
#include "takeover/process.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace takeover::lockd {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

std::optional<std::vector<std::string>> fence_argv(const ServerSettings& s,
                                                   const std::string& node) {
    // A name like "-f" would reach the command as an option.
    if (node.empty() || node[0] == '-') return std::nullopt;
    if (!s.native.fence_command.empty()) {
        auto argv = s.native.fence_command;
        argv.push_back(node);
        return argv;
    }
    for (const auto& n : s.ogfs.nodes) {
        if (n.address != node && std::to_string(n.cid) != node) continue;
        for (const auto& m : s.ogfs.methods) {
            if (m.name != n.stomith) continue;
            std::string type = m.type;
            std::transform(type.begin(), type.end(), type.begin(), ::tolower);
            if (type == "manual") return std::nullopt;
            // cluster-glue: stonith -t TYPE name=value... -T reset NODE
            std::vector<std::string> argv = {"stonith", "-t", m.type};
            for (const auto& [k, v] : m.params) argv.push_back(k + "=" + v);
            argv.insert(argv.end(), {"-T", "reset", n.address});
            return argv;
        }
    }
    return std::nullopt;
}

struct Fencer::Job {
    std::vector<std::string> argv;
    uint32_t attempts = 0;
    enum class State { running, waiting, gave_up } state = State::running;
    std::string last;  // how the last attempt ended
    SteadyClock::time_point retry_at{};
    std::unique_ptr<asio::steady_timer> timer;
};

Fencer::Fencer(asio::io_context& io, FencePolicy p, Fenced on_fenced)
    : io_(io), policy_(p), on_fenced_(std::move(on_fenced)) {}

Fencer::~Fencer() {
    *alive_ = false;
    for (auto& t : workers_)
        if (t.joinable()) t.join();
}

void Fencer::fence(const std::string& node, std::vector<std::string> argv) {
    auto& job = jobs_[node];
    if (job && job->state != Job::State::gave_up) return;
    job = std::make_unique<Job>();
    job->argv = std::move(argv);
    job->timer = std::make_unique<asio::steady_timer>(io_);
    attempt(node);
}

void Fencer::forget(const std::string& node) {
    auto it = jobs_.find(node);
    if (it == jobs_.end()) return;
    // A running command finishes on its own; its result then finds no job and is dropped.
    jobs_.erase(it);
}

void Fencer::attempt(const std::string& node) {
    Job& job = *jobs_.at(node);
    job.state = Job::State::running;
    job.attempts++;
    std::string command;
    for (const auto& a : job.argv) command += (command.empty() ? "" : " ") + a;
    spdlog::warn("fencing node {}: attempt {} of {}: {}", node, job.attempts, policy_.attempts,
                 command);
    // Threads are joined at the end; fencing is rare, so a list of finished ones is fine.
    workers_.emplace_back([this, node, argv = job.argv, timeout = policy_.timeout,
                           alive = std::weak_ptr<bool>(alive_)] {
        bool ok = false;
        std::string how;
        try {
            auto r = process::run(argv, timeout);
            ok = r.status.ok();
            how = r.status.describe();
            std::string out = r.output.substr(0, 200);
            while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
            if (!ok && !out.empty()) how += ": " + out;
        } catch (const Error& e) {
            how = e.what();
        }
        asio::post(io_, [this, node, ok, how, alive] {
            auto a = alive.lock();
            if (a && *a) finished(node, ok, how);
        });
    });
}

void Fencer::finished(const std::string& node, bool ok, const std::string& how) {
    auto it = jobs_.find(node);
    if (it == jobs_.end()) return;
    Job& job = *it->second;
    if (ok) {
        spdlog::warn("FENCED node {} by its fence command (attempt {}): releasing its locks", node,
                     job.attempts);
        jobs_.erase(it);
        on_fenced_(node);
        return;
    }
    job.last = how;
    if (job.attempts >= policy_.attempts) {
        job.state = Job::State::gave_up;
        spdlog::error(
            "fencing node {} FAILED {} times (last: {}); its locks stay held until an operator "
            "fences it and runs: lockctl fence-ack {}",
            node, job.attempts, how, node);
        return;
    }
    auto wait = policy_.backoff * (1u << std::min<uint32_t>(job.attempts - 1, 10));
    job.state = Job::State::waiting;
    job.retry_at = SteadyClock::now() + wait;
    spdlog::error("fencing node {} failed ({}); retrying in {} ms", node, how, wait.count());
    job.timer->expires_after(wait);
    job.timer->async_wait([this, node, alive = std::weak_ptr<bool>(alive_)](auto ec) {
        auto a = alive.lock();
        if (ec || !a || !*a) return;
        auto j = jobs_.find(node);
        if (j != jobs_.end() && j->second->state == Job::State::waiting) attempt(node);
    });
}

std::vector<proto::FencingEntry> Fencer::status() const {
    std::vector<proto::FencingEntry> out;
    auto now = SteadyClock::now();
    for (const auto& [node, job] : jobs_) {
        std::string state;
        switch (job->state) {
            case Job::State::running:
                state = "running";
                break;
            case Job::State::waiting:
                state =
                    "retry in " +
                    std::to_string(std::max<int64_t>(
                        0, std::chrono::duration_cast<milliseconds>(job->retry_at - now).count() /
                               1000)) +
                    " s";
                break;
            case Job::State::gave_up:
                state = "gave up; fence-ack needed";
                break;
        }
        if (!job->last.empty()) state += " (last: " + job->last + ")";
        out.push_back({node, job->attempts, state.substr(0, proto::kMaxTextBytes)});
    }
    return out;
}

}  // namespace takeover::lockd
