// Just enough of MooseFS's client protocol (port MATOCL, 9421) to ask a master for its
// metadata version, as `mfscli -SIM` does: CLTOMA_INFO (510) with no payload, answered by
// MATOCL_INFO (511). Messages are big-endian: u32 command, u32 length, payload.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace takeover::mfs {

inline constexpr uint32_t kCltomaInfo = 510;
inline constexpr uint32_t kMatoclInfo = 511;

struct MasterInfo {
    std::string version;  // "3.0.117"
    uint64_t metadata_version = 0;
};

std::string info_request();
// The payload length announced by an 8-byte reply header; nullopt if it is not MATOCL_INFO
// or is implausibly long.
std::optional<uint32_t> info_reply_length(std::string_view header);
// Decodes a MATOCL_INFO payload of the layouts 3.0 masters send (121, 129, 137, 149 bytes).
std::optional<MasterInfo> parse_info_reply(std::string_view payload);

// The host to reach a local daemon listening on `listen_host` ("*" -> loopback).
std::string local_address(const std::string& listen_host);

// True when a TCP connection to host:port succeeds within `timeout`.
bool accepts_connections(const std::string& host, uint16_t port, std::chrono::milliseconds timeout);
// Asks the master for its info; nullopt when it does not answer in time or answers nonsense.
std::optional<MasterInfo> query_master(const std::string& host, uint16_t port,
                                       std::chrono::milliseconds timeout);

}  // namespace takeover::mfs
