// Fencing an expired node by a configured command, so its locks can be released: a native
// `fence_command` (NODE appended), or the node's STOMITH method of ogfscf.cf through
// cluster-glue's stonith(8). Only an exit status of 0 releases anything; failures are retried
// with back-off up to a limit, then left for `lockctl fence-ack`. Commands run on a worker
// thread each (process::run blocks) and post their result back: the io_context never waits.
#pragma once

#include "protocol.h"
#include "server_config.h"

#include <boost/asio.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace takeover::lockd {

struct FencePolicy {
    std::chrono::milliseconds timeout{30000};  // one attempt, then TERM, then KILL
    uint32_t attempts = 3;
    std::chrono::milliseconds backoff{2000};  // before the 2nd attempt; doubles each time
};

// The command that fences `node` (a session's node name: an ogfscf.cf address or CID), or
// nullopt when fencing is manual (STOMITH: manual, or no method at all).
std::optional<std::vector<std::string>> fence_argv(const ServerSettings&, const std::string& node);

class Fencer {
  public:
    using Fenced = std::function<void(const std::string& node)>;
    Fencer(boost::asio::io_context&, FencePolicy, Fenced on_fenced);
    ~Fencer();  // waits for running commands (each bounded by its timeout)
    Fencer(const Fencer&) = delete;
    Fencer& operator=(const Fencer&) = delete;

    void set_policy(const FencePolicy& p) { policy_ = p; }
    // Fences `node` with `argv` unless that is under way already.
    void fence(const std::string& node, std::vector<std::string> argv);
    // The node was fenced by hand (fence-ack): no more attempts.
    void forget(const std::string& node);
    // Every node being fenced or given up on, for STATUS.
    std::vector<proto::FencingEntry> status() const;

  private:
    struct Job;
    void attempt(const std::string& node);
    void finished(const std::string& node, bool ok, const std::string& how);

    boost::asio::io_context& io_;
    FencePolicy policy_;
    Fenced on_fenced_;
    std::map<std::string, std::unique_ptr<Job>> jobs_;
    std::vector<std::thread> workers_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace takeover::lockd
