#include "mfs_freshest.h"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace takeover::mfs {

bool Snapshot::clean() const {
    return newest && newest->name == "metadata.mfs" && !newest->brand_new &&
           reach == newest->version;
}

std::string Snapshot::describe() const {
    std::string out = dir + ": ";
    if (!newest) {
        out += "no usable metadata";
    } else {
        out += newest->name + " version " + std::to_string(newest->version) + ", " +
               std::to_string(changelogs.size()) + " changelog(s), reaches version " +
               std::to_string(reach);
    }
    for (const auto& p : problems) out += "; " + p;
    return out;
}

Snapshot scan(const std::string& dir) {
    Snapshot snap;
    snap.dir = dir;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
        snap.problems.push_back("cannot read directory: " + ec.message());
        return snap;
    }
    std::vector<std::string> names;
    for (const auto& entry : it)
        if (entry.is_regular_file(ec)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());  // stable reports
    for (const auto& name : names) {
        const std::string path = dir + "/" + name;
        switch (classify(name)) {
            case FileKind::metadata: {
                MetadataInfo info = read_metadata(path);
                if (!info.version) {
                    snap.problems.push_back(name + ": " + info.problem);
                } else if (!snap.newest || *info.version > snap.newest->version) {
                    snap.newest = MetadataFile{name, *info.version, info.brand_new};
                }
                break;
            }
            case FileKind::changelog: {
                ChangeIds ids = read_change_ids(path);
                if (!ids.empty()) snap.changelogs.push_back({name, ids});
                break;
            }
            case FileKind::other:
                break;
        }
    }
    if (snap.newest) {
        snap.reach = snap.newest->version;
        for (const auto& log : snap.changelogs) snap.reach = std::max(snap.reach, log.ids.last + 1);
    }
    return snap;
}

Choice choose_freshest(const Snapshot& master, const Snapshot& metalogger) {
    if (!master.usable() && !metalogger.usable())
        return {nullptr,
                "no usable metadata (" + master.describe() + " | " + metalogger.describe() + ")"};
    if (!metalogger.usable() || (master.usable() && master.reach >= metalogger.reach))
        return {&master, "master directory is freshest (" + master.describe() + ")"};
    return {&metalogger, "metalogger copy is freshest (" + metalogger.describe() + ")"};
}

}  // namespace takeover::mfs
