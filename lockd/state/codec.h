// The state device's bytes: little-endian fields, journal records, batches (the unit of a
// write and of a checksum) and superblocks. Pure functions, no I/O. FORMAT.md describes the
// layout these produce.
#pragma once

#include "lock_mode.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace takeover::lockd::state {

constexpr uint16_t kFormatVersion = 1;
constexpr uint64_t kSlotSize = 4096;              // one superblock slot
constexpr uint64_t kAreasOffset = 2 * kSlotSize;  // two slots, then two areas
constexpr uint64_t kAreaAlign = 4096;
constexpr uint64_t kBatchAlign = 512;  // a sector: batches start on one, torn writes end on one
constexpr uint64_t kBatchHeaderSize = 32;
constexpr uint64_t kSuperblockSize = 512;
constexpr uint64_t kMinDeviceSize = 64 * 1024;
constexpr uint32_t kBatchMagic = 0x4a4b4c54;             // "TLKJ"
constexpr uint64_t kSuperblockMagic = 0x4253444b4c4b54;  // "TKLKDSB"
constexpr uint16_t kBatchSnapshot = 1;                   // flags: the area's first batch
constexpr size_t kMaxOwner = 255;
constexpr size_t kMaxName = 65535;

// What went wrong with the state, by what the server does about it.
class StateError : public std::runtime_error {
  public:
    enum class Kind { io, full, corrupt, fenced, busy };
    StateError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    Kind kind() const { return kind_; }

  private:
    Kind kind_;
};

uint32_t crc32c(std::string_view bytes, uint32_t crc = 0);

// One change of the state. Which fields count depends on the type (see FORMAT.md).
struct Record {
    enum class Type : uint8_t {
        session_open = 1,   // session, lease_ms, text = node
        session_close = 3,  // session (2 is not used)
        grant = 4,          // session, token, mode, text = lock name
        release = 5,        // session, text = lock name
        snapshot_info = 6,  // token = last token, session = next session id
    } type{};
    uint64_t session = 0;
    uint64_t token = 0;
    uint32_t lease_ms = 0;
    Mode mode = Mode::NL;
    std::string text;
    bool operator==(const Record&) const = default;
};

void append_record(std::string& out, const Record&);
// Decodes the next record of a batch's payload at *pos; throws StateError(corrupt) for an
// unknown type or a record that overruns the payload (its batch passed its checksum, so
// this is no torn write).
Record decode_record(std::string_view payload, size_t* pos);

struct BatchHeader {
    uint16_t version = kFormatVersion;
    uint16_t flags = 0;
    uint32_t length = 0;  // payload bytes
    uint64_t seq = 0;
    uint32_t epoch = 0;
};
// Header + payload, zero-padded to kBatchAlign.
std::string encode_batch(const BatchHeader&, std::string_view payload);
uint64_t padded_batch_size(uint64_t payload);
enum class BatchCheck { ok, invalid, bad_version };
// Checks the batch at the start of `bytes`: magic, length within `bytes`, checksum. A
// checksummed batch of another version is bad_version; anything else wrong is invalid.
BatchCheck check_batch(std::string_view bytes, BatchHeader* out);

struct Superblock {
    uint16_t version = kFormatVersion;
    uint64_t generation = 0;  // written to slot generation % 2; the higher valid one counts
    uint32_t epoch = 0;
    uint32_t active_area = 0;
    uint64_t area_size = 0;
    uint64_t area_start_seq = 0;  // seq of the active area's snapshot batch
    uint64_t heartbeat = 0;       // bumped by every lease renewal
    uint32_t lease_ms = 0;        // the owner renews at least this often
    std::string owner;            // "node/pid" of the live server, "" after a clean stop
    bool operator==(const Superblock&) const = default;
};
std::string encode_superblock(const Superblock&);  // kSuperblockSize bytes
enum class SlotCheck { ok, empty, invalid, bad_version };
SlotCheck check_superblock(std::string_view slot, Superblock* out);

}  // namespace takeover::lockd::state
