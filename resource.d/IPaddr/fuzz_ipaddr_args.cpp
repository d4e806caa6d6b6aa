// Fuzzes the heartbeat argument parser and the parameter checks: any bytes, split into
// arguments at NULs as execve would pass them, must either give a config that passes the
// same checks again or throw takeover::Error; never crash, never another exception.
#include "takeover/agent.h"
#include "vip_config.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace takeover::agents {
agent::Spec ipaddr_spec();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const auto spec = takeover::agents::ipaddr_spec();
    std::vector<std::string> fields(1);
    for (size_t i = 0; i < size && fields.size() < 8; ++i) {
        if (data[i] == 0)
            fields.emplace_back();
        else
            fields.back() += static_cast<char>(data[i]);
    }
    try {
        auto params = takeover::agent::params_from_heartbeat(spec, fields);
        auto config = takeover::ipaddr::vip_config(params);
        // What was accepted is a service address that prints back as something parseable.
        if (!config.ip.usable_as_vip() || !takeover::net::IpAddress::parse(config.ip.str()))
            __builtin_trap();
        if (config.prefix && (*config.prefix < 0 || *config.prefix > config.ip.max_prefix()))
            __builtin_trap();
    } catch (const takeover::Error&) {
    }
    return 0;
}
