// Per-node hostdata: one haresources line serves every node because the value is expanded on
// the node that mounts. Placeholders: %n node name, %i this node's cluster address, %m this
// node's entry in the hostdata map file, %% a literal percent sign.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace takeover::fsmount {

// The map file: `nodename value` per line, `#` comments, blank lines ignored.
class HostdataMap {
  public:
    // Throws Error(not_configured) with "file:line: message" on a malformed line.
    static HostdataMap parse(std::string_view text, const std::string& filename);
    // Reads and parses `path`; a missing file is an error naming it.
    static HostdataMap load(const std::string& path);

    std::optional<std::string> lookup(const std::string& node) const;
    size_t size() const { return values_.size(); }

  private:
    std::map<std::string, std::string> values_;  // node names lower-cased, as heartbeat's
};

// Where %m looks: $TAKEOVER_HOSTDATA_MAP, else heartbeat's conf directory.
std::string default_hostdata_map_path();

// What the expansion may ask about this node. The real one asks takeover::node and reads the
// map file only when %m is used; unit tests pass lambdas.
struct NodeFacts {
    std::function<std::string()> name;
    std::function<std::string()> cluster_address;
    std::function<std::optional<std::string>(const std::string& node)> map_lookup;
};
NodeFacts this_node_facts();

// Expands the placeholders in `value`. Throws Error(not_configured) for an unknown
// placeholder, a node missing from the map, or a result that could smuggle in another mount
// option (a comma, a blank, a control character) or is empty.
std::string expand_hostdata(std::string_view value, const NodeFacts&);

}  // namespace takeover::fsmount
