// libFuzzer: the config parsers either return a config or throw takeover::Error; nothing else.
#include "config.h"

#include "takeover/outcome.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace takeover::lockd;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        parse_ogfs_config(text, "fuzz");
    } catch (const takeover::Error&) {
    }
    try {
        parse_native_config(text, "fuzz");
    } catch (const takeover::Error&) {
    }
    try {
        parse_key_text(text, "fuzz");
    } catch (const takeover::Error&) {
    }
    return 0;
}
