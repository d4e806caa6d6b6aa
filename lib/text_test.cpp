#include "takeover/text.h"

#include <gtest/gtest.h>

using namespace takeover::text;

TEST(Text, SplitKeepsEmptyFields) {
    EXPECT_EQ(split("a::b", ':'), (std::vector<std::string>{"a", "", "b"}));
    EXPECT_EQ(split("", ':'), (std::vector<std::string>{""}));
}

TEST(Text, SplitWordsFoldsBlanks) {
    EXPECT_EQ(split_words("  node1\t10.0.0.1   smb "),
              (std::vector<std::string>{"node1", "10.0.0.1", "smb"}));
}

TEST(Text, ParseIntIsStrict) {
    EXPECT_EQ(parse_int<int>("42", 0, 100), 42);
    EXPECT_FALSE(parse_int<int>("42x", 0, 100));
    EXPECT_FALSE(parse_int<int>("", 0, 100));
    EXPECT_FALSE(parse_int<int>("101", 0, 100));
    EXPECT_FALSE(parse_int<int>("-1", 0, 100));
}

TEST(Text, ControlAndShellCharacters) {
    EXPECT_TRUE(has_control_chars("a\nb"));
    EXPECT_FALSE(has_control_chars("eth0"));
    EXPECT_TRUE(has_shell_meta("eth0;touch /tmp/x"));
    EXPECT_TRUE(has_shell_meta("$(id)"));
    EXPECT_FALSE(has_shell_meta("eth0.100"));
}

TEST(Text, ParseBool) {
    EXPECT_EQ(parse_bool("Yes"), true);
    EXPECT_EQ(parse_bool("off"), false);
    EXPECT_FALSE(parse_bool("maybe"));
}
