// memexpd's configuration: the legacy OpenGFS ogfscf.cf (so an OpenGFS admin's file works as
// is) and the native conf/memexpd.conf for what the legacy file cannot say. Both are parsed
// once into typed, range-checked structs; errors are "file:line: message".
#pragma once

#include "lock_table.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace takeover::lockd {

struct Endpoint {
    std::string host;  // numeric IPv4 or IPv6 address
    uint16_t port = 0;
    std::string str() const;
};
// "192.168.1.100:15697", "[::1]:15697"; a missing port takes `default_port` if non-zero.
std::optional<Endpoint> parse_endpoint(std::string_view, uint16_t default_port = 0);

// --- ogfscf.cf ---
struct StomithMethod {
    std::string type;                           // the value of "STOMITH:" (manual, WTI_NPS, ...)
    std::string name;                           // "name:", referred to by node lines as "SM: name"
    std::map<std::string, std::string> params;  // method-specific "key: value" lines
    int line = 0;
};

struct OgfsNode {
    std::string address;
    int cid = 0;
    std::string stomith;            // the method's name
    std::vector<std::string> plug;  // power switch plug / FC port
    int line = 0;
};

struct OgfsConfig {
    std::string datadev, cidev;
    std::optional<Endpoint> lockdev;
    std::optional<uint16_t> cbport;
    std::optional<int> timeout_s;  // "time before a node is considered dead"
    std::vector<StomithMethod> methods;
    std::vector<OgfsNode> nodes;
};

// Throws Error(not_configured, "FILE:LINE: reason").
OgfsConfig parse_ogfs_config(std::string_view text, const std::string& file);
OgfsConfig load_ogfs_config(const std::string& path);

// --- memexpd.conf ---
struct NativeConfig {
    std::optional<Endpoint> listen;
    std::string key_file = "/etc/memexpd/key";
    std::string ogfs_config;  // path of ogfscf.cf, optional
    std::string pidfile;
    std::string statedev;  // durable mode's state device (issue 6); "" for memory mode
    Limits limits;
    uint32_t max_connections = 1100;
    uint32_t max_frame_bytes = 16 * 1024;
    uint32_t max_write_queue_bytes = 4 * 1024 * 1024;
    milliseconds auth_timeout{5000};
    // Takeover (docs/lockd.md): how long restored sessions have to reclaim after a start.
    milliseconds grace{15000};
    // Fencing an expired node: this command with the node appended (empty: ogfscf.cf's
    // STOMITH method, else manual), each attempt bounded, retried with back-off.
    std::vector<std::string> fence_command;
    milliseconds fence_timeout{30000};
    uint32_t fence_attempts = 3;
};

NativeConfig parse_native_config(std::string_view text, const std::string& file);
NativeConfig load_native_config(const std::string& path);

// The cluster key: a heartbeat authkeys file ("auth N" + "N method secret") or a file whose
// whole content is the key. Refuses a file group or others can read or write, like heartbeat.
std::string load_key_file(const std::string& path);
std::string parse_key_text(std::string_view text, const std::string& file);

// Reads a whole small file; Error(not_configured) if it cannot.
std::string read_config_file(const std::string& path);

}  // namespace takeover::lockd
