#include "takeover/pidfile.h"
#include "takeover/outcome.h"
#include "takeover/process.h"
#include "takeover/text.h"

#include <unistd.h>

#include <climits>
#include <cstdio>
#include <fstream>

namespace takeover::pidfile {

std::optional<pid_t> read(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line)) return std::nullopt;
    return text::parse_int<pid_t>(text::trim(line), 1, INT_MAX);
}

void write(const std::string& path, pid_t pid) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << pid << '\n';
        if (!out.flush()) throw Error(Outcome::generic_error, "cannot write " + tmp);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw Error(Outcome::generic_error, "cannot rename " + tmp + " to " + path);
}

std::string exe_name(pid_t pid) {
    char buf[PATH_MAX];
    const std::string link = "/proc/" + std::to_string(pid) + "/exe";
    ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
    if (n <= 0) return "";
    std::string exe(buf, static_cast<size_t>(n));
    if (auto pos = exe.rfind(" (deleted)"); pos != std::string::npos && pos + 10 == exe.size())
        exe.resize(pos);
    return exe.substr(exe.rfind('/') + 1);
}

std::optional<pid_t> live_pid(const std::string& path, const std::string& exe) {
    auto pid = read(path);
    if (!pid || !process::alive(*pid) || exe_name(*pid) != exe) return std::nullopt;
    return pid;
}

}  // namespace takeover::pidfile
