#include "protocol.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace takeover::lockd::proto {
namespace {

std::vector<Frame> decode_all(Decoder& d) {
    std::vector<Frame> out;
    while (auto f = d.next()) out.push_back(std::move(*f));
    return out;
}

TEST(Protocol, HeaderLayoutIsBigEndianWithMagicAndVersion) {
    auto bytes = encode(Ping{}, 0x01020304);
    ASSERT_EQ(bytes.size(), kHeaderSize);
    EXPECT_EQ(bytes, std::string("MX\x01\x10\x01\x02\x03\x04\x00\x00\x00\x00", 12));
}

TEST(Protocol, RoundTripsEveryKindOfField) {
    Granted g{"a\0b lock", Mode::PW, 0xfedcba9876543210ull, kFlagLvbValid, std::string(64, 'v')};
    g.name = std::string("a\0b", 3);  // names are byte strings
    LocksReply list;
    list.entries.push_back({"x", 7, "fred", Mode::PR, Mode::EX, LockState::converting, 9});
    list.entries.push_back({"y", 8, "barney", Mode::NL, Mode::CR, LockState::waiting, 0});
    Error e{ErrorCode::deadlock, "conversion deadlock"};
    Decoder d;
    d.feed(encode(g, 1) + encode(list, 2) + encode(e, 3) +
           encode(NodesReply{0, {{"n", -1, "manual", 1, 0, 2}}}, 4));
    auto frames = decode_all(d);
    ASSERT_FALSE(d.failed()) << d.error();
    ASSERT_EQ(frames.size(), 4u);
    auto& g2 = std::get<Granted>(frames[0].message);
    EXPECT_EQ(g2.name, g.name);
    EXPECT_EQ(g2.mode, Mode::PW);
    EXPECT_EQ(g2.token, g.token);
    EXPECT_EQ(g2.lvb, g.lvb);
    auto& l2 = std::get<LocksReply>(frames[1].message);
    ASSERT_EQ(l2.entries.size(), 2u);
    EXPECT_EQ(l2.entries[0].node, "fred");
    EXPECT_EQ(l2.entries[0].state, LockState::converting);
    EXPECT_EQ(l2.entries[1].requested, Mode::CR);
    EXPECT_EQ(std::get<Error>(frames[2].message).code, ErrorCode::deadlock);
    EXPECT_EQ(std::get<NodesReply>(frames[3].message).entries[0].cid, -1);
    EXPECT_EQ(frames[3].request_id, 4u);
}

TEST(Protocol, TakeoverMessagesRoundTrip) {
    Reclaim r{{{"x", Mode::EX, 0x0000030000000026ull}, {std::string("a\0b", 3), Mode::PR, 7}}};
    StatusReply st{3, 10, 2, 1, 4, 5, 0, 99, "durable"};
    st.extended = true;
    st.state_path = "/dev/sdb1";
    st.grace_left_ms = 1500;
    st.awaiting_reclaim = 2;
    st.fencing = {{"node-1", 2, "retry in 4 s"}};
    Decoder d;
    d.feed(encode(SessionReopen{5, "node-1", 10000}, 1) + encode(r, 2) +
           encode(ReclaimReply{{{0}, {uint16_t(ErrorCode::reclaim_refused)}}}, 3) +
           encode(ReclaimDone{}, 4) + encode(Status{1}, 5) + encode(st, 6) + encode(Status{}, 7) +
           encode(StatusReply{1, 2, 3, 4, 5, 6, 7, 8, "memory"}, 8));
    auto f = decode_all(d);
    ASSERT_FALSE(d.failed()) << d.error();
    ASSERT_EQ(f.size(), 8u);
    EXPECT_EQ(f[0].type, Type::session_reopen);
    EXPECT_EQ(std::get<SessionReopen>(f[0].message).session, 5u);
    EXPECT_EQ(std::get<SessionReopen>(f[0].message).node, "node-1");
    auto& r2 = std::get<Reclaim>(f[1].message);
    ASSERT_EQ(r2.entries.size(), 2u);
    EXPECT_EQ(r2.entries[0].token, 0x0000030000000026ull);
    EXPECT_EQ(r2.entries[1].name, std::string("a\0b", 3));
    EXPECT_EQ(std::get<ReclaimReply>(f[2].message).results[1].code, 17);
    EXPECT_EQ(f[3].type, Type::reclaim_done);
    EXPECT_EQ(std::get<Status>(f[4].message).detail, 1);
    auto& st2 = std::get<StatusReply>(f[5].message);
    EXPECT_TRUE(st2.extended);
    EXPECT_EQ(st2.state_path, "/dev/sdb1");
    EXPECT_EQ(st2.awaiting_reclaim, 2u);
    ASSERT_EQ(st2.fencing.size(), 1u);
    EXPECT_EQ(st2.fencing[0].state, "retry in 4 s");
    // Older peers: an empty STATUS, a reply without the takeover fields.
    EXPECT_EQ(std::get<Status>(f[6].message).detail, 0);
    EXPECT_EQ(encode(Status{}, 7).size(), kHeaderSize);
    EXPECT_FALSE(std::get<StatusReply>(f[7].message).extended);
    std::string why;
    EXPECT_FALSE(decode_body(uint8_t(Type::status), std::string(1, '\0'), &why));
    EXPECT_FALSE(decode_body(uint8_t(Type::reclaim_reply), std::string("\0\0\0\1\0\x63", 6), &why));
    EXPECT_EQ(why, "unknown error code");
}

// The fuzzer's seeds are valid frames that re-encode to the same bytes (its own property).
TEST(Protocol, FuzzCorpusSeedsRoundTrip) {
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(
             std::string(TAKEOVER_SOURCE_DIR) + "/fuzz/corpus/fuzz_lockd_protocol")) {
        std::stringstream bytes;
        bytes << std::ifstream(entry.path(), std::ios::binary).rdbuf();
        Decoder d(kHardMaxBody);
        d.feed(bytes.str());
        std::string again;
        for (auto& f : decode_all(d)) again += encode(f.message, f.request_id);
        EXPECT_FALSE(d.failed()) << entry.path() << ": " << d.error();
        EXPECT_EQ(again, bytes.str()) << entry.path();
        files++;
    }
    EXPECT_GE(files, 19);
}

