#include "mfs_sockets.h"

#include <gtest/gtest.h>

namespace takeover::mfs {
namespace {

// Lines as a namespace with a master (listening on 9419-9421) and a metalogger shows them.
constexpr const char* kProcNetTcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode\n"
    "   0: 00000000:24CB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
    "1040 1 000000000869d445 100 0 0 10 0\n"
    "   1: 00000000:24CD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
    "1041 1 000000000869d446 100 0 0 10 0\n"
    "   2: 0C464D0A:B2D4 64464D0A:24CB 01 00000000:00000000 00:00000000 00000000   420        0 "
    "1042 1 000000000869d447 20 4 30 10 -1\n"
    "   3: garbage line\n";

TEST(MfsSockets, ParsesPortsAndStates) {
    auto sockets = parse_proc_net_tcp(kProcNetTcp);
    ASSERT_EQ(sockets.size(), 3u);
    EXPECT_TRUE(listening_on(sockets, 9419));
    EXPECT_TRUE(listening_on(sockets, 9421));
    EXPECT_FALSE(listening_on(sockets, 9420));
    EXPECT_TRUE(connected_to(sockets, 9419));  // a metalogger talking to a master
    EXPECT_FALSE(connected_to(sockets, 9421));
    EXPECT_EQ(sockets[2].local_port, 0xB2D4);
}

TEST(MfsSockets, EmptyOrHeaderOnly) {
    EXPECT_TRUE(parse_proc_net_tcp("").empty());
    EXPECT_TRUE(parse_proc_net_tcp("  sl  local_address rem_address st\n").empty());
}

}  // namespace
}  // namespace takeover::mfs
