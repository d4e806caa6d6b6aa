// conf/memexpd.conf: "key value" lines, one keyword table, every value range-checked.
#include "config.h"

#include "takeover/outcome.h"
#include "takeover/text.h"

#include <functional>

namespace takeover::lockd {
namespace {

using Setter = std::function<std::optional<std::string>(NativeConfig&, const std::string&)>;

template <typename Int>
Setter integer(Int NativeConfig::*field, Int min, Int max) {
    return [=](NativeConfig& c, const std::string& v) -> std::optional<std::string> {
        auto n = text::parse_int<Int>(v, min, max);
        if (!n) return "expected an integer " + std::to_string(min) + ".." + std::to_string(max);
        c.*field = *n;
        return std::nullopt;
    };
}

template <typename Int>
Setter limit(Int Limits::*field, Int min, Int max) {
    return [=](NativeConfig& c, const std::string& v) -> std::optional<std::string> {
        auto n = text::parse_int<Int>(v, min, max);
        if (!n) return "expected an integer " + std::to_string(min) + ".." + std::to_string(max);
        c.limits.*field = *n;
        return std::nullopt;
    };
}

Setter millis(milliseconds Limits::*field) {
    return [=](NativeConfig& c, const std::string& v) -> std::optional<std::string> {
        auto n = text::parse_int<int64_t>(v, 100, 3600 * 1000);
        if (!n) return "expected milliseconds 100..3600000";
        c.limits.*field = milliseconds(*n);
        return std::nullopt;
    };
}

Setter duration(milliseconds NativeConfig::*field, int64_t min_ms, int64_t max_ms) {
    return [=](NativeConfig& c, const std::string& v) -> std::optional<std::string> {
        auto n = text::parse_int<int64_t>(v, min_ms, max_ms);
        if (!n)
            return "expected milliseconds " + std::to_string(min_ms) + ".." +
                   std::to_string(max_ms);
        c.*field = milliseconds(*n);
        return std::nullopt;
    };
}

Setter path(std::string NativeConfig::*field) {
    return [=](NativeConfig& c, const std::string& v) -> std::optional<std::string> {
        if (v[0] != '/') return "expected an absolute path";
        c.*field = v;
        return std::nullopt;
    };
}

const std::map<std::string, Setter>& keywords() {
    static const std::map<std::string, Setter> table = {
        {"listen",
         [](NativeConfig& c, const std::string& v) -> std::optional<std::string> {
             c.listen = parse_endpoint(v, proto::kDefaultPort);
             if (!c.listen) return "expected ADDRESS[:PORT] with a numeric address";
             return std::nullopt;
         }},
        {"key_file", path(&NativeConfig::key_file)},
        {"ogfs_config", path(&NativeConfig::ogfs_config)},
        {"pidfile", path(&NativeConfig::pidfile)},
        {"statedev", path(&NativeConfig::statedev)},
        {"max_sessions", limit<uint32_t>(&Limits::max_sessions, 1, 1000000)},
        {"max_locks_per_session", limit<uint32_t>(&Limits::max_locks_per_session, 1, 100000000)},
        {"max_queued_requests", limit<uint32_t>(&Limits::max_queued_per_session, 1, 1000000)},
        {"min_lease_ms", millis(&Limits::min_lease)},
        {"max_lease_ms", millis(&Limits::max_lease)},
        {"max_connections", integer<uint32_t>(&NativeConfig::max_connections, 1, 1000000)},
        {"max_frame_bytes",
         integer<uint32_t>(&NativeConfig::max_frame_bytes, 1024, proto::kHardMaxBody)},
        {"auth_timeout_ms", duration(&NativeConfig::auth_timeout, 100, 60000)},
        {"grace_ms", duration(&NativeConfig::grace, 0, 3600 * 1000)},
        {"fence_timeout_ms", duration(&NativeConfig::fence_timeout, 100, 3600 * 1000)},
        {"fence_attempts", integer<uint32_t>(&NativeConfig::fence_attempts, 1, 100)},
        {"max_write_queue_bytes",
         integer<uint32_t>(&NativeConfig::max_write_queue_bytes, 64 * 1024, 1u << 30)},
    };
    return table;
}

}  // namespace

NativeConfig parse_native_config(std::string_view text, const std::string& file) {
    NativeConfig cfg;
    int lineno = 0;
    auto fail = [&](const std::string& why) {
        throw Error(Outcome::not_configured, file + ":" + std::to_string(lineno) + ": " + why);
    };
    for (const auto& raw : text::split(text, '\n')) {
        ++lineno;
        auto line = text::trim(raw);
        if (line.empty() || line[0] == '#') continue;
        auto words = text::split_words(line);
        // The one key with a list value: an argument vector, never given to a shell.
        if (!words.empty() && words[0] == "fence_command") {
            if (words.size() < 2 || words[1][0] != '/')
                fail("fence_command: expected an absolute path and its arguments");
            cfg.fence_command.assign(words.begin() + 1, words.end());
            continue;
        }
        if (words.size() != 2) fail("expected \"key value\"");
        auto it = keywords().find(words[0]);
        if (it == keywords().end()) fail("unknown key \"" + words[0] + "\"");
        if (auto err = it->second(cfg, words[1])) fail(words[0] + ": " + *err);
    }
    if (cfg.limits.min_lease > cfg.limits.max_lease)
        throw Error(Outcome::not_configured, file + ": min_lease_ms is above max_lease_ms");
    return cfg;
}

NativeConfig load_native_config(const std::string& path) {
    return parse_native_config(read_config_file(path), path);
}

}  // namespace takeover::lockd
