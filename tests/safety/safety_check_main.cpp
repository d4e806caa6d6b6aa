// safety_check: reads a safety run's records and proves its properties (see checker.h).
//   safety_check [--strict-tokens] STOREDIR NEMESIS_LOG HISTORY...
// Prints the counts; exit 0 when there is no violation, 1 when there is, 2 on usage errors.
#include "checker.h"

#include <filesystem>
#include <iostream>

using namespace takeover::safety;

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    bool strict = !args.empty() && args[0] == "--strict-tokens";
    if (strict) args.erase(args.begin());
    if (args.size() < 3) {
        std::cerr << "usage: safety_check [--strict-tokens] STOREDIR NEMESIS_LOG HISTORY...\n";
        return 2;
    }
    std::vector<std::string> errors;
    Observed o;
    // A store that never accepted (or never refused) anything has no such file yet.
    auto store_log = [&](const std::string& name) {
        std::string path = args[0] + "/" + name;
        return std::filesystem::exists(path) ? read_store_log(path, errors)
                                             : std::vector<StoreRecord>{};
    };
    o.accepted = store_log("accepted");
    o.rejected = store_log("rejected");
    o.faults = read_nemesis_log(args[1], errors);
    for (size_t i = 2; i < args.size(); ++i) {
        auto events = read_history(args[i], errors);
        o.events.insert(o.events.end(), events.begin(), events.end());
    }
    Report r = check(o, strict);
    for (const auto& e : errors) r.violations.push_back("unreadable record: " + e);
    std::cout << render(r);
    return r.violations.empty() ? 0 : 1;
}
