#include "mfs_config.h"

#include "takeover/outcome.h"

#include <gtest/gtest.h>

namespace takeover::mfs {
namespace {

std::string error_of(std::string_view text) {
    try {
        auto table = parse_config(text, "m.cfg");
        master_config(table, "m.cfg");
    } catch (const Error& e) {
        EXPECT_EQ(e.outcome(), Outcome::not_configured);
        return e.what();
    }
    return "";
}

TEST(MfsConfig, DefaultsWhenEmpty) {
    auto c = master_config(parse_config("# only comments\n\n   \n", "m.cfg"), "m.cfg");
    EXPECT_EQ(c.data_path, "/var/lib/mfs");
    EXPECT_EQ(c.working_user, "mfs");
    EXPECT_EQ(c.matocl_port, 9421);
    EXPECT_EQ(c.matoml_port, 9419);
    EXPECT_EQ(c.matocs_port, 9420);
    EXPECT_EQ(c.matocl_listen_host, "*");
}

TEST(MfsConfig, ReadsKeysCommentsAndBlanks) {
    auto table = parse_config(
        "DATA_PATH = /srv/mfs/  # trailing comment\n"
        "\tMATOCL_LISTEN_PORT=19421\r\n"
        "WORKING_USER = mfs\n"
        "MATOCL_LISTEN_HOST = 10.77.70.1\n"
        "DATA_PATH = /srv/mfs2\n",  // the last one wins, as in MooseFS
        "m.cfg");
    auto c = master_config(table, "m.cfg");
    EXPECT_EQ(c.data_path, "/srv/mfs2");
    EXPECT_EQ(c.matocl_port, 19421);
    EXPECT_EQ(c.matocl_listen_host, "10.77.70.1");
    EXPECT_EQ(table.at("DATA_PATH").line, 5);
}

TEST(MfsConfig, MetaloggerKeys) {
    auto c = metalogger_config(
        parse_config("MASTER_HOST = 10.77.70.100\nMASTER_PORT = 9419\nDATA_PATH=/var/lib/ml\n",
                     "ml.cfg"),
        "ml.cfg");
    EXPECT_EQ(c.master_host, "10.77.70.100");
    EXPECT_EQ(c.master_port, 9419);
    EXPECT_EQ(c.data_path, "/var/lib/ml");
}

TEST(MfsConfig, MalformedLinesNameFileAndLine) {
    EXPECT_EQ(error_of("DATA_PATH = /x\njust words\n"), "m.cfg:2: expected KEY = VALUE");
    EXPECT_EQ(error_of("= value\n"), "m.cfg:1: invalid key ''");
    EXPECT_EQ(error_of("BAD KEY = 1\n"), "m.cfg:1: invalid key 'BAD KEY'");
    EXPECT_EQ(error_of("\n\nMATOCL_LISTEN_PORT = 99999\n"),
              "m.cfg:3: MATOCL_LISTEN_PORT must be a port number, not '99999'");
    EXPECT_EQ(error_of("MATOCL_LISTEN_PORT = 94x\n"),
              "m.cfg:1: MATOCL_LISTEN_PORT must be a port number, not '94x'");
    EXPECT_EQ(error_of("DATA_PATH = relative/dir\n"),
              "m.cfg:1: DATA_PATH must be an absolute path, not 'relative/dir'");
    EXPECT_EQ(error_of("WORKING_USER = mfs;rm\n"),
              "m.cfg:1: WORKING_USER has characters that do not belong in a name");
    EXPECT_EQ(error_of("MATOCL_LISTEN_HOST = $(reboot)\n"),
              "m.cfg:1: MATOCL_LISTEN_HOST must be a host name or address");
}

TEST(MfsConfig, ControlCharactersRefused) {
    EXPECT_EQ(error_of(std::string_view("A = b\x01c\n", 7)), "m.cfg:1: control character in value");
}

TEST(MfsConfig, MissingFileIsThisNodesProblem) {
    try {
        read_config("/nonexistent/mfsmaster.cfg");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.outcome(), Outcome::not_installed);
        EXPECT_EQ(std::string(e.what()), "cannot read /nonexistent/mfsmaster.cfg");
    }
}

}  // namespace
}  // namespace takeover::mfs