TEST(Protocol, DecoderAcceptsOneByteAtATime) {
    std::string bytes = encode(Lock{"res", Mode::EX, kFlagTry, 250}, 42) + encode(Keepalive{}, 43);
    Decoder d;
    std::vector<Frame> frames;
    for (char c : bytes) {
        d.feed(std::string_view(&c, 1));
        while (auto f = d.next()) frames.push_back(std::move(*f));
    }
    ASSERT_EQ(frames.size(), 2u);
    auto& lock = std::get<Lock>(frames[0].message);
    EXPECT_EQ(lock.name, "res");
    EXPECT_EQ(lock.flags, kFlagTry);
    EXPECT_EQ(lock.timeout_ms, 250u);
    EXPECT_EQ(frames[1].type, Type::keepalive);
    EXPECT_EQ(d.buffered(), 0u);
}

struct BadCase {
    const char* what;
    std::string bytes;
    std::string error;
};

std::string frame(uint8_t type, const std::string& body) {
    std::string h("MX\x01", 3);
    h.push_back(static_cast<char>(type));
    h += std::string("\0\0\0\1", 4);
    uint32_t n = static_cast<uint32_t>(body.size());
    for (int i = 3; i >= 0; --i) h.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    return h + body;
}

TEST(Protocol, RejectsMalformedFramesWithAReason) {
    std::vector<BadCase> cases = {
        {"garbage", "GET / HTTP/1.1\r\n", "bad magic"},
        {"early garbage", "X", "bad magic"},
        {"version", std::string("MX\x02", 3), "unsupported protocol version 2"},
        {"huge length", std::string("MX\x01\x10\0\0\0\1\xff\xff\xff\xff", 12),
         "frame body of 4294967295 bytes exceeds the limit of 16384"},
        {"unknown type", frame(0x99, ""), "unknown message type 153"},
        {"trailing", frame(0x10, "x"), "trailing bytes after the message"},
        {"truncated", frame(0x20, std::string("\0\5ab", 4)), "truncated lock name"},
        {"empty name", frame(0x23, std::string("\0\0", 2)), "empty lock name"},
        {"mode", frame(0x20, std::string("\0\1a\6\0\0\0\0\0", 9)),
         "enumeration value out of range"},
        {"flags", frame(0x20, std::string("\0\1a\5\x80\0\0\0\0", 9)), "unknown flag bits"},
        {"lvb", frame(0x22, std::string("\0\1a\1\x41", 5) + std::string(65, 'x')),
         "lock value block longer than 64 bytes"},
        {"node", frame(0x12, std::string("\0\5a", 3)), "truncated node name"},
        {"node bytes", frame(0x12, std::string("\0\2a;\0\0\0\0", 8)),
         "node name has a byte other than letters, digits, '.', '-', '_'"},
        {"error code", frame(0x3E, std::string("\0\x63\0\0", 4)), "unknown error code"},
        {"list", frame(0x43, std::string("\0\xff\xff\xff\xff", 5)), "list too long"},
    };
    for (const auto& c : cases) {
        Decoder d;
        d.feed(c.bytes);
        EXPECT_FALSE(d.next().has_value()) << c.what;
        EXPECT_TRUE(d.failed()) << c.what;
        EXPECT_EQ(d.error(), c.error) << c.what;
        d.feed(encode(Ping{}, 1));  // a failed decoder stays failed
        EXPECT_FALSE(d.next().has_value()) << c.what;
    }
}

TEST(Protocol, ShortInputIsNotAnError) {
    Decoder d;
    auto bytes = encode(SessionOpen{"fred", 3000}, 5);
    d.feed(bytes.substr(0, bytes.size() - 1));
    EXPECT_FALSE(d.next().has_value());
    EXPECT_FALSE(d.failed());
    d.feed(bytes.substr(bytes.size() - 1));
    auto f = d.next();
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(std::get<SessionOpen>(f->message).lease_ms, 3000u);
}

TEST(Protocol, ModeNamesParseExactly) {
    EXPECT_EQ(parse_mode("ex"), Mode::EX);
    EXPECT_EQ(parse_mode("PR"), Mode::PR);
    EXPECT_FALSE(parse_mode("exclusive").has_value());
    EXPECT_FALSE(parse_mode("").has_value());
    EXPECT_EQ(to_string(Mode::CW), "CW");
}

}  // namespace
}  // namespace takeover::lockd::proto
