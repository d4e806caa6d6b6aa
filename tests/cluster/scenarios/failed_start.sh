#!/usr/bin/env bash
# A member fails to start on the survivor: node1 crashes, node2 starts VIP, recorder a, then
# recorder b refuses to start there. heartbeat must not leave the group half-started: it
# stops every member in reverse order (c, b, a, VIP), reports the failure, and node2 holds
# nothing.
set -euo pipefail
. "$(dirname "$0")/../lib/cluster.sh"
. "$(dirname "$0")/../lib/group.sh"
t_require_root
t_init
group_vip_and_recorders 10.77.63 a b c

t_check "cluster comes up with the group on node1" cluster_up
echo node2 >"$(node_dir node2)/etc-ha.d/recorder-fail-b"
: >"$(node_dir node2)/var-log/recorder.log"
t_crash=$(node_crash node1)
t_check "node2 reports the failed start" \
    cluster_within 10000 node_log_has_after node2 "Giving up resources due to failure of recorder::b" "$t_crash"
t_check "node2 finished releasing (VIP gone)" cluster_within 10000 vip_off node2
sleep 0.5
actions=$(awk '$1 == "node2" && $3 != "status" { printf "%s:%s ", $2, $3 }' \
    "$(node_dir node2)/var-log/recorder.log")
t_check_eq "start a, start b (fails), then stop c, b, a" "a:start b:start c:stop b:stop a:stop " "$actions"
a_stop=$(node_log_time node2 "recorder a stop" "$t_crash")
vip_stop=$(node_log_time node2 "$(echo "$C_GROUP" | cut -d: -f1) $(echo "$C_GROUP" | cut -d: -f3 | cut -d' ' -f1) stop" "$t_crash")
t_check "the VIP is stopped after recorder a" test "${a_stop:-0}" -gt 0 -a "${vip_stop:-0}" -ge "${a_stop:-0}"
t_check_fails "recorder a not left running on node2" node_exec node2 test -e /run/recorder-a
t_check_fails "VIP not left on node2" vip_on node2
t_check_fails "client does not reach a half-started group" client_ping_vip
t_done
