#include "journal.h"

#include <spdlog/spdlog.h>

namespace takeover::lockd::state {

Journal::Journal(std::unique_ptr<Device> dev, const JournalOptions& opts)
    : dev_(std::move(dev)), opts_(opts), layout_(Layout::of(dev_->size())) {}

std::unique_ptr<Journal> Journal::open(std::unique_ptr<Device> dev, const JournalOptions& opts) {
    std::unique_ptr<Journal> j(new Journal(std::move(dev), opts));
    Device& d = *j->dev_;
    Replay r = replay(d, {opts.discard_corrupt});
    for (const auto& what : r.discarded) spdlog::error("{}: DISCARDED: {}", d.path(), what);
    if (r.superblock && !r.superblock->owner.empty()) {
        if (opts.force_takeover)
            spdlog::warn("{}: --force-takeover: taking the device from {} (epoch {})", d.path(),
                         r.superblock->owner, r.superblock->epoch);
        else
            wait_for_stale_lease(d, *r.superblock, opts.lease);
    }
    if (r.superblock) {
        j->sb_ = *r.superblock;
        // Another server may have started while we replayed or waited.
        bool fresh = false;
        auto now = read_superblock(d, &fresh);
        if (!now || now->generation != r.superblock->generation)
            throw StateError(StateError::Kind::busy,
                             d.path() +
                                 ": the superblock changed while this server started: "
                                 "another memexpd is starting on it");
    } else {
        j->sb_ = Superblock{};
        j->sb_.active_area = 1;  // the first snapshot goes to area 0
        if (!r.discarded.empty()) {
            // The slots held something: overwrite both, above any generation they had.
            j->sb_.generation = 1;
        }
    }
    j->sb_.area_size = j->layout_.area_size;
    j->sb_.epoch = r.last_epoch + 1;
    j->sb_.owner = opts.owner.substr(0, kMaxOwner);
    j->sb_.lease_ms = static_cast<uint32_t>(opts.lease_interval.count());
    j->image_ = r.image;
    j->next_seq_ = r.next_seq;
    j->compact();
    if (!r.superblock && !r.discarded.empty()) {
        // Write the other slot too, so no damaged slot is left to be read as the newer one.
        j->sb_.generation++;
        write_superblock(d, j->sb_);
    }
    j->recovered_ = j->image_.recovered(j->sb_.epoch);
    j->replayed_ = std::move(r);
    return j;
}

void Journal::add(const Record& r) {
    append_record(pending_, r);
    image_.apply(r);
    stats_.records++;
}

void Journal::granted(const std::string& name, SessionId s, Mode m, uint64_t token) {
    add({Record::Type::grant, s, token, 0, m, name});
}

void Journal::released(const std::string& name, SessionId s) {
    add({Record::Type::release, s, 0, 0, Mode::NL, name});
}

// Only a session's birth (session_opened) matters to recovery; disconnects and expiry are the
// table's to judge again after a restart (their clients reclaim or do not).
void Journal::session_changed(SessionId, const std::string&, SessionState) {}

void Journal::session_closed(SessionId s) {
    add({Record::Type::session_close, s, 0, 0, Mode::NL, {}});
}

void Journal::session_opened(SessionId s, const std::string& node,
                             std::chrono::milliseconds lease) {
    add({Record::Type::session_open, s, 0, static_cast<uint32_t>(lease.count()), Mode::NL, node});
}

void Journal::commit() {
    if (pending_.empty()) return;
    check_still_ours(*dev_, sb_);
    uint64_t size = padded_batch_size(pending_.size());
    if (journal_end_ + size <= layout_.area_size) {
        dev_->write(layout_.area_offset(sb_.active_area) + journal_end_,
                    encode_batch({kFormatVersion, 0, 0, next_seq_, sb_.epoch}, pending_));
        dev_->sync();
        journal_end_ += size;
        next_seq_++;
        stats_.bytes += size;
    } else {
        compact();  // the image already holds the pending records
    }
    // Again after the write: a server paused between the first check and its write must not
    // answer from a batch that the new owner never read.
    check_still_ours(*dev_, sb_);
    stats_.commits++;
    pending_.clear();
}

// The whole image as one snapshot batch at the start of the other area, then the superblock
// pointing at it: until that superblock is on disk, the old area is the state.
void Journal::compact() {
    std::string batch = encode_batch({kFormatVersion, kBatchSnapshot, 0, next_seq_, sb_.epoch},
                                     image_.encode_snapshot());
    if (batch.size() > layout_.area_size)
        throw StateError(StateError::Kind::full,
                         dev_->path() + ": the state device is full: a snapshot of " +
                             std::to_string(batch.size()) + " bytes (" +
                             std::to_string(image_.sessions()) + " sessions, " +
                             std::to_string(image_.locks()) + " locks) does not fit its area of " +
                             std::to_string(layout_.area_size) + " bytes");
    uint32_t target = 1 - sb_.active_area;
    dev_->write(layout_.area_offset(target), batch);
    dev_->sync();
    Superblock sb = sb_;
    sb.generation++;
    sb.heartbeat++;
    sb.active_area = target;
    sb.area_start_seq = next_seq_;
    write_superblock(*dev_, sb);
    sb_ = sb;
    next_seq_++;
    journal_end_ = batch.size();
    stats_.compactions++;
    stats_.bytes += batch.size();
    if (journal_end_ > layout_.area_size / 2)
        spdlog::warn("{}: the state device is getting full: the snapshot takes {} of {} bytes",
                     dev_->path(), journal_end_, layout_.area_size);
}

void Journal::renew_lease() {
    check_still_ours(*dev_, sb_);
    Superblock sb = sb_;
    sb.generation++;
    sb.heartbeat++;
    write_superblock(*dev_, sb);
    sb_ = sb;
}

void Journal::close() {
    commit();
    check_still_ours(*dev_, sb_);
    Superblock sb = sb_;
    sb.generation++;
    sb.owner.clear();
    write_superblock(*dev_, sb);
    sb_ = sb;
}

}  // namespace takeover::lockd::state
