#include "mfs_restore.h"

#include "mfs_daemon.h"
#include "takeover/outcome.h"
#include "takeover/process.h"
#include "takeover/text.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace takeover::mfs {
namespace {

std::string staging_dir(const MasterConfig& c) {
    return c.data_path + "/.takeover-staging";
}

// The user's configuration with DATA_PATH pointing at the staging directory. Keys and values
// were validated by the parser (no newlines), so writing them back is safe.
void write_staging_config(const ConfigTable& table, const std::string& dir,
                          const std::string& path) {
    std::ofstream out(path, std::ios::trunc);
    for (const auto& [key, entry] : table)
        if (key != "DATA_PATH") out << key << " = " << entry.value << "\n";
    out << "DATA_PATH = " << dir << "\n";
    if (!out.flush()) throw Error(Outcome::generic_error, "cannot write " + path);
}

}  // namespace

std::string restore_failure(const std::string& output) {
    // MooseFS names the cause on one line ("hole in change files (entries from ... are
    // missing)", "changelog_ml.0.mfs:7: version mismatch") before its generic verdict.
    static const char* const kMarkers[] = {
        "hole in change files", "version mismatch", "error applying changelogs",
        "can't find metadata",  "restore failed",   "structure error"};
    std::string found;
    int lines = 0;
    for (const auto& raw : text::split(output, '\n')) {
        auto line = text::trim(raw);
        bool match = false;
        for (const char* marker : kMarkers) match = match || line.find(marker) != std::string::npos;
        if (!match || lines == 2) continue;
        found += (found.empty() ? "" : "; ") + std::string(line);
        ++lines;
    }
    return found;
}

void remove_staging(const MasterConfig& c) {
    std::error_code ec;
    fs::remove_all(staging_dir(c), ec);
}

Staged restore_in_staging(const MasterConfig& c, const ConfigTable& table, const Snapshot& source,
                          Owner owner, std::chrono::milliseconds timeout) {
    Staged staged;
    staged.dir = staging_dir(c);
    staged.metadata = staged.dir + "/metadata.mfs";
    remove_staging(c);
    std::error_code ec;
    fs::create_directory(staged.dir, ec);
    if (ec)
        throw Error(Outcome::generic_error, "cannot create " + staged.dir + ": " + ec.message());
    if (chown(staged.dir.c_str(), owner.uid, owner.gid) != 0)
        throw Error(Outcome::generic_error, "cannot chown " + staged.dir);
    copy_as(source.dir + "/" + source.newest->name, staged.dir + "/" + source.newest->name, owner);
    for (const auto& log : source.changelogs)
        if (log.ids.last >= source.newest->version)
            copy_as(source.dir + "/" + log.name, staged.dir + "/" + log.name, owner);
    const std::string cfg = staged.dir + "/restore.cfg";
    write_staging_config(table, staged.dir, cfg);

    auto result = process::run({"mfsmaster", "-a", "-c", cfg, "restore"}, timeout);
    spdlog::debug("restore output:\n{}", result.output);
    std::string failure = restore_failure(result.output);
    if (!result.status.ok() || !failure.empty())
        throw Error(Outcome::generic_error, "mfsmaster -a restore from " + source.dir +
                                                " failed (" + result.status.describe() + ")" +
                                                (failure.empty() ? "" : ": " + failure));
    MetadataInfo info = read_metadata(staged.metadata);
    if (!info.version)
        throw Error(Outcome::generic_error,
                    "mfsmaster -a restore left no usable metadata.mfs (" + info.problem + ")");
    if (*info.version < source.reach)
        throw Error(Outcome::generic_error, "restore stopped at version " +
                                                std::to_string(*info.version) +
                                                " but the changelogs in " + source.dir + " reach " +
                                                std::to_string(source.reach));
    staged.version = *info.version;
    return staged;
}

}  // namespace takeover::mfs
