#include "takeover/agent.h"
#include "takeover/text.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <limits>

extern char** environ;

namespace takeover::agent {
namespace {

const std::string kEmpty;

void check_value(const std::string& name, const std::string& value) {
    if (text::has_control_chars(value))
        throw Error(Outcome::bad_arguments,
                    "parameter '" + name + "' contains a control character (newline?)");
}

}  // namespace

const Parameter* Params::find(const std::string& name) const {
    if (!declared_) return nullptr;
    for (const auto& p : *declared_)
        if (p.name == name) return &p;
    return nullptr;
}

const std::string& Params::str(const std::string& name) const {
    if (auto it = values_.find(name); it != values_.end()) return it->second;
    if (const Parameter* p = find(name)) return p->default_value;
    return kEmpty;
}

long Params::integer(const std::string& name) const {
    const std::string& raw = str(name);
    auto value = text::parse_int<long>(raw, std::numeric_limits<long>::min(),
                                       std::numeric_limits<long>::max());
    if (!value)
        throw Error(Outcome::not_configured, name + " must be an integer, not '" + raw + "'");
    return *value;
}

bool Params::flag(const std::string& name) const {
    const std::string& raw = str(name);
    if (raw.empty()) return false;
    auto value = text::parse_bool(raw);
    if (!value)
        throw Error(Outcome::not_configured, name + " must be yes or no, not '" + raw + "'");
    return *value;
}

Params params_from_heartbeat(const Spec& spec, const std::vector<std::string>& fields) {
    Params params;
    params.declare(&spec.parameters);
    for (const auto& field : fields) check_value("argument", field);
    if (spec.heartbeat_args) {
        spec.heartbeat_args(fields, params);
        return params;
    }
    for (size_t i = 0; i < fields.size(); ++i) {
        const Parameter* target = nullptr;
        for (const auto& p : spec.parameters)
            if (p.heartbeat_position == static_cast<int>(i)) target = &p;
        if (!target)
            throw Error(Outcome::bad_arguments,
                        "too many arguments (" + std::to_string(fields.size()) + ")");
        if (!fields[i].empty()) params.set(target->name, fields[i]);
    }
    return params;
}

Params params_from_ocf_environment(const Spec& spec) {
    Params params;
    params.declare(&spec.parameters);
    const std::string prefix = "OCF_RESKEY_";
    for (char** entry = environ; *entry; ++entry) {
        std::string_view kv(*entry);
        if (!text::starts_with(kv, prefix)) continue;
        auto eq = kv.find('=');
        if (eq == std::string_view::npos) continue;
        std::string name(kv.substr(prefix.size(), eq - prefix.size()));
        std::string value(kv.substr(eq + 1));
        // CRM_meta_* and crm_feature_set are Pacemaker's own (timeouts, clone numbers, its
        // version), passed to every action; they are not ours to check.
        if (text::starts_with(name, "CRM_meta_") || name == "crm_feature_set") continue;
        bool known = false;
        for (const auto& p : spec.parameters) known = known || p.name == name;
        if (!known) {
            spdlog::warn("ignoring unknown parameter '{}'", name);
            continue;
        }
        check_value(name, value);
        params.set(name, value);
    }
    return params;
}

void check_params(const Spec& spec, const Params& params) {
    for (const auto& p : spec.parameters) {
        if (p.required && params.str(p.name).empty())
            throw Error(Outcome::not_configured, "required parameter '" + p.name + "' is missing");
        if (params.str(p.name).empty()) continue;
        if (p.type == ParamType::integer) params.integer(p.name);
        if (p.type == ParamType::boolean) params.flag(p.name);
    }
}

}  // namespace takeover::agent
