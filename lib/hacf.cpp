#include "takeover/hacf.h"
#include "takeover/config_lines.h"
#include "takeover/outcome.h"
#include "takeover/text.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace takeover::hacf {
namespace {

// Directives heartbeat 3.0 accepts that we only need to recognise, not model.
const std::set<std::string> kAccepted = {
    "apiauth",
    "autojoin",
    "baud",
    "compression",
    "compression_threshold",
    "conn_logd_time",
    "coredumps",
    "debug",
    "deadping",
    "enable_config_writes",
    "env",
    "generation",
    "hbgenmethod",
    "hopfudge",
    "log_badpack",
    "max_rexmit_delay",
    "medium",
    "memreserve",
    "msgfmt",
    "nice_failback",
    "pacemaker",
    "ping_group",
    "quorum_server",
    "realtime",
    "record_config_changes",
    "record_pengine_inputs",
    "respawn",
    "rtprio",
    "stonith",
    "stonith_host",
    "syslogmsgfmt",
    "traditional_compression",
    "use_logd",
    "uuidfrom",
    "watchdog",
    "mcast6",
};

using config::fail;

}  // namespace

bool parse_time(std::string_view s, milliseconds* out) {
    double scale = 1000.0;
    if (s.size() > 2 && s.substr(s.size() - 2) == "ms") {
        scale = 1.0;
        s.remove_suffix(2);
    }
    if (s.empty() || s.size() > 12) return false;
    size_t dots = 0;
    for (char c : s) {
        if (c == '.')
            ++dots;
        else if (c < '0' || c > '9')
            return false;
    }
    if (dots > 1 || s == ".") return false;
    double value = std::stod(std::string(s)) * scale;
    if (value < 1 || value > 24.0 * 3600 * 1000) return false;
    *out = milliseconds(static_cast<long>(std::llround(value)));
    return true;
}

Config parse(std::string_view content, const std::string& file) {
    Config c;
    c.file = file;
    config::for_each_line(content, file, [&](int line_no, std::string_view line) {
        auto words = text::split_words(line);
        if (words.empty()) return;
        const std::string key = text::to_lower(words[0]);
        std::vector<std::string> args(words.begin() + 1, words.end());
        auto need = [&](size_t n) {
            if (args.size() < n) fail(file, line_no, key + " needs a value");
        };
        auto time_value = [&](milliseconds* out) {
            need(1);
            if (args.size() != 1 || !parse_time(args[0], out))
                fail(file, line_no,
                     "bad time for " + key + ": '" + args[0] +
                         "' (seconds like 2 or 1.5, or 500ms)");
        };
        if (key == "node") {
            need(1);
            for (const auto& n : args) c.nodes.push_back(text::to_lower(n));
        } else if (key == "bcast" || key == "ucast" || key == "mcast" || key == "serial") {
            need(1);
            if (key == "ucast" && args.size() != 2)
                fail(file, line_no, "ucast takes: interface peer");
            if (key == "mcast" && args.size() != 5)
                fail(file, line_no, "mcast takes: interface group port ttl loop");
            c.media.push_back({key, args, line_no});
        } else if (key == "keepalive") {
            time_value(&c.keepalive);
        } else if (key == "deadtime") {
            time_value(&c.deadtime);
        } else if (key == "warntime") {
            time_value(&c.warntime);
        } else if (key == "initdead") {
            time_value(&c.initdead);
        } else if (key == "udpport") {
            need(1);
            auto port = text::parse_int<int>(args[0], 1, 65535);
            if (!port || args.size() != 1) fail(file, line_no, "bad udpport '" + args[0] + "'");
            c.udpport = *port;
        } else if (key == "auto_failback") {
            need(1);
            auto v = text::to_lower(args[0]);
            if (v != "on" && v != "off" && v != "legacy")
                fail(file, line_no, "auto_failback must be on, off or legacy");
            c.auto_failback = v;
        } else if (key == "crm") {
            need(1);
            auto v = text::to_lower(args[0]);
            if (v == "respawn" || v == "yes" || v == "on" || v == "true")
                c.crm = true;
            else if (v == "no" || v == "off" || v == "false")
                c.crm = false;
            else
                fail(file, line_no, "crm must be yes, no or respawn");
        } else if (key == "ping") {
            need(1);
            c.ping_nodes.insert(c.ping_nodes.end(), args.begin(), args.end());
        } else if (key == "logfacility") {
            need(1);
            c.logfacility = args[0];
        } else if (key == "logfile") {
            need(1);
            c.logfile = args[0];
        } else if (key == "debugfile") {
            need(1);
            c.debugfile = args[0];
        } else if (!kAccepted.count(key)) {
            fail(file, line_no, "unknown directive '" + words[0] + "'");
        }
    });
    return c;
}

Config load(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(Outcome::not_configured, path + ": cannot read");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse(buffer.str(), path);
}

std::vector<std::string> problems(const Config& c) {
    std::vector<std::string> out;
    if (c.nodes.empty()) out.push_back(c.file + ": no node lines");
    if (c.media.empty()) out.push_back(c.file + ": no communication media (bcast, ucast, mcast)");
    if (c.initdead < c.deadtime)
        out.push_back(c.file + ": initdead (" + std::to_string(c.initdead.count()) +
                      " ms) is below deadtime (" + std::to_string(c.deadtime.count()) +
                      " ms); heartbeat refuses to start");
    // Measured: heartbeat rejected deadtime 400 ms with keepalive 200 ms, accepted 500/200.
    if (c.deadtime <= c.keepalive * 2)
        out.push_back(c.file + ": deadtime must be more than twice keepalive");
    if (c.warntime >= c.deadtime && c.warntime != milliseconds(10000))
        out.push_back(c.file + ": warntime should be below deadtime");
    return out;
}

}  // namespace takeover::hacf
