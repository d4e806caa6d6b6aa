#include "lease.h"

#include "replay.h"

#include <spdlog/spdlog.h>

#include <thread>

namespace takeover::lockd::state {

void wait_for_stale_lease(Device& dev, const Superblock& seen, const LeaseOptions& opts) {
    using std::chrono::milliseconds;
    auto sleep = opts.sleep ? opts.sleep : [](milliseconds d) { std::this_thread::sleep_for(d); };
    milliseconds interval(std::max<uint32_t>(seen.lease_ms, 10));
    milliseconds wait = interval * opts.misses, waited{0};
    spdlog::warn(
        "{}: the superblock names {} (epoch {}) as the live owner; watching its lease "
        "for {} ms",
        dev.path(), seen.owner, seen.epoch, wait.count());
    while (waited < wait) {
        milliseconds step = std::min(opts.poll, wait - waited);
        sleep(step);
        waited += step;
        bool fresh = false;
        auto now = read_superblock(dev, &fresh);
        if (!now || now->generation != seen.generation)
            throw StateError(StateError::Kind::busy,
                             dev.path() + ": another memexpd (" + seen.owner + ", epoch " +
                                 std::to_string(now ? now->epoch : seen.epoch) +
                                 ") renews its lease on the state device; refusing to serve "
                                 "(--force-takeover only once that server is known dead)");
    }
    spdlog::warn("{}: the lease of {} (epoch {}) is stale: taking over", dev.path(), seen.owner,
                 seen.epoch);
}

void check_still_ours(Device& dev, const Superblock& ours) {
    bool fresh = false;
    std::optional<Superblock> now;
    try {
        now = read_superblock(dev, &fresh);
    } catch (const StateError& e) {
        if (e.kind() != StateError::Kind::corrupt) throw;
        throw StateError(StateError::Kind::io,
                         dev.path() + ": the superblock went bad under a running server");
    }
    if (now && now->generation == ours.generation && now->epoch == ours.epoch &&
        now->owner == ours.owner)
        return;
    throw StateError(StateError::Kind::fenced,
                     dev.path() + ": the state device now has epoch " +
                         std::to_string(now ? now->epoch : 0) + " owned by " +
                         (now && !now->owner.empty() ? now->owner : "nobody") +
                         ", this server has epoch " + std::to_string(ours.epoch) +
                         ": another memexpd took over; stopping without answering");
}

}  // namespace takeover::lockd::state
