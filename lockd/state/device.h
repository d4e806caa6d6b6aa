// The state device behind a narrow interface: a real one (a block device or a file, written
// with pwrite + fdatasync) and one in memory for tests that can be made to fail.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace takeover::lockd::state {

class Device {
  public:
    virtual ~Device() = default;
    virtual const std::string& path() const = 0;
    virtual uint64_t size() const = 0;
    // All of them throw StateError(io, "PATH: what: strerror") (full for ENOSPC/EDQUOT).
    virtual std::string read(uint64_t offset, size_t length) = 0;
    // As read, past any cache another node's writes would not reach (O_DIRECT where the
    // device takes it): for the superblock, which another server may have rewritten.
    virtual std::string read_uncached(uint64_t offset, size_t length) {
        return read(offset, length);
    }
    virtual void write(uint64_t offset, std::string_view bytes) = 0;
    virtual void sync() = 0;
};

// Opens PATH read-write (read-only with `read_only`), taking an exclusive flock so a second
// memexpd on this node fails at once (StateError busy) unless `force` (an admin's
// --force-takeover: the holder is paused or hung, and the superblock fences it). A missing
// PATH is created as a regular file of `create_size` bytes (0: refuse).
std::unique_ptr<Device> open_device(const std::string& path, bool read_only, uint64_t create_size,
                                    bool force = false);

class MemoryDevice : public Device {
  public:
    explicit MemoryDevice(uint64_t size, std::string path = "mem")
        : bytes_(size, '\0'), path_(std::move(path)) {}
    const std::string& path() const override { return path_; }
    uint64_t size() const override { return bytes_.size(); }
    std::string read(uint64_t offset, size_t length) override;
    void write(uint64_t offset, std::string_view bytes) override;
    void sync() override;

    std::string& bytes() { return bytes_; }  // the medium itself, for tests to damage
    std::optional<int> fail_writes;          // errno for every write from now on
    std::optional<int> fail_syncs;
    uint64_t writes = 0, syncs = 0;

  private:
    std::string bytes_;
    std::string path_;
};

}  // namespace takeover::lockd::state
