#include "state/codec.h"

#include <gtest/gtest.h>

namespace takeover::lockd::state {
namespace {

TEST(Crc32c, KnownValue) {
    // The check value of CRC-32C (RFC 3720 appendix B.4).
    EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
    EXPECT_EQ(crc32c("56789", crc32c("1234")), 0xE3069283u);
}

TEST(Record, EveryTypeRoundTrips) {
    std::vector<Record> in = {
        {Record::Type::session_open, 7, 0, 3000, Mode::NL, "node-a"},
        {Record::Type::grant, 7, (5ull << 40) | 9, 0, Mode::PW, std::string("na\0me", 5)},
        {Record::Type::release, 7, 0, 0, Mode::NL, "name"},
        {Record::Type::session_close, 7, 0, 0, Mode::NL, {}},
        {Record::Type::snapshot_info, 12, 99, 0, Mode::NL, {}},
    };
    std::string payload;
    for (const auto& r : in) append_record(payload, r);
    size_t pos = 0;
    for (const auto& r : in) EXPECT_EQ(decode_record(payload, &pos), r);
    EXPECT_EQ(pos, payload.size());
}

TEST(Record, UnknownTypeAndOverrunAreCorrupt) {
    std::string payload;
    append_record(payload, {Record::Type::session_close, 1, 0, 0, Mode::NL, {}});
    std::string unknown = payload;
    unknown[0] = 42;
    size_t pos = 0;
    EXPECT_THROW(decode_record(unknown, &pos), StateError);
    pos = 0;
    EXPECT_THROW(decode_record(payload.substr(0, payload.size() - 1), &pos), StateError);
    std::string bad_mode;
    append_record(bad_mode, {Record::Type::grant, 1, 1, 0, Mode::EX, "x"});
    bad_mode[5 + 16] = 9;
    pos = 0;
    EXPECT_THROW(decode_record(bad_mode, &pos), StateError);
}

TEST(Batch, ChecksumCoversHeaderAndPayload) {
    std::string b = encode_batch({kFormatVersion, 0, 0, 17, 3}, "payload");
    EXPECT_EQ(b.size(), kBatchAlign);
    BatchHeader h;
    ASSERT_EQ(check_batch(b, &h), BatchCheck::ok);
    EXPECT_EQ(h.seq, 17u);
    EXPECT_EQ(h.epoch, 3u);
    EXPECT_EQ(h.length, 7u);
    for (size_t i : {4u, 16u, 24u, 33u}) {
        std::string flipped = b;
        flipped[i] ^= 0x10;
        EXPECT_NE(check_batch(flipped, &h), BatchCheck::ok) << "flipped byte " << i;
    }
    EXPECT_EQ(check_batch(std::string_view(b).substr(0, 35), &h), BatchCheck::invalid);
    // Padding is not covered: a torn write past the payload changes nothing.
    std::string padded = b;
    padded[100] = 'x';
    EXPECT_EQ(check_batch(padded, &h), BatchCheck::ok);
}

TEST(Batch, OtherVersionIsReportedAsSuch) {
    std::string b = encode_batch({2, 0, 0, 1, 1}, "x");
    BatchHeader h;
    EXPECT_EQ(check_batch(b, &h), BatchCheck::bad_version);
    EXPECT_EQ(h.version, 2);
}

TEST(Superblock, RoundTripsAndDetectsDamage) {
    Superblock sb{kFormatVersion, 5, 9, 1, 4096 * 10, 77, 3, 500, "node1/1234"};
    std::string bytes = encode_superblock(sb);
    ASSERT_EQ(bytes.size(), kSuperblockSize);
    Superblock out;
    ASSERT_EQ(check_superblock(bytes, &out), SlotCheck::ok);
    EXPECT_EQ(out, sb);
    bytes[30] ^= 1;
    EXPECT_EQ(check_superblock(bytes, &out), SlotCheck::invalid);
    EXPECT_EQ(check_superblock(std::string(kSuperblockSize, '\0'), &out), SlotCheck::empty);
    sb.version = 2;
    EXPECT_EQ(check_superblock(encode_superblock(sb), &out), SlotCheck::bad_version);
}

}  // namespace
}  // namespace takeover::lockd::state
