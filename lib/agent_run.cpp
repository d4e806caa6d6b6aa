#include "takeover/agent.h"
#include "takeover/exit_codes.h"
#include "takeover/log.h"
#include "takeover/text.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

extern char** environ;

namespace takeover::agent {
namespace {

const char* env(const char* name) {
    const char* value = std::getenv(name);
    return value && *value ? value : nullptr;
}

// Pacemaker always sets OCF_RESOURCE_INSTANCE; heartbeat v1 sets OCF_ROOT too, so that alone
// says nothing. An agent installed under an OCF provider directory is OCF by location.
Convention detect_convention(const std::string& argv0, const std::vector<std::string>& args) {
    if (env("OCF_RESOURCE_INSTANCE")) return Convention::ocf;
    if (argv0.find("/ocf/resource.d/") != std::string::npos) return Convention::ocf;
    for (char** e = environ; *e; ++e)
        if (text::starts_with(*e, "OCF_RESKEY_")) return Convention::ocf;
    if (args.size() == 1 && args[0] == "meta-data") return Convention::ocf;
    return Convention::heartbeat;
}

template <typename Fn>
Outcome guarded(Fn&& fn, std::string* reason) {
    try {
        return fn();
    } catch (const Error& e) {
        if (reason) *reason = e.what();
        return e.outcome();
    } catch (const std::exception& e) {
        if (reason) *reason = e.what();
        return Outcome::generic_error;
    } catch (...) {
        if (reason) *reason = "unknown error";
        return Outcome::generic_error;
    }
}

Outcome run_step(const Step& step, const Params& params) {
    if (!step) return Outcome::unimplemented;
    step(params);
    return Outcome::success;
}

Health run_monitor(const Spec& spec, const Params& params, std::string* reason) {
    Health health{ResourceState::failed, ""};
    Outcome outcome = guarded(
        [&] {
            check_params(spec, params);
            health = spec.monitor(params);
            return Outcome::success;
        },
        reason);
    if (outcome != Outcome::success) health = {ResourceState::failed, reason ? *reason : ""};
    if (reason && health.state == ResourceState::failed) *reason = health.detail;
    return health;
}

bool is_monitor(const std::string& action) {
    return action == "monitor" || action == "status";
}

void print_usage(const Spec& spec) {
    std::cerr << "usage: " << spec.name << " " << spec.heartbeat_usage
              << " {start|stop|status|monitor|validate-all}\n"
              << "       " << spec.name << " {meta-data}  (OCF: parameters in OCF_RESKEY_*)\n";
}

// heartbeat's ResourceManager reads only status's stdout: "running" = held, "stopped" = not.
// A failure's reason goes to stderr so that no word in it can be mistaken for "running".
int render_heartbeat_status(const Health& health) {
    switch (health.state) {
        case ResourceState::running:
        case ResourceState::running_master:
            std::cout << "running" << (health.detail.empty() ? "" : " (" + health.detail + ")")
                      << std::endl;
            return static_cast<int>(LsbStatusExit::running);
        case ResourceState::stopped:
            std::cout << "stopped" << std::endl;
            return static_cast<int>(LsbStatusExit::not_running);
        case ResourceState::failed:
        case ResourceState::failed_master:
            break;
    }
    std::cout << "failed" << std::endl;
    spdlog::error("{}", health.detail);
    return static_cast<int>(LsbStatusExit::dead_pid_file);
}

int run_ocf(const Spec& spec, const std::vector<std::string>& args) {
    if (args.size() != 1) {
        print_usage(spec);
        return static_cast<int>(OcfExit::err_args);
    }
    const std::string& action = args[0];
    if (action == "meta-data") {
        std::cout << meta_data_xml(spec);
        return static_cast<int>(OcfExit::success);
    }
    std::string reason;
    Outcome outcome = guarded(
        [&] {
            Params params = params_from_ocf_environment(spec);
            return invoke(spec, action, params, Convention::ocf, &reason);
        },
        &reason);
    if (outcome != Outcome::success && outcome != Outcome::not_running &&
        outcome != Outcome::running_master && !reason.empty()) {
        spdlog::error("{} failed: {}", action, reason);
        std::cerr << "ocf-exit-reason:" << reason << std::endl;
    }
    return static_cast<int>(to_ocf_exit(outcome));
}

int run_heartbeat(const Spec& spec, const std::vector<std::string>& args) {
    static const std::vector<std::string> actions = {"start", "stop", "status", "monitor",
                                                     "validate-all"};
    if (args.empty() || std::find(actions.begin(), actions.end(), args.back()) == actions.end()) {
        if (!args.empty()) spdlog::error("unknown action '{}'", args.back());
        print_usage(spec);
        return static_cast<int>(LsbExit::usage);
    }
    const std::string action = args.back();
    const std::vector<std::string> fields(args.begin(), args.end() - 1);
    std::string reason;
    Params params;
    Outcome parsed = guarded(
        [&] {
            params = params_from_heartbeat(spec, fields);
            return Outcome::success;
        },
        &reason);
    if (parsed != Outcome::success) {
        spdlog::error("{}", reason);
        print_usage(spec);
        return static_cast<int>(to_lsb_exit(parsed));
    }
    if (is_monitor(action)) return render_heartbeat_status(run_monitor(spec, params, &reason));
    Outcome outcome = invoke(spec, action, params, Convention::heartbeat, &reason);
    if (outcome != Outcome::success && outcome != Outcome::not_running)
        spdlog::error("{} failed: {}", action, reason);
    return static_cast<int>(to_lsb_exit(outcome));
}

}  // namespace

Outcome outcome_of(const Health& health) {
    switch (health.state) {
        case ResourceState::running:
            return Outcome::success;
        case ResourceState::stopped:
            return Outcome::not_running;
        case ResourceState::running_master:
            return Outcome::running_master;
        case ResourceState::failed_master:
            return Outcome::failed_master;
        case ResourceState::failed:
            break;
    }
    return Outcome::generic_error;
}

Outcome invoke(const Spec& spec, const std::string& action, const Params& params, Convention,
               std::string* reason) {
    if (is_monitor(action)) return outcome_of(run_monitor(spec, params, reason));
    return guarded(
        [&] {
            if (action == "stop") return run_step(spec.stop, params);
            check_params(spec, params);
            if (action == "validate-all") return run_step(spec.validate, params);
            if (action == "start") {
                if (spec.validate) spec.validate(params);
                return run_step(spec.start, params);
            }
            if (action == "promote") return run_step(spec.promote, params);
            if (action == "demote") return run_step(spec.demote, params);
            if (action == "notify") return run_step(spec.notify, params);
            throw Error(Outcome::unimplemented, "action '" + action + "' is not implemented");
        },
        reason);
}

int run(const Spec& spec, int argc, char** argv) {
    try {
        log::init(spec.name, log::Role::agent);
        std::vector<std::string> args(argv + 1, argv + argc);
        const std::string argv0 = argc > 0 ? argv[0] : spec.name;
        return detect_convention(argv0, args) == Convention::ocf ? run_ocf(spec, args)
                                                                 : run_heartbeat(spec, args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", spec.name.c_str(), e.what());
    } catch (...) {
        std::fprintf(stderr, "%s: unknown error\n", spec.name.c_str());
    }
    return static_cast<int>(OcfExit::err_generic);
}

}  // namespace takeover::agent
