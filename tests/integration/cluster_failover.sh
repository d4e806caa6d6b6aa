#!/usr/bin/env bash
# A real 2-node heartbeat cluster: the active node crashes (SIGKILL of its PID 1), the
# survivor takes the VIP (our IPaddr where built, else heartbeat's IPaddr2) and the client
# reaches it again. The fast cluster scenario of `make test` (about 20 s, most of it heartbeat
# settling); the others are in tests/cluster (make test-cluster).
set -euo pipefail
. "$(dirname "$0")/../cluster/lib/cluster.sh"
. "$(dirname "$0")/../cluster/lib/group.sh"
t_require_root
t_init
C_NET=10.77.61
C_VIP=$C_NET.100
C_CLIENT=$C_NET.50
group_compose ours ip >/dev/null
echo "group: $C_GROUP"

t_check "cluster comes up with the group on node1" cluster_up
t_check "VIP on node1" vip_on node1
t_check_fails "VIP not on node2" vip_on node2
t_check "client reaches the VIP" client_ping_vip

t_crash=$(node_crash node1)
t_check_fails "node1 is gone after SIGKILL of its PID 1" node_alive node1
t_check "node2 takes the VIP within 10 s" cluster_within 10000 vip_on node2
t_check "client reaches the VIP again within 10 s" cluster_within 10000 client_ping_vip
t_check "node2's heartbeat declared node1 dead" node_log_has_after node2 "node node1: is dead" "$t_crash"
t_check "node2 completed the takeover" \
    cluster_within 5000 node_log_has_after node2 "mach_down takeover complete" "$t_crash"
t_check_fails "no resource failed on node2" node_log_has_after node2 "ERROR: Return code" "$t_crash"
takeover_events node2 "$t_crash" | timeline_print
t_done
