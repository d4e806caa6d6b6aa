// libFuzzer: the mfsmaster.cfg / mfsmetalogger.cfg parser and its typed views must either
// accept or throw Error, never crash, on any bytes.
#include "mfs_config.h"

#include "takeover/outcome.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto table = takeover::mfs::parse_config(text, "fuzz.cfg");
        takeover::mfs::master_config(table, "fuzz.cfg");
        takeover::mfs::metalogger_config(table, "fuzz.cfg");
    } catch (const takeover::Error&) {
    }
    return 0;
}
