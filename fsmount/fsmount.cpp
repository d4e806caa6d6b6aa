#include "fsmount.h"

#include "probe.h"

#include "takeover/outcome.h"
#include "takeover/process.h"
#include "takeover/text.h"

#include <libmount/libmount.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace takeover::fsmount {
namespace {

bool is_ext(const std::string& fstype) {
    return fstype == "ext2" || fstype == "ext3" || fstype == "ext4";
}

void make_mount_point(const std::string& dir) {
    std::string partial;
    for (const auto& part : text::split(dir.substr(1), '/')) {
        partial += "/" + part;
        if (mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
            throw Error(Outcome::generic_error,
                        "cannot create mount point " + partial + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error(Outcome::not_configured, dir + " exists and is not a directory");
}

void run_fsck(const std::string& device, std::chrono::milliseconds timeout) {
    spdlog::info("checking {} with e2fsck -p", device);
    auto result = process::run({"e2fsck", "-p", device}, timeout,
                               {.extra_env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}});
    // e2fsck: 0 clean, 1 errors corrected, 2 corrected and reboot advised; 4+ uncorrected.
    if (result.status.exited && result.status.code < 4) return;
    throw Error(Outcome::generic_error,
                "e2fsck -p " + device + " failed (" + result.status.describe() + ")");
}

void mount_now(const MountCall& call) {
    std::unique_ptr<libmnt_context, decltype(&mnt_free_context)> cxt(mnt_new_context(),
                                                                     mnt_free_context);
    if (!cxt) throw Error(Outcome::generic_error, "out of memory");
    // Exactly the call we planned: fstab is not consulted, paths are already canonical.
    mnt_context_set_optsmode(cxt.get(), MNT_OMODE_IGNORE | MNT_OMODE_NOTAB);
    mnt_context_disable_canonicalize(cxt.get(), 1);
    mnt_context_disable_swapmatch(cxt.get(), 1);
    mnt_context_set_source(cxt.get(), call.source.c_str());
    mnt_context_set_target(cxt.get(), call.target.c_str());
    mnt_context_set_fstype(cxt.get(), call.fstype.c_str());
    if (!call.options.empty()) mnt_context_set_options(cxt.get(), call.options.c_str());
    int rc = mnt_context_mount(cxt.get());
    if (rc == 0 && mnt_context_get_status(cxt.get()) == 1) return;
    char buf[BUFSIZ] = {};
    mnt_context_get_excode(cxt.get(), rc, buf, sizeof buf);
    throw Error(Outcome::generic_error, call.describe() + " failed: " + (*buf ? buf : "error"));
}

}  // namespace

MountCall plan(const Request& req, const NodeFacts& facts) {
    MountCall call;
    call.target = normalize_directory(req.directory);
    auto spec = parse_device_spec(req.device);
    check_fstype(req.fstype);
    split_options(req.options);  // refuse bad options before touching the device
    auto source = resolve_source(spec);
    call.source = source.path;
    call.fstype =
        req.fstype.empty() || req.fstype == "auto"
            ? (source.block_device || source.regular_file
                   ? detect_fstype(source.path)
                   : throw Error(Outcome::not_configured, "give the fstype for " + spec.value))
            : req.fstype;
    call.options = final_options(req, call.fstype, facts);
    return call;
}

Status status(const Request& req) {
    const auto dir = normalize_directory(req.directory);
    const auto table = MountTable::read();
    auto top = table.at(dir);
    if (!top) return {MountState::not_mounted, dir + " is not mounted", std::nullopt};
    ResolvedSource source;
    try {
        source = resolve_source(parse_device_spec(req.device));
    } catch (const Error& e) {
        return {MountState::wrong_source, dir + " is mounted but " + e.what(), std::nullopt};
    }
    if (same_source(*top, source)) return {MountState::mounted, top->source + " on " + dir, top};
    return {MountState::wrong_source, dir + " has " + top->source + " mounted, not " + req.device,
            std::nullopt};
}

void start(const Request& req, const NodeFacts& facts, const StartOptions& opts) {
    const MountCall call = plan(req, facts);
    const auto table = MountTable::read();
    auto source = resolve_source(parse_device_spec(req.device));
    if (auto top = table.at(call.target)) {
        if (same_source(*top, source)) return;  // already ours
        throw Error(Outcome::generic_error,
                    call.target + " already has " + top->source + " mounted");
    }
    if (!is_cluster_fs(call.fstype) && (source.block_device || source.regular_file)) {
        auto elsewhere = table.of_source(source);
        if (!elsewhere.empty())
            throw Error(Outcome::generic_error, call.source + " is already mounted on " +
                                                    elsewhere.front().target + "; " + call.fstype +
                                                    " is not a cluster filesystem");
    }
    make_mount_point(call.target);
    if (opts.fsck && is_ext(call.fstype)) run_fsck(call.source, opts.fsck_timeout);
    spdlog::info("{}", call.describe());
    mount_now(call);
}

void stop(const Request& req, const StopOptions& opts) {
    const auto dir = normalize_directory(req.directory);
    // Our own cwd must not be what keeps the mount busy.
    if (chdir("/") != 0) spdlog::warn("chdir /: {}", std::strerror(errno));
    const auto table = MountTable::read();
    std::optional<ResolvedSource> source;
    try {
        if (!req.device.empty()) source = resolve_source(parse_device_spec(req.device));
    } catch (const Error& e) {
        if (e.outcome() != Outcome::not_installed) throw;
        spdlog::warn("{}; unmounting whatever is mounted on {}", e.what(), dir);
    }
    // The device's mount at dir, even when something was mounted over it later.
    std::optional<MountEntry> ours;
    for (const auto& e : table.entries())
        if (e.target == dir && (!source || same_source(e, *source))) ours = e;
    if (!ours) return;
    unmount_tree(*ours, opts);
    if (MountTable::read().by_id(ours->id))
        throw Error(Outcome::generic_error, dir + " is still mounted after umount");
}

}  // namespace takeover::fsmount
