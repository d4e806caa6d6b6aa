// ogfscf.cf, OpenGFS's cluster configuration: "key: value" lines, a STOMITH section per fencing
// method ("STOMITH: type", "name: id", then method-specific "key: value" lines), and one
// "node: IP CID SM: method [plug...]" line per node.
#include "config.h"

#include "takeover/outcome.h"
#include "takeover/text.h"

#include <arpa/inet.h>

#include <set>

namespace takeover::lockd {
namespace {

class OgfsParser {
  public:
    explicit OgfsParser(const std::string& file) : file_(file) {}

    OgfsConfig parse(std::string_view text) {
        for (const auto& raw : text::split(text, '\n')) {
            ++line_;
            auto line = text::trim(raw);
            if (auto hash = line.find('#'); hash != std::string_view::npos)
                line = text::trim(line.substr(0, hash));
            if (line.empty()) continue;
            auto colon = line.find(':');
            if (colon == std::string_view::npos) fail("expected \"key: value\"");
            std::string key(text::trim(line.substr(0, colon)));
            std::string value(text::trim(line.substr(colon + 1)));
            if (key.empty() || value.empty()) fail("expected \"key: value\"");
            setting(key, value);
        }
        finish();
        return std::move(cfg_);
    }

  private:
    [[noreturn]] void fail(const std::string& why) const {
        throw Error(Outcome::not_configured, file_ + ":" + std::to_string(line_) + ": " + why);
    }

    void setting(const std::string& key, const std::string& value) {
        if (key == "node") return node(value);
        if (key == "STOMITH") {
            cfg_.methods.push_back({value, "", {}, line_});
            in_method_ = true;
            return;
        }
        if (in_method_ && key == "name") {
            if (!cfg_.methods.back().name.empty()) fail("a second name: for one STOMITH method");
            cfg_.methods.back().name = value;
            return;
        }
        if (key == "lockdev") {
            cfg_.lockdev = parse_endpoint(value);
            if (!cfg_.lockdev) fail("lockdev: expected IP:PORT, got \"" + value + "\"");
        } else if (key == "cbport") {
            cfg_.cbport = text::parse_int<uint16_t>(value, 1, 65535);
            if (!cfg_.cbport) fail("cbport: expected a port 1..65535, got \"" + value + "\"");
        } else if (key == "timeout") {
            cfg_.timeout_s = text::parse_int<int>(value, 1, 3600);
            if (!cfg_.timeout_s) fail("timeout: expected seconds 1..3600, got \"" + value + "\"");
        } else if (key == "datadev") {
            cfg_.datadev = value;
        } else if (key == "cidev") {
            cfg_.cidev = value;
        } else if (in_method_) {
            // Methods take their own parameters (power switch address, login, ...).
            if (!cfg_.methods.back().params.emplace(key, value).second)
                fail("duplicate " + key + ": in STOMITH method");
        } else {
            fail("unknown key \"" + key + "\"");
        }
    }

    // node: 192.168.1.1 0 SM: manual [plug ...]
    void node(const std::string& value) {
        in_method_ = false;
        auto words = text::split_words(value);
        if (words.size() < 4 || words[2] != "SM:")
            fail("node: expected \"IP CID SM: method [plug]\"");
        unsigned char buf[16];
        if (inet_pton(AF_INET, words[0].c_str(), buf) != 1 &&
            inet_pton(AF_INET6, words[0].c_str(), buf) != 1)
            fail("node: \"" + words[0] + "\" is not an IP address");
        auto cid = text::parse_int<int>(words[1], 0, 65535);
        if (!cid) fail("node: CID \"" + words[1] + "\" is not a number 0..65535");
        if (!cids_.insert(*cid).second) fail("node: CID " + words[1] + " used twice");
        OgfsNode n{words[0], *cid, words[3], {words.begin() + 4, words.end()}, line_};
        cfg_.nodes.push_back(std::move(n));
    }

    void finish() {
        std::set<std::string> names;
        for (const auto& m : cfg_.methods) {
            line_ = m.line;
            if (m.name.empty()) fail("STOMITH: " + m.type + " has no name:");
            if (!names.insert(m.name).second) fail("STOMITH name " + m.name + " used twice");
        }
        for (const auto& n : cfg_.nodes) {
            line_ = n.line;
            if (!names.count(n.stomith))
                fail("node " + n.address + ": no STOMITH method named \"" + n.stomith + "\"");
        }
    }

    const std::string& file_;
    int line_ = 0;
    bool in_method_ = false;
    std::set<int> cids_;
    OgfsConfig cfg_;
};

}  // namespace

OgfsConfig parse_ogfs_config(std::string_view text, const std::string& file) {
    return OgfsParser(file).parse(text);
}

OgfsConfig load_ogfs_config(const std::string& path) {
    return parse_ogfs_config(read_config_file(path), path);
}

}  // namespace takeover::lockd
