#include "fenced_store.h"
#include "history.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace takeover::safety {
namespace {

class FencedStore : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/fenced-store-test.XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::vector<StoreRecord> log(const char* name) {
        std::vector<std::string> errors;
        auto out = read_store_log(dir_ + "/" + name, errors);
        EXPECT_TRUE(errors.empty());
        return out;
    }
    std::string dir_;
};

TEST_F(FencedStore, AcceptsRisingTokensAndRefusesLowerOnes) {
    EXPECT_TRUE(fenced_append(dir_, {5, "c1", 1}).accepted);
    EXPECT_TRUE(fenced_append(dir_, {7, "c2", 1}).accepted);
    StoreReply stale = fenced_append(dir_, {6, "c1", 2});
    EXPECT_FALSE(stale.accepted);
    EXPECT_EQ(stale.last_token, 7u);
    EXPECT_EQ(log("accepted"), (std::vector<StoreRecord>{{5, "c1", 1}, {7, "c2", 1}}));
    EXPECT_EQ(log("rejected"), (std::vector<StoreRecord>{{6, "c1", 2}}));
}

TEST_F(FencedStore, EqualTokenOnlyFromItsLastWriter) {
    EXPECT_TRUE(fenced_append(dir_, {9, "c1", 1}).accepted);
    EXPECT_TRUE(fenced_append(dir_, {9, "c1", 2}).accepted);
    EXPECT_FALSE(fenced_append(dir_, {9, "c2", 1}).accepted);
}

TEST_F(FencedStore, UnfencedAcceptsEverything) {
    EXPECT_TRUE(fenced_append(dir_, {9, "c1", 1}).accepted);
    EXPECT_TRUE(fenced_append(dir_, {3, "c2", 1}, Fencing::off).accepted);
}

TEST_F(FencedStore, MissingDirectoryIsAnError) {
    EXPECT_THROW(fenced_append(dir_ + "/nope", {1, "c1", 1}), std::runtime_error);
}

}  // namespace
}  // namespace takeover::safety
