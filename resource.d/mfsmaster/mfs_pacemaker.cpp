#include "mfs_pacemaker.h"

#include "takeover/outcome.h"
#include "takeover/process.h"
#include "takeover/text.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace takeover::mfs {
namespace {

void crm_master(const std::vector<std::string>& args) {
    if (!under_pacemaker()) return;
    std::vector<std::string> argv = {"crm_master", "-l", "reboot"};
    argv.insert(argv.end(), args.begin(), args.end());
    try {
        auto result = process::run(argv, std::chrono::milliseconds(5000));
        if (!result.status.ok())
            spdlog::info("crm_master {} failed ({}): {}", args.front(), result.status.describe(),
                         text::trim(result.output));
    } catch (const Error& e) {
        spdlog::info("crm_master not usable: {}", e.what());
    }
}

}  // namespace

bool under_pacemaker() {
    const char* instance = std::getenv("OCF_RESOURCE_INSTANCE");
    return instance && *instance;
}

bool ocf_semantics() {
    if (under_pacemaker()) return true;
    for (char** e = environ; *e; ++e)
        if (text::starts_with(*e, "OCF_RESKEY_")) return true;
    return false;
}

void set_master_score(int score) {
    crm_master({"-v", std::to_string(score)});
}

void clear_master_score() {
    crm_master({"-D"});
}

}  // namespace takeover::mfs
