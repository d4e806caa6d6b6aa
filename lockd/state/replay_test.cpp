#include "state/replay.h"

#include "state/journal.h"
#include "state/test_device.h"

#include <gtest/gtest.h>

namespace takeover::lockd::state {
namespace {

using std::chrono::milliseconds;

// A device with a snapshot and then three journal batches: session 1 holds "a" and "b",
// and the third batch grants "c". Returns the offsets of the three batches (in the area).
struct Written {
    uint64_t area_offset;
    std::vector<uint64_t> batches;
    uint64_t token_c = 0;
};

Written three_batches(MemoryDevice& m) {
    auto j = Journal::open(shared(m), test_options());
    Written w;
    j->session_opened(1, "n1", milliseconds(3000));
    j->granted("a", 1, Mode::EX, make_token(j->epoch(), 1));
    for (int i = 0; i < 3; ++i) {
        Replay r = replay(m);
        w.area_offset = Layout::of(m.size()).area_offset(r.superblock->active_area);
        w.batches.push_back(r.journal_end);
        if (i == 1) j->granted("b", 1, Mode::PR, make_token(j->epoch(), 2));
        if (i == 2) j->granted("c", 1, Mode::CW, w.token_c = make_token(j->epoch(), 3));
        j->commit();
    }
    return w;
}

TEST(Replay, FreshDeviceIsEmpty) {
    MemoryDevice m(kMinDeviceSize);
    Replay r = replay(m);
    EXPECT_TRUE(r.fresh);
    EXPECT_EQ(r.image.locks(), 0u);
}

TEST(Replay, RecoversEveryCommittedRecord) {
    MemoryDevice m(kMinDeviceSize);
    auto w = three_batches(m);
    Replay r = replay(m);
    EXPECT_FALSE(r.torn_tail);
    EXPECT_EQ(r.batches, 4u);
    auto rs = r.image.recovered(2);
    ASSERT_EQ(rs.sessions.size(), 1u);
    EXPECT_EQ(rs.sessions[0].node, "n1");
    EXPECT_EQ(rs.sessions[0].lease, milliseconds(3000));
    ASSERT_EQ(rs.locks.size(), 3u);
    EXPECT_EQ(rs.locks[2].name, "c");
    EXPECT_EQ(rs.locks[2].mode, Mode::CW);
    EXPECT_EQ(rs.last_token, w.token_c);
    EXPECT_EQ(rs.next_session, 2u);
}

TEST(Replay, TornTailIsIgnored) {
    MemoryDevice m(kMinDeviceSize);
    auto w = three_batches(m);
    m.bytes()[w.area_offset + w.batches[2] + 40] ^= 0x01;  // in the last batch's payload
    Replay r = replay(m);
    EXPECT_TRUE(r.torn_tail);
    EXPECT_EQ(r.image.locks(), 2u);  // "c" was never acknowledged
    EXPECT_EQ(r.journal_end, w.batches[2]);
}

TEST(Replay, ShortLastBatchIsIgnored) {
    MemoryDevice m(kMinDeviceSize);
    auto w = three_batches(m);
    // Part of the last batch never reached the disk (zeros where its header ends).
    std::fill_n(m.bytes().begin() + static_cast<long>(w.area_offset + w.batches[2] + 20), 12, '\0');
    Replay r = replay(m);
    EXPECT_TRUE(r.torn_tail);
    EXPECT_EQ(r.image.locks(), 2u);
}

TEST(Replay, FlippedBitInTheMiddleRefuses) {
    MemoryDevice m(kMinDeviceSize);
    auto w = three_batches(m);
    m.bytes()[w.area_offset + w.batches[1] + 40] ^= 0x01;
    try {
        replay(m);
        FAIL() << "replay accepted a damaged batch in the middle";
    } catch (const StateError& e) {
        EXPECT_EQ(e.kind(), StateError::Kind::corrupt);
        EXPECT_NE(std::string(e.what()).find("bad checksum in the middle"), std::string::npos)
            << e.what();
    }
}

TEST(Replay, DiscardKeepsWhatCameBeforeTheDamage) {
    MemoryDevice m(kMinDeviceSize);
    auto w = three_batches(m);
    m.bytes()[w.area_offset + w.batches[1] + 40] ^= 0x01;
    Replay r = replay(m, {true});
    ASSERT_EQ(r.discarded.size(), 1u);
    EXPECT_EQ(r.image.locks(), 1u);  // "a" only
    // A start with the option then works, and the next one needs no option.
    auto j = Journal::open(shared(m), [] {
        auto o = test_options();
        o.discard_corrupt = true;
        return o;
    }());
    j->close();
    Replay again = replay(m);
    EXPECT_TRUE(again.discarded.empty());
    EXPECT_EQ(again.image.locks(), 1u);
}

TEST(Replay, OtherFormatVersionRefuses) {
    MemoryDevice m(kMinDeviceSize);
    auto w = three_batches(m);
    Replay before = replay(m);
    std::string payload;
    append_record(payload, {Record::Type::session_close, 1, 0, 0, Mode::NL, {}});
    std::string v2 = encode_batch({2, 0, 0, before.next_seq, 1}, payload);
    m.bytes().replace(w.area_offset + before.journal_end, v2.size(), v2);
    EXPECT_THROW(replay(m), StateError);
    Superblock sb = *before.superblock;
    sb.version = 2;
    MemoryDevice m2(kMinDeviceSize);
    three_batches(m2);
    std::string slot = encode_superblock(sb);
    m2.bytes().replace((sb.generation % 2) * kSlotSize, slot.size(), slot);
    EXPECT_THROW(replay(m2), StateError);
}

TEST(Replay, BadSuperblockRefusesAndDiscardStillRaisesTheEpoch) {
    MemoryDevice m(kMinDeviceSize);
    three_batches(m);
    uint32_t epoch = replay(m).superblock->epoch;
    m.bytes()[20] ^= 1;
    m.bytes()[kSlotSize + 20] ^= 1;
    EXPECT_THROW(replay(m), StateError);
    auto o = test_options();
    o.discard_corrupt = true;
    auto j = Journal::open(shared(m), o);
    EXPECT_GT(j->epoch(), epoch);
    EXPECT_EQ(j->recovered().locks.size(), 0u);
    j->close();
    EXPECT_NO_THROW(replay(m));
}

TEST(Replay, JunkWhereTheSuperblockShouldBeIsNotAFreshDevice) {
    MemoryDevice m(kMinDeviceSize);
    m.bytes().replace(0, 5, "junk!");
    EXPECT_THROW(replay(m), StateError);
}

}  // namespace
}  // namespace takeover::lockd::state
