#!/usr/bin/env bash
# Clean handover: hb_standby on node1 hands the group (VIP + a recorder) to node2; node1
# releases it first (stop in reverse order), nothing stays behind on node1.
set -euo pipefail
. "$(dirname "$0")/../lib/cluster.sh"
. "$(dirname "$0")/../lib/group.sh"
t_require_root
t_init
group_vip_and_recorders 10.77.62 app

t_check "cluster comes up with the group on node1" cluster_up
t_standby=$(now_ms)
t_check "hb_standby on node1 runs" node_standby node1
t_check "node2 takes the VIP within 10 s" cluster_within 10000 vip_on node2
t_check "node2 runs the recorder" cluster_within 5000 node_exec node2 test -e /run/recorder-app
t_check "client reaches the VIP on node2" cluster_within 5000 client_ping_vip
t_check_fails "VIP left node1" vip_on node1
t_check_fails "recorder stopped on node1" node_exec node1 test -e /run/recorder-app
t_check "node1 released the group" node_log_has_after node1 "Releasing resource group" "$t_standby"
t_check "node1 is still alive (a standby, not a crash)" node_alive node1
t_check_fails "no resource failed" node_log_has_after node2 "ERROR: Return code" "$t_standby"
echo "handover took $(($(node_log_time node2 "remote resource transition completed" "$t_standby") - t_standby)) ms" \
    "(hb_standby to node2's transition complete)"
t_done
