#include "smb_conf.h"

#include "takeover/outcome.h"
#include "takeover/text.h"

#include <arpa/inet.h>
#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstring>

namespace takeover::smb {
namespace {

Error conf_error(const std::string& origin, size_t line, const std::string& what) {
    return Error(Outcome::not_configured, origin + ":" + std::to_string(line) + ": " + what);
}

// The logical lines of a file: continuations joined, each with the number of its first line.
std::vector<std::pair<size_t, std::string>> logical_lines(std::string_view text) {
    std::vector<std::pair<size_t, std::string>> out;
    std::string pending;
    size_t first = 0, number = 0;
    for (const auto& raw : text::split(text, '\n')) {
        ++number;
        std::string_view line = text::trim(raw);
        if (pending.empty()) first = number;
        if (!line.empty() && line.back() == '\\') {
            pending.append(line.substr(0, line.size() - 1));
            pending += ' ';
            continue;
        }
        pending.append(line);
        out.emplace_back(first, std::move(pending));
        pending.clear();
    }
    if (!pending.empty()) out.emplace_back(first, std::move(pending));
    return out;
}

bool same_name(std::string_view a, std::string_view b) {
    return canonical_key(a) == canonical_key(b);
}

bool is_special_share(const std::string& name) {
    for (const char* special : {"homes", "printers", "print$", "ipc$"})
        if (same_name(name, special)) return true;
    return false;
}

std::optional<std::vector<unsigned char>> parse_ip(const std::string& s, int* family) {
    std::vector<unsigned char> bytes(16);
    if (inet_pton(AF_INET, s.c_str(), bytes.data()) == 1) {
        *family = AF_INET;
        bytes.resize(4);
        return bytes;
    }
    if (inet_pton(AF_INET6, s.c_str(), bytes.data()) == 1) {
        *family = AF_INET6;
        return bytes;
    }
    return std::nullopt;
}

// The prefix length of "24" or "255.255.255.0"; nullopt if neither.
std::optional<int> parse_mask(const std::string& s, int family) {
    if (auto bits = text::parse_int<int>(s, 0, family == AF_INET ? 32 : 128)) return bits;
    int mask_family = 0;
    auto bytes = parse_ip(s, &mask_family);
    if (!bytes || mask_family != family) return std::nullopt;
    int bits = 0;
    for (unsigned char b : *bytes)
        for (int i = 7; i >= 0 && (b >> i & 1); --i) ++bits;
    return bits;
}

bool in_network(const std::vector<unsigned char>& a, const std::vector<unsigned char>& net,
                int bits) {
    for (size_t i = 0; i < a.size() && bits > 0; ++i, bits -= 8) {
        unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
        if ((a[i] & mask) != (net[i] & mask)) return false;
    }
    return true;
}

// The addresses one `interfaces` entry stands for.
void resolve_interface(const std::string& entry, const std::vector<node::InterfaceAddress>& local,
                       std::vector<std::string>& out) {
    const auto slash = entry.find('/');
    const std::string host = entry.substr(0, slash);
    int family = 0;
    auto ip = parse_ip(host, &family);
    if (!ip) {  // an interface name, possibly a wildcard ("eth*")
        for (const auto& a : local)
            if (fnmatch(host.c_str(), a.interface.c_str(), 0) == 0) out.push_back(a.address);
        return;
    }
    std::optional<int> bits;
    if (slash != std::string::npos) bits = parse_mask(entry.substr(slash + 1), family);
    const bool is_local =
        std::any_of(local.begin(), local.end(), [&](const auto& a) { return a.address == host; });
    if (!bits || is_local || local.empty()) {
        out.push_back(host);
        return;
    }
    // A network ("10.0.0.0/24"): Samba serves on every local address inside it.
    for (const auto& a : local) {
        int local_family = 0;
        auto local_ip = parse_ip(a.address, &local_family);
        if (local_ip && local_family == family && in_network(*local_ip, *ip, *bits))
            out.push_back(a.address);
    }
}

std::vector<std::string> list_entries(const std::string& value) {
    std::string spaced = value;
    std::replace(spaced.begin(), spaced.end(), ',', ' ');
    std::vector<std::string> out;
    for (auto word : text::split_words(spaced)) {
        word.erase(std::remove(word.begin(), word.end(), '"'), word.end());
        word = word.substr(0, word.find(';'));  // "10.0.0.1;speed=1000000000"
        if (!word.empty()) out.push_back(word);
    }
    return out;
}

}  // namespace

std::string canonical_key(std::string_view name) {
    std::string key;
    for (char c : name)
        if (c != ' ' && c != '\t')
            key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key == "privatedirectory") return "privatedir";
    if (key == "lockdir") return "lockdirectory";
    if (key == "directory") return "path";
    if (key == "globals") return "global";
    return key;
}

