// MooseFS configuration files (mfsmaster.cfg, mfsmetalogger.cfg): `KEY = VALUE` lines, `#`
// comments, blank lines. Parsed once into typed structs with MooseFS's own defaults; errors
// read `file:line: message`. The files are never executed or handed to a shell.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace takeover::mfs {

// The raw key/value table with the line each key came from (the last one wins, as in MooseFS).
struct ConfigEntry {
    std::string value;
    int line = 0;
};
using ConfigTable = std::map<std::string, ConfigEntry>;

// Parses text; `filename` only names the file in errors. Throws Error(not_configured).
ConfigTable parse_config(std::string_view text, const std::string& filename);
// Reads and parses a file. Throws Error(not_installed) when it cannot be read (a file missing
// on one node is that node's problem), Error(not_configured) when it is malformed.
ConfigTable read_config(const std::string& path);

inline constexpr const char* kDefaultDataPath = "/var/lib/mfs";
inline constexpr uint16_t kDefaultMatomlPort = 9419;
inline constexpr uint16_t kDefaultMatocsPort = 9420;
inline constexpr uint16_t kDefaultMatoclPort = 9421;

struct MasterConfig {
    std::string path;  // the file it came from
    std::string data_path = kDefaultDataPath;
    std::string working_user = "mfs";
    std::string working_group;  // empty: the user's primary group
    std::string matocl_listen_host = "*";
    uint16_t matocl_port = kDefaultMatoclPort;  // clients: the port monitor asks
    uint16_t matoml_port = kDefaultMatomlPort;  // metaloggers
    uint16_t matocs_port = kDefaultMatocsPort;  // chunkservers
};

struct MetaloggerConfig {
    std::string path;
    std::string data_path = kDefaultDataPath;
    std::string working_user = "mfs";
    std::string working_group;
    std::string master_host = "mfsmaster";
    uint16_t master_port = kDefaultMatomlPort;
};

// Typed views; range errors name the key's file and line.
MasterConfig master_config(const ConfigTable&, const std::string& path);
MetaloggerConfig metalogger_config(const ConfigTable&, const std::string& path);

}  // namespace takeover::mfs
