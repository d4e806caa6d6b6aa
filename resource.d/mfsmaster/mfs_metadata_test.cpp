#include "mfs_metadata.h"

#include <gtest/gtest.h>

namespace takeover::mfs {
namespace {

std::string header(uint64_t version) {
    std::string h(kHeaderV2);
    for (int shift = 56; shift >= 0; shift -= 8) h.push_back(static_cast<char>(version >> shift));
    return h;
}

TEST(MfsMetadata, ReadsBigEndianVersion) {
    auto info = parse_metadata(header(0x0102030405060708ULL), kEofMarker);
    ASSERT_TRUE(info.version);
    EXPECT_EQ(*info.version, 0x0102030405060708ULL);
    EXPECT_EQ(*parse_metadata(header(28), kEofMarker).version, 28u);
}

TEST(MfsMetadata, NewFilesystemIsVersionOne) {
    EXPECT_EQ(*parse_metadata("MFSM NEW", "MFSM NEW").version, 1u);
    EXPECT_TRUE(parse_metadata("MFSM NEW", "MFSM NEW").brand_new);
    EXPECT_FALSE(parse_metadata(header(28), kEofMarker).brand_new);
}

TEST(MfsMetadata, RefusesBrokenFiles) {
    EXPECT_EQ(parse_metadata(header(5), "garbage at the end").problem, "truncated (no end marker)");
    EXPECT_EQ(parse_metadata("MFSM 2.0\0\0", kEofMarker).problem, "truncated header");
    EXPECT_EQ(parse_metadata("MFSM 1.6xxxxxxxx", kEofMarker).problem,
              "unsupported metadata format 'MFSM 1.6'");
    EXPECT_EQ(parse_metadata("", "").problem, "not a MooseFS metadata file");
    EXPECT_EQ(parse_metadata("\x7f"
                             "ELF",
                             "")
                  .problem,
              "not a MooseFS metadata file");
    EXPECT_FALSE(parse_metadata("MFS", "").version);
}

TEST(MfsMetadata, ChangeIds) {
    EXPECT_EQ(*change_id("123: 1795631598|CREATE(1,f1,1,438,18,0,0,0):2"), 123u);
    EXPECT_FALSE(change_id("123 1795631598|CREATE"));
    EXPECT_FALSE(change_id("x1: 1|A"));
    EXPECT_FALSE(change_id("0: 1|A"));
    EXPECT_FALSE(change_id("5: no bar"));
    EXPECT_FALSE(change_id(""));
}

TEST(MfsMetadata, ChangelogRangeSkipsPartialLines) {
    auto ids = parse_change_ids("2: 1|A\n4: 1|B\n27: 1|C\n28: 17956");  // 28 was cut short
    EXPECT_EQ(ids.first, 2u);
    EXPECT_EQ(ids.last, 27u);
    auto tail = parse_change_ids("31|CUT(0)\n100: 1|A\n101: 1|B\n", true);
    EXPECT_EQ(tail.first, 100u);
    EXPECT_EQ(tail.last, 101u);
    EXPECT_TRUE(parse_change_ids("").empty());
    EXPECT_TRUE(parse_change_ids("no ids here\n").empty());
}

TEST(MfsMetadata, ClassifiesNamesLikeMfsmasterDashA) {
    for (const char* name : {"metadata.mfs", "metadata.mfs.back", "metadata.mfs.back.1",
                             "metadata_ml.mfs.back", "metadata_ml.mfs.back.3"})
        EXPECT_EQ(classify(name), FileKind::metadata) << name;
    for (const char* name :
         {"changelog.0.mfs", "changelog.12.mfs", "changelog_ml.0.mfs", "changelog_ml_back.1.mfs"})
        EXPECT_EQ(classify(name), FileKind::changelog) << name;
    for (const char* name : {"metadata.mfs.empty", "metadata_ml.tmp", "metadata.crc",
                             ".mfsmaster.lock", "changelog.x.mfs", "changelog..mfs",
                             "metadata.mfs.back.", "stats.mfs", "changelog.0.mfs.bak"})
        EXPECT_EQ(classify(name), FileKind::other) << name;
}

}  // namespace
}  // namespace takeover::mfs
