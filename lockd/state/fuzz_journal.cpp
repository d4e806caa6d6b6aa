// libFuzzer: replay of an arbitrary device image either recovers a state or throws
// StateError; nothing else (no crash, no overrun, no other exception). The input is the
// device's first bytes; the rest of a minimum-size device is zeros.
#include "replay.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace takeover::lockd::state;
    MemoryDevice dev(kMinDeviceSize);
    dev.bytes().replace(0, std::min<size_t>(size, kMinDeviceSize),
                        reinterpret_cast<const char*>(data),
                        std::min<size_t>(size, kMinDeviceSize));
    for (bool discard : {false, true}) {
        try {
            Replay r = replay(dev, {discard});
            (void)r.image.recovered(r.last_epoch + 1);
        } catch (const StateError&) {
        }
    }
    return 0;
}
