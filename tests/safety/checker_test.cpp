// The checker must be able to fail: each broken history below has to produce a violation.
#include "checker.h"

#include <gtest/gtest.h>

namespace takeover::safety {
namespace {

// One complete cycle of CLIENT: lock (token), write accepted or refused, unlock.
void cycle(Observed& o, int64_t& t, const std::string& client, uint64_t seq, uint64_t token,
           bool accepted = true) {
    o.events.push_back({t++, client, Kind::invoke, Op::lock, seq, 0});
    o.events.push_back({t++, client, Kind::ok, Op::lock, seq, token});
    o.events.push_back({t++, client, Kind::invoke, Op::write, seq, token});
    o.events.push_back({t++, client, accepted ? Kind::ok : Kind::fail, Op::write, seq, token});
    o.events.push_back({t++, client, Kind::invoke, Op::unlock, seq, token});
    o.events.push_back({t++, client, Kind::ok, Op::unlock, seq, token});
    (accepted ? o.accepted : o.rejected).push_back({token, client, seq});
}

Observed clean_history() {
    Observed o;
    int64_t t = 1;
    cycle(o, t, "c1", 1, 10);
    cycle(o, t, "c2", 1, 11);
    cycle(o, t, "c1", 2, 12);
    o.faults = {"failover", "cut"};
    return o;
}

TEST(Checker, CleanHistoryHasNoViolation) {
    Report r = check(clean_history(), true);
    EXPECT_TRUE(r.violations.empty()) << render(r);
    EXPECT_EQ(r.operations, 3u);
    EXPECT_EQ(r.accepted, 3u);
    EXPECT_EQ(r.faults["failover"], 1u);
}

TEST(Checker, RejectedStaleWriteIsNoViolation) {
    Observed o = clean_history();
    int64_t t = 100;
    // c3 was granted 9 long ago (paused), its write comes after 12 and is refused.
    o.events.push_back({1, "c3", Kind::invoke, Op::lock, 1, 0});
    o.events.push_back({2, "c3", Kind::ok, Op::lock, 1, 9});
    o.events.push_back({t, "c3", Kind::invoke, Op::write, 1, 9});
    o.events.push_back({t + 1, "c3", Kind::fail, Op::write, 1, 9});
    o.rejected.push_back({9, "c3", 1});
    Report r = check(o, false);
    EXPECT_TRUE(r.violations.empty()) << render(r);
    EXPECT_EQ(r.rejected, 1u);
    EXPECT_EQ(r.writes_refused, 1u);
}

TEST(Checker, OverlapAndStaleAcceptedWriteAreViolations) {
    Observed o = clean_history();
    int64_t t = 100;
    // c3 holds token 12 too (overlapping with c1), and a write with stale token 10 is accepted.
    o.events.push_back({t++, "c3", Kind::invoke, Op::lock, 1, 0});
    o.events.push_back({t++, "c3", Kind::ok, Op::lock, 1, 12});
    o.events.push_back({t++, "c3", Kind::ok, Op::write, 1, 12});
    o.accepted.push_back({12, "c3", 1});
    o.accepted.push_back({10, "c1", 1});
    Report r = check(o, false);
    EXPECT_GE(r.violations.size(), 2u) << render(r);  // shared, stale
    EXPECT_GE(check(o, true).violations.size(), 3u);  // and granted twice
    EXPECT_NE(render(r).find("stale write accepted: token 10"), std::string::npos);
    EXPECT_NE(render(r).find("overlapping holders"), std::string::npos);
}

TEST(Checker, LostAcknowledgedWriteIsAViolation) {
    Observed o = clean_history();
    o.accepted.erase(o.accepted.begin() + 1);
    Report r = check(o, false);
    ASSERT_EQ(r.violations.size(), 1u) << render(r);
    EXPECT_NE(r.violations[0].find("acknowledged write lost: token 11 by c2"), std::string::npos);
}

TEST(Checker, RecordWithoutGrantIsAViolation) {
    Observed o = clean_history();
    o.accepted.push_back({13, "c9", 1});
    EXPECT_EQ(check(o, false).violations.size(), 1u);
    o.accepted.back() = {13, "c1", 3};  // c2's token
    o.events.push_back({90, "c2", Kind::ok, Op::lock, 2, 13});
    EXPECT_EQ(check(o, false).violations.size(), 1u);
}

TEST(Checker, TokenGoingBackInRealTimeCountsAndIsAViolationWhenStrict) {
    Observed o = clean_history();
    int64_t t = 100;
    cycle(o, t, "c2", 2, 5, false);  // a restarted memory-mode server starts low again
    Report loose = check(o, false);
    EXPECT_TRUE(loose.violations.empty()) << render(loose);
    EXPECT_EQ(loose.token_regressions, 1u);
    EXPECT_EQ(check(o, true).violations.size(), 1u);
}

TEST(Checker, RenderPrintsEveryCount) {
    std::string text = render(check(clean_history(), false));
    for (const char* field :
         {"operations:", "failovers:", "server pauses:", "client kills:", "connection cuts:",
          "rejected stale writes", "violations:            0"})
        EXPECT_NE(text.find(field), std::string::npos) << field;
}

}  // namespace
}  // namespace takeover::safety
