#include "history.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace takeover::safety {
namespace {

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::invoke:
            return "invoke";
        case Kind::ok:
            return "ok";
        case Kind::fail:
            return "fail";
    }
    return "?";
}

const char* op_name(Op o) {
    switch (o) {
        case Op::lock:
            return "lock";
        case Op::write:
            return "write";
        case Op::unlock:
            return "unlock";
    }
    return "?";
}

bool parse_kind(const std::string& s, Kind& k) {
    for (Kind c : {Kind::invoke, Kind::ok, Kind::fail})
        if (s == kind_name(c)) return k = c, true;
    return false;
}

bool parse_op(const std::string& s, Op& o) {
    for (Op c : {Op::lock, Op::write, Op::unlock})
        if (s == op_name(c)) return o = c, true;
    return false;
}

// Calls `each(line, where)` for every line of a file; a missing file is an error.
template <typename F>
void each_line(const std::string& path, std::vector<std::string>& errors, F each) {
    std::ifstream in(path);
    if (!in) {
        errors.push_back(path + ": cannot open");
        return;
    }
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) each(line, path + ":" + std::to_string(n));
}

}  // namespace

int64_t monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::string format_event(const Event& e) {
    return std::to_string(e.at_ns) + " " + e.client + " " + kind_name(e.kind) + " " +
           op_name(e.op) + " " + std::to_string(e.seq) + " " + std::to_string(e.token) + "\n";
}

HistoryLog::HistoryLog(const std::string& path, std::string client)
    : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)),
      client_(std::move(client)) {
    if (fd_ < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
}

HistoryLog::~HistoryLog() {
    ::close(fd_);
}

void HistoryLog::record(Kind k, Op o, uint64_t seq, uint64_t token) {
    std::string line = format_event({monotonic_ns(), client_, k, o, seq, token});
    if (::write(fd_, line.data(), line.size()) != ssize_t(line.size()))
        throw std::runtime_error("history: short write");
}

std::vector<Event> read_history(const std::string& path, std::vector<std::string>& errors) {
    std::vector<Event> out;
    each_line(path, errors, [&](const std::string& line, const std::string& where) {
        std::istringstream in(line);
        Event e;
        std::string kind, op, extra;
        if (!(in >> e.at_ns >> e.client >> kind >> op >> e.seq >> e.token) || (in >> extra) ||
            !parse_kind(kind, e.kind) || !parse_op(op, e.op)) {
            errors.push_back(where + ": malformed event \"" + line + "\"");
            return;
        }
        out.push_back(std::move(e));
    });
    return out;
}

std::vector<StoreRecord> read_store_log(const std::string& path, std::vector<std::string>& errors) {
    std::vector<StoreRecord> out;
    each_line(path, errors, [&](const std::string& line, const std::string& where) {
        std::istringstream in(line);
        StoreRecord r;
        if (!(in >> r.token >> r.client >> r.seq)) {
            errors.push_back(where + ": malformed record \"" + line + "\"");
            return;
        }
        out.push_back(std::move(r));
    });
    return out;
}

std::vector<std::string> read_nemesis_log(const std::string& path,
                                          std::vector<std::string>& errors) {
    std::vector<std::string> faults;
    each_line(path, errors, [&](const std::string& line, const std::string& where) {
        std::istringstream in(line);
        int64_t at = 0;
        std::string fault;
        if (!(in >> at >> fault)) {
            errors.push_back(where + ": malformed fault \"" + line + "\"");
            return;
        }
        faults.push_back(fault);
    });
    return faults;
}

}  // namespace takeover::safety
