// For the state tests: a Device that forwards to a MemoryDevice the test keeps, so the
// medium outlives the journal that wrote it (a crash, then a restart on the same bytes), and
// journal options that never sleep.
#pragma once

#include "state/device.h"
#include "state/journal.h"

#include <chrono>
#include <memory>
#include <string>

namespace takeover::lockd::state {

class SharedDevice : public Device {
  public:
    explicit SharedDevice(MemoryDevice& m) : m_(m) {}
    const std::string& path() const override { return m_.path(); }
    uint64_t size() const override { return m_.size(); }
    std::string read(uint64_t o, size_t n) override { return m_.read(o, n); }
    void write(uint64_t o, std::string_view b) override { m_.write(o, b); }
    void sync() override { m_.sync(); }

  private:
    MemoryDevice& m_;
};

inline std::unique_ptr<Device> shared(MemoryDevice& m) {
    return std::make_unique<SharedDevice>(m);
}

// No renewals happen while a test runs: any lease of another owner is stale at once.
inline JournalOptions test_options(const std::string& owner = "test/1") {
    JournalOptions o;
    o.owner = owner;
    o.lease.sleep = [](std::chrono::milliseconds) {};
    return o;
}

}  // namespace takeover::lockd::state
