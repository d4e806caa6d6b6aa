#include "replay.h"

#include <vector>

namespace takeover::lockd::state {
namespace {

StateError corrupt(const Device& dev, const std::string& why) {
    return StateError(
        StateError::Kind::corrupt,
        dev.path() + ": " + why + " (--discard-corrupt-state starts from what is readable)");
}

// Decodes a whole batch first, so a bad record rejects its batch and nothing of it applies.
std::vector<Record> decode_batch(std::string_view batch, const BatchHeader& h) {
    std::vector<Record> records;
    std::string_view payload = batch.substr(kBatchHeaderSize, h.length);
    size_t pos = 0;
    while (pos < payload.size()) records.push_back(decode_record(payload, &pos));
    return records;
}

// After discarding anything: the next epoch must be above every token ever handed out, and
// the next seq above every batch left on the device, or a later replay would take an old
// batch for a new one. So both come from every checksummed batch in either area.
void jump_above_everything(Device& dev, const Layout& layout, Replay& r) {
    for (uint32_t a = 0; a < 2; ++a) {
        std::string area = dev.read(layout.area_offset(a), layout.area_size);
        for (uint64_t off = 0; off + kBatchHeaderSize <= area.size(); off += kBatchAlign) {
            BatchHeader h;
            if (check_batch(std::string_view(area).substr(off), &h) != BatchCheck::invalid) {
                r.last_epoch = std::max(r.last_epoch, h.epoch);
                r.next_seq = std::max(r.next_seq, h.seq + 1);
            }
        }
    }
}

// After a batch that does not check out at `off`: is any later batch of this run (seq at
// least `seq`) there? Then the bad one was committed once, and this is no torn tail.
std::optional<uint64_t> later_batch(std::string_view area, uint64_t off, uint64_t seq) {
    for (off += kBatchAlign; off + kBatchHeaderSize <= area.size(); off += kBatchAlign) {
        BatchHeader h;
        if (check_batch(area.substr(off), &h) != BatchCheck::invalid && h.seq >= seq) return off;
    }
    return std::nullopt;
}

void replay_journal(Device& dev, const Layout& layout, const ReplayOptions& opts, Replay& r) {
    const Superblock& sb = *r.superblock;
    std::string bytes = dev.read(layout.area_offset(sb.active_area), layout.area_size);
    std::string_view area(bytes);
    std::string where = "area " + std::to_string(sb.active_area);
    BatchHeader h;
    auto check = check_batch(area, &h);
    if (check != BatchCheck::ok || !(h.flags & kBatchSnapshot) || h.seq != sb.area_start_seq) {
        std::string why = check == BatchCheck::bad_version
                              ? "snapshot of format version " + std::to_string(h.version) +
                                    " (this memexpd reads " + std::to_string(kFormatVersion) + ")"
                              : "the snapshot of " + where + " is damaged";
        if (!opts.discard_corrupt) throw corrupt(dev, why);
        r.discarded.push_back(why + ": starting from an empty state");
        return;
    }
    uint64_t off = 0;
    uint64_t seq = sb.area_start_seq;
    while (true) {
        std::string at = where + " offset " + std::to_string(off);
        std::optional<std::string> bad;
        std::vector<Record> records;
        if (check == BatchCheck::ok && h.seq == seq) {
            try {
                records = decode_batch(area.substr(off), h);
            } catch (const StateError& e) {
                bad = std::string("batch ") + std::to_string(seq) + " at " + at + ": " + e.what();
            }
        } else if (check == BatchCheck::bad_version && h.seq >= seq) {
            bad = "batch at " + at + " has format version " + std::to_string(h.version) +
                  " (this memexpd reads " + std::to_string(kFormatVersion) + ")";
        } else if (auto later = later_batch(area, off, seq)) {
            bad = "bad checksum in the middle of the journal: batch " + std::to_string(seq) +
                  " at " + at + " (a later batch at offset " + std::to_string(*later) + ")";
        } else {
            // The end: nothing written here yet (zeros, or an older batch), or a write that
            // never completed.
            r.torn_tail = check == BatchCheck::invalid &&
                          area.substr(off, kBatchHeaderSize).find_first_not_of('\0') !=
                              std::string_view::npos;
            break;
        }
        if (bad) {
            if (!opts.discard_corrupt) throw corrupt(dev, *bad);
            r.discarded.push_back(*bad + ": it and everything after it discarded");
            break;
        }
        for (const auto& rec : records) r.image.apply(rec);
        r.last_epoch = std::max(r.last_epoch, h.epoch);
        r.batches++;
        off += padded_batch_size(h.length);
        seq++;
        if (off + kBatchHeaderSize > area.size()) break;
        check = check_batch(area.substr(off), &h);
    }
    r.next_seq = seq;
    r.journal_end = off;
}

}  // namespace

Layout Layout::of(uint64_t device_size) {
    if (device_size < kMinDeviceSize)
        throw StateError(StateError::Kind::full,
                         "the state device has " + std::to_string(device_size) +
                             " bytes; it needs at least " + std::to_string(kMinDeviceSize));
    return {(device_size - kAreasOffset) / 2 / kAreaAlign * kAreaAlign};
}

std::optional<Superblock> read_superblock(Device& dev, bool* fresh) {
    std::string slots = dev.read_uncached(0, 2 * kSlotSize);
    std::optional<Superblock> best;
    bool all_empty = true;
    for (uint32_t i = 0; i < 2; ++i) {
        Superblock sb;
        switch (check_superblock(std::string_view(slots).substr(i * kSlotSize, kSlotSize), &sb)) {
            case SlotCheck::ok:
                all_empty = false;
                if (!best || sb.generation > best->generation) best = sb;
                break;
            case SlotCheck::empty:
                break;
            case SlotCheck::bad_version:
                throw corrupt(dev, "superblock of format version " + std::to_string(sb.version) +
                                       " (this memexpd reads " + std::to_string(kFormatVersion) +
                                       ")");
            case SlotCheck::invalid:
                all_empty = false;
                break;
        }
    }
    *fresh = all_empty;
    if (!best && !all_empty) throw corrupt(dev, "no valid superblock (both slots damaged)");
    return best;
}

void write_superblock(Device& dev, const Superblock& sb) {
    dev.write((sb.generation % 2) * kSlotSize, encode_superblock(sb));
    dev.sync();
}

Replay replay(Device& dev, const ReplayOptions& opts) {
    Layout layout = Layout::of(dev.size());
    Replay r;
    try {
        r.superblock = read_superblock(dev, &r.fresh);
    } catch (const StateError& e) {
        if (e.kind() != StateError::Kind::corrupt || !opts.discard_corrupt) throw;
        r.discarded.push_back(std::string(e.what()) + ": starting from an empty state");
        jump_above_everything(dev, layout, r);
        return r;
    }
    if (!r.superblock) return r;
    r.last_epoch = r.superblock->epoch;
    if (r.superblock->area_size != layout.area_size) {
        std::string why = "the superblock's area size " + std::to_string(r.superblock->area_size) +
                          " does not fit this device (" + std::to_string(layout.area_size) +
                          "): was it resized?";
        if (!opts.discard_corrupt) throw corrupt(dev, why);
        r.discarded.push_back(why + ": starting from an empty state");
        r.superblock.reset();
        jump_above_everything(dev, layout, r);
        return r;
    }
    r.next_seq = r.superblock->area_start_seq;
    replay_journal(dev, layout, opts, r);
    if (!r.discarded.empty()) jump_above_everything(dev, layout, r);
    return r;
}

}  // namespace takeover::lockd::state
