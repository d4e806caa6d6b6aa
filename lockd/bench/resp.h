// A minimal Redis (RESP2) client for the benchmark: commands as arrays of bulk strings,
// replies parsed far enough to tell OK / nil / integer / error apart.
#pragma once

#include <string>
#include <vector>

namespace takeover::lockd::bench {

struct Reply {
    enum class Kind { status, error, integer, bulk, nil, array } kind = Kind::nil;
    std::string text;
    long long integer = 0;
};

class Resp {
  public:
    Resp(const std::string& host, int port);
    ~Resp();
    Resp(const Resp&) = delete;
    Resp& operator=(const Resp&) = delete;
    void queue(const std::vector<std::string>& args);  // appended to the send buffer
    void flush();
    Reply read();
    Reply call(const std::vector<std::string>& args) {
        queue(args);
        flush();
        return read();
    }

  private:
    char next();
    std::string line();
    int fd_ = -1;
    std::string out_, in_;
    size_t pos_ = 0;
};

}  // namespace takeover::lockd::bench
