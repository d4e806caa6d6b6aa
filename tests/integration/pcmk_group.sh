#!/usr/bin/env bash
# Our agents under a real Pacemaker 2.1 + Corosync 3 two-node cluster (namespaces, token 1000
# ms; tests/cluster/lib/pacemaker.sh): the probes find nothing, the group starts on one node, a
# monitor failure (the VIP deleted behind Pacemaker's back) is recovered in place, and a crash
# of the owner moves the group to the survivor. Prints the timelines. About 40 s.
set -euo pipefail
. "$(dirname "$0")/../cluster/lib/pacemaker.sh"
. "$(dirname "$0")/../cluster/lib/pcmk-group.sh"
t_require_root
t_init
# shellcheck disable=SC2034  # read by the harness (pacemaker.sh)
P_NET=10.77.81 P_VIP=10.77.81.100 P_CLIENT=10.77.81.50
pcmk_have_agent IPaddr || { echo "FAIL - $TAKEOVER_BUILD/resource.d/IPaddr is not built"; exit 1; }
pcmk_group_compose ours
echo "# group storage: ${PG_MEMBERS[*]}"

t_check "two nodes online with a DC" pcmk_up
t_check "Pacemaker reads our IPaddr's meta-data" \
    t_quiet pcmk_exec node1 crm_resource --show-metadata ocf:takeover:IPaddr

echo "# the commands of docs/pacemaker.md"
t_check "crm configure property stonith-enabled=false no-quorum-policy=ignore" \
    t_quiet pcmk_crm node1 configure property stonith-enabled=false no-quorum-policy=ignore
t_check "crm configure rsc_defaults resource-stickiness=100" \
    t_quiet pcmk_crm node1 configure rsc_defaults resource-stickiness=100
t_cfg=$(now_ms)
t_check "crm configure load update storage.crm" t_quiet pcmk_group_configure node1
t_check "the group runs on one node within 20 s" cluster_within 20000 pcmk_group_placed
owner=$(pcmk_where "${PG_MEMBERS[0]}")
if [[ "$owner" != node1 && "$owner" != node2 ]]; then
    pcmk_mon node1 || true
    echo "FAIL - the group did not start; stopping here"
    t_done
    exit 1
fi
other=node1; [[ "$owner" == node1 ]] && other=node2
echo "# owner: $owner"
for n in node1 node2; do
    t_check "$n probed every member and found it not running" \
        cluster_within 5000 pcmk_probed_not_running "$n" "$t_cfg"
done
t_check "every member runs on $owner" pcmk_group_up "$owner"
t_check "the VIP is in $owner's kernel" pcmk_vip_on "$owner"
t_check_fails "the VIP is not on $other" pcmk_vip_on "$other"
t_check "the client reaches the VIP" cluster_within 5000 pcmk_client_ping_vip
t_check "start took no failure" pcmk_no_failures

echo "# monitor failure: the VIP deleted behind Pacemaker's back"
t_fail=$(now_ms)
ip -n "$(t_ns "$owner")" addr del "$P_VIP/24" dev eth0
t_check "the monitor (2 s) reports it not running" \
    cluster_within 10000 pcmk_log_has_after "$owner" "Result of monitor operation for vip on $owner: not running" "$t_fail"
t_check "it is recovered in place: the VIP is back on $owner" cluster_within 15000 pcmk_vip_on "$owner"
t_check "Pacemaker sees the group on $owner again" cluster_within 10000 pcmk_group_up "$owner"
t_check_eq "one failure counted for vip on $owner" 1 "$(pcmk_failcount vip "$owner")"
t_check_fails "nothing moved to $other" pcmk_vip_on "$other"
pcmk_events "$t_fail" | grep -v probe | timeline_print

echo "# crash of $owner"
t_crash=$(pcmk_crash "$owner")
t_check_fails "$owner is gone after SIGKILL of its PID 1" pcmk_alive "$owner"
t_check "$other runs the whole group within 20 s" cluster_within 20000 pcmk_group_up "$other"
t_check "the VIP is in $other's kernel" pcmk_vip_on "$other"
t_check "the client reaches the VIP again" cluster_within 5000 pcmk_client_ping_vip
t_check "$other's Pacemaker declared $owner lost" pcmk_log_has_after "$other" "Node $owner state is now lost" "$t_crash"
t_check "no start failed on $other" pcmk_no_failures
pcmk_events "$t_crash" "$other" | timeline_print
t_done
