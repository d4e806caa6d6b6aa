// libFuzzer: device specs, hostdata map files, hostdata expansion and option strings are
// all text from haresources lines or conf/; none may crash, hang or leak.
#include "device_spec.h"
#include "hostdata.h"
#include "mount_call.h"

#include "takeover/outcome.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace takeover::fsmount;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    try {
        parse_device_spec(input);
    } catch (const takeover::Error&) {
    }
    HostdataMap map;
    try {
        map = HostdataMap::parse(input, "fuzz.map");
    } catch (const takeover::Error&) {
    }
    NodeFacts facts{[] { return std::string("node1"); }, [] { return std::string("10.77.0.1"); },
                    [&map](const std::string& n) { return map.lookup(n); }};
    try {
        Request req{"/dev/x", "/d", "gfs2", input, ""};
        final_options(req, "gfs2", facts);
    } catch (const takeover::Error&) {
    }
    try {
        expand_hostdata(input, facts);
    } catch (const takeover::Error&) {
    }
    try {
        normalize_directory(input);
    } catch (const takeover::Error&) {
    }
    return 0;
}
