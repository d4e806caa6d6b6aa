// For the lock table's tests: an OwnershipListener that writes down what it is told, one
// line per call ("grant x 1 EX", "release x 1", "state 1 0", "close 1").
#pragma once

#include "lock_table.h"

#include <string>
#include <vector>

namespace takeover::lockd {

class RecordingListener : public OwnershipListener {
  public:
    std::vector<std::string> log;
    void granted(const std::string& n, SessionId s, Mode m, uint64_t) override {
        log.push_back("grant " + n + " " + std::to_string(s) + " " + std::string(to_string(m)));
    }
    void released(const std::string& n, SessionId s) override {
        log.push_back("release " + n + " " + std::to_string(s));
    }
    void session_changed(SessionId s, const std::string&, SessionState st) override {
        log.push_back("state " + std::to_string(s) + " " + std::to_string(int(st)));
    }
    void session_closed(SessionId s) override { log.push_back("close " + std::to_string(s)); }
};

}  // namespace takeover::lockd
