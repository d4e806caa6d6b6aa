#include "mfs_freshest.h"
#include "mfs_backup.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace takeover::mfs {
namespace {

class MfsFreshest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/mfs_freshest_test.XXXXXX";
        root_ = mkdtemp(tmpl);
        fs::create_directories(master());
        fs::create_directories(logger());
    }
    void TearDown() override { fs::remove_all(root_); }

    std::string master() const { return root_ + "/master"; }
    std::string logger() const { return root_ + "/ml"; }

    static void write(const std::string& path, const std::string& bytes) {
        std::ofstream(path, std::ios::binary) << bytes;
    }
    static void metadata(const std::string& path, uint64_t version, bool complete = true) {
        std::string bytes(kHeaderV2);
        for (int shift = 56; shift >= 0; shift -= 8)
            bytes.push_back(static_cast<char>(version >> shift));
        bytes += std::string(100, 'x');
        if (complete) bytes += kEofMarker;
        write(path, bytes);
    }
    static void changelog(const std::string& path, uint64_t first, uint64_t last) {
        std::string lines;
        for (uint64_t id = first; id <= last; ++id)
            lines += std::to_string(id) + ": 1795631648|ACCESS(1)\n";
        write(path, lines);
    }

    std::string root_;
};

TEST_F(MfsFreshest, CrashedMasterReachesItsLastChange) {
    metadata(master() + "/metadata.mfs.back", 2);
    metadata(master() + "/metadata.mfs.back.1", 1);
    changelog(master() + "/changelog.0.mfs", 1, 27);
    Snapshot s = scan(master());
    ASSERT_TRUE(s.usable());
    EXPECT_EQ(s.newest->name, "metadata.mfs.back");
    EXPECT_EQ(s.reach, 28u);
    EXPECT_FALSE(s.clean());
}

TEST_F(MfsFreshest, CleanStopNeedsNoRestore) {
    metadata(master() + "/metadata.mfs", 40);
    changelog(master() + "/changelog.0.mfs", 30, 39);
    Snapshot s = scan(master());
    EXPECT_EQ(s.reach, 40u);
    EXPECT_TRUE(s.clean());
}

TEST_F(MfsFreshest, MetaloggerWinsWhenAhead) {
    metadata(master() + "/metadata.mfs.back", 2);
    changelog(master() + "/changelog.0.mfs", 2, 10);  // stale: from an old stint as master
    metadata(logger() + "/metadata_ml.mfs.back", 2);
    changelog(logger() + "/changelog_ml_back.0.mfs", 1, 3);
    changelog(logger() + "/changelog_ml.0.mfs", 4, 50);
    Snapshot own = scan(master()), copy = scan(logger());
    Choice c = choose_freshest(own, copy);
    ASSERT_EQ(c.source, &copy);
    EXPECT_EQ(copy.reach, 51u);
    EXPECT_NE(c.reason.find("metalogger copy is freshest"), std::string::npos);
}

TEST_F(MfsFreshest, TieGoesToTheMastersOwnDirectory) {
    metadata(master() + "/metadata.mfs.back", 5);
    changelog(master() + "/changelog.0.mfs", 5, 9);
    metadata(logger() + "/metadata_ml.mfs.back", 5);
    changelog(logger() + "/changelog_ml.0.mfs", 5, 9);
    Snapshot own = scan(master()), copy = scan(logger());
    EXPECT_EQ(choose_freshest(own, copy).source, &own);
}

TEST_F(MfsFreshest, TruncatedAndForeignFilesAreNotUsable) {
    metadata(master() + "/metadata.mfs", 90, /*complete=*/false);
    write(master() + "/metadata.mfs.empty", "MFSM NEW");  // the package's template, not state
    write(logger() + "/metadata_ml.tmp", "MFSM NEW");     // a download in progress
    changelog(logger() + "/changelog_ml.0.mfs", 1, 5);    // changelogs alone restore nothing
    Snapshot own = scan(master()), copy = scan(logger());
    EXPECT_FALSE(own.usable());
    EXPECT_FALSE(copy.usable());
    ASSERT_EQ(own.problems.size(), 1u);
    EXPECT_EQ(own.problems[0], "metadata.mfs: truncated (no end marker)");
    Choice c = choose_freshest(own, copy);
    EXPECT_EQ(c.source, nullptr);
    EXPECT_NE(c.reason.find("no usable metadata"), std::string::npos);
}

// Usable, but not "clean": promote restores it into the 2.0 format first, or the metaloggers
// would get nothing they can restore from until the new master's first hourly save (seen
// under Pacemaker: the other node never earned a promotion score).
TEST_F(MfsFreshest, NewFilesystemIsUsableButRestoredBeforeStart) {
    write(master() + "/metadata.mfs", "MFSM NEW");
    Snapshot s = scan(master());
    ASSERT_TRUE(s.usable());
    EXPECT_EQ(s.reach, 1u);
    EXPECT_TRUE(s.newest->brand_new);
    EXPECT_FALSE(s.clean());
}

TEST_F(MfsFreshest, MissingDirectoryIsAProblemNotAnException) {
    Snapshot s = scan(root_ + "/nope");
    EXPECT_FALSE(s.usable());
    ASSERT_EQ(s.problems.size(), 1u);
    EXPECT_NE(s.problems[0].find("cannot read directory"), std::string::npos);
}

TEST_F(MfsFreshest, BackupGenerationsMoveAndPrune) {
    metadata(master() + "/metadata.mfs.back", 2);
    changelog(master() + "/changelog.0.mfs", 1, 3);
    write(master() + "/stats.mfs", "charts");
    write(master() + "/.mfsmaster.lock", "123\n");
    const std::string backups = root_ + "/backup";
    Generation gen = move_into_backup(master(), backups);
    EXPECT_EQ(gen.moved, (std::vector<std::string>{"changelog.0.mfs", "metadata.mfs.back"}));
    EXPECT_TRUE(fs::exists(gen.dir + "/metadata.mfs.back"));
    EXPECT_FALSE(fs::exists(master() + "/metadata.mfs.back"));
    EXPECT_TRUE(fs::exists(master() + "/stats.mfs"));
    restore_generation(gen, master());
    EXPECT_TRUE(fs::exists(master() + "/metadata.mfs.back"));
    for (int i = 0; i < 4; ++i) move_into_backup(master(), backups);
    EXPECT_EQ(prune_generations(backups, 2), 3);  // 5 generations (1 emptied by the undo)
    int left = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(backups)) ++left;
    EXPECT_EQ(left, 2);
}

}  // namespace
}  // namespace takeover::mfs
