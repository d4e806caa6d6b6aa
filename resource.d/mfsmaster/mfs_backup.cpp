#include "mfs_backup.h"

#include "mfs_metadata.h"
#include "takeover/outcome.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace fs = std::filesystem;

namespace takeover::mfs {
namespace {

[[noreturn]] void fail(const std::string& what, const std::error_code& ec) {
    throw Error(Outcome::generic_error, what + ": " + ec.message());
}

// Sortable by time even for two generations in the same second (nanoseconds in the name).
std::string generation_name() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    std::tm tm{};
    gmtime_r(&ts.tv_sec, &tm);
    char stamp[48];
    size_t n = std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    std::snprintf(stamp + n, sizeof stamp - n, ".%09ldZ", static_cast<long>(ts.tv_nsec));
    return std::string("gen-") + stamp + "-" + std::to_string(getpid());
}

// rename, or copy + unlink when the backup lives on another filesystem.
void move_file(const std::string& from, const std::string& to) {
    std::error_code ec;
    fs::rename(from, to, ec);
    if (!ec) return;
    if (ec != std::errc::cross_device_link) fail("cannot move " + from + " to " + to, ec);
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) fail("cannot copy " + from + " to " + to, ec);
    fs::remove(from, ec);
    if (ec) fail("cannot remove " + from + " after copying it", ec);
}

}  // namespace

Owner lookup_owner(const std::string& user, const std::string& group_name) {
    passwd* pw = getpwnam(user.c_str());
    if (!pw) throw Error(Outcome::not_installed, "unknown user '" + user + "' (WORKING_USER)");
    Owner owner{pw->pw_uid, pw->pw_gid};
    if (!group_name.empty()) {
        struct group* gr = getgrnam(group_name.c_str());
        if (!gr)
            throw Error(Outcome::not_installed,
                        "unknown group '" + group_name + "' (WORKING_GROUP)");
        owner.gid = gr->gr_gid;
    }
    return owner;
}

void copy_as(const std::string& src, const std::string& dst, Owner owner) {
    std::error_code ec;
    fs::copy_file(src, dst, fs::copy_options::overwrite_existing, ec);
    if (ec) fail("cannot copy " + src + " to " + dst, ec);
    if (chown(dst.c_str(), owner.uid, owner.gid) != 0)
        throw Error(Outcome::generic_error, "cannot chown " + dst + ": " + std::strerror(errno));
}

std::vector<std::string> state_files(const std::string& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file(ec)) continue;
        std::string name = entry.path().filename().string();
        if (classify(name) != FileKind::other || name == "metadata.crc") names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

Generation move_into_backup(const std::string& data_dir, const std::string& backup_dir) {
    Generation gen;
    gen.dir = backup_dir + "/" + generation_name();
    std::error_code ec;
    fs::create_directories(gen.dir, ec);
    if (ec) fail("cannot create backup directory " + gen.dir, ec);
    try {
        for (const auto& name : state_files(data_dir)) {
            move_file(data_dir + "/" + name, gen.dir + "/" + name);
            gen.moved.push_back(name);
        }
    } catch (...) {
        restore_generation(gen, data_dir);
        throw;
    }
    return gen;
}

void restore_generation(const Generation& gen, const std::string& data_dir) {
    for (const auto& name : gen.moved) move_file(gen.dir + "/" + name, data_dir + "/" + name);
}

int prune_generations(const std::string& backup_dir, int keep) {
    std::vector<std::string> gens;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(backup_dir, ec)) {
        std::string name = entry.path().filename().string();
        if (entry.is_directory(ec) && name.rfind("gen-", 0) == 0) gens.push_back(name);
    }
    std::sort(gens.begin(), gens.end());  // the timestamp in the name sorts oldest first
    int removed = 0;
    for (size_t i = 0; i + static_cast<size_t>(std::max(keep, 1)) < gens.size(); ++i) {
        fs::remove_all(backup_dir + "/" + gens[i], ec);
        if (!ec) ++removed;
    }
    return removed;
}

}  // namespace takeover::mfs
