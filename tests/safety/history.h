// What the safety run records, and how it is read back.
//
// A client's history file, one event per line, written with one write(2) each:
//   "NS CLIENT KIND OP SEQ TOKEN"
// NS: CLOCK_MONOTONIC nanoseconds (one clock for every process of the machine); KIND: invoke,
// ok or fail (fail: known not to have happened, or for a write: refused by the store);
// OP: lock, write or unlock; SEQ: the client's operation number; TOKEN: the grant's fencing
// token (0 when not known yet). An invoke without an ok/fail is indeterminate (the client was
// killed or its call timed out).
// The nemesis log: "NS FAULT" per line (failover, pause, client-kill, client-pause, cut,
// takeover).
#pragma once

#include "fenced_store.h"

#include <cstdint>
#include <string>
#include <vector>

namespace takeover::safety {

enum class Kind { invoke, ok, fail };
enum class Op { lock, write, unlock };

struct Event {
    int64_t at_ns = 0;
    std::string client;
    Kind kind = Kind::invoke;
    Op op = Op::lock;
    uint64_t seq = 0;
    uint64_t token = 0;
};

int64_t monotonic_ns();
std::string format_event(const Event&);

// Appends events to a client's history file.
class HistoryLog {
  public:
    HistoryLog(const std::string& path, std::string client);
    ~HistoryLog();
    HistoryLog(const HistoryLog&) = delete;
    HistoryLog& operator=(const HistoryLog&) = delete;
    void record(Kind, Op, uint64_t seq, uint64_t token);

  private:
    int fd_;
    std::string client_;
};

// Readers: malformed lines are reported as "FILE:LINE: reason" in `errors` and skipped.
std::vector<Event> read_history(const std::string& path, std::vector<std::string>& errors);
std::vector<StoreRecord> read_store_log(const std::string& path, std::vector<std::string>& errors);
std::vector<std::string> read_nemesis_log(const std::string& path,
                                          std::vector<std::string>& errors);

}  // namespace takeover::safety
