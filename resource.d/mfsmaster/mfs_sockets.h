// TCP sockets of this network namespace, read from /proc/net/tcp and tcp6 (no fork, no ss):
// for validate-all (are the master's ports free?) and the slave monitor (is the metalogger
// connected to a master?).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace takeover::mfs {

struct TcpSocket {
    uint16_t local_port = 0;
    uint16_t remote_port = 0;
    bool listening = false;    // state 0A
    bool established = false;  // state 01
};

// Parses the text of /proc/net/tcp or /proc/net/tcp6 (header line skipped, bad lines ignored).
std::vector<TcpSocket> parse_proc_net_tcp(std::string_view text);
// Both files of the caller's namespace.
std::vector<TcpSocket> tcp_sockets();

bool listening_on(const std::vector<TcpSocket>&, uint16_t port);
bool connected_to(const std::vector<TcpSocket>&, uint16_t remote_port);

}  // namespace takeover::mfs
