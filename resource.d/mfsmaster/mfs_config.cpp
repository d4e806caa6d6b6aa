#include "mfs_config.h"

#include "takeover/outcome.h"
#include "takeover/text.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace takeover::mfs {
namespace {

[[noreturn]] void fail(const std::string& filename, int line, const std::string& message) {
    throw Error(Outcome::not_configured, filename + ":" + std::to_string(line) + ": " + message);
}

bool valid_key(std::string_view key) {
    if (key.empty()) return false;
    for (char c : key)
        if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9')))
            return false;
    return true;
}

uint16_t port(const ConfigTable& table, const std::string& key, uint16_t fallback,
              const std::string& path) {
    auto it = table.find(key);
    if (it == table.end()) return fallback;
    auto value = text::parse_int<uint16_t>(it->second.value, 1, 65535);
    if (!value)
        fail(path, it->second.line, key + " must be a port number, not '" + it->second.value + "'");
    return *value;
}

// A path value: absolute, since the daemons chdir to DATA_PATH and relative paths would move.
std::string absolute_path(const ConfigTable& table, const std::string& key,
                          const std::string& fallback, const std::string& path) {
    auto it = table.find(key);
    if (it == table.end()) return fallback;
    if (it->second.value.empty() || it->second.value.front() != '/')
        fail(path, it->second.line,
             key + " must be an absolute path, not '" + it->second.value + "'");
    std::string value = it->second.value;
    while (value.size() > 1 && value.back() == '/') value.pop_back();
    return value;
}

std::string word(const ConfigTable& table, const std::string& key, const std::string& fallback,
                 const std::string& path) {
    auto it = table.find(key);
    if (it == table.end()) return fallback;
    if (text::has_shell_meta(it->second.value))
        fail(path, it->second.line, key + " has characters that do not belong in a name");
    return it->second.value;
}

// A host name, an address or `*` (all addresses).
std::string host(const ConfigTable& table, const std::string& key, const std::string& fallback,
                 const std::string& path) {
    auto it = table.find(key);
    if (it == table.end()) return fallback;
    for (char c : it->second.value)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
              c == '_' || c == '*'))
            fail(path, it->second.line, key + " must be a host name or address");
    if (it->second.value.empty()) fail(path, it->second.line, key + " is empty");
    return it->second.value;
}

}  // namespace

ConfigTable parse_config(std::string_view text, const std::string& filename) {
    ConfigTable table;
    int number = 0;
    while (!text.empty()) {
        ++number;
        auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        line = text::trim(line);
        if (line.empty()) continue;
        auto eq = line.find('=');
        if (eq == std::string_view::npos) fail(filename, number, "expected KEY = VALUE");
        auto key = text::trim(line.substr(0, eq));
        auto value = text::trim(line.substr(eq + 1));
        if (!valid_key(key)) fail(filename, number, "invalid key '" + std::string(key) + "'");
        if (text::has_control_chars(value)) fail(filename, number, "control character in value");
        table[std::string(key)] = ConfigEntry{std::string(value), number};
    }
    return table;
}

ConfigTable read_config(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(Outcome::not_installed, "cannot read " + path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return parse_config(buffer.str(), path);
}

MasterConfig master_config(const ConfigTable& table, const std::string& path) {
    MasterConfig c;
    c.path = path;
    c.data_path = absolute_path(table, "DATA_PATH", c.data_path, path);
    c.working_user = word(table, "WORKING_USER", c.working_user, path);
    c.working_group = word(table, "WORKING_GROUP", c.working_group, path);
    c.matocl_listen_host = host(table, "MATOCL_LISTEN_HOST", c.matocl_listen_host, path);
    c.matocl_port = port(table, "MATOCL_LISTEN_PORT", c.matocl_port, path);
    c.matoml_port = port(table, "MATOML_LISTEN_PORT", c.matoml_port, path);
    c.matocs_port = port(table, "MATOCS_LISTEN_PORT", c.matocs_port, path);
    return c;
}

MetaloggerConfig metalogger_config(const ConfigTable& table, const std::string& path) {
    MetaloggerConfig c;
    c.path = path;
    c.data_path = absolute_path(table, "DATA_PATH", c.data_path, path);
    c.working_user = word(table, "WORKING_USER", c.working_user, path);
    c.working_group = word(table, "WORKING_GROUP", c.working_group, path);
    c.master_host = host(table, "MASTER_HOST", c.master_host, path);
    c.master_port = port(table, "MASTER_PORT", c.master_port, path);
    return c;
}

}  // namespace takeover::mfs
