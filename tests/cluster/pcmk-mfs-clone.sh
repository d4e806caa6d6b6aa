#!/usr/bin/env bash
# The mfsmaster agent as a promotable clone with the cluster IP colocated with the promoted
# instance and ordered after promotion (the LizardFS seed's constraints), checked against
# Pacemaker's own scheduler: the documented `crm configure` commands (docs/pacemaker.md) are
# loaded into a shadow CIB in a node of a real cluster, crm_verify accepts them, and
# crm_simulate shows (1) the IP starting only after the promote, on the promoted node, and
# (2) after a crash of that node, the other promoted and the IP following it. The promotion
# scores are those the agent sets with crm_master (a restorable copy: >0).
set -euo pipefail
. "$(dirname "$0")/lib/pacemaker.sh"
. "$(dirname "$0")/lib/pcmk-mfs.sh"
t_require_root
t_init
# shellcheck disable=SC2034  # read by the harness (pacemaker.sh)
P_NET=10.77.83 P_VIP=10.77.83.100 P_CLIENT=10.77.83.50
pcmk_have_agent mfsmaster || { echo "FAIL - $TAKEOVER_BUILD/resource.d/mfsmaster is not built"; exit 1; }
pcmk_have_agent IPaddr || { echo "FAIL - $TAKEOVER_BUILD/resource.d/IPaddr is not built"; exit 1; }

# The commands of docs/pacemaker.md, "MooseFS master as a promotable clone" (the same file
# scenarios/pcmk_mfsmaster_failover.sh loads into a live cluster).
pcmk_mfs_crm >"$T_TMP/mfs.crm"

t_check "two nodes online with a DC" pcmk_up
cp "$T_TMP/mfs.crm" "$(pcmk_node_dir node1)/tmp/mfs.crm"
shadow=/var/lib/pacemaker/cib/shadow.mfs
t_check "crm cib new mfs empty" t_quiet pcmk_crm node1 cib new mfs empty
t_check "crm -c mfs configure load update mfs.crm" t_quiet pcmk_crm node1 -c mfs configure load update /tmp/mfs.crm
t_check "crm_verify accepts the configuration" t_quiet pcmk_exec node1 crm_verify -x "$shadow"

simulate() { pcmk_exec node1 timeout 30 crm_simulate "$@" 2>&1; }
# The actions a simulated transition executes, in order, as "action resource node" lines.
actions() { sed -n 's/^ *\* Resource action: *\([^ ]*\) *\([^ ]*\) on \(.*\)$/\2 \1 \3/p'; }
# before FIRST SECOND: line FIRST comes before line SECOND in stdin.
before() { awk -v a="$1" -v b="$2" '$0 == a { sa = NR } $0 == b { sb = NR } END { exit !(sa && sb && sa < sb) }'; }

acts=$(simulate -x "$shadow" -S --node-up node1 --node-up node2 -O /tmp/s1.xml | actions)
t_check "both instances start unpromoted" test "$(grep -Ec "^start mfs:[01] node[12]$" <<<"$acts")" = 2
t_check_fails "no promote while no node has a score (no usable metadata)" grep -q "^promote " <<<"$acts"
t_check_fails "no IP without a promoted instance" grep -q "^start mfs-ip " <<<"$acts"
# What the agent's crm_master does on a node with usable metadata (node1's copy is newer).
pcmk_exec node1 env CIB_file=/tmp/s1.xml crm_attribute -N node1 -n master-mfs -l reboot -v 1000
pcmk_exec node1 env CIB_file=/tmp/s1.xml crm_attribute -N node2 -n master-mfs -l reboot -v 100
out=$(simulate -x /tmp/s1.xml -S -O /tmp/s2.xml)
acts=$(actions <<<"$out")
echo "$acts" | sed 's/^/    /'
t_check "node1 (the higher score) is promoted" grep -qx "promote mfs node1" <<<"$acts"
t_check "the IP starts on the promoted node" grep -qx "start mfs-ip node1" <<<"$acts"
t_check "the IP starts after the promote" before "promote mfs node1" "start mfs-ip node1" <<<"$acts"

echo "# node1 crashes"
out=$(simulate -x /tmp/s2.xml -S --node-fail node1 -O /tmp/s3.xml)
acts=$(actions <<<"$out")
echo "$acts" | sed 's/^/    /'
t_check "node2 is promoted" grep -qx "promote mfs node2" <<<"$acts"
t_check "the IP follows to node2 after its promote" before "promote mfs node2" "start mfs-ip node2" <<<"$acts"
t_check "nothing runs on the dead node" test -z "$(grep ' node1$' <<<"$acts")"
status=$(simulate -x /tmp/s3.xml)
t_check "node2 is the one Promoted instance" grep -Eq 'Promoted: \[ node2 \]' <<<"$status"

t_done
