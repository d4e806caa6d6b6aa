#include "lockctl_render.h"

#include <gtest/gtest.h>

namespace takeover::lockd::lockctl {
namespace {

TEST(Render, TextTableAlignsAndEscapes) {
    Table t({"name", "mode"});
    t.row({{std::string("a\nb", 3), false}, {"EX", false}});
    t.row({{"longer-name", false}, {"PR", false}});
    EXPECT_EQ(t.text(), "name         mode\na\\x0ab       EX\nlonger-name  PR\n");
}

TEST(Render, JsonQuotesStringsNotNumbers) {
    Table t({"name", "token"});
    t.row({{"q\"\x01", false}, {"42", true}});
    EXPECT_EQ(t.json(), "[\n {\"name\": \"q\\\"\\u0001\", \"token\": 42}\n]\n");
    EXPECT_EQ(Table({"x"}).json(), "[]\n");
}

TEST(Render, StatusSaysWhatSurvivesAndWhatWaits) {
    proto::StatusReply s{3, 65000, 2, 1, 4, 5, 1, 99, "memory"};
    s.extended = true;
    s.grace_left_ms = 12340;
    s.awaiting_reclaim = 2;
    s.fencing = {{"node-2", 2, "retry in 4 s (last: exit 1)"}};
    EXPECT_EQ(render_status(s, false),
              "server:    memexpd, epoch 3, up 0d 0h 1m 5s\n"
              "mode:      memory (a dead node's locks are unknown; lost if the server dies)\n"
              "grace:     12.3 s left; clients of the previous server may reclaim, new locks wait\n"
              "sessions:  2 (1 expired, their locks held until fenced)\n"
              "locks:     5 held, 1 waiting, on 4 names\n"
              "token:     99\n"
              "fencing:   node-2: retry in 4 s (last: exit 1), 2 attempt(s)\n");
    EXPECT_NE(render_status(s, true).find("\"fencing\": [{\"node\": \"node-2\", \"attempts\": 2"),
              std::string::npos);
    s.state_mode = "durable";
    s.state_path = "/dev/sdb1";
    EXPECT_NE(render_status(s, false).find("grace:     12.3 s left, 2 session(s) still to reclaim"),
              std::string::npos);
    s.grace_left_ms = 0;
    s.fencing.clear();
    auto text = render_status(s, false);
    EXPECT_NE(text.find("mode:      durable /dev/sdb1 (every session and lock survives"),
              std::string::npos);
    EXPECT_NE(text.find("grace:     over\n"), std::string::npos);
    s.extended = false;  // an older server
    EXPECT_NE(render_status(s, false).find("grace:     unknown"), std::string::npos);
    EXPECT_EQ(render_status(s, true).find("grace_left_ms"), std::string::npos);
}

}  // namespace
}  // namespace takeover::lockd::lockctl
