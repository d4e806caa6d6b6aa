#include "takeover/net/address.h"

#include "takeover/text.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace takeover::net {

std::optional<IpAddress> IpAddress::parse(std::string_view s) {
    // INET6_ADDRSTRLEN - 1 characters at most; only hex digits, dots and colons.
    if (s.empty() || s.size() > 45) return std::nullopt;
    if (s.find_first_not_of("0123456789abcdefABCDEF.:") != std::string_view::npos)
        return std::nullopt;
    const std::string z(s);
    IpAddress ip;
    // glibc's inet_pton(AF_INET) takes exactly four decimal parts without leading zeros,
    // unlike inet_aton, which reads "10.1" and "010.0.0.1" (octal) as addresses.
    if (inet_pton(AF_INET, z.c_str(), ip.bytes_.data()) == 1) {
        ip.family_ = Family::v4;
        return ip;
    }
    if (inet_pton(AF_INET6, z.c_str(), ip.bytes_.data()) == 1) {
        ip.family_ = Family::v6;
        return ip;
    }
    return std::nullopt;
}

IpAddress IpAddress::from_bytes(Family family, const uint8_t* bytes) {
    IpAddress ip;
    ip.family_ = family;
    std::memcpy(ip.bytes_.data(), bytes, family == Family::v4 ? 4 : 16);
    return ip;
}

std::string IpAddress::str() const {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
    return buf;
}

IpAddress IpAddress::masked(int prefix) const {
    IpAddress out = *this;
    prefix = std::clamp(prefix, 0, max_prefix());
    for (size_t i = 0; i < size(); ++i) {
        int bits = std::clamp(prefix - static_cast<int>(i) * 8, 0, 8);
        out.bytes_[i] &= static_cast<uint8_t>(0xff00 >> bits);
    }
    return out;
}

bool IpAddress::usable_as_vip() const {
    const auto* b = bytes_.data();
    if (v4()) {
        if (b[0] == 0 || b[0] == 127 || b[0] >= 224) return false;  // this-net, loopback, mcast
        if (b[0] == 169 && b[1] == 254) return false;               // link-local
        return true;
    }
    static const uint8_t zero[16] = {};
    if (std::memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return false;  // ::, ::1
    if (b[0] == 0xff) return false;                                                 // multicast
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;                        // fe80::/10
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return std::memcmp(b, mapped, 12) != 0;
}

bool Cidr::contains(const IpAddress& ip) const {
    return ip.family() == address.family() && ip.masked(prefix) == address.masked(prefix);
}

IpAddress Cidr::broadcast() const {
    if (!address.v4()) return address;
    uint8_t bytes[4];
    std::memcpy(bytes, address.data(), 4);
    for (int i = 0; i < 4; ++i) {
        int bits = std::clamp(prefix - i * 8, 0, 8);
        bytes[i] |= static_cast<uint8_t>(0xff >> bits);
    }
    return IpAddress::from_bytes(Family::v4, bytes);
}

std::string Cidr::str() const {
    return address.str() + "/" + std::to_string(prefix);
}

std::optional<int> parse_prefix(std::string_view s, Family family) {
    const int max = family == Family::v4 ? 32 : 128;
    if (auto n = text::parse_int<int>(s, 0, max)) {
        if (s.size() > 1 && s[0] == '0') return std::nullopt;  // "024" is a typo, not 24
        return n;
    }
    if (family != Family::v4) return std::nullopt;
    auto mask = IpAddress::parse(s);
    if (!mask || !mask->v4()) return std::nullopt;
    uint32_t bits = 0;
    for (size_t i = 0; i < 4; ++i) bits = (bits << 8) | mask->data()[i];
    int ones = 0;
    while (ones < 32 && (bits & (0x80000000u >> ones))) ++ones;
    // Contiguous: everything after the leading ones must be zero.
    if (ones < 32 && (bits << ones) != 0) return std::nullopt;
    return ones;
}

bool valid_interface_name(std::string_view s) {
    if (s.empty() || s.size() > 15 || s == "." || s == "..") return false;
    if (text::has_control_chars(s) || text::has_shell_meta(s)) return false;
    return s.find_first_of("/:") == std::string_view::npos;
}

}  // namespace takeover::net
