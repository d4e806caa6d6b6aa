// libFuzzer: the haresources parser must turn any bytes into a result or an Error, nothing else.
#include "takeover/haresources.h"
#include "takeover/outcome.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        takeover::haresources::parse(std::string_view(reinterpret_cast<const char*>(data), size),
                                     "fuzz");
    } catch (const takeover::Error&) {
    }
    return 0;
}
