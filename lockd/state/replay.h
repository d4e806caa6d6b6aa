// Reading the state device at start: the superblock, the active area's snapshot and the
// journal after it. A torn last batch (a crash mid-write) is the end of the journal; any
// other damage stops startup with one line saying where, unless the admin discards it.
#pragma once

#include "codec.h"
#include "device.h"
#include "image.h"

#include <optional>
#include <string>
#include <vector>

namespace takeover::lockd::state {

// Where things are on a device of `device_size` bytes; throws StateError(full) below
// kMinDeviceSize.
struct Layout {
    uint64_t area_size = 0;
    static Layout of(uint64_t device_size);
    uint64_t area_offset(uint32_t area) const { return kAreasOffset + area * area_size; }
};

// The newest valid superblock. nullopt and *fresh = true when both slots are all zeros (a
// device never used); throws StateError(corrupt) when neither slot is valid otherwise.
std::optional<Superblock> read_superblock(Device&, bool* fresh);
// Into slot generation % 2, then fdatasync: a torn write leaves the other slot intact.
void write_superblock(Device&, const Superblock&);

struct ReplayOptions {
    bool discard_corrupt = false;  // start from what is readable instead of refusing
};

struct Replay {
    bool fresh = false;                    // never formatted: nothing to recover
    std::optional<Superblock> superblock;  // none when fresh or when a bad one was discarded
    StateImage image;
    uint64_t next_seq = 1;
    uint32_t last_epoch = 0;   // the highest epoch in the superblock or any batch read
    uint64_t batches = 0;      // snapshot included
    uint64_t journal_end = 0;  // offset in the active area after the last good batch
    bool torn_tail = false;
    std::vector<std::string> discarded;  // what discard_corrupt dropped, one line each
};

Replay replay(Device&, const ReplayOptions& = {});

}  // namespace takeover::lockd::state
