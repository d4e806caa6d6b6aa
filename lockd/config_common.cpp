// Endpoints, key files, file reading.
#include "config.h"

#include "takeover/outcome.h"
#include "takeover/text.h"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace takeover::lockd {

std::string Endpoint::str() const {
    bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<Endpoint> parse_endpoint(std::string_view s, uint16_t default_port) {
    std::string host;
    std::string_view port;
    if (!s.empty() && s[0] == '[') {
        auto close = s.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = std::string(s.substr(1, close - 1));
        auto rest = s.substr(close + 1);
        if (!rest.empty()) {
            if (rest[0] != ':') return std::nullopt;
            port = rest.substr(1);
        }
    } else {
        auto colon = s.find(':');
        if (colon != std::string_view::npos && s.find(':', colon + 1) != std::string_view::npos) {
            host = std::string(s);  // bare IPv6 without a port
        } else {
            host = std::string(s.substr(0, colon));
            if (colon != std::string_view::npos) port = s.substr(colon + 1);
        }
    }
    unsigned char buf[16];
    if (inet_pton(AF_INET, host.c_str(), buf) != 1 && inet_pton(AF_INET6, host.c_str(), buf) != 1)
        return std::nullopt;
    Endpoint e{host, default_port};
    if (!port.empty() || e.port == 0) {
        auto p = text::parse_int<uint16_t>(port, 1, 65535);
        if (!p) return std::nullopt;
        e.port = *p;
    }
    return e;
}

std::string read_config_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Outcome::not_configured, path + ": " + std::strerror(errno));
    std::ostringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    if (text.size() > 1024 * 1024) throw Error(Outcome::not_configured, path + ": file too large");
    return text;
}

std::string parse_key_text(std::string_view text, const std::string& file) {
    auto lines = text::split(text, '\n');
    std::optional<std::string> selected;
    std::map<std::string, std::string> keys;
    bool authkeys = false;
    int lineno = 0;
    for (const auto& raw : lines) {
        ++lineno;
        auto line = text::trim(raw);
        if (line.empty() || line[0] == '#') continue;
        auto words = text::split_words(line);
        if (words[0] == "auth") {
            if (words.size() != 2)
                throw Error(Outcome::not_configured,
                            file + ":" + std::to_string(lineno) + ": expected \"auth N\"");
            selected = words[1];
            authkeys = true;
        } else if (authkeys || (words.size() == 3 && text::parse_int<int>(words[0], 0, 15))) {
            if (words.size() != 3)
                throw Error(Outcome::not_configured,
                            file + ":" + std::to_string(lineno) + ": expected \"N method secret\"");
            keys[words[0]] = words[2];
            authkeys = true;
        }
    }
    std::string key;
    if (authkeys) {
        if (!selected) throw Error(Outcome::not_configured, file + ": no \"auth N\" line");
        auto it = keys.find(*selected);
        if (it == keys.end())
            throw Error(Outcome::not_configured, file + ": auth " + *selected + " names no key");
        key = it->second;
    } else {
        key = std::string(text::trim(text));
    }
    if (key.size() < 16)
        throw Error(Outcome::not_configured, file + ": the key is shorter than 16 bytes");
    return key;
}

std::string load_key_file(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0)
        throw Error(Outcome::not_configured, path + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw Error(Outcome::not_configured, path + ": not a regular file");
    if (st.st_mode & 077) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        throw Error(Outcome::not_configured,
                    path + ": mode " + mode + " lets others read the key (chmod 600 it)");
    }
    return parse_key_text(read_config_file(path), path);
}

}  // namespace takeover::lockd
