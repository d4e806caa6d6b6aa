// The agent framework: an agent declares its parameters and actions once; run() serves both
// heartbeat v1 (`AGENT arg1 ... argN start|stop|status`) and OCF (`AGENT ACTION` with
// OCF_RESKEY_*), renders states and exit codes for each, and catches every exception.
#pragma once

#include "takeover/outcome.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace takeover::agent {

// What monitor found. Agents decide among these; run() renders them per convention.
enum class ResourceState { running, stopped, failed, running_master, failed_master };

struct Health {
    ResourceState state;
    std::string detail;  // why it failed, or what it runs as (one line)
};

enum class ParamType { string, integer, boolean };

struct Parameter {
    std::string name;
    std::string shortdesc;
    std::string longdesc;
    std::string default_value;  // empty: no default
    bool required = false;
    bool unique = false;
    ParamType type = ParamType::string;
    int heartbeat_position = -1;  // which `::` field sets it on a haresources line; -1: none
};

class Params {
  public:
    void set(const std::string& name, std::string value) { values_[name] = std::move(value); }
    // Explicitly given (not a default).
    bool has(const std::string& name) const { return values_.count(name) != 0; }
    // The given value, else the declared default, else "".
    const std::string& str(const std::string& name) const;
    long integer(const std::string& name) const;
    bool flag(const std::string& name) const;
    std::chrono::seconds seconds(const std::string& name) const {
        return std::chrono::seconds(integer(name));
    }
    const std::map<std::string, std::string>& given() const { return values_; }

    // Attached by the framework so defaults and types resolve; unit tests can attach too.
    void declare(const std::vector<Parameter>* declared) { declared_ = declared; }

  private:
    const Parameter* find(const std::string& name) const;
    std::map<std::string, std::string> values_;
    const std::vector<Parameter>* declared_ = nullptr;
};

using Step = std::function<void(const Params&)>;

struct Spec {
    std::string name;
    std::string version = "1.0";
    std::string shortdesc;
    std::string longdesc;
    std::string heartbeat_usage;        // e.g. "ip[/prefixlen[/interface[/broadcast]]]"
    std::vector<std::string> examples;  // haresources lines for the man page
    std::vector<Parameter> parameters;

    // heartbeat v1: turns the `::` fields into parameters. Default: field i sets the
    // parameter declared with heartbeat_position i. Throws Error(bad_arguments) on misuse.
    std::function<void(const std::vector<std::string>& fields, Params&)> heartbeat_args;

    Step validate;  // throws Error(not_configured / not_installed / bad_arguments)
    Step start;     // idempotent; throws Error on failure
    Step stop;      // idempotent; never reports success while the resource is still there
    std::function<Health(const Params&)> monitor;  // reads state; forks nothing where it can
    Step promote;                                  // optional: promotable agents
    Step demote;
    Step notify;

    std::chrono::seconds start_timeout{20};
    std::chrono::seconds stop_timeout{20};
    std::chrono::seconds monitor_timeout{20};
    std::chrono::seconds monitor_interval{10};
};

enum class Convention { heartbeat, ocf };

// The parameters as one convention passes them. Throws Error(bad_arguments) for unknown
// names, control characters or missing required values.
Params params_from_heartbeat(const Spec&, const std::vector<std::string>& fields);
Params params_from_ocf_environment(const Spec&);
// Checks declared types and required parameters; run() calls it before every action.
void check_params(const Spec&, const Params&);

// Runs one action in-process and returns its outcome; `reason` gets the failure's reason.
// This is what `takeover group` calls; run() adds argument parsing and rendering around it.
Outcome invoke(const Spec&, const std::string& action, const Params&, Convention,
               std::string* reason = nullptr);
// Maps a monitor's state to an outcome (OCF semantics: failed -> generic error).
Outcome outcome_of(const Health&);

// The OCF meta-data document generated from the declarations.
std::string meta_data_xml(const Spec&);
// The section 8 man page (roff), from the same declarations, so the two cannot drift.
std::string man_page(const Spec&);
// "takeover-NAME": agents share names with other programs (MooseFS's mfsmaster, our own
// memexpd daemon, heartbeat's IPaddr), so their pages carry the project's prefix.
std::string man_page_name(const std::string& agent);

// The whole main of an agent program.
int run(const Spec&, int argc, char** argv);

}  // namespace takeover::agent
