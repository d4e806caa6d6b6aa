#include "mount_table.h"

#include "takeover/outcome.h"
#include "takeover/text.h"

#include <libmount/libmount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <fstream>
#include <functional>
#include <memory>

namespace takeover::fsmount {
namespace {

std::string str(const char* s) {
    return s ? s : "";
}

MountEntry entry_of(libmnt_fs* fs) {
    MountEntry e;
    e.id = mnt_fs_get_id(fs);
    e.parent_id = mnt_fs_get_parent_id(fs);
    e.devno = mnt_fs_get_devno(fs);
    e.source = str(mnt_fs_get_source(fs));
    e.target = str(mnt_fs_get_target(fs));
    e.fstype = str(mnt_fs_get_fstype(fs));
    const char* vfs = mnt_fs_get_vfs_options(fs);
    const char* fso = mnt_fs_get_fs_options(fs);
    e.options = str(vfs) + (vfs && fso && *fso ? "," : "") + str(fso);
    return e;
}

std::string strip_trailing_slashes(std::string s) {
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

}  // namespace

MountTable MountTable::read(const std::string& path) {
    std::unique_ptr<libmnt_table, decltype(&mnt_unref_table)> tb(mnt_new_table(), mnt_unref_table);
    if (!tb || mnt_table_parse_file(tb.get(), path.c_str()) != 0)
        throw Error(Outcome::generic_error, "cannot read the mount table " + path);
    std::unique_ptr<libmnt_iter, decltype(&mnt_free_iter)> it(mnt_new_iter(MNT_ITER_FORWARD),
                                                              mnt_free_iter);
    MountTable table;
    libmnt_fs* fs = nullptr;
    while (mnt_table_next_fs(tb.get(), it.get(), &fs) == 0) table.entries_.push_back(entry_of(fs));
    return table;
}

std::optional<MountEntry> MountTable::at(const std::string& target) const {
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
        if (it->target == target) return *it;
    return std::nullopt;
}

std::optional<MountEntry> MountTable::by_id(int id) const {
    for (const auto& e : entries_)
        if (e.id == id) return e;
    return std::nullopt;
}

std::vector<MountEntry> MountTable::of_source(const ResolvedSource& source) const {
    std::vector<MountEntry> out;
    for (const auto& e : entries_)
        if (same_source(e, source)) out.push_back(e);
    return out;
}

std::vector<MountEntry> MountTable::nested_under(int id) const {
    std::vector<MountEntry> out;
    // Post-order walk: a child's children come before the child itself. The depth is bounded
    // by the table's size, and ids are unique, so there are no cycles to guard against.
    std::function<void(int)> walk = [&](int parent) {
        for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
            if (it->parent_id != parent || it->id == parent) continue;
            walk(it->id);
            out.push_back(*it);
        }
    };
    walk(id);
    return out;
}

std::string loop_backing_file(const std::string& device) {
    if (!text::starts_with(device, "/dev/loop")) return "";
    std::ifstream in("/sys/block/" + device.substr(5) + "/loop/backing_file");
    std::string line;
    std::getline(in, line);
    return line;
}

bool same_source(const MountEntry& entry, const ResolvedSource& source) {
    if (source.block_device) {
        // Filesystems on one block device report its number; btrfs and others report an
        // anonymous one, so the name the kernel kept is the fallback.
        if (entry.devno == source.rdev) return true;
        struct stat st {};
        return text::starts_with(entry.source, "/dev/") && stat(entry.source.c_str(), &st) == 0 &&
               S_ISBLK(st.st_mode) && st.st_rdev == source.rdev;
    }
    if (source.regular_file) return loop_backing_file(entry.source) == source.path;
    return strip_trailing_slashes(entry.source) == strip_trailing_slashes(source.path);
}

}  // namespace takeover::fsmount
