#include "device.h"

#include "codec.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace takeover::lockd::state {
namespace {

StateError io_error(const std::string& path, const std::string& what, int err) {
    auto kind = (err == ENOSPC || err == EDQUOT) ? StateError::Kind::full : StateError::Kind::io;
    return StateError(kind, path + ": " + what + ": " + std::strerror(err));
}

class FileDevice : public Device {
  public:
    FileDevice(std::string path, int fd, int direct_fd, uint64_t size)
        : path_(std::move(path)), fd_(fd), direct_fd_(direct_fd), size_(size) {}
    ~FileDevice() override {
        ::close(fd_);
        if (direct_fd_ >= 0) ::close(direct_fd_);
    }
    const std::string& path() const override { return path_; }
    uint64_t size() const override { return size_; }

    std::string read(uint64_t offset, size_t length) override {
        std::string out(length, '\0');
        read_into(fd_, offset, out.data(), length);
        return out;
    }

    std::string read_uncached(uint64_t offset, size_t length) override {
        if (direct_fd_ < 0 || offset % 4096 || length % 4096) return read(offset, length);
        void* buf = nullptr;
        if (posix_memalign(&buf, 4096, length) != 0) throw io_error(path_, "read", ENOMEM);
        std::unique_ptr<void, decltype(&std::free)> owner(buf, &std::free);
        read_into(direct_fd_, offset, static_cast<char*>(buf), length);
        return std::string(static_cast<char*>(buf), length);
    }

    void write(uint64_t offset, std::string_view bytes) override {
        size_t done = 0;
        while (done < bytes.size()) {
            ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done,
                                 static_cast<off_t>(offset + done));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw io_error(path_, "write at " + std::to_string(offset + done), errno);
            if (n == 0) throw io_error(path_, "write", ENOSPC);
            done += static_cast<size_t>(n);
        }
    }

    void sync() override {
        if (::fdatasync(fd_) != 0) throw io_error(path_, "fdatasync", errno);
    }

  private:
    void read_into(int fd, uint64_t offset, char* buf, size_t length) {
        size_t done = 0;
        while (done < length) {
            ssize_t n = ::pread(fd, buf + done, length - done, static_cast<off_t>(offset + done));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw io_error(path_, "read at " + std::to_string(offset + done), errno);
            if (n == 0)
                throw StateError(StateError::Kind::io, path_ + ": read at " +
                                                           std::to_string(offset + done) +
                                                           ": unexpected end of device");
            done += static_cast<size_t>(n);
        }
    }

    std::string path_;
    int fd_, direct_fd_;
    uint64_t size_;
};

}  // namespace

std::unique_ptr<Device> open_device(const std::string& path, bool read_only, uint64_t create_size,
                                    bool force) {
    int flags = (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC;
    int fd = ::open(path.c_str(), flags);
    if (fd < 0 && errno == ENOENT && !read_only && create_size > 0) {
        fd = ::open(path.c_str(), flags | O_CREAT | O_EXCL, 0600);
        if (fd >= 0 && ::ftruncate(fd, static_cast<off_t>(create_size)) != 0) {
            int err = errno;
            ::close(fd);
            throw io_error(path, "cannot size a new state file", err);
        }
    }
    if (fd < 0) throw io_error(path, "cannot open the state device", errno);
    struct stat st {};
    uint64_t size = 0;
    if (::fstat(fd, &st) == 0 && S_ISBLK(st.st_mode)) {
        if (::ioctl(fd, BLKGETSIZE64, &size) != 0) size = 0;
    } else if (S_ISREG(st.st_mode)) {
        size = static_cast<uint64_t>(st.st_size);
    } else {
        ::close(fd);
        throw StateError(StateError::Kind::io, path + ": not a block device or a regular file");
    }
    // Same node: the flock says it at once. Other nodes: the superblock's lease (lease.h).
    if (!read_only && ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        if (err == EWOULDBLOCK && force) {
            spdlog::warn(
                "{}: --force-takeover: another process on this node holds the state "
                "device; taking it anyway",
                path);
        } else {
            ::close(fd);
            if (err == EWOULDBLOCK)
                throw StateError(StateError::Kind::busy,
                                 path +
                                     ": another memexpd on this node holds the state device "
                                     "(--force-takeover if it is hung)");
            throw io_error(path, "flock", err);
        }
    }
    // Not every file system takes O_DIRECT (tmpfs refuses it); its page cache is then the
    // only copy anyway.
    int direct = ::open(path.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC);
    return std::make_unique<FileDevice>(path, fd, direct, size);
}

}  // namespace takeover::lockd::state
