#include "mount_call.h"

#include "takeover/outcome.h"
#include "takeover/text.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace takeover::fsmount {
namespace {

[[noreturn]] void refuse(const std::string& what) {
    throw Error(Outcome::not_configured, what);
}

template <size_t N>
bool one_of(std::string_view s, const std::array<std::string_view, N>& names) {
    return std::find(names.begin(), names.end(), s) != names.end();
}

constexpr std::string_view kHostdata = "hostdata=";

}  // namespace

std::string MountCall::describe() const {
    return "mount source=" + source + " target=" + target + " type=" + fstype +
           " options=" + (options.empty() ? "defaults" : options);
}

bool takes_hostdata(std::string_view fstype) {
    return one_of(fstype, std::array<std::string_view, 4>{"gfs", "gfs2", "ogfs", "ocfs2"});
}

bool is_cluster_fs(std::string_view fstype) {
    return takes_hostdata(fstype) ||
           one_of(fstype, std::array<std::string_view, 2>{"glusterfs", "cephfs"}) ||
           is_network_fs(fstype);
}

bool is_network_fs(std::string_view fstype) {
    return one_of(fstype,
                  std::array<std::string_view, 6>{"nfs", "nfs4", "cifs", "smbfs", "smb3", "ceph"});
}

void check_fstype(std::string_view fstype) {
    if (fstype.size() > 32) refuse("fstype too long");
    for (char c : fstype)
        if (!(std::islower(static_cast<unsigned char>(c)) ||
              std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
            refuse("fstype '" + std::string(fstype) + "' is not a filesystem type name");
}

std::string normalize_directory(std::string_view raw) {
    const std::string shown(raw);
    if (text::has_control_chars(raw)) refuse("directory has a control character");
    if (raw.empty() || raw.front() != '/') refuse("directory '" + shown + "' is not absolute");
    if (raw.size() > 4095) refuse("directory path too long");
    if (text::has_shell_meta(raw))
        refuse("directory '" + shown + "' has a shell metacharacter or a blank");
    std::string out;
    for (const auto& part : text::split(raw.substr(1), '/')) {
        if (part.empty()) continue;  // "//" and a trailing slash
        if (part == "." || part == "..")
            refuse("directory '" + shown + "' has a '.' or '..' component");
        out += "/" + part;
    }
    if (out.empty()) refuse("refusing to manage a mount on /");
    return out;
}

std::vector<std::string> split_options(std::string_view options) {
    if (text::has_control_chars(options)) refuse("options have a control character");
    if (options.find_first_of(";&|$`<>(){}*?[]!\"'\\ \t") != std::string_view::npos)
        refuse("options '" + std::string(options) + "' have a shell metacharacter or a blank");
    std::vector<std::string> out;
    if (options.empty()) return out;
    for (auto& opt : text::split(options, ',')) {
        if (opt.empty()) refuse("options '" + std::string(options) + "' have an empty entry");
        out.push_back(std::move(opt));
    }
    return out;
}

std::string final_options(const Request& req, std::string_view fstype, const NodeFacts& facts) {
    std::vector<std::string> kept;
    std::string hostdata = req.hostdata;
    for (auto& opt : split_options(req.options)) {
        if (!text::starts_with(opt, kHostdata)) {
            kept.push_back(std::move(opt));
            continue;
        }
        if (!hostdata.empty())
            refuse("hostdata given twice (in options and as the hostdata parameter)");
        hostdata = opt.substr(kHostdata.size());
        if (hostdata.empty()) refuse("options have an empty hostdata=");
    }
    if (!hostdata.empty()) {
        if (takes_hostdata(fstype)) {
            kept.push_back(std::string(kHostdata) + expand_hostdata(hostdata, facts));
        } else {
            // heartbeat lines are shared by every resource of a group: a hostdata meant for
            // the gfs mount must not break an ext4 one.
            spdlog::info("{} does not take hostdata; not passing it", fstype);
        }
    }
    std::string out;
    for (const auto& opt : kept) out += (out.empty() ? "" : ",") + opt;
    return out;
}

}  // namespace takeover::fsmount
