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

}  // namespace
}  // namespace takeover::lockd::lockctl
