#include "image.h"

#include <algorithm>

namespace takeover::lockd::state {

std::string StateImage::key(const std::string& name, uint64_t session) {
    std::string k = name;
    k.push_back('\0');
    k.append(reinterpret_cast<const char*>(&session), sizeof session);
    return k;
}

void StateImage::drop_session(uint64_t id) {
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return;
    for (const auto& name : it->second.names) locks_.erase(key(name, id));
    sessions_.erase(it);
}

// Lenient on purpose: a record about something already gone (a release after its session
// was closed) changes nothing, so replay never has to trust the order of two tables.
void StateImage::apply(const Record& r) {
    switch (r.type) {
        case Record::Type::session_open:
            // A reused id is a new session: the old one's grants are not the new one's.
            drop_session(r.session);
            sessions_[r.session] = {r.text, r.lease_ms, {}};
            next_session_ = std::max(next_session_, r.session + 1);
            break;
        case Record::Type::session_close:
            drop_session(r.session);
            break;
        case Record::Type::grant: {
            last_token_ = std::max(last_token_, r.token);
            auto it = sessions_.find(r.session);
            if (it == sessions_.end()) break;
            it->second.names.insert(r.text);
            locks_[key(r.text, r.session)] = {r.mode, r.token};
            break;
        }
        case Record::Type::release:
            if (auto it = sessions_.find(r.session); it != sessions_.end()) {
                it->second.names.erase(r.text);
                locks_.erase(key(r.text, r.session));
            }
            break;
        case Record::Type::snapshot_info:
            last_token_ = std::max(last_token_, r.token);
            next_session_ = std::max(next_session_, r.session);
            break;
    }
}

std::string StateImage::encode_snapshot() const {
    std::string out;
    out.reserve(32 + sessions_.size() * 40 + locks_.size() * 48);
    append_record(out, {Record::Type::snapshot_info, next_session_, last_token_, 0, Mode::NL, {}});
    for (const auto& [id, s] : sessions_) {
        append_record(out, {Record::Type::session_open, id, 0, s.lease_ms, Mode::NL, s.node});
        for (const auto& name : s.names) {
            const Lock& l = locks_.at(key(name, id));
            append_record(out, {Record::Type::grant, id, l.token, 0, l.mode, name});
        }
    }
    return out;
}

RecoveredState StateImage::recovered(uint32_t epoch) const {
    RecoveredState rs;
    rs.durable = true;
    rs.epoch = epoch;
    rs.last_token = last_token_;
    rs.next_session = next_session_;
    for (const auto& [id, s] : sessions_) {
        rs.sessions.push_back({id, s.node, std::chrono::milliseconds(s.lease_ms)});
        for (const auto& name : s.names) {
            const Lock& l = locks_.at(key(name, id));
            rs.locks.push_back({name, id, l.mode, l.token});
        }
    }
    // Stable order for tests and dumps.
    std::sort(rs.sessions.begin(), rs.sessions.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    std::sort(rs.locks.begin(), rs.locks.end(), [](const auto& a, const auto& b) {
        return a.name != b.name ? a.name < b.name : a.session < b.session;
    });
    return rs;
}

bool StateImage::operator==(const StateImage& o) const {
    return sessions_ == o.sessions_ && locks_ == o.locks_ && last_token_ == o.last_token_ &&
           next_session_ == o.next_session_;
}

}  // namespace takeover::lockd::state
