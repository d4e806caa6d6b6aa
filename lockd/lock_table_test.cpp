#include "lock_table.h"
#include "recording_listener.h"

#include <gtest/gtest.h>

#include <random>

namespace takeover::lockd {
namespace {

using namespace std::chrono_literals;
using Kind = Event::Kind;

class Table : public ::testing::Test {
  protected:
    TimePoint now{std::chrono::seconds(1000)};  // the fake clock
    LockTable table{Limits{}};
    RequestId next_request = 1;

    SessionId open(const std::string& node = "n", milliseconds lease = 5000ms) {
        return *table.open_session(node, lease, now);
    }
    // Requests and returns the events it caused at once.
    std::vector<Event> lock(SessionId s, const std::string& name, Mode m, bool try_only = false,
                            milliseconds timeout = 0ms) {
        auto err = table.lock(s, next_request++, {name, m, try_only, timeout, {}}, now);
        EXPECT_FALSE(err.has_value()) << proto::to_string(*err);
        return table.take_events();
    }
    std::vector<Event> convert(SessionId s, const std::string& name, Mode m,
                               std::optional<std::string> lvb = {}) {
        auto err = table.convert(s, next_request++, {name, m, false, 0ms, lvb}, now);
        EXPECT_FALSE(err.has_value()) << proto::to_string(*err);
        return table.take_events();
    }
    std::vector<Event> unlock(SessionId s, const std::string& name,
                              std::optional<std::string> lvb = {}) {
        auto err = table.unlock(s, name, lvb);
        EXPECT_FALSE(err.has_value()) << proto::to_string(*err);
        return table.take_events();
    }
    static const Event* find(const std::vector<Event>& ev, Kind k, SessionId s) {
        for (auto& e : ev)
            if (e.kind == k && e.session == s) return &e;
        return nullptr;
    }
    static bool granted(const std::vector<Event>& ev, SessionId s) {
        return find(ev, Kind::granted, s) != nullptr;
    }
};

TEST_F(Table, CompatibilityMatrixIsDlms) {
    // Row by row from the DLM documentation: which modes may be held together.
    const char* expected[kModeCount] = {"111111", "111110", "111000", "110100", "110000", "100000"};
    for (int a = 0; a < kModeCount; ++a)
        for (int b = 0; b < kModeCount; ++b)
            EXPECT_EQ(compatible(Mode(a), Mode(b)), expected[a][b] == '1') << a << "," << b;
}

TEST_F(Table, GrantsExactlyTheCompatiblePairs) {
    for (int a = 0; a < kModeCount; ++a) {
        for (int b = 0; b < kModeCount; ++b) {
            SessionId s1 = open(), s2 = open();
            std::string name = "m" + std::to_string(a) + std::to_string(b);
            ASSERT_TRUE(granted(lock(s1, name, Mode(a)), s1));
            auto ev = lock(s2, name, Mode(b), /*try_only=*/true);
            EXPECT_EQ(granted(ev, s2), compatible(Mode(a), Mode(b))) << a << "," << b;
            if (!granted(ev, s2)) {
                ASSERT_NE(find(ev, Kind::failed, s2), nullptr);
                EXPECT_EQ(find(ev, Kind::failed, s2)->error, ErrorCode::would_block);
                EXPECT_EQ(find(ev, Kind::blocking, s1), nullptr);  // try does not disturb
            }
            table.close_session(s1);
            table.close_session(s2);
        }
    }
    EXPECT_EQ(table.status().resources, 0u);
    EXPECT_EQ(table.status().held, 0u);
}

TEST_F(Table, WaitQueueIsFifoSoReadersCannotStarveAWriter) {
    SessionId a = open(), w = open(), r = open();
    ASSERT_TRUE(granted(lock(a, "x", Mode::PR), a));
    EXPECT_FALSE(granted(lock(w, "x", Mode::EX), w));
    EXPECT_FALSE(granted(lock(r, "x", Mode::PR), r));  // compatible with A, but W was first
    auto ev = unlock(a, "x");
    EXPECT_TRUE(granted(ev, w));
    EXPECT_FALSE(granted(ev, r));
    EXPECT_TRUE(granted(unlock(w, "x"), r));
}

TEST_F(Table, ConsecutiveCompatibleWaitersAreGrantedTogether) {
    SessionId a = open(), r1 = open(), r2 = open(), w = open();
    lock(a, "x", Mode::EX);
    lock(r1, "x", Mode::PR);
    lock(r2, "x", Mode::CR);
    lock(w, "x", Mode::PW);
    auto ev = unlock(a, "x");
    EXPECT_TRUE(granted(ev, r1));
    EXPECT_TRUE(granted(ev, r2));
    EXPECT_FALSE(granted(ev, w));
}

TEST_F(Table, ConversionInPlaceWhenCompatibleEvenWithWaiters) {
    SessionId a = open(), w = open();
    lock(a, "x", Mode::CR);
    lock(w, "x", Mode::EX);
    EXPECT_TRUE(granted(convert(a, "x", Mode::PR), a));  // DLM 6-3
}

TEST_F(Table, ConversionsGoBeforeNewRequests) {
    SessionId a = open(), b = open(), w = open();
    lock(a, "x", Mode::PR);
    lock(b, "x", Mode::PR);
    lock(w, "x", Mode::EX);
    auto ev = convert(a, "x", Mode::PW);
    EXPECT_FALSE(granted(ev, a));
    const Event* cb = find(ev, Kind::blocking, b);
    ASSERT_NE(cb, nullptr);
    EXPECT_EQ(cb->mode, Mode::PW);  // the holder learns what the waiter wants
    ev = unlock(b, "x");
    EXPECT_TRUE(granted(ev, a));
    EXPECT_FALSE(granted(ev, w));
    EXPECT_TRUE(granted(unlock(a, "x"), w));
}

TEST_F(Table, ConversionDeadlockIsRefusedAndTheLockKept) {
    SessionId a = open(), b = open();
    lock(a, "x", Mode::PR);
    lock(b, "x", Mode::PR);
    EXPECT_FALSE(granted(convert(a, "x", Mode::EX), a));
    auto ev = convert(b, "x", Mode::EX);
    ASSERT_NE(find(ev, Kind::failed, b), nullptr);
    EXPECT_EQ(find(ev, Kind::failed, b)->error, ErrorCode::deadlock);
    bool truncated;
    auto locks = table.list_locks("x", 10, &truncated);
    ASSERT_EQ(locks.size(), 2u);
    EXPECT_TRUE(granted(unlock(b, "x"), a));  // B still held PR until now
}

TEST_F(Table, DownConversionLetsWaitersIn) {
    SessionId a = open(), r = open();
    lock(a, "x", Mode::EX);
    lock(r, "x", Mode::PR);
    auto ev = convert(a, "x", Mode::PR, "v");
    EXPECT_TRUE(granted(ev, a));
    ASSERT_TRUE(granted(ev, r));
    EXPECT_EQ(find(ev, Kind::granted, r)->lvb, "v");
}

TEST_F(Table, LockValueBlockIsWrittenByWritersOnlyAndReadOnGrant) {
    SessionId a = open(), b = open();
    auto ev = lock(a, "x", Mode::EX);
    EXPECT_FALSE(find(ev, Kind::granted, a)->lvb.has_value());  // never written
    unlock(a, "x", std::string(64, 'L'));
    ev = lock(b, "x", Mode::PR);
    EXPECT_EQ(find(ev, Kind::granted, b)->lvb, std::string(64, 'L'));
    unlock(b, "x", "ignored: PR cannot write");
    ev = lock(a, "x", Mode::PW);
    EXPECT_EQ(find(ev, Kind::granted, a)->lvb, std::string(64, 'L'));
    unlock(a, "x", "pw");
    ev = lock(b, "x", Mode::NL);
    EXPECT_EQ(find(ev, Kind::granted, b)->lvb, "pw");
    ev = convert(b, "x", Mode::EX);
    EXPECT_EQ(find(ev, Kind::granted, b)->lvb, "pw");
    convert(b, "x", Mode::PW, "ex->pw");
    ev = lock(a, "x", Mode::CR);
    EXPECT_EQ(find(ev, Kind::granted, a)->lvb, "ex->pw");
}

TEST_F(Table, CancelAnswersTheRequestAndUnblocksOthers) {
    SessionId a = open(), w = open(), r = open();
    lock(a, "x", Mode::PR);
    lock(w, "x", Mode::EX);
    lock(r, "x", Mode::PR);
    ASSERT_FALSE(table.cancel(w, "x").has_value());
    auto ev = table.take_events();
    ASSERT_NE(find(ev, Kind::failed, w), nullptr);
    EXPECT_EQ(find(ev, Kind::failed, w)->error, ErrorCode::cancelled);
    EXPECT_TRUE(granted(ev, r));
    EXPECT_EQ(table.cancel(a, "x"), ErrorCode::not_held);  // nothing pending
}

TEST_F(Table, CancelledConversionKeepsTheOldMode) {
    SessionId a = open(), b = open();
    lock(a, "x", Mode::PR);
    lock(b, "x", Mode::PR);
    convert(a, "x", Mode::EX);
    ASSERT_FALSE(table.cancel(a, "x").has_value());
    table.take_events();
    EXPECT_FALSE(granted(lock(open(), "x", Mode::EX, true), 0));
    bool truncated;
    for (auto& l : table.list_locks("*", 10, &truncated))
        if (l.session == a) {
            EXPECT_EQ(l.granted, Mode::PR);
        }
}

TEST_F(Table, RequestTimeoutFiresAtItsDeadlineOnly) {
    SessionId a = open(), w = open(), r = open();
    lock(a, "x", Mode::EX);
    lock(w, "x", Mode::EX, false, 100ms);
    lock(r, "x", Mode::CR);
    EXPECT_EQ(*table.next_deadline(), now + 100ms);
    now += 99ms;
    table.tick(now);
    EXPECT_TRUE(table.take_events().empty());
    now += 1ms;
    table.tick(now);
    auto ev = table.take_events();
    ASSERT_NE(find(ev, Kind::failed, w), nullptr);
    EXPECT_EQ(find(ev, Kind::failed, w)->error, ErrorCode::timed_out);
    EXPECT_TRUE(granted(unlock(a, "x"), r));
}

TEST_F(Table, GrantedRequestDoesNotTimeOutLater) {
    SessionId a = open(), w = open();
    lock(a, "x", Mode::EX);
    lock(w, "x", Mode::EX, false, 100ms);
    EXPECT_TRUE(granted(unlock(a, "x"), w));
    now += 200ms;
    table.tick(now);
    EXPECT_TRUE(table.take_events().empty());
}

TEST_F(Table, ExpiredSessionKeepsItsLocksUntilFenceAck) {
    SessionId dead = open("barney", 1000ms), other = open("fred", 60000ms);
    lock(dead, "x", Mode::EX);
    table.disconnect(dead, now);
    EXPECT_FALSE(granted(lock(other, "x", Mode::PR), other));
    now += 999ms;
    table.tick(now);
    EXPECT_EQ(table.session_state(dead), SessionState::disconnected);
    now += 1ms;
    table.tick(now);
    EXPECT_EQ(table.session_state(dead), SessionState::expired);
    auto ev = table.take_events();  // expired: nobody gets x; the node is to be fenced
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, Kind::fence_needed);
    EXPECT_EQ(ev[0].name, "barney");
    now += 3600s;
    table.touch(other, now);
    table.tick(now);
    EXPECT_TRUE(table.take_events().empty());
    EXPECT_EQ(table.status().expired_sessions, 1u);
    EXPECT_FALSE(table.fence_ack("fred").has_value());  // fred is alive: nothing to fence
    EXPECT_EQ(table.fence_ack("barney"), 1u);
    EXPECT_TRUE(granted(table.take_events(), other));
    EXPECT_FALSE(table.session_state(dead).has_value());
}

TEST_F(Table, SilentConnectedSessionExpiresAndIsTold) {
    SessionId s = open("n", 1000ms), w = open("m", 60000ms);
    lock(s, "held", Mode::EX);
    lock(w, "held", Mode::EX);
    lock(w, "other", Mode::EX);
    lock(s, "other", Mode::PR);  // pending: will fail on expiry
    now += 600ms;
    table.touch(s, now);  // renewed
    now += 900ms;
    table.tick(now);
    EXPECT_EQ(table.session_state(s), SessionState::active);
    now += 100ms;
    table.tick(now);
    auto ev = table.take_events();
    EXPECT_NE(find(ev, Kind::session_expired, s), nullptr);
    ASSERT_NE(find(ev, Kind::failed, s), nullptr);
    EXPECT_EQ(find(ev, Kind::failed, s)->error, ErrorCode::session_expired);
    EXPECT_FALSE(granted(ev, w));
    EXPECT_EQ(table.lock(s, 99, {"y", Mode::NL}, now), ErrorCode::session_expired);
}

TEST_F(Table, CleanCloseReleasesAtOnce) {
    SessionId a = open(), b = open();
    lock(a, "x", Mode::EX);
    lock(a, "y", Mode::EX);
    lock(b, "x", Mode::EX);
    table.close_session(a);
    EXPECT_TRUE(granted(table.take_events(), b));
    EXPECT_EQ(table.status().resources, 1u);
}

TEST_F(Table, TokensStrictlyIncreaseOverEveryGrant) {
    std::mt19937 rng(7);
    std::vector<SessionId> s;
    for (int i = 0; i < 6; ++i) s.push_back(open());
    uint64_t last = 0;
    int grants = 0;
    for (int i = 0; i < 5000; ++i) {
        SessionId who = s[rng() % s.size()];
        std::string name = "r" + std::to_string(rng() % 4);
        Mode m = Mode(rng() % kModeCount);
        switch (rng() % 4) {
            case 0:
                table.lock(who, 1, {name, m, rng() % 2 == 0, 0ms, {}}, now);
                break;
            case 1:
                table.convert(who, 1, {name, m, false, 0ms, {}}, now);
                break;
            case 2:
                table.unlock(who, name, {});
                break;
            case 3:
                table.cancel(who, name);
                break;
        }
        for (auto& e : table.take_events()) {
            if (e.kind != Kind::granted) continue;
            EXPECT_GT(e.token, last);
            last = e.token;
            grants++;
        }
        // Invariant: all granted modes on a name are pairwise compatible.
        bool truncated;
        auto locks = table.list_locks("*", 1000, &truncated);
        for (auto& x : locks)
            for (auto& y : locks)
                if (&x != &y && x.name == y.name && x.state != proto::LockState::waiting &&
                    y.state != proto::LockState::waiting) {
                    ASSERT_TRUE(compatible(x.granted, y.granted)) << x.name;
                }
    }
    EXPECT_GT(grants, 500);
    EXPECT_EQ(table.status().last_token, last);
}

TEST_F(Table, TokensOfALaterEpochAreLarger) {
    LockTable next(Limits{}, 2);
    SessionId s = *next.open_session("n", 1000ms, now);
    next.lock(s, 1, {"x", Mode::EX}, now);
    auto ev = next.take_events();
    EXPECT_EQ(ev[0].token, make_token(2, 1));
    EXPECT_GT(ev[0].token, make_token(1, (uint64_t(1) << kTokenCounterBits) - 1));
}

TEST_F(Table, BlockingCallbackOncePerWantedMode) {
    SessionId h = open(), w1 = open(), w2 = open(), w3 = open();
    lock(h, "x", Mode::PR);
    auto ev = lock(w1, "x", Mode::EX);
    ASSERT_NE(find(ev, Kind::blocking, h), nullptr);
    EXPECT_EQ(find(ev, Kind::blocking, h)->mode, Mode::EX);
    EXPECT_EQ(find(lock(w2, "x", Mode::EX), Kind::blocking, h), nullptr);  // already told
    EXPECT_EQ(find(lock(w3, "x", Mode::PW), Kind::blocking, h)->mode, Mode::PW);
}

TEST_F(Table, LimitsAndMisuse) {
    LockTable small(Limits{2, 2, 1, 1000ms, 2000ms});
    milliseconds lease;
    SessionId a = *small.open_session("n", 50ms, now, &lease);
    EXPECT_EQ(lease, 1000ms);  // clamped
    SessionId b = *small.open_session("n", 1h, now, &lease);
    EXPECT_EQ(lease, 2000ms);
    EXPECT_FALSE(small.open_session("n", 1000ms, now).has_value());
    EXPECT_FALSE(small.lock(a, 1, {"x", Mode::EX}, now).has_value());
    EXPECT_EQ(small.lock(a, 2, {"x", Mode::EX}, now), ErrorCode::busy);
    EXPECT_FALSE(small.lock(a, 3, {"y", Mode::EX}, now).has_value());
    EXPECT_EQ(small.lock(a, 4, {"z", Mode::EX}, now), ErrorCode::limit);
    EXPECT_FALSE(small.lock(b, 5, {"x", Mode::EX}, now).has_value());
    EXPECT_EQ(small.lock(b, 6, {"y", Mode::EX}, now), ErrorCode::limit);  // queue full
    EXPECT_EQ(small.convert(b, 7, {"x", Mode::PR}, now), ErrorCode::not_held);
    EXPECT_EQ(small.unlock(b, "x", {}), ErrorCode::not_held);
    EXPECT_EQ(small.unlock(b, "nope", {}), ErrorCode::not_held);
    EXPECT_EQ(small.lock(99, 8, {"x", Mode::EX}, now), ErrorCode::no_session);
}

TEST_F(Table, ListenerSeesEveryChangeOfOwnership) {
    RecordingListener rec;
    table.set_listener(&rec);
    SessionId a = open(), b = open();
    lock(a, "x", Mode::EX);
    lock(b, "x", Mode::EX);
    table.close_session(a);
    // Sessions opening (state 0: active) are journaled too: a restart must know them.
    std::vector<std::string> expected = {"state 1 0",   "state 2 0",    "grant x 1 EX",
                                         "release x 1", "grant x 2 EX", "close 1"};
    EXPECT_EQ(rec.log, expected);
}

}  // namespace
}  // namespace takeover::lockd
