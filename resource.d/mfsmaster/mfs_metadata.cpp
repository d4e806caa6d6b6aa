#include "mfs_metadata.h"

#include "takeover/text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <limits>

namespace takeover::mfs {
namespace {

constexpr size_t kHeadBytes = 16;
constexpr size_t kTailBytes = 64 * 1024;

// Reads up to `count` bytes at `offset` (negative: from the end). "" on any error.
std::string read_at(int fd, off_t offset, size_t count) {
    std::string buf(count, '\0');
    size_t got = 0;
    while (got < count) {
        ssize_t n = pread(fd, buf.data() + got, count - got, offset + static_cast<off_t>(got));
        if (n <= 0) break;
        got += static_cast<size_t>(n);
    }
    buf.resize(got);
    return buf;
}

class File {
  public:
    explicit File(const std::string& path) : fd_(open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
    ~File() {
        if (fd_ >= 0) close(fd_);
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    bool ok() const { return fd_ >= 0; }
    off_t size() const {
        struct stat st {};
        return fstat(fd_, &st) == 0 ? st.st_size : 0;
    }
    std::string head(size_t n) const { return read_at(fd_, 0, n); }
    std::string tail(size_t n) const {
        off_t start = std::max<off_t>(0, size() - static_cast<off_t>(n));
        return read_at(fd_, start, static_cast<size_t>(size() - start));
    }

  private:
    int fd_;
};

bool digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// `prefix` + digits + `suffix`, or, with an empty suffix, `prefix` alone or `prefix.N`.
bool numbered(std::string_view name, std::string_view prefix, std::string_view suffix) {
    if (!text::starts_with(name, prefix)) return false;
    name.remove_prefix(prefix.size());
    if (suffix.empty()) return name.empty() || (name.front() == '.' && digits(name.substr(1)));
    if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix)
        return false;
    return digits(name.substr(0, name.size() - suffix.size()));
}

}  // namespace

MetadataInfo parse_metadata(std::string_view head, std::string_view tail) {
    if (head.size() >= kHeaderNew.size() && head.substr(0, kHeaderNew.size()) == kHeaderNew)
        return {1, "", true};
    if (head.size() < kHeaderV2.size() || head.substr(0, 4) != "MFSM")
        return {std::nullopt, "not a MooseFS metadata file"};
    if (head.substr(0, kHeaderV2.size()) != kHeaderV2)
        return {std::nullopt, "unsupported metadata format '" +
                                  std::string(head.substr(0, kHeaderV2.size())) + "'"};
    if (head.size() < 16) return {std::nullopt, "truncated header"};
    uint64_t version = 0;
    for (size_t i = 8; i < 16; ++i) version = (version << 8) | static_cast<unsigned char>(head[i]);
    if (tail != kEofMarker) return {std::nullopt, "truncated (no end marker)"};
    return {version, ""};
}

MetadataInfo read_metadata(const std::string& path) {
    File file(path);
    if (!file.ok()) return {std::nullopt, "cannot read"};
    return parse_metadata(file.head(kHeadBytes), file.tail(kEofMarker.size()));
}

std::optional<uint64_t> change_id(std::string_view line) {
    auto colon = line.find(": ");
    if (colon == std::string_view::npos) return std::nullopt;
    auto id = text::parse_int<uint64_t>(line.substr(0, colon), 1,
                                        std::numeric_limits<uint64_t>::max() - 1);
    if (!id || line.find('|', colon) == std::string_view::npos) return std::nullopt;
    return id;
}

ChangeIds parse_change_ids(std::string_view text, bool starts_mid_line) {
    ChangeIds ids;
    if (starts_mid_line) {
        auto nl = text.find('\n');
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    }
    while (!text.empty()) {
        auto nl = text.find('\n');
        if (nl == std::string_view::npos) break;  // an unterminated last line was cut short
        if (auto id = change_id(text.substr(0, nl))) {
            if (ids.first == 0 || *id < ids.first) ids.first = *id;
            if (*id > ids.last) ids.last = *id;
        }
        text.remove_prefix(nl + 1);
    }
    return ids;
}

ChangeIds read_change_ids(const std::string& path) {
    File file(path);
    if (!file.ok()) return {};
    const bool whole = file.size() <= static_cast<off_t>(kTailBytes);
    ChangeIds ids = parse_change_ids(file.tail(kTailBytes), !whole);
    if (!whole) {
        ChangeIds head = parse_change_ids(file.head(4096));
        if (head.first != 0) ids.first = head.first;
    }
    return ids;
}

FileKind classify(std::string_view name) {
    if (name == "metadata.mfs" || numbered(name, "metadata.mfs.back", "") ||
        numbered(name, "metadata_ml.mfs.back", ""))
        return FileKind::metadata;
    if (numbered(name, "changelog.", ".mfs") || numbered(name, "changelog_ml.", ".mfs") ||
        numbered(name, "changelog_ml_back.", ".mfs"))
        return FileKind::changelog;
    return FileKind::other;
}

}  // namespace takeover::mfs
