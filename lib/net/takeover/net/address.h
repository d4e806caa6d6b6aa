// IP addresses and subnets as values: strict parsing (no shorthand like "10.1", no leading
// zeros, no zone ids), IPv4 and IPv6 alike, with the few operations a VIP needs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace takeover::net {

enum class Family { v4, v6 };

class IpAddress {
  public:
    // The whole string must be one numeric address; nullopt for anything else.
    static std::optional<IpAddress> parse(std::string_view);
    static IpAddress from_bytes(Family, const uint8_t* bytes);

    Family family() const { return family_; }
    bool v4() const { return family_ == Family::v4; }
    size_t size() const { return v4() ? 4 : 16; }
    int max_prefix() const { return v4() ? 32 : 128; }
    const uint8_t* data() const { return bytes_.data(); }
    std::string str() const;

    // The first `prefix` bits kept, the rest zero (the network address).
    IpAddress masked(int prefix) const;
    // Addresses no host should take over: unspecified, loopback, multicast, broadcast,
    // IPv4-mapped IPv6, link-local.
    bool usable_as_vip() const;

    bool operator==(const IpAddress&) const = default;

  private:
    Family family_ = Family::v4;
    std::array<uint8_t, 16> bytes_{};
};

// An address with its prefix length, as configured on an interface.
struct Cidr {
    IpAddress address;
    int prefix = 0;

    bool contains(const IpAddress&) const;
    // IPv4 directed broadcast (host bits all ones); meaningless for /31, /32 and IPv6.
    IpAddress broadcast() const;
    std::string str() const;  // "10.0.0.1/24"
    bool operator==(const Cidr&) const = default;
};

// "24" for either family, or a contiguous dotted netmask "255.255.255.0" for IPv4.
std::optional<int> parse_prefix(std::string_view, Family);

// A Linux interface name: 1-15 characters, none of '/', ':', blanks, control characters or
// shell metacharacters (the kernel allows more; no interface worth a VIP uses them).
bool valid_interface_name(std::string_view);

}  // namespace takeover::net
