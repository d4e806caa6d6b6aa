// Takeover in the lock table: restore, grace, reopen, reclaim, expiry and fencing.
#include "lock_table.h"
#include "recording_listener.h"

#include <gtest/gtest.h>

namespace takeover::lockd {
namespace {

using namespace std::chrono_literals;
using Kind = Event::Kind;

class Reclaim : public ::testing::Test {
  protected:
    TimePoint now{std::chrono::seconds(1000)};
    LockTable table{Limits{}};
    RecordingListener log;
    RequestId next_request = 1;

    // Durable state of epoch 2: session 5 (node a) holds x EX and y PR, session 6 (node b)
    // holds y PR.
    RecoveredState durable_state() {
        RecoveredState st;
        st.durable = true;
        st.epoch = 3;
        st.last_token = make_token(2, 40);
        st.next_session = 7;
        st.sessions = {{5, "a", 5000ms}, {6, "b", 5000ms}};
        st.locks = {{"x", 5, Mode::EX, make_token(2, 38)},
                    {"y", 5, Mode::PR, make_token(2, 39)},
                    {"y", 6, Mode::PR, make_token(2, 40)}};
        return st;
    }
    void restore(const RecoveredState& st, milliseconds grace = 15s) {
        table.set_listener(&log);
        table.restore(st, now, grace);
    }
    void reopen(SessionId id, const std::string& node) {
        SessionId s = id;
        ASSERT_FALSE(table.reopen_session(s, node, 5000ms, now).has_value());
        ASSERT_EQ(s, id);
    }
    std::vector<Event> lock(SessionId s, const std::string& name, Mode m, bool try_only = false) {
        auto err = table.lock(s, next_request++, {name, m, try_only, 0ms, {}}, now);
        EXPECT_FALSE(err.has_value()) << proto::to_string(*err);
        return table.take_events();
    }
    static const Event* find(const std::vector<Event>& ev, Kind k, SessionId s = 0) {
        for (auto& e : ev)
            if (e.kind == k && (s == 0 || e.session == s)) return &e;
        return nullptr;
    }
    size_t held_by(SessionId s) {
        bool truncated;
        size_t n = 0;
        for (auto& e : table.list_locks("*", 100, &truncated))
            n += e.session == s && e.state == proto::LockState::granted;
        return n;
    }
};

TEST_F(Reclaim, RestoreBringsSessionsBackAwaitingReclaimAndTellsTheJournalNothing) {
    restore(durable_state());
    EXPECT_TRUE(log.log.empty());
    EXPECT_EQ(table.epoch(), 3u);
    EXPECT_EQ(table.status().held, 3u);
    EXPECT_EQ(table.session_state(5), SessionState::disconnected);
    auto g = table.grace(now);
    EXPECT_TRUE(g.active);
    EXPECT_EQ(g.left, 15000ms);
    EXPECT_EQ(g.awaiting, 2u);
    EXPECT_TRUE(table.durable());
}

TEST_F(Reclaim, MatchingTokenAndModeAreConfirmedOthersRefused) {
    restore(durable_state());
    reopen(5, "a");
    EXPECT_EQ(table.reclaim(5, "x", Mode::EX, make_token(2, 37)), ErrorCode::reclaim_refused);
    EXPECT_EQ(table.reclaim(5, "x", Mode::PR, make_token(2, 38)), ErrorCode::reclaim_refused);
    EXPECT_EQ(table.reclaim(5, "z", Mode::PR, make_token(2, 38)), ErrorCode::reclaim_refused);
    EXPECT_FALSE(table.reclaim(5, "x", Mode::EX, make_token(2, 38)).has_value());
    EXPECT_FALSE(table.reclaim(5, "y", Mode::PR, make_token(2, 39)).has_value());
    EXPECT_EQ(table.reclaim_done(5), 0u);
    EXPECT_EQ(held_by(5), 2u);
    SessionId wrong = 6;
    EXPECT_EQ(table.reopen_session(wrong, "a", 5000ms, now), ErrorCode::no_session);
}

TEST_F(Reclaim, UnconfirmedRestoredLockIsReleasedAtDone) {
    restore(durable_state());
    reopen(5, "a");
    ASSERT_FALSE(table.reclaim(5, "x", Mode::EX, make_token(2, 38)).has_value());
    log.log.clear();
    EXPECT_EQ(table.reclaim_done(5), 1u);  // y: granted before the crash, never learned of
    EXPECT_EQ(log.log, std::vector<std::string>{"release y 5"});
    EXPECT_EQ(held_by(5), 1u);
}

TEST_F(Reclaim, ConflictingRequestWaitsDuringGraceExpiryHoldsFenceReleases) {
    restore(durable_state());
    SessionId c = *table.open_session("c", 60000ms, now);
    auto ev = lock(c, "x", Mode::PR);
    EXPECT_EQ(find(ev, Kind::granted), nullptr);
    EXPECT_NE(find(lock(c, "free", Mode::EX), Kind::granted, c), nullptr);  // nobody can claim it
    reopen(6, "b");
    ASSERT_FALSE(table.reclaim(6, "y", Mode::PR, make_token(2, 40)).has_value());
    table.reclaim_done(6);
    now += 14s;
    table.tick(now);
    EXPECT_EQ(table.session_state(5), SessionState::disconnected);  // lease 5 s, grace 15 s
    EXPECT_TRUE(table.grace(now).active);
    now += 1s;
    ASSERT_EQ(table.next_deadline(), now);
    table.tick(now);
    ev = table.take_events();
    EXPECT_FALSE(table.grace(now).active);
    EXPECT_EQ(table.session_state(5), SessionState::expired);
    ASSERT_NE(find(ev, Kind::fence_needed, 5), nullptr);
    EXPECT_EQ(find(ev, Kind::fence_needed, 5)->name, "a");
    EXPECT_EQ(find(ev, Kind::granted, c), nullptr);  // held until fenced
    EXPECT_EQ(table.fence_ack("a"), 2u);
    EXPECT_NE(find(table.take_events(), Kind::granted, c), nullptr);
}

TEST_F(Reclaim, GraceEndsEarlyWhenEverySessionHasReclaimed) {
    restore(durable_state());
    for (auto [id, node] : {std::pair<SessionId, const char*>{5, "a"}, {6, "b"}}) {
        reopen(id, node);
        EXPECT_TRUE(table.grace(now).active);
        table.reclaim_done(id);
    }
    EXPECT_FALSE(table.grace(now).active);
    EXPECT_EQ(table.status().held, 0u);  // nothing confirmed: all released
}

TEST_F(Reclaim, MemoryModeGrantsNothingNewDuringGraceAndRefusesConflictingReclaims) {
    RecoveredState st;  // memory mode: only the epoch
    restore(st, 10s);
    EXPECT_FALSE(table.durable());
    SessionId c = *table.open_session("c", 5000ms, now);
    EXPECT_EQ(find(lock(c, "w", Mode::NL, true), Kind::failed, c)->error, ErrorCode::would_block);
    EXPECT_EQ(find(lock(c, "w", Mode::EX), Kind::granted), nullptr);
    reopen(7, "a");
    EXPECT_FALSE(table.reclaim(7, "x", Mode::EX, make_token(1, 90)).has_value());
    EXPECT_EQ(table.reclaim(7, "x", Mode::EX, make_token(1, 91)), ErrorCode::reclaim_refused);
    reopen(8, "b");
    EXPECT_EQ(table.reclaim(8, "x", Mode::PR, make_token(1, 80)), ErrorCode::reclaim_refused);
    EXPECT_FALSE(table.reclaim(8, "y", Mode::PR, make_token(1, 85)).has_value());
    EXPECT_EQ(table.reclaim_done(7), 0u);
    EXPECT_EQ(table.reclaim_done(8), 0u);
    EXPECT_TRUE(table.grace(now).active);  // others may still come: memory mode cannot know
    bool truncated;
    EXPECT_EQ(table.list_locks("x", 10, &truncated).at(0).token,
              make_token(1, 90));  // tokens as the client confirmed them
    now += 10s;
    table.tick(now);
    auto ev = table.take_events();
    ASSERT_NE(find(ev, Kind::granted, c), nullptr);
    EXPECT_GT(find(ev, Kind::granted, c)->token, make_token(1, 90));
    SessionId late = 9;
    EXPECT_EQ(table.reopen_session(late, "d", 5000ms, now), ErrorCode::session_expired);
}

TEST_F(Reclaim, MemoryModeClientMayComeBackTwice) {
    restore(RecoveredState{}, 10s);
    reopen(7, "a");
    ASSERT_FALSE(table.reclaim(7, "x", Mode::EX, make_token(1, 90)).has_value());
    table.reclaim_done(7);
    table.disconnect(7, now);
    reopen(7, "a");  // dropped again during grace
    EXPECT_EQ(table.reclaim(7, "x", Mode::PR, make_token(1, 90)), ErrorCode::reclaim_refused);
    EXPECT_FALSE(table.reclaim(7, "x", Mode::EX, make_token(1, 90)).has_value());
    EXPECT_EQ(table.reclaim_done(7), 0u);
    EXPECT_EQ(held_by(7), 1u);
    now += 10s;
    table.touch(7, now);
    table.tick(now);
    table.disconnect(7, now);
    reopen(7, "a");  // after grace: only what the server holds can be reclaimed
    EXPECT_EQ(table.reclaim(7, "new", Mode::EX, make_token(1, 95)), ErrorCode::reclaim_refused);
    EXPECT_FALSE(table.reclaim(7, "x", Mode::EX, make_token(1, 90)).has_value());
    EXPECT_EQ(table.reclaim_done(7), 0u);
}

TEST_F(Reclaim, TokensStrictlyIncreaseAfterRestore) {
    restore(durable_state());
    SessionId c = *table.open_session("c", 5000ms, now);
    auto g = find(lock(c, "new", Mode::EX), Kind::granted, c);
    ASSERT_NE(g, nullptr);
    EXPECT_GT(g->token, make_token(2, 40));
    EXPECT_EQ(g->token, make_token(3, 1));
    EXPECT_GT(c, 6u);  // session ids are not reused either

    LockTable mem;  // memory mode, epoch 1, a client from a later epoch comes back
    mem.restore(RecoveredState{}, now, 5s);
    SessionId s = 4;
    ASSERT_FALSE(mem.reopen_session(s, "a", 5000ms, now).has_value());
    ASSERT_FALSE(mem.reclaim(4, "x", Mode::PR, make_token(5, 7)).has_value());
    mem.reclaim_done(4);
    now += 5s;
    mem.tick(now);
    SessionId d = *mem.open_session("d", 5000ms, now);
    mem.take_events();
    mem.lock(d, 2, {"y", Mode::EX}, now);
    auto ev = mem.take_events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_GT(ev[0].token, make_token(5, 7));
}

TEST_F(Reclaim, ReconnectWithoutRestartReattachesTheSession) {
    SessionId s = *table.open_session("a", 5000ms, now);
    auto g = find(lock(s, "x", Mode::EX), Kind::granted, s)->token;
    table.disconnect(s, now);
    now += 2s;
    table.tick(now);
    reopen(s, "a");
    EXPECT_FALSE(table.reclaim(s, "x", Mode::EX, g).has_value());
    EXPECT_EQ(table.reclaim_done(s), 0u);
    EXPECT_EQ(table.session_state(s), SessionState::active);
    table.disconnect(s, now);
    now += 6s;
    table.tick(now);
    EXPECT_NE(find(table.take_events(), Kind::fence_needed, s), nullptr);
    SessionId again = s;
    EXPECT_EQ(table.reopen_session(again, "a", 5000ms, now), ErrorCode::session_expired);
}

}  // namespace
}  // namespace takeover::lockd
