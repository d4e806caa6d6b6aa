#include "probe.h"

#include "takeover/outcome.h"

#include <blkid/blkid.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace takeover::fsmount {
namespace {

std::string evaluate_tag(const DeviceSpec& spec) {
    const char* token = spec.kind == DeviceSpec::Kind::uuid ? "UUID" : "LABEL";
    blkid_cache cache = nullptr;
    char* found = blkid_evaluate_tag(token, spec.value.c_str(), &cache);
    std::unique_ptr<char, decltype(&std::free)> guard(found, std::free);
    if (cache) blkid_put_cache(cache);
    if (!found)
        throw Error(Outcome::not_installed, "no device with " + spec.source() + " on this node");
    return found;
}

}  // namespace

ResolvedSource resolve_source(const DeviceSpec& spec) {
    ResolvedSource out;
    if (spec.kind == DeviceSpec::Kind::network || spec.kind == DeviceSpec::Kind::pseudo) {
        out.path = spec.value;
        return out;
    }
    std::string path = spec.is_tag() ? evaluate_tag(spec) : spec.value;
    char real[PATH_MAX];
    if (!realpath(path.c_str(), real))
        throw Error(Outcome::not_installed,
                    "device " + path + " does not exist on this node: " + std::strerror(errno));
    struct stat st {};
    if (stat(real, &st) != 0)
        throw Error(Outcome::not_installed, "cannot stat " + std::string(real));
    out.path = real;
    out.block_device = S_ISBLK(st.st_mode);
    out.regular_file = S_ISREG(st.st_mode);
    if (out.block_device) out.rdev = st.st_rdev;
    if (!out.block_device && !out.regular_file)
        throw Error(Outcome::not_configured, out.path + " is neither a block device nor an image");
    return out;
}

std::string detect_fstype(const std::string& path) {
    blkid_probe probe = blkid_new_probe_from_filename(path.c_str());
    if (!probe) throw Error(Outcome::not_installed, "cannot probe " + path);
    std::unique_ptr<blkid_struct_probe, decltype(&blkid_free_probe)> guard(probe, blkid_free_probe);
    blkid_probe_enable_superblocks(probe, 1);
    blkid_probe_set_superblocks_flags(probe, BLKID_SUBLKS_TYPE);
    int rc = blkid_do_safeprobe(probe);
    if (rc == -2)
        throw Error(Outcome::not_configured,
                    path + " carries signatures of several filesystems; give the fstype");
    const char* type = nullptr;
    if (rc != 0 || blkid_probe_lookup_value(probe, "TYPE", &type, nullptr) != 0 || !type)
        throw Error(Outcome::not_configured, "no filesystem found on " + path);
    return type;
}

}  // namespace takeover::fsmount
