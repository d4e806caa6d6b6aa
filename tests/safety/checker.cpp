#include "checker.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <tuple>

namespace takeover::safety {
namespace {

using Key = std::tuple<std::string, uint64_t, uint64_t>;  // client, seq, token
Key key_of(const StoreRecord& r) {
    return {r.client, r.seq, r.token};
}
Key key_of(const Event& e) {
    return {e.client, e.seq, e.token};
}

std::string record_text(const StoreRecord& r) {
    return "token " + std::to_string(r.token) + " by " + r.client + " seq " + std::to_string(r.seq);
}

// (1): every grant's token is new. A server that forgets its tokens when it restarts (memory
// mode) hands them out again: counted, and a violation when strict.
std::set<std::pair<uint64_t, std::string>> grants(const Observed& o, bool strict, Report& rep) {
    std::set<std::pair<uint64_t, std::string>> granted;
    std::map<uint64_t, const Event*> first;
    for (const Event& e : o.events) {
        if (e.op != Op::lock || e.kind != Kind::ok) continue;
        rep.grants++;
        granted.insert({e.token, e.client});
        auto [it, fresh] = first.emplace(e.token, &e);
        if (fresh) continue;
        rep.reused_tokens++;
        if (strict)
            rep.violations.push_back("token " + std::to_string(e.token) + " granted twice (" +
                                     it->second->client + " seq " +
                                     std::to_string(it->second->seq) + ", " + e.client + " seq " +
                                     std::to_string(e.seq) + ")");
    }
    return granted;
}

// (1) and (2): the store's order.
void check_store_order(const Observed& o, const std::set<std::pair<uint64_t, std::string>>& granted,
                       Report& rep) {
    for (size_t i = 0; i < o.accepted.size(); ++i) {
        const StoreRecord& r = o.accepted[i];
        if (!granted.count({r.token, r.client}))
            rep.violations.push_back("accepted " + record_text(r) + ": no such grant to " +
                                     r.client);
        if (i == 0) continue;
        const StoreRecord& prev = o.accepted[i - 1];
        if (r.token < prev.token)
            rep.violations.push_back("stale write accepted: " + record_text(r) + " after " +
                                     record_text(prev));
        else if (r.token == prev.token && r.client != prev.client)
            rep.violations.push_back("overlapping holders: " + record_text(r) + " and " +
                                     record_text(prev) + " share a token");
    }
}

// (3): acknowledged writes are there; refused ones are not.
void check_acknowledged(const Observed& o, Report& rep) {
    std::set<Key> accepted, rejected;
    for (const auto& r : o.accepted) accepted.insert(key_of(r));
    for (const auto& r : o.rejected) rejected.insert(key_of(r));
    std::set<std::pair<std::string, uint64_t>> finished;
    for (const Event& e : o.events)
        if (e.op == Op::write && e.kind != Kind::invoke) finished.insert({e.client, e.seq});
    for (const Event& e : o.events) {
        if (e.op != Op::write) continue;
        if (e.kind == Kind::invoke && !finished.count({e.client, e.seq}))
            rep.indeterminate_writes++;
        if (e.kind == Kind::ok) {
            rep.writes_acked++;
            if (!accepted.count(key_of(e)))
                rep.violations.push_back("acknowledged write lost: token " +
                                         std::to_string(e.token) + " by " + e.client + " seq " +
                                         std::to_string(e.seq));
        }
        if (e.kind == Kind::fail) {
            rep.writes_refused++;
            if (accepted.count(key_of(e)) || !rejected.count(key_of(e)))
                rep.violations.push_back("refused write not recorded as refused: token " +
                                         std::to_string(e.token) + " by " + e.client);
        }
    }
}

// Real-time token order: a grant invoked after another grant was acknowledged must carry a
// higher token. Sweep events by time, remembering the highest acknowledged token so far.
void check_token_order(const Observed& o, bool strict, Report& rep) {
    std::vector<const Event*> locks;
    for (const Event& e : o.events)
        if (e.op == Op::lock && e.kind != Kind::fail) locks.push_back(&e);
    std::stable_sort(locks.begin(), locks.end(),
                     [](const Event* a, const Event* b) { return a->at_ns < b->at_ns; });
    std::map<std::pair<std::string, uint64_t>, uint64_t> floor_at_invoke;
    uint64_t highest = 0;
    for (const Event* e : locks) {
        if (e->kind == Kind::invoke) {
            floor_at_invoke[{e->client, e->seq}] = highest;
            continue;
        }
        uint64_t floor = floor_at_invoke[{e->client, e->seq}];
        if (e->token <= floor) {
            rep.token_regressions++;
            if (strict)
                rep.violations.push_back("token " + std::to_string(e->token) + " to " + e->client +
                                         " seq " + std::to_string(e->seq) + " is not above " +
                                         std::to_string(floor) +
                                         ", granted before it was asked for");
        }
        highest = std::max(highest, e->token);
    }
}

}  // namespace

Report check(const Observed& o, bool strict_tokens) {
    Report rep;
    for (const Event& e : o.events)
        if (e.op == Op::lock && e.kind == Kind::invoke) rep.operations++;
    rep.accepted = o.accepted.size();
    rep.rejected = o.rejected.size();
    for (const auto& f : o.faults) rep.faults[f]++;
    check_store_order(o, grants(o, strict_tokens, rep), rep);
    check_acknowledged(o, rep);
    check_token_order(o, strict_tokens, rep);
    return rep;
}

std::string render(const Report& r) {
    std::ostringstream out;
    auto fault = [&](const char* name) {
        auto it = r.faults.find(name);
        return it == r.faults.end() ? uint64_t(0) : it->second;
    };
    out << "operations:            " << r.operations << " (" << r.grants << " granted)\n"
        << "writes:                " << r.writes_acked << " acknowledged, " << r.writes_refused
        << " refused, " << r.indeterminate_writes << " indeterminate\n"
        << "store:                 " << r.accepted << " accepted, " << r.rejected
        << " rejected stale writes\n"
        << "failovers:             " << fault("failover") << "\n"
        << "server pauses:         " << fault("pause") << "\n"
        << "client kills:          " << fault("client-kill") << "\n"
        << "client pauses:         " << fault("client-pause") << "\n"
        << "connection cuts:       " << fault("cut") << "\n"
        << "takeovers:             " << fault("takeover") << "\n"
        << "token regressions:     " << r.token_regressions << "\n"
        << "reused tokens:         " << r.reused_tokens << "\n"
        << "violations:            " << r.violations.size() << "\n";
    for (const auto& v : r.violations) out << "VIOLATION: " << v << "\n";
    return out.str();
}

}  // namespace takeover::safety
