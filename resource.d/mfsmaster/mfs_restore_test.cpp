#include "mfs_restore.h"

#include <gtest/gtest.h>

namespace takeover::mfs {
namespace {

TEST(MfsRestore, NamesMooseFsReasonFirst) {
    // Output of mfsmaster 3.0.117 -a restore, measured here.
    EXPECT_EQ(restore_failure("loading objects ... ok\n"
                              "hole in change files (entries from changelog_ml.0.mfs:3 to "
                              "changelog_ml.0.mfs:3 are missing) - add more files\n\n"
                              "error applying changelogs - fix changelogs manually or use '-i' "
                              "flag\nrestore: metadata restore failed !!!\n"),
              "hole in change files (entries from changelog_ml.0.mfs:3 to changelog_ml.0.mfs:3 "
              "are missing) - add more files; error applying changelogs - fix changelogs "
              "manually or use '-i' flag");
    EXPECT_EQ(restore_failure("chunks: 0\nchangelog_ml.0.mfs:7: version mismatch\n\n"),
              "changelog_ml.0.mfs:7: version mismatch");
    EXPECT_EQ(restore_failure("progress: current change: 27 (first:4 - last:27 - 100%)\n"), "");
    EXPECT_EQ(restore_failure(""), "");
}

}  // namespace
}  // namespace takeover::mfs
