#include "vip_config.h"

#include "takeover/text.h"

#include <algorithm>
#include <cctype>

namespace takeover::ipaddr {
namespace {

[[noreturn]] void bad(const std::string& what) {
    throw Error(Outcome::not_configured, what);
}

// A label is the interface name, ':' and a short tag, 15 characters in all (IFNAMSIZ - 1).
bool valid_label_tag(std::string_view tag) {
    return !tag.empty() && std::all_of(tag.begin(), tag.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-' || c == '.';
    });
}

void parse_nic(const std::string& raw, VipConfig& c) {
    if (raw.empty()) return;
    auto colon = raw.find(':');
    c.nic = raw.substr(0, colon);
    if (!net::valid_interface_name(c.nic)) bad("nic '" + raw + "' is not an interface name");
    if (colon == std::string::npos) return;
    if (!c.ip.v4()) bad("nic '" + raw + "': labels exist for IPv4 only");
    if (!valid_label_tag(raw.substr(colon + 1)) || raw.size() > 15)
        bad("nic '" + raw + "': a label is interface:tag, 15 characters at most");
    c.label = raw;
}

milliseconds milliseconds_in(const agent::Params& p, const std::string& name, milliseconds min,
                             milliseconds max) {
    auto v = text::parse_int<long>(p.str(name), min.count(), max.count());
    if (!v)
        bad(name + " must be " + std::to_string(min.count()) + "-" + std::to_string(max.count()) +
            " ms, not '" + p.str(name) + "'");
    return milliseconds(*v);
}

}  // namespace

VipConfig vip_config(const agent::Params& p) {
    VipConfig c;
    const std::string& ip = p.str("ip");
    if (ip.empty()) bad("ip is missing");
    auto parsed = net::IpAddress::parse(ip);
    if (!parsed) bad("ip '" + ip + "' is not an IPv4 or IPv6 address");
    if (!parsed->usable_as_vip()) bad("ip '" + ip + "' cannot be a service address");
    c.ip = *parsed;

    if (const std::string& mask = p.str("cidr_netmask"); !mask.empty()) {
        c.prefix = net::parse_prefix(mask, c.ip.family());
        if (!c.prefix) bad("cidr_netmask '" + mask + "' is not a prefix length or netmask");
    }
    parse_nic(p.str("nic"), c);
    if (const std::string& brd = p.str("broadcast"); !brd.empty()) {
        c.broadcast = net::IpAddress::parse(brd);
        if (!c.broadcast || !c.broadcast->v4() || !c.ip.v4())
            bad("broadcast '" + brd + "' is not an IPv4 address for an IPv4 ip");
    }
    auto count = text::parse_int<int>(p.str("arp_count"), 0, kMaxArpCount);
    if (!count)
        bad("arp_count must be 0-" + std::to_string(kMaxArpCount) + ", not '" + p.str("arp_count") +
            "'");
    c.arp_count = *count;
    c.arp_interval = milliseconds_in(p, "arp_interval", kMinArpInterval, kMaxArpInterval);
    auto probe = text::parse_bool(p.str("probe"));
    if (!probe) bad("probe must be yes or no, not '" + p.str("probe") + "'");
    c.probe = *probe;
    c.probe_timeout = milliseconds_in(p, "probe_timeout", milliseconds(1), kMaxProbeTimeout);
    return c;
}

void heartbeat_fields_to_params(const std::vector<std::string>& fields, agent::Params& p) {
    if (fields.empty()) throw Error(Outcome::bad_arguments, "the address is missing");
    // heartbeat splits haresources entries on "::", which cuts an IPv6 address in pieces
    // (IPaddr::fd00::5/64 arrives as "fd00" "5/64"); IPaddr takes one argument, so joining
    // the pieces gives the address back.
    std::string spec;
    for (const auto& f : fields) spec += (spec.empty() ? "" : "::") + f;
    auto parts = text::split(spec, '/');
    if (parts.size() > 4)
        throw Error(Outcome::bad_arguments, "'" + spec + "' has more than four '/' fields");
    p.set("ip", parts[0]);
    if (parts.size() > 1 && !parts[1].empty()) p.set("cidr_netmask", parts[1]);
    if (parts.size() > 2) {
        const std::string& third = parts[2];
        bool is_broadcast = !third.empty() && std::isdigit(static_cast<unsigned char>(third[0]));
        if (is_broadcast && parts.size() > 3)
            throw Error(Outcome::bad_arguments, "'" + spec + "': nothing may follow a broadcast");
        if (!third.empty()) p.set(is_broadcast ? "broadcast" : "nic", third);
    }
    if (parts.size() > 3 && !parts[3].empty()) p.set("broadcast", parts[3]);
    try {
        vip_config(p);
    } catch (const Error& e) {
        throw Error(Outcome::bad_arguments, e.what());
    }
}

}  // namespace takeover::ipaddr
