#include "takeover/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <syslog.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

namespace takeover::log {
namespace {

const char* env(const char* name) {
    const char* value = std::getenv(name);
    return value && *value ? value : nullptr;
}

// Returns -1 for "none" (heartbeat's way of saying: no syslog).
int syslog_facility(const char* name) {
    static const std::map<std::string, int> facilities = {
        {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
        {"daemon", LOG_DAEMON}, {"kern", LOG_KERN},         {"local0", LOG_LOCAL0},
        {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},     {"local3", LOG_LOCAL3},
        {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},     {"local6", LOG_LOCAL6},
        {"local7", LOG_LOCAL7}, {"user", LOG_USER},
    };
    if (!name) return LOG_DAEMON;
    if (std::string(name) == "none") return -1;
    auto it = facilities.find(name);
    return it == facilities.end() ? LOG_DAEMON : it->second;
}

bool debug_requested() {
    const char* ha_debug = env("HA_debug");
    return (ha_debug && std::string(ha_debug) != "0") || env("TAKEOVER_DEBUG");
}

}  // namespace

void init(const std::string& tag, Role role) {
    std::vector<spdlog::sink_ptr> sinks;
    auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    console->set_pattern(tag + ": %v");
    console->set_level(role == Role::agent && !debug_requested() ? spdlog::level::warn
                                                                 : spdlog::level::info);
    sinks.push_back(console);

    if (int facility = syslog_facility(env("HA_LOGFACILITY")); facility >= 0) {
        auto sys = std::make_shared<spdlog::sinks::syslog_sink_mt>(tag, LOG_PID, facility, false);
        sys->set_level(spdlog::level::info);
        sinks.push_back(sys);
    }
    // A log file we cannot open must not stop the agent: heartbeat would see a failed action.
    auto add_file = [&](const char* path, spdlog::level::level_enum level) {
        if (!path) return;
        try {
            auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path);
            file->set_pattern("%Y/%m/%d_%H:%M:%S.%e " + tag + "[%P]: %l: %v");
            file->set_level(level);
            sinks.push_back(file);
        } catch (const spdlog::spdlog_ex&) {
        }
    };
    add_file(env("HA_LOGFILE"), spdlog::level::info);
    add_file(env("HA_DEBUGLOG"), spdlog::level::debug);

    auto logger = std::make_shared<spdlog::logger>(tag, sinks.begin(), sinks.end());
    logger->set_level(debug_requested() || env("HA_DEBUGLOG") ? spdlog::level::debug
                                                              : spdlog::level::info);
    logger->flush_on(spdlog::level::debug);
    spdlog::set_default_logger(logger);
}

}  // namespace takeover::log
