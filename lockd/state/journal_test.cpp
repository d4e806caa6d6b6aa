#include "state/journal.h"

#include "state/test_device.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace takeover::lockd::state {
namespace {

using std::chrono::milliseconds;

TEST(Journal, EpochIncrementsAcrossOpens) {
    MemoryDevice m(kMinDeviceSize);
    uint32_t last = 0;
    for (int i = 0; i < 3; ++i) {
        auto j = Journal::open(shared(m), test_options());
        EXPECT_EQ(j->epoch(), last + 1);
        EXPECT_TRUE(j->recovered().durable);
        EXPECT_EQ(j->recovered().epoch, j->epoch());
        last = j->epoch();
        if (i == 1) j->close();  // clean and unclean stops alike
    }
    bool fresh = false;
    EXPECT_EQ(read_superblock(m, &fresh)->epoch, last);
}

TEST(Journal, NothingIsWrittenUntilCommitAndOneBatchPerCommit) {
    MemoryDevice m(kMinDeviceSize);
    auto j = Journal::open(shared(m), test_options());
    uint64_t writes = m.writes, syncs = m.syncs;
    j->session_opened(1, "n1", milliseconds(1000));
    for (int i = 0; i < 50; ++i) j->granted("l" + std::to_string(i), 1, Mode::EX, i + 1);
    EXPECT_TRUE(j->dirty());
    EXPECT_EQ(m.writes, writes);
    j->commit();
    EXPECT_FALSE(j->dirty());
    EXPECT_EQ(m.writes, writes + 1);
    EXPECT_EQ(m.syncs, syncs + 1);
    j->commit();  // nothing pending: no I/O
    EXPECT_EQ(m.writes, writes + 1);
}

TEST(Journal, SessionStateChangesOtherThanBirthAreNotJournaled) {
    MemoryDevice m(kMinDeviceSize);
    auto j = Journal::open(shared(m), test_options());
    j->session_opened(1, "n1", milliseconds(1000));
    j->commit();
    j->session_changed(1, "n1", SessionState::active);  // a re-attach
    j->session_changed(1, "n1", SessionState::disconnected);
    j->session_changed(1, "n1", SessionState::expired);
    EXPECT_FALSE(j->dirty());
}

TEST(Journal, CompactionKeepsTheStateIdentical) {
    MemoryDevice m(kMinDeviceSize);
    auto j = Journal::open(shared(m), test_options());
    uint64_t token = make_token(j->epoch(), 0);
    for (uint64_t s = 1; s <= 5; ++s)
        j->session_opened(s, "n" + std::to_string(s), milliseconds(1000));
    for (int round = 0; round < 400; ++round) {
        uint64_t s = 1 + round % 5;
        std::string name = "lock-" + std::to_string(round % 37);
        j->granted(name, s, Mode::PR, ++token);
        if (round % 3)
            j->released("lock-" + std::to_string((round + 11) % 37), 1 + (round + 2) % 5);
        if (round == 200) j->session_closed(3);
        j->commit();
    }
    EXPECT_GT(j->stats().compactions, 2u);
    Replay r = replay(m);
    EXPECT_TRUE(r.image == j->image());
    EXPECT_EQ(r.image.last_token(), token);
}

TEST(Journal, CrashThenRestartRecoversEverySessionAndLock) {
    MemoryDevice m(kMinDeviceSize);
    uint64_t token = 0;
    {
        auto j = Journal::open(shared(m), test_options("node1/10"));
        j->session_opened(1, "node1", milliseconds(2000));
        j->session_opened(2, "node2", milliseconds(1000));
        j->granted("x", 1, Mode::EX, token = make_token(j->epoch(), 1));
        j->granted("y", 2, Mode::PR, token = make_token(j->epoch(), 2));
        j->commit();
        // No close: the server died (kill -9). Its lease stays in the superblock.
    }
    auto j = Journal::open(shared(m), test_options("node2/20"));
    const auto& rs = j->recovered();
    EXPECT_EQ(rs.epoch, 2u);
    EXPECT_EQ(rs.last_token, token);
    EXPECT_GT(make_token(rs.epoch, 1), rs.last_token);
    ASSERT_EQ(rs.sessions.size(), 2u);
    EXPECT_EQ(rs.sessions[0].lease, milliseconds(2000));
    ASSERT_EQ(rs.locks.size(), 2u);
    EXPECT_EQ(rs.locks[1].name, "y");
    EXPECT_EQ(rs.locks[1].session, 2u);
}

TEST(Journal, LeaseOfAnotherLiveOwnerRefuses) {
    MemoryDevice m(kMinDeviceSize);
    auto a = Journal::open(shared(m), test_options("node1/10"));
    auto o = test_options("node2/20");
    o.lease.sleep = [&](milliseconds) { a->renew_lease(); };  // node1 is alive meanwhile
    try {
        Journal::open(shared(m), o);
        FAIL() << "took over a live lease";
    } catch (const StateError& e) {
        EXPECT_EQ(e.kind(), StateError::Kind::busy);
        EXPECT_NE(std::string(e.what()).find("node1/10"), std::string::npos) << e.what();
    }
    EXPECT_NO_THROW(a->commit());  // and node1 still owns the device
}

TEST(Journal, StaleServerIsFencedBeforeItsNextCommit) {
    MemoryDevice m(kMinDeviceSize);
    auto a = Journal::open(shared(m), test_options("node1/10"));
    auto o = test_options("node2/20");
    o.force_takeover = true;
    auto b = Journal::open(shared(m), o);
    EXPECT_EQ(b->epoch(), a->epoch() + 1);
    a->session_opened(1, "n", milliseconds(1000));
    a->granted("x", 1, Mode::EX, make_token(a->epoch(), 1));
    uint64_t writes = m.writes;
    try {
        a->commit();
        FAIL() << "a stale server committed";
    } catch (const StateError& e) {
        EXPECT_EQ(e.kind(), StateError::Kind::fenced);
    }
    EXPECT_EQ(m.writes, writes);  // nothing of the stale server reached the device
    EXPECT_THROW(a->renew_lease(), StateError);
    EXPECT_NO_THROW(b->renew_lease());
}

TEST(Journal, WriteErrorsAreReportedAsSuch) {
    MemoryDevice m(kMinDeviceSize);
    auto j = Journal::open(shared(m), test_options());
    j->session_opened(1, "n", milliseconds(1000));
    m.fail_writes = ENOSPC;
    try {
        j->commit();
        FAIL();
    } catch (const StateError& e) {
        EXPECT_EQ(e.kind(), StateError::Kind::full);
        EXPECT_NE(std::string(e.what()).find("No space left"), std::string::npos) << e.what();
    }
    m.fail_writes.reset();
    m.fail_syncs = EIO;
    try {
        j->commit();
        FAIL();
    } catch (const StateError& e) {
        EXPECT_EQ(e.kind(), StateError::Kind::io);
    }
}

TEST(Journal, FullDeviceIsReportedWhenCompactionCannotFreeSpace) {
    MemoryDevice m(kMinDeviceSize);  // areas of 28 KiB
    auto j = Journal::open(shared(m), test_options());
    j->session_opened(1, "n", milliseconds(1000));
    std::string name(200, 'n');
    try {
        for (int i = 0; i < 1000; ++i) {
            j->granted(name + std::to_string(i), 1, Mode::EX, i + 1);
            j->commit();
        }
        FAIL() << "a full device took every grant";
    } catch (const StateError& e) {
        EXPECT_EQ(e.kind(), StateError::Kind::full);
        EXPECT_NE(std::string(e.what()).find("state device is full"), std::string::npos)
            << e.what();
    }
    // What was committed before is still there.
    EXPECT_GT(replay(m).image.locks(), 50u);
}

TEST(Journal, TooSmallDeviceRefuses) {
    MemoryDevice m(kMinDeviceSize - 1);
    EXPECT_THROW(Journal::open(shared(m), test_options()), StateError);
}

}  // namespace
}  // namespace takeover::lockd::state
