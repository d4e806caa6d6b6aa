// lockd_bench failover: how long a restarted server takes to have its clients' locks back.
//   lockd_bench failover memexpd ADDR KEYFILE CLIENTS LOCKS
//   lockd_bench failover redis   ADDR -       CLIENTS LOCKS
// Holds LOCKS locks over CLIENTS sessions (redis: keys SET NX PX over one pipelined
// connection), prints "held N", then waits for a line on stdin: the caller has killed the
// server and started it again. From the first connection the new server accepts (polled every
// millisecond, so ~ when it listens) it measures:
//   memexpd: every client re-opens its session and reclaims its locks (SESSION_REOPEN,
//            RECLAIM in batches, RECLAIM_DONE), all confirmed;
//   redis:   DBSIZE answers LOCKS (the AOF is loaded);
// then one new EX lock on a fresh name is granted. Prints "reclaimed_ms R first_grant_ms G".
#pragma once

#include <cstdint>
#include <string>

namespace takeover::lockd::bench {

int failover_memexpd(const std::string& addr, const std::string& keyfile, int clients,
                     uint32_t locks);
int failover_redis(const std::string& addr, uint32_t locks);

}  // namespace takeover::lockd::bench