Conf Conf::parse(std::string_view text, const std::string& origin) {
    Conf conf;
    Section* current = nullptr;
    for (auto& [number, line] : logical_lines(text)) {
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        if (line[0] == '[') {
            const auto close = line.find(']');
            if (close == std::string::npos)
                throw conf_error(origin, number, "section header without ']': " + line);
            const std::string name(text::trim(std::string_view(line).substr(1, close - 1)));
            if (name.empty()) throw conf_error(origin, number, "empty section name");
            current = const_cast<Section*>(conf.find(name));
            if (!current) current = &conf.sections_.emplace_back(Section{name, {}});
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        if (!current) throw conf_error(origin, number, "parameter outside any section: " + line);
        const std::string key = canonical_key(text::trim(std::string_view(line).substr(0, eq)));
        current->values[key] = std::string(text::trim(std::string_view(line).substr(eq + 1)));
    }
    return conf;
}

const Section* Conf::find(std::string_view name) const {
    for (const auto& s : sections_)
        if (same_name(s.name, name)) return &s;
    return nullptr;
}

std::optional<std::string> Conf::global(std::string_view key) const {
    const Section* g = find("global");
    if (!g) return std::nullopt;
    auto it = g->values.find(canonical_key(key));
    if (it == g->values.end()) return std::nullopt;
    return it->second;
}

std::vector<const Section*> Conf::shares() const {
    std::vector<const Section*> out;
    for (const auto& s : sections_)
        if (!same_name(s.name, "global")) out.push_back(&s);
    return out;
}

Settings settings_of(const Conf& conf) {
    Settings s;
    auto take = [&](const char* key, std::string& field) {
        if (auto v = conf.global(key); v && !v->empty()) field = *v;
    };
    take("pid directory", s.pid_directory);
    take("lock directory", s.lock_directory);
    take("state directory", s.state_directory);
    take("cache directory", s.cache_directory);
    take("private dir", s.private_directory);
    if (auto v = conf.global("interfaces")) s.interfaces = list_entries(*v);
    if (auto v = conf.global("bind interfaces only")) {
        auto flag = text::parse_bool(*v);
        if (!flag)
            throw Error(Outcome::not_configured,
                        "bind interfaces only must be yes or no, not '" + *v + "'");
        s.bind_interfaces_only = *flag;
    }
    if (auto v = conf.global("disable netbios"))
        s.disable_netbios = text::parse_bool(*v).value_or(false);
    if (auto v = conf.global("smb ports")) {
        s.ports.clear();
        for (const auto& word : list_entries(*v)) {
            auto port = text::parse_int<int>(word, 1, 65535);
            if (!port)
                throw Error(Outcome::not_configured, "smb ports: '" + word + "' is not a port");
            s.ports.push_back(*port);
        }
        if (s.ports.empty()) throw Error(Outcome::not_configured, "smb ports is empty");
    }
    for (const Section* share : conf.shares()) {
        auto it = share->values.find("path");
        s.shares.push_back({share->name, it == share->values.end() ? "" : it->second});
    }
    return s;
}

const Settings::Share* Settings::share(std::string_view name) const {
    for (const auto& s : shares)
        if (same_name(s.name, name)) return &s;
    return nullptr;
}

std::string pick_share(const Settings& s, const std::string& wanted, const std::string& origin) {
    if (!wanted.empty()) {
        if (const auto* found = s.share(wanted)) return found->name;
        throw Error(Outcome::not_configured, "share '" + wanted + "' is not defined in " + origin);
    }
    for (const auto& share : s.shares)
        if (!is_special_share(share.name)) return share.name;
    throw Error(Outcome::not_configured, origin + " defines no share to check");
}

std::vector<std::string> service_addresses(const Settings& s,
                                           const std::vector<node::InterfaceAddress>& local) {
    std::vector<std::string> out;
    if (!s.bind_interfaces_only || s.interfaces.empty()) return {"127.0.0.1"};
    for (const auto& entry : s.interfaces) resolve_interface(entry, local, out);
    // Samba always adds loopback when binding to interfaces; clients never come that way.
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const std::string& a) { return a == "127.0.0.1" || a == "::1"; }),
              out.end());
    std::vector<std::string> unique;
    for (auto& a : out)
        if (std::find(unique.begin(), unique.end(), a) == unique.end()) unique.push_back(a);
    return unique;
}

Credentials parse_credentials(std::string_view text, const std::string& origin) {
    Credentials c;
    size_t number = 0;
    for (const auto& raw : text::split(text, '\n')) {
        ++number;
        std::string_view line = text::trim(raw);
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos)
            throw conf_error(origin, number, "expected 'name = value'");
        const std::string key = canonical_key(line.substr(0, eq));
        const std::string value(text::trim(line.substr(eq + 1)));
        if (key == "username" || key == "user")
            c.username = value;
        else if (key == "password")
            c.password = value;
        else if (key == "domain" || key == "workgroup")
            c.domain = value;
        // Never echo the line: it may hold the password.
        else
            throw conf_error(origin, number, "unknown setting (username, password, domain)");
    }
    return c;
}

}  // namespace takeover::smb
