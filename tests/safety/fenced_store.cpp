#include "fenced_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace takeover::safety {
namespace {

class Fd {
  public:
    Fd(const std::string& path, int flags) : fd_(::open(path.c_str(), flags | O_CLOEXEC, 0644)) {
        if (fd_ < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
    }
    ~Fd() { ::close(fd_); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

// The last whole line of the accepted log ("" when empty). Records are short, so the tail
// of the file holds it.
std::string last_line(int fd) {
    off_t size = ::lseek(fd, 0, SEEK_END);
    if (size <= 0) return "";
    char buf[512];
    off_t from = size > off_t(sizeof buf) ? size - off_t(sizeof buf) : 0;
    ssize_t n = ::pread(fd, buf, size_t(size - from), from);
    if (n <= 0) throw std::runtime_error(std::string("read accepted: ") + std::strerror(errno));
    std::string tail(buf, size_t(n));
    if (!tail.empty() && tail.back() == '\n') tail.pop_back();
    auto nl = tail.rfind('\n');
    return nl == std::string::npos ? tail : tail.substr(nl + 1);
}

void append_line(const std::string& path, const std::string& line) {
    Fd f(path, O_WRONLY | O_CREAT | O_APPEND);
    if (::write(f.get(), line.data(), line.size()) != ssize_t(line.size()))
        throw std::runtime_error(path + ": short write");
}

}  // namespace

StoreReply fenced_append(const std::string& dir, const StoreRecord& r, Fencing fencing) {
    Fd lock(dir + "/lock", O_RDWR | O_CREAT);
    if (::flock(lock.get(), LOCK_EX) != 0)
        throw std::runtime_error(dir + "/lock: " + std::strerror(errno));
    Fd accepted(dir + "/accepted", O_RDWR | O_CREAT | O_APPEND);
    StoreReply reply;
    std::string last_client;
    std::istringstream(last_line(accepted.get())) >> reply.last_token >> last_client;
    reply.accepted = fencing == Fencing::off || r.token > reply.last_token ||
                     (r.token == reply.last_token && r.client == last_client);
    std::string line = std::to_string(r.token) + " " + r.client + " " + std::to_string(r.seq);
    if (reply.accepted) {
        line += "\n";
        if (::write(accepted.get(), line.data(), line.size()) != ssize_t(line.size()))
            throw std::runtime_error(dir + "/accepted: short write");
    } else {
        append_line(dir + "/rejected", line + " " + std::to_string(reply.last_token) + "\n");
    }
    return reply;  // the flock goes with the descriptor
}

}  // namespace takeover::safety
