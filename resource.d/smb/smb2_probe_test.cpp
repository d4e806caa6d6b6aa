#include "smb2_probe.h"

#include <gtest/gtest.h>

#include <cstring>

namespace takeover::smb::smb2 {
namespace {

TEST(Smb2Probe, NegotiateOffersSmb2And3WithoutContexts) {
    auto m = negotiate_request();
    ASSERT_EQ(m.size(), 64u + 36u + 8u);
    EXPECT_EQ(0, std::memcmp(m.data(), "\xfeSMB", 4));
    EXPECT_EQ(m[64], 36);     // StructureSize
    EXPECT_EQ(m[66], 4);      // DialectCount
    EXPECT_EQ(m[100], 0x02);  // first dialect 0x0202
    EXPECT_EQ(m[101], 0x02);
}

TEST(Smb2Probe, TreeConnectCarriesTheUncPathInUtf16) {
    auto m = tree_connect_request(3, 0x1122334455667788ull, "\\\\10.0.0.1\\data");
    EXPECT_EQ(m[24], 3);     // MessageId
    EXPECT_EQ(m[40], 0x88);  // SessionId, little-endian
    EXPECT_EQ(m[68], 72);    // PathOffset
    EXPECT_EQ(m[70], 2 * 15);
    EXPECT_EQ(m[72], '\\');
    EXPECT_EQ(m[73], 0);
    EXPECT_EQ(m.size(), 72u + 30u);
}

TEST(Smb2Probe, AnonymousAuthenticateHasEmptyUserAndOneByteLm) {
    auto t = ntlmssp_anonymous_authenticate(0xA2088205);
    ASSERT_EQ(t.size(), 65u);
    EXPECT_EQ(t[8], 3);          // AUTHENTICATE
    EXPECT_EQ(t[12], 1);         // LM length
    EXPECT_EQ(t[20], 0);         // NT length
    EXPECT_EQ(t[36], 0);         // user length
    EXPECT_NE(t[61] & 0x08, 0);  // NTLMSSP_NEGOTIATE_ANONYMOUS (0x800)
}

TEST(Smb2Probe, ParsesSessionSetupRepliesAndRejectsGarbage) {
    std::vector<uint8_t> m(64 + 8, 0);
    std::memcpy(m.data(), "\xfeSMB", 4);
    m[8] = 0x16, m[9] = 0x00, m[10] = 0x00, m[11] = 0xC0;  // MORE_PROCESSING_REQUIRED
    m[12] = 1;                                             // SESSION_SETUP
    m[40] = 7;                                             // SessionId
    m[68] = 72, m[70] = 24;                                // buffer at 72, 24 bytes
    std::vector<uint8_t> challenge = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 2, 0, 0, 0};
    challenge.resize(24);
    challenge[20] = 0x05, challenge[23] = 0xA2;
    m.insert(m.end(), challenge.begin(), challenge.end());
    Reply r = parse_reply(m);
    EXPECT_EQ(r.status, 0xC0000016u);
    EXPECT_EQ(r.session_id, 7u);
    EXPECT_EQ(challenge_flags(r.security_buffer), 0xA2000005u);
    EXPECT_EQ(challenge_flags({1, 2, 3}), 0u);
    EXPECT_THROW(parse_reply(std::vector<uint8_t>(10, 0)), std::runtime_error);
}

}  // namespace
}  // namespace takeover::smb::smb2
