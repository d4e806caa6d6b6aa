#include "hostdata.h"

#include "takeover/node.h"
#include "takeover/outcome.h"
#include "takeover/text.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace takeover::fsmount {
namespace {

// A hostdata value ends up inside a comma-separated option string handed to the kernel.
bool bad_value_char(char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x21 || u == 0x7f || c == ',' || c == '"' || c == '\'' || c == '\\' || c == ';' ||
           c == '$' || c == '`';
}

bool valid_value(std::string_view v) {
    if (v.empty() || v.size() > 1024) return false;
    for (char c : v)
        if (bad_value_char(c)) return false;
    return true;
}

[[noreturn]] void map_error(const std::string& file, size_t line, const std::string& what) {
    throw Error(Outcome::not_configured, file + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

HostdataMap HostdataMap::parse(std::string_view text, const std::string& filename) {
    HostdataMap map;
    size_t number = 0;
    for (const auto& raw : text::split(text, '\n')) {
        ++number;
        std::string_view line = raw;
        if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        line = text::trim(line);
        if (line.empty()) continue;
        if (text::has_control_chars(line)) map_error(filename, number, "control character");
        auto words = text::split_words(line);
        if (words.size() != 2)
            map_error(filename, number,
                      "expected 'nodename value', got " + std::to_string(words.size()) + " words");
        if (!valid_value(words[1]))
            map_error(filename, number,
                      "value '" + words[1] + "' has a comma, quote or shell character");
        for (char c : words[0])
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'))
                map_error(filename, number, "node name '" + words[0] + "' is not a host name");
        auto node = text::to_lower(words[0]);
        if (!map.values_.emplace(node, words[1]).second)
            map_error(filename, number, "node '" + words[0] + "' listed twice");
    }
    return map;
}

HostdataMap HostdataMap::load(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(Outcome::not_configured, "cannot read hostdata map " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

std::optional<std::string> HostdataMap::lookup(const std::string& node) const {
    auto it = values_.find(text::to_lower(node));
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::string default_hostdata_map_path() {
    if (const char* p = std::getenv("TAKEOVER_HOSTDATA_MAP"); p && *p) return p;
    return "/etc/ha.d/conf/hostdata.map";
}

NodeFacts this_node_facts() {
    auto map = std::make_shared<std::optional<HostdataMap>>();
    return NodeFacts{
        [] { return node::name(); },
        [] { return node::cluster_address(); },
        [map](const std::string& node) {
            if (!*map) *map = HostdataMap::load(default_hostdata_map_path());
            return (*map)->lookup(node);
        },
    };
}

std::string expand_hostdata(std::string_view value, const NodeFacts& facts) {
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '%') {
            out += value[i];
            continue;
        }
        if (i + 1 >= value.size())
            throw Error(Outcome::not_configured, "hostdata ends with a lone '%'");
        switch (value[++i]) {
            case '%':
                out += '%';
                break;
            case 'n':
                out += facts.name();
                break;
            case 'i':
                out += facts.cluster_address();
                break;
            case 'm': {
                auto node = facts.name();
                auto entry = facts.map_lookup(node);
                if (!entry)
                    throw Error(Outcome::not_configured,
                                "node '" + node + "' has no entry in the hostdata map");
                out += *entry;
                break;
            }
            default:
                throw Error(Outcome::not_configured, std::string("unknown hostdata placeholder %") +
                                                         value[i] + " (use %n, %i, %m or %%)");
        }
    }
    if (!valid_value(out))
        throw Error(Outcome::not_configured,
                    "hostdata '" + out + "' is empty or has a comma, blank or shell character");
    return out;
}

}  // namespace takeover::fsmount
