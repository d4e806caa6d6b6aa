#include "takeover/node.h"
#include "takeover/outcome.h"
#include "takeover/text.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/utsname.h>

#include <bitset>
#include <cstdlib>
#include <memory>

namespace takeover::node {
namespace {

int prefix_of(const sockaddr* mask, bool ipv6) {
    int bits = 0;
    if (!mask) return 0;
    const auto* bytes = ipv6 ? reinterpret_cast<const unsigned char*>(
                                   &reinterpret_cast<const sockaddr_in6*>(mask)->sin6_addr)
                             : reinterpret_cast<const unsigned char*>(
                                   &reinterpret_cast<const sockaddr_in*>(mask)->sin_addr);
    for (int i = 0; i < (ipv6 ? 16 : 4); ++i)
        bits += static_cast<int>(std::bitset<8>(bytes[i]).count());
    return bits;
}

}  // namespace

std::string name() {
    if (const char* cur = std::getenv("HA_CURHOST"); cur && *cur) return cur;
    utsname u{};
    uname(&u);
    return text::to_lower(u.nodename);
}

std::vector<InterfaceAddress> addresses() {
    std::vector<InterfaceAddress> out;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return out;
    std::unique_ptr<ifaddrs, decltype(&freeifaddrs)> guard(list, freeifaddrs);
    for (ifaddrs* ifa = list; ifa; ifa = ifa->ifa_next) {
        if (!ifa->ifa_addr || (ifa->ifa_flags & IFF_LOOPBACK)) continue;
        int family = ifa->ifa_addr->sa_family;
        if (family != AF_INET && family != AF_INET6) continue;
        char buf[INET6_ADDRSTRLEN] = {};
        const void* raw =
            family == AF_INET
                ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(ifa->ifa_addr)->sin_addr)
                : static_cast<const void*>(
                      &reinterpret_cast<sockaddr_in6*>(ifa->ifa_addr)->sin6_addr);
        inet_ntop(family, raw, buf, sizeof buf);
        out.push_back({ifa->ifa_name, buf, prefix_of(ifa->ifa_netmask, family == AF_INET6),
                       family == AF_INET6});
    }
    return out;
}

std::string cluster_address(const std::string& interface) {
    std::string wanted = interface;
    // heartbeat exports each ha.cf directive as HA_<name>; the first word is the interface.
    for (const char* var : {"HA_bcast", "HA_ucast", "HA_mcast"}) {
        if (!wanted.empty()) break;
        if (const char* v = std::getenv(var); v && *v) {
            auto words = text::split_words(v);
            if (!words.empty()) wanted = words[0];
        }
    }
    for (const auto& a : addresses())
        if (!a.ipv6 && (wanted.empty() || a.interface == wanted)) return a.address;
    throw Error(Outcome::not_configured, wanted.empty()
                                             ? "this node has no IPv4 address"
                                             : "interface " + wanted + " has no IPv4 address");
}

}  // namespace takeover::node
