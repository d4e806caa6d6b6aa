// libFuzzer: the smb.conf and credentials parsers take any bytes without crashing.
#include "smb_conf.h"

#include "takeover/outcome.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto settings = takeover::smb::settings_of(takeover::smb::Conf::parse(text, "fuzz"));
        takeover::smb::service_addresses(settings, {{"eth0", "10.0.0.1", 24, false}});
        takeover::smb::pick_share(settings, "", "fuzz");
    } catch (const takeover::Error&) {
    }
    try {
        takeover::smb::parse_credentials(text, "fuzz");
    } catch (const takeover::Error&) {
    }
    return 0;
}
