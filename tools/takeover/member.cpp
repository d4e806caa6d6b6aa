#include "member.h"

#include "registry.h"
#include "takeover/process.h"
#include "takeover/text.h"

#include <unistd.h>

#include <filesystem>
#include <regex>

namespace takeover::group {
namespace {

bool executable(const std::string& path) {
    return access(path.c_str(), X_OK) == 0;
}

std::vector<std::string> command(const std::string& script, const haresources::Resource& r,
                                 const std::string& action) {
    std::vector<std::string> argv{script};
    argv.insert(argv.end(), r.args.begin(), r.args.end());
    argv.push_back(action);
    return argv;
}

}  // namespace

bool heartbeat_says_running(const std::string& output) {
    const std::string lower = text::to_lower(output);
    static const std::regex not_running("not .*running");
    if (std::regex_search(lower, not_running)) return false;
    return lower.find("running") != std::string::npos || output.find("OK") != std::string::npos;
}

Member::Member(haresources::Resource resource, const Options& options)
    : resource_(std::move(resource)), options_(options) {
    // A name is looked up in the script directories, never taken as a path or a command.
    if (text::has_shell_meta(resource_.name) || resource_.name.find('/') != std::string::npos ||
        text::has_control_chars(resource_.name))
        throw Error(Outcome::bad_arguments, "'" + resource_.name + "' is not a resource name");
    if (options_.prefer_ours) spec_ = agents::find(resource_.name);
    for (const auto& dir : {options_.resource_dir, options_.init_dir}) {
        const std::string candidate = dir + "/" + resource_.name;
        if (std::filesystem::exists(candidate)) {
            script_ = candidate;
            break;
        }
    }
}

Result Member::act(const std::string& action) const {
    Result result;
    if (spec_) {
        auto params = agent::params_from_heartbeat(*spec_, resource_.args);
        result.outcome =
            agent::invoke(*spec_, action, params, agent::Convention::heartbeat, &result.reason);
        if (result.outcome == Outcome::not_running) result.outcome = Outcome::success;
        return result;
    }
    if (script_.empty() || !executable(script_)) {
        return {Outcome::not_installed, script_.empty() ? "no script named " + resource_.name
                                                        : script_ + " is not executable"};
    }
    auto run = process::run(command(script_, resource_, action), options_.timeout);
    if (!run.status.ok()) {
        auto last =
            text::trim(run.output.substr(run.output.rfind('\n', run.output.size() - 2) + 1));
        return {Outcome::generic_error, script_ + " " + action + ": " + run.status.describe() +
                                            (last.empty() ? "" : " (" + std::string(last) + ")")};
    }
    return result;
}

agent::Health Member::status() const {
    using agent::ResourceState;
    if (spec_) {
        try {
            auto params = agent::params_from_heartbeat(*spec_, resource_.args);
            std::string reason;
            Outcome o =
                agent::invoke(*spec_, "status", params, agent::Convention::heartbeat, &reason);
            if (o == Outcome::success) return {ResourceState::running, ""};
            if (o == Outcome::not_running) return {ResourceState::stopped, ""};
            return {ResourceState::failed, reason};
        } catch (const Error& e) {
            return {ResourceState::failed, e.what()};
        }
    }
    if (script_.empty() || !executable(script_))
        return {ResourceState::failed, "no executable script for " + resource_.name};
    process::RunOptions stdout_only;
    stdout_only.merge_stderr = false;
    auto run = process::run(command(script_, resource_, "status"), options_.timeout, stdout_only);
    if (run.status.timed_out) return {ResourceState::failed, "status timed out"};
    return {heartbeat_says_running(run.output) ? ResourceState::running : ResourceState::stopped,
            ""};
}

}  // namespace takeover::group
