// The safety checker: proves from the clients' histories and the fenced store's logs that
//   (1) exclusive holders never overlapped as the storage saw them: the accepted records'
//       tokens never go down, one token's records come from one client, and every accepted
//       record's token is a grant that client was told about (a lock ok in its history);
//   (2) no stale write was accepted (a token lower than one accepted before it);
//   (3) every acknowledged write (store acked, client logged ok) is in the store, and no
//       write the client saw refused is in it.
// Token order in real time (a lock granted after another grant completed carries a higher
// token) and unique tokens hold only for a server that remembers its tokens across restarts:
// checked when `strict_tokens` is set, counted either way. Without them the store still has
// to stay safe: it refuses the low tokens of a restarted memory-mode server.
#pragma once

#include "fenced_store.h"
#include "history.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace takeover::safety {

struct Observed {
    std::vector<Event> events;  // every client's history, any order
    std::vector<StoreRecord> accepted;
    std::vector<StoreRecord> rejected;
    std::vector<std::string> faults;  // the nemesis log
};

struct Report {
    uint64_t operations = 0;  // lock invocations
    uint64_t grants = 0, writes_acked = 0, writes_refused = 0, indeterminate_writes = 0;
    uint64_t accepted = 0, rejected = 0;
    uint64_t token_regressions = 0,
             reused_tokens = 0;  // grants whose token is below an earlier finished grant's
    std::map<std::string, uint64_t> faults;
    std::vector<std::string> violations;
};

Report check(const Observed&, bool strict_tokens);
std::string render(const Report&);  // the counts, then one line per violation

}  // namespace takeover::safety
