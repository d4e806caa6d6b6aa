#include "dump.h"

#include <sstream>

namespace takeover::lockd::state {

std::string dump_state(Device& dev, bool discard_corrupt) {
    Replay r = replay(dev, {discard_corrupt});
    RecoveredState rs = r.image.recovered(r.last_epoch);
    std::ostringstream out;
    out << "device " << dev.path() << " size " << dev.size() << "\n";
    if (r.fresh) {
        out << "state empty (never used)\n";
        return out.str();
    }
    if (r.superblock) {
        const auto& sb = *r.superblock;
        out << "epoch " << sb.epoch << " generation " << sb.generation << " area " << sb.active_area
            << " owner " << (sb.owner.empty() ? "-" : sb.owner) << " heartbeat " << sb.heartbeat
            << " lease_ms " << sb.lease_ms << "\n";
    }
    out << "batches " << r.batches << " next_seq " << r.next_seq << " journal_end " << r.journal_end
        << " torn_tail " << (r.torn_tail ? "yes" : "no") << "\n";
    for (const auto& d : r.discarded) out << "discarded " << d << "\n";
    out << "last_token " << rs.last_token << " next_session " << rs.next_session << "\n";
    for (const auto& s : rs.sessions)
        out << "session " << s.id << " node " << s.node << " lease_ms " << s.lease.count() << "\n";
    for (const auto& l : rs.locks)
        out << "lock " << l.name << " session " << l.session << " mode " << to_string(l.mode)
            << " token " << l.token << "\n";
    return out.str();
}

}  // namespace takeover::lockd::state
