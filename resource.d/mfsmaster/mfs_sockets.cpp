#include "mfs_sockets.h"

#include "takeover/text.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace takeover::mfs {
namespace {

// "0100007F:24CD" -> 0x24CD; the port is always the 4 hex digits after the colon.
std::optional<uint16_t> port_of(std::string_view address) {
    auto colon = address.rfind(':');
    if (colon == std::string_view::npos || address.size() - colon - 1 != 4) return std::nullopt;
    uint16_t port = 0;
    for (char c : address.substr(colon + 1)) {
        int digit = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                           : -1;
        if (digit < 0) return std::nullopt;
        port = static_cast<uint16_t>(port * 16 + digit);
    }
    return port;
}

std::string slurp(const char* path) {
    std::ifstream in(path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace

std::vector<TcpSocket> parse_proc_net_tcp(std::string_view text) {
    std::vector<TcpSocket> sockets;
    bool header = true;
    for (const auto& line : text::split(text, '\n')) {
        if (header) {
            header = false;
            continue;
        }
        auto fields = text::split_words(line);
        if (fields.size() < 4) continue;
        auto local = port_of(fields[1]);
        auto remote = port_of(fields[2]);
        if (!local || !remote) continue;
        sockets.push_back({*local, *remote, fields[3] == "0A", fields[3] == "01"});
    }
    return sockets;
}

std::vector<TcpSocket> tcp_sockets() {
    auto all = parse_proc_net_tcp(slurp("/proc/net/tcp"));
    auto v6 = parse_proc_net_tcp(slurp("/proc/net/tcp6"));
    all.insert(all.end(), v6.begin(), v6.end());
    return all;
}

bool listening_on(const std::vector<TcpSocket>& sockets, uint16_t port) {
    for (const auto& s : sockets)
        if (s.listening && s.local_port == port) return true;
    return false;
}

bool connected_to(const std::vector<TcpSocket>& sockets, uint16_t remote_port) {
    for (const auto& s : sockets)
        if (s.established && s.remote_port == remote_port) return true;
    return false;
}

}  // namespace takeover::mfs
