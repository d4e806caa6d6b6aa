// What the agent tells Pacemaker beyond exit codes: master scores (crm_master), so that a node
// whose metadata can be restored is promoted and one without is never.
#pragma once

namespace takeover::mfs {

// Pacemaker sets OCF_RESOURCE_INSTANCE for every action; heartbeat v1 never does, nor does
// any OCF_RESKEY_* appear there. Both are how the agent tells its callers apart.
bool under_pacemaker();
bool ocf_semantics();

inline constexpr int kMasterScore = 1000;  // the running master stays where it is
inline constexpr int kSlaveScore = 100;    // a metalogger copy that a restore can use

// `crm_master -l reboot -v SCORE` (or -D for none) when under Pacemaker; a missing or failing
// crm_master is logged, never fatal (ocf-tester and heartbeat run without a CIB).
void set_master_score(int score);
void clear_master_score();

}  // namespace takeover::mfs
