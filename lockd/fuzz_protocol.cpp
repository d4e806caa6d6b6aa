// libFuzzer: the frame decoder must never crash, hang or accept a frame it cannot re-encode
// to the same bytes.
#include "protocol.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace takeover::lockd::proto;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    Decoder d(4096);
    // Feed in two pieces, split by the first byte, to exercise the incremental path.
    size_t split = size ? data[0] % (size + 1) : 0;
    d.feed(in.substr(0, split));
    size_t offset = 0;
    auto check = [&](const Frame& f) {
        std::string again = encode(f.message, f.request_id);
        if (in.substr(offset, again.size()) != again) std::abort();
        offset += again.size();
    };
    while (auto f = d.next()) check(*f);
    d.feed(in.substr(split));
    while (auto f = d.next()) check(*f);
    return 0;
}
