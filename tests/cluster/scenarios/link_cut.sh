#!/usr/bin/env bash
# A cut link: node1's public port (eth0: clients, ping node) goes down while it holds the
# group. The nodes still hear each other over a second heartbeat link (eth1), so ipfail on
# node1 sees that node2 reaches more ping nodes and hands the group over: node1 steps down,
# node2 serves the VIP. When the link comes back, exactly one node holds the VIP.
set -euo pipefail
. "$(dirname "$0")/../lib/cluster.sh"
. "$(dirname "$0")/../lib/group.sh"
t_require_root
t_init
C_NET=10.77.64 C_VIP=10.77.64.100 C_CLIENT=10.77.64.50
C_PING=$C_CLIENT   # the client namespace doubles as the ping node
C_HB_NET=10.77.65
group_compose ours ip >/dev/null

t_check "cluster comes up with the group on node1" cluster_up
t_cut=$(now_ms)
link_cut node1
t_vip2=$(cluster_wait_ms 10000 vip_on node2 || true)
t_check "node2 takes the VIP within 10 s" test -n "$t_vip2"
t_check "client reaches the VIP (node2) within 10 s" cluster_within 10000 client_ping_vip
t_check "node1 steps down: its VIP goes within 15 s" cluster_within 15000 vip_off node1
t_check "node1's ipfail gave the group up" node_log_has_after node1 "give up all HA resources" "$t_cut"
echo "after the cut: node1 releases at $(($(node_log_time node1 "Releasing resource group" "$t_cut") - t_cut)) ms," \
    "the VIP is on node2 at $((${t_vip2:-$t_cut} - t_cut)) ms"
link_restore node1
only_one_holder() { [[ $( (vip_on node1 && echo 1) || true)$( (vip_on node2 && echo 2) || true) =~ ^[12]$ ]]; }
t_check "after the link returns, both nodes see each other" cluster_within 15000 node_sees node1 node2
t_check "exactly one node holds the VIP once settled" cluster_within 20000 only_one_holder
sleep 2
t_check "and it stays that way" only_one_holder
t_check "client reaches the VIP" client_ping_vip
t_done
