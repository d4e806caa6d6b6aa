// smb.conf as Samba reads it, reduced to what the smb agent needs. Pure: text in, values out,
// so the agent's monitor reads the file without forking testparm, and unit tests need no Samba.
#pragma once

#include "takeover/node.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace takeover::smb {

// Samba compares parameter and section names ignoring case and blanks ("Pid Directory" is
// "piddirectory"); synonyms ("private directory" for "private dir") map to one name.
std::string canonical_key(std::string_view name);

struct Section {
    std::string name;                           // as written
    std::map<std::string, std::string> values;  // canonical key -> value
};

// The sections of one smb.conf text. Samba's own rules: '#' or ';' starts a comment line, a
// trailing '\' continues a line, a line without '=' is ignored (testparm accepts it too),
// a repeated section adds to the first. Throws Error(not_configured, "origin:line: ...") for
// what Samba refuses: a parameter before any section, an unterminated "[name".
class Conf {
  public:
    static Conf parse(std::string_view text, const std::string& origin);
    // The section called `name` (case-insensitive; "globals" is "global"), or nullptr.
    const Section* find(std::string_view name) const;
    std::optional<std::string> global(std::string_view key) const;
    // The shares: every section but [global], in file order.
    std::vector<const Section*> shares() const;

  private:
    std::vector<Section> sections_;
};

// Where Debian's Samba keeps its pid files when smb.conf does not say.
inline constexpr const char* kDefaultPidDirectory = "/run/samba";

// The settings the agent acts on, typed.
struct Settings {
    std::string pid_directory = kDefaultPidDirectory;
    // Directories an instance must not share with another; "" = Samba's default.
    std::string lock_directory, state_directory, cache_directory, private_directory;
    std::vector<std::string> interfaces;  // entries as written, options (";speed=...") dropped
    bool bind_interfaces_only = false;
    bool disable_netbios = false;  // nmbd refuses to run when set
    std::vector<int> ports = {445, 139};
    struct Share {
        std::string name;  // as written
        std::string path;  // "" if the section sets none
    };
    std::vector<Share> shares;  // in file order
    // The share called `name` (case-insensitive), or nullptr.
    const Share* share(std::string_view name) const;
};

// Throws Error(not_configured) for values Samba would not accept ("smb ports = x").
Settings settings_of(const Conf&);

// The share the health check opens: `wanted` if given (case-insensitive, returned as
// written in the config), else the first share that is not a special one (homes, printers,
// print$, IPC$). Throws Error(not_configured) when there is none or `wanted` is not defined.
std::string pick_share(const Settings&, const std::string& wanted, const std::string& origin);

// The addresses clients reach the service on, for the health check: the `interfaces` entries
// (addresses, address/mask, interface names and wildcards resolved against `local`) when
// `bind interfaces only` is set; otherwise loopback, where smbd listens too.
std::vector<std::string> service_addresses(const Settings&,
                                           const std::vector<node::InterfaceAddress>& local);

struct Credentials {
    std::string username;  // "" = anonymous / guest
    std::string password;
    std::string domain;
};

// smbclient's authentication file format: "username = ...", "password = ...", "domain = ...".
Credentials parse_credentials(std::string_view text, const std::string& origin);

}  // namespace takeover::smb
