#include "codec.h"

#include <array>
#include <cstring>

namespace takeover::lockd::state {
namespace {

// CRC-32C (Castagnoli, reflected 0x82F63B78), as iSCSI, ext4 and btrfs checksum metadata.
constexpr std::array<uint32_t, 256> make_crc_table() {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        t[i] = c;
    }
    return t;
}
constexpr auto kCrcTable = make_crc_table();

template <typename Int>
void put(std::string& out, Int v) {
    for (size_t i = 0; i < sizeof(Int); ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

template <typename Int>
Int get(std::string_view in, size_t at) {
    Int v = 0;
    for (size_t i = 0; i < sizeof(Int); ++i)
        v |= static_cast<Int>(static_cast<uint8_t>(in[at + i])) << (8 * i);
    return v;
}

// Reads fixed fields in order; `ok` turns false on the first overrun.
struct Reader {
    std::string_view in;
    size_t pos = 0;
    bool ok = true;
    template <typename Int>
    Int next() {
        if (!ok || in.size() - pos < sizeof(Int)) {
            ok = false;
            return 0;
        }
        Int v = get<Int>(in, pos);
        pos += sizeof(Int);
        return v;
    }
    std::string rest() {
        std::string s(in.substr(pos));
        pos = in.size();
        return s;
    }
};

constexpr size_t kCrcOffset = 8;  // batch header: magic u32, version u16, flags u16, ...
constexpr size_t kSbCrcOffset = 12;

}  // namespace

uint32_t crc32c(std::string_view bytes, uint32_t crc) {
    crc = ~crc;
    for (char ch : bytes) crc = kCrcTable[(crc ^ static_cast<uint8_t>(ch)) & 0xff] ^ (crc >> 8);
    return ~crc;
}

// Record: type u8, body length u32, body.
void append_record(std::string& out, const Record& r) {
    std::string body;
    switch (r.type) {
        case Record::Type::session_open:
            put<uint64_t>(body, r.session);
            put<uint32_t>(body, r.lease_ms);
            body += r.text;
            break;
        case Record::Type::session_close:
            put<uint64_t>(body, r.session);
            break;
        case Record::Type::grant:
            put<uint64_t>(body, r.session);
            put<uint64_t>(body, r.token);
            put<uint8_t>(body, static_cast<uint8_t>(r.mode));
            body += r.text;
            break;
        case Record::Type::release:
            put<uint64_t>(body, r.session);
            body += r.text;
            break;
        case Record::Type::snapshot_info:
            put<uint64_t>(body, r.token);
            put<uint64_t>(body, r.session);
            break;
    }
    put<uint8_t>(out, static_cast<uint8_t>(r.type));
    put<uint32_t>(out, static_cast<uint32_t>(body.size()));
    out += body;
}

Record decode_record(std::string_view payload, size_t* pos) {
    auto corrupt = [&](const std::string& why) {
        return StateError(StateError::Kind::corrupt,
                          "record at payload offset " + std::to_string(*pos) + ": " + why);
    };
    if (payload.size() - *pos < 5) throw corrupt("truncated record header");
    auto type = static_cast<uint8_t>(payload[*pos]);
    uint32_t len = get<uint32_t>(payload, *pos + 1);
    if (payload.size() - *pos - 5 < len) throw corrupt("record overruns its batch");
    Reader rd{payload.substr(*pos + 5, len)};
    Record r;
    r.type = static_cast<Record::Type>(type);
    switch (r.type) {
        case Record::Type::session_open:
            r.session = rd.next<uint64_t>();
            r.lease_ms = rd.next<uint32_t>();
            r.text = rd.rest();
            break;
        case Record::Type::session_close:
            r.session = rd.next<uint64_t>();
            break;
        case Record::Type::grant: {
            r.session = rd.next<uint64_t>();
            r.token = rd.next<uint64_t>();
            auto mode = rd.next<uint8_t>();
            if (mode > static_cast<uint8_t>(Mode::EX)) throw corrupt("bad lock mode");
            r.mode = static_cast<Mode>(mode);
            r.text = rd.rest();
            break;
        }
        case Record::Type::release:
            r.session = rd.next<uint64_t>();
            r.text = rd.rest();
            break;
        case Record::Type::snapshot_info:
            r.token = rd.next<uint64_t>();
            r.session = rd.next<uint64_t>();
            break;
        default:
            throw corrupt("unknown record type " + std::to_string(type));
    }
    if (!rd.ok || rd.pos != len)
        throw corrupt("bad length for record type " + std::to_string(type));
    *pos += 5 + len;
    return r;
}

uint64_t padded_batch_size(uint64_t payload) {
    uint64_t n = kBatchHeaderSize + payload;
    return (n + kBatchAlign - 1) / kBatchAlign * kBatchAlign;
}

// Header: magic u32, version u16, flags u16, crc u32, length u32, seq u64, epoch u32,
// reserved u32. The crc covers the header (crc field zero) and the payload.
std::string encode_batch(const BatchHeader& h, std::string_view payload) {
    std::string out;
    out.reserve(padded_batch_size(payload.size()));
    put<uint32_t>(out, kBatchMagic);
    put<uint16_t>(out, h.version);
    put<uint16_t>(out, h.flags);
    put<uint32_t>(out, 0);
    put<uint32_t>(out, static_cast<uint32_t>(payload.size()));
    put<uint64_t>(out, h.seq);
    put<uint32_t>(out, h.epoch);
    put<uint32_t>(out, 0);
    out += payload;
    uint32_t crc = crc32c(out);
    for (size_t i = 0; i < 4; ++i) out[kCrcOffset + i] = static_cast<char>(crc >> (8 * i));
    out.resize(padded_batch_size(payload.size()), '\0');
    return out;
}

BatchCheck check_batch(std::string_view bytes, BatchHeader* out) {
    if (bytes.size() < kBatchHeaderSize || get<uint32_t>(bytes, 0) != kBatchMagic)
        return BatchCheck::invalid;
    BatchHeader h;
    h.version = get<uint16_t>(bytes, 4);
    h.flags = get<uint16_t>(bytes, 6);
    uint32_t crc = get<uint32_t>(bytes, kCrcOffset);
    h.length = get<uint32_t>(bytes, 12);
    h.seq = get<uint64_t>(bytes, 16);
    h.epoch = get<uint32_t>(bytes, 24);
    if (bytes.size() - kBatchHeaderSize < h.length) return BatchCheck::invalid;
    static const std::string zeros(4, '\0');
    uint32_t c = crc32c(bytes.substr(0, kCrcOffset));
    c = crc32c(zeros, c);
    c = crc32c(bytes.substr(kCrcOffset + 4, kBatchHeaderSize - kCrcOffset - 4 + h.length), c);
    if (c != crc) return BatchCheck::invalid;
    *out = h;
    return h.version == kFormatVersion ? BatchCheck::ok : BatchCheck::bad_version;
}

// Superblock: magic u64, version u16, owner length u16, crc u32, generation u64, epoch u32,
// active area u32, area size u64, area start seq u64, heartbeat u64, lease ms u32, owner;
// zero-padded to kSuperblockSize; the crc covers all of it with the crc field zero.
std::string encode_superblock(const Superblock& sb) {
    std::string out;
    put<uint64_t>(out, kSuperblockMagic);
    put<uint16_t>(out, sb.version);
    size_t owner = std::min(sb.owner.size(), kMaxOwner);
    put<uint16_t>(out, static_cast<uint16_t>(owner));
    put<uint32_t>(out, 0);
    put<uint64_t>(out, sb.generation);
    put<uint32_t>(out, sb.epoch);
    put<uint32_t>(out, sb.active_area);
    put<uint64_t>(out, sb.area_size);
    put<uint64_t>(out, sb.area_start_seq);
    put<uint64_t>(out, sb.heartbeat);
    put<uint32_t>(out, sb.lease_ms);
    out.append(sb.owner, 0, owner);
    out.resize(kSuperblockSize, '\0');
    uint32_t crc = crc32c(out);
    for (size_t i = 0; i < 4; ++i) out[kSbCrcOffset + i] = static_cast<char>(crc >> (8 * i));
    return out;
}

SlotCheck check_superblock(std::string_view slot, Superblock* out) {
    if (slot.size() < kSuperblockSize) return SlotCheck::invalid;
    slot = slot.substr(0, kSuperblockSize);
    if (slot.find_first_not_of('\0') == std::string_view::npos) return SlotCheck::empty;
    Reader rd{slot};
    if (rd.next<uint64_t>() != kSuperblockMagic) return SlotCheck::invalid;
    std::string copy(slot);
    std::memset(copy.data() + kSbCrcOffset, 0, 4);
    if (crc32c(copy) != get<uint32_t>(slot, kSbCrcOffset)) return SlotCheck::invalid;
    Superblock sb;
    sb.version = rd.next<uint16_t>();
    auto owner = rd.next<uint16_t>();
    rd.next<uint32_t>();
    sb.generation = rd.next<uint64_t>();
    sb.epoch = rd.next<uint32_t>();
    sb.active_area = rd.next<uint32_t>();
    sb.area_size = rd.next<uint64_t>();
    sb.area_start_seq = rd.next<uint64_t>();
    sb.heartbeat = rd.next<uint64_t>();
    sb.lease_ms = rd.next<uint32_t>();
    if (sb.version != kFormatVersion) {
        *out = sb;
        return SlotCheck::bad_version;
    }
    if (owner > kMaxOwner || sb.active_area > 1) return SlotCheck::invalid;
    sb.owner = std::string(slot.substr(rd.pos, owner));
    *out = sb;
    return SlotCheck::ok;
}

}  // namespace takeover::lockd::state
