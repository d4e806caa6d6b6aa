// The write-ahead journal of memexpd's durable mode. The lock table tells it every change of
// ownership (OwnershipListener) before any client hears of it; the journal encodes each as a
// record into the pending batch and keeps its own image of the state. The server holds back
// every reply while a batch is pending and calls commit() once per round of its io_context:
// one write and one fdatasync for all the requests of that round (group commit). When the
// active area is full, the commit writes a snapshot of the image into the other area instead
// and flips the superblock to it (compaction).
#pragma once

#include "device.h"
#include "image.h"
#include "lease.h"
#include "lock_table.h"
#include "recovered_state.h"
#include "replay.h"

#include <chrono>
#include <memory>
#include <string>

namespace takeover::lockd::state {

struct JournalOptions {
    std::string owner;  // who we are in the superblock: "node/pid"
    bool discard_corrupt = false;
    bool force_takeover = false;  // take the device even from a lease that looks alive
    std::chrono::milliseconds lease_interval{500};
    LeaseOptions lease;
};

struct JournalStats {
    uint64_t commits = 0, records = 0, bytes = 0, compactions = 0;
};

class Journal : public OwnershipListener {
  public:
    // Replays the device, checks the lease, takes epoch = last + 1 and writes a snapshot of
    // the recovered state under it, all durably, before anyone is served. Throws StateError.
    static std::unique_ptr<Journal> open(std::unique_ptr<Device>, const JournalOptions&);

    const RecoveredState& recovered() const { return recovered_; }
    const Replay& replayed() const { return replayed_; }  // what open() found, for the log
    uint32_t epoch() const { return sb_.epoch; }
    const std::string& path() const { return dev_->path(); }
    std::chrono::milliseconds lease_interval() const { return opts_.lease_interval; }
    const JournalStats& stats() const { return stats_; }
    const StateImage& image() const { return image_; }

    void granted(const std::string& name, SessionId, Mode, uint64_t token) override;
    void released(const std::string& name, SessionId) override;
    void session_changed(SessionId, const std::string& node, SessionState) override;
    void session_closed(SessionId) override;
    // A session is born: told by the server right after LockTable::open_session, which alone
    // creates session ids (a restored or re-attached session keeps its id and its record).
    void session_opened(SessionId, const std::string& node, std::chrono::milliseconds lease);

    bool dirty() const { return !pending_.empty(); }
    // Makes the pending batch durable. Throws StateError: fenced (another server owns the
    // device now), full, io. After a throw nothing pending may be answered.
    void commit();
    // Renews the lease in the superblock; throws as commit().
    void renew_lease();
    // Clean stop: commits, then clears the owner so the next start need not wait.
    void close();

  private:
    Journal(std::unique_ptr<Device>, const JournalOptions&);
    void add(const Record&);
    void compact();

    std::unique_ptr<Device> dev_;
    JournalOptions opts_;
    Layout layout_;
    Superblock sb_;  // as we last wrote it
    StateImage image_;
    Replay replayed_;
    RecoveredState recovered_;
    std::string pending_;
    uint64_t next_seq_ = 1;
    uint64_t journal_end_ = 0;  // in the active area
    JournalStats stats_;
};

}  // namespace takeover::lockd::state
