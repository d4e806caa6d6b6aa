// What a MooseFS metadata or changelog file holds, read from its bytes (never from file
// times): the metadata version in a metadata file's header, the change ids in a changelog.
// A metadata version is the id of the next change: a changelog whose last id is N brings the
// metadata to version N + 1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace takeover::mfs {

// "MFSM 2.0" + big-endian u64 version at offset 8 (3.0.x); "MFSM NEW" is the empty metadata
// of a brand-new filesystem (version 1, as its first change is id 1).
inline constexpr std::string_view kHeaderV2 = "MFSM 2.0";
inline constexpr std::string_view kHeaderNew = "MFSM NEW";
// Last 16 bytes of every complete (non-NEW) metadata file; a file without it was cut short.
inline constexpr std::string_view kEofMarker = "[MFS EOF MARKER]";

struct MetadataInfo {
    std::optional<uint64_t> version;  // empty when unusable
    std::string problem;              // why it is unusable (one line)
    bool brand_new = false;           // "MFSM NEW": a new filesystem's template
};

// Pure: `head` is the file's first bytes (16 are enough), `tail` its last 16.
MetadataInfo parse_metadata(std::string_view head, std::string_view tail);
// Reads the header and the end marker of a file (two small reads, whatever its size).
MetadataInfo read_metadata(const std::string& path);

struct ChangeIds {
    uint64_t first = 0;  // 0 with last == 0: no complete change line
    uint64_t last = 0;
    bool empty() const { return last == 0; }
};

// "123: 1795631598|CREATE(...)" -> 123. nullopt for anything else.
std::optional<uint64_t> change_id(std::string_view line);
// Ids of the complete (newline-terminated) change lines in `text`. When `text` is a file's
// tail (`starts_mid_line`), its first fragment is skipped as it may be a partial line.
ChangeIds parse_change_ids(std::string_view text, bool starts_mid_line = false);
// First id from the head of the file and last id from its last 64 KiB.
ChangeIds read_change_ids(const std::string& path);

enum class FileKind { metadata, changelog, other };
// metadata.mfs, metadata.mfs.back[.N], metadata_ml.mfs.back[.N]; changelog.N.mfs,
// changelog_ml.N.mfs, changelog_ml_back.N.mfs: the names `mfsmaster -a` reads. Everything
// else (metadata.mfs.empty, metadata_ml.tmp, metadata.crc, locks) is `other`.
FileKind classify(std::string_view name);

}  // namespace takeover::mfs
