#include "mfs_protocol.h"

#include <gtest/gtest.h>

namespace takeover::mfs {
namespace {

void put(std::string& s, size_t at, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) s[at + i] = static_cast<char>(v >> (8 * (bytes - 1 - i)));
}

TEST(MfsProtocol, InfoRequestIsCommandAndEmptyLength) {
    EXPECT_EQ(info_request(), std::string("\0\0\x01\xfe\0\0\0\0", 8));
}

TEST(MfsProtocol, ReplyHeader) {
    std::string h(8, '\0');
    put(h, 0, 511, 4);
    put(h, 4, 149, 4);
    EXPECT_EQ(*info_reply_length(h), 149u);
    put(h, 0, 512, 4);
    EXPECT_FALSE(info_reply_length(h));
    put(h, 0, 511, 4);
    put(h, 4, 1u << 30, 4);
    EXPECT_FALSE(info_reply_length(h));
    EXPECT_FALSE(info_reply_length("short"));
}

TEST(MfsProtocol, DecodesThe3_0Layout) {
    // What mfsmaster 3.0.117 sent here: 149 bytes, version 3.0.(117*2), metaversion at 121.
    std::string p(149, '\0');
    put(p, 0, 3, 2);
    p[2] = 0;
    p[3] = static_cast<char>(234);
    put(p, 121, 23, 8);
    auto info = parse_info_reply(p);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->version, "3.0.117");
    EXPECT_EQ(info->metadata_version, 23u);
    std::string older(121, '\0');
    put(older, 113, 7, 8);
    EXPECT_EQ(parse_info_reply(older)->metadata_version, 7u);
    EXPECT_FALSE(parse_info_reply(std::string(100, '\0')));
    EXPECT_FALSE(parse_info_reply(""));
}

TEST(MfsProtocol, LocalAddress) {
    EXPECT_EQ(local_address("*"), "127.0.0.1");
    EXPECT_EQ(local_address("10.77.70.1"), "10.77.70.1");
}

TEST(MfsProtocol, NoListenerMeansNoConnection) {
    // Port 1 on loopback: nothing listens there in a test environment.
    EXPECT_FALSE(accepts_connections("127.0.0.1", 1, std::chrono::milliseconds(500)));
    EXPECT_FALSE(query_master("127.0.0.1", 1, std::chrono::milliseconds(500)));
}

}  // namespace
}  // namespace takeover::mfs
