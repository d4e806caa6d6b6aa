#include "smb_testparm.h"

#include <gtest/gtest.h>

namespace takeover::smb {
namespace {

TEST(SmbTestparm, ReasonSkipsTheChatter) {
    EXPECT_EQ(testparm_reason("Load smb config files from /x.conf\n"
                              "Unknown parameter encountered: \"bogus thing\"\n"
                              "Ignoring unknown parameter \"bogus thing\"\n"
                              "Error loading services.\n"),
              "Unknown parameter encountered: \"bogus thing\"");
    EXPECT_EQ(testparm_reason("Load smb config files from /x.conf\nError loading services.\n"),
              "testparm refused it");
    EXPECT_EQ(testparm_reason("Load smb config files from /x.conf\nLoaded services file OK.\n"
                              "Weak crypto is allowed by GnuTLS (e.g. NTLM as a ...)\n\n"
                              "WARNING: lock directory /l does not exist\n\n"
                              "ERROR: state directory /s does not exist\n\n"
                              "Server role: ROLE_STANDALONE\n"),
              "ERROR: state directory /s does not exist");
    EXPECT_EQ(testparm_reason("Load smb config files from /x.conf\n"
                              "WARNING: Ignoring invalid value 'bogus' for parameter 'security'\n"
                              "Error loading services.\n"),
              "WARNING: Ignoring invalid value 'bogus' for parameter 'security'");
}

TEST(SmbTestparm, DumpStartsAtTheFirstSection) {
    const std::string out =
        "Load smb config files from /x.conf\nLoaded services file OK.\n"
        "Weak crypto is allowed by GnuTLS (e.g. NTLM as a compatibility fallback)\n\n"
        "Server role: ROLE_STANDALONE\n\n# Global parameters\n[global]\n"
        "\tpid directory = /p\n\n[share]\n\tpath = /s\n";
    Settings s = settings_of(Conf::parse(testparm_dump(out), "t"));
    EXPECT_EQ(s.pid_directory, "/p");
    EXPECT_EQ(s.share("share")->path, "/s");
    EXPECT_EQ(testparm_dump("no sections here\n"), "");
}

}  // namespace
}  // namespace takeover::smb
