#!/usr/bin/env bash
# The mfsmaster agent as a promotable clone under a real Pacemaker 2.1 + Corosync 3 two-node
# cluster (tests/cluster/lib/pacemaker.sh), with real MooseFS 3.0 daemons: each node runs a
# metalogger following the cluster IP, a chunkserver and a FUSE client (mfsmount) sit on the
# same switch. The crm commands are those of docs/pacemaker.md. node1 holds the only metadata,
# so it is promoted and the IP (our IPaddr) follows; the client writes files through the IP;
# node1 crashes; Pacemaker promotes node2, whose agent rebuilds the master from node2's
# metalogger copy; the IP moves; the client reads the same files back through the IP. Prints
# the timeline crash -> promoted -> IP up -> client read.
set -euo pipefail
. "$(dirname "$0")/../lib/pacemaker.sh"
. "$(dirname "$0")/../lib/pcmk-mfs.sh"
t_require_root
t_init
# shellcheck disable=SC2034  # read by the harness (pacemaker.sh)
P_NET=10.77.85 P_VIP=10.77.85.100 P_CLIENT=10.77.85.50
pcmk_mfs_prepare
pcmk_mfs_bring_up
version=$(pcmk_mfs_master_version node1)
echo "# node1's master serves metadata version $version"
t_check "node2's own master directory holds no metadata (only its metalogger's copy can serve)" \
    test -z "$(ls "$(mfs_dir "$(pcmk_mfs_name node2)")/master")"

pcmk_mfs_phase "crash of node1"
t_crash=$(pcmk_crash node1)
pcmk_mfs_watch_client
t_check_fails "node1 is gone after SIGKILL of its PID 1" pcmk_alive node1
t_check "node2 is promoted within 60 s" cluster_within 60000 pcmk_mfs_promoted_on node2
t_check "the IP runs on node2 within 20 s" cluster_within 20000 pcmk_running_on mfs-ip node2
t_check "the IP is in node2's kernel" pcmk_vip_on node2
pcmk_mfs_wait_client
t_check "the client's first read through the IP returns" pcmk_mfs_client_read
t_check "the client reads every file back with its content" pcmk_mfs_reads_back
after=$(pcmk_mfs_master_version node2)
echo "# node2's master serves metadata version ${after:-none}"
t_check "node2's master has every change node1's had (version $version or later)" \
    test "${after:-0}" -ge "$version"
t_check "the client writes and reads a new file through node2" \
    t_wait 30 sh -c "echo after >'$PM_MNT/after' && test \"\$(cat '$PM_MNT/after')\" = after"
t_check "no start or stop failed on node2" pcmk_no_failures

t_promoted=$(pcmk_log_time node2 "Result of promote operation for mfs on node2: ok" "$t_crash")
t_ip=$(pcmk_log_time node2 "Result of start operation for mfs-ip on node2: ok" "$t_crash")
t_read=$(cat "$T_TMP/first-read-ms" 2>/dev/null || true)
{
    pcmk_events "$t_crash" node2 | grep -v notify
    pcmk_mfs_client_events "$t_crash"
} | timeline_print
echo "# crash -> node2 promoted: $((${t_promoted:-0} - t_crash)) ms, IP up: $((${t_ip:-0} - t_crash)) ms," \
    "client read: $((${t_read:-0} - t_crash)) ms; the promote itself (pacemaker-execd):" \
    "$(pcmk_op_exec_ms node2 "$t_crash" mfs promote || echo "?") ms"

pcmk_mfs_phase "node1 comes back (empty MooseFS data, as after a disk swap)"
t_check "node1 boots" pcmk_boot node1
t_check "node1 rejoins within 30 s" cluster_within 30000 pcmk_all_online node2
t_check "node1 runs an unpromoted instance within 30 s" \
    cluster_within 30000 pcmk_running_on_too mfs node1
t_check "node1's metalogger follows node2's master within 30 s" \
    cluster_within 30000 pcmk_mfs_ml_synced node1 node2
t_check "node2 stays promoted" pcmk_mfs_promoted_on node2
t_check "the IP stays on node2" pcmk_vip_on node2
t_check_fails "the IP is not on node1" pcmk_vip_on node1
t_check "the client still reads through the IP" \
    t_wait 10 sh -c "test \"\$(cat '$PM_MNT/after')\" = after"
t_check "no start or stop failed" pcmk_no_failures

pcmk_mfs_phase "planned switchover: crm_resource --move --promoted -r mfs-clone -N node1"
for ((i = 1; i <= 5; i++)); do echo "move $i" >"$PM_MNT/m-$i"; done
t_check "node1's metalogger has the new files" cluster_within 15000 pcmk_mfs_ml_synced node1 node2
t_move=$(now_ms)
t_check "crm_resource --move --promoted" \
    t_quiet pcmk_exec node2 crm_resource --move --promoted -r mfs-clone -N node1
t_check "node1 is promoted within 60 s" cluster_within 60000 pcmk_mfs_promoted_on node1
t_check "the IP runs on node1 within 20 s" cluster_within 20000 pcmk_running_on mfs-ip node1
t_check "node2 was demoted, not stopped: it runs unpromoted" pcmk_running_on_too mfs node2
t_check "node2's master saved its metadata on the demote (a clean stop)" \
    test -s "$(mfs_dir "$(pcmk_mfs_name node2)")/master/metadata.mfs"
t_check "crm_resource --clear" t_quiet pcmk_exec node2 crm_resource --clear -r mfs-clone
moved=0
for ((i = 1; i <= 5; i++)); do
    [[ "$(timeout 30 cat "$PM_MNT/m-$i" 2>/dev/null)" == "move $i" ]] && moved=$((moved + 1))
done
t_check_eq "the client reads the files written before the switchover" 5 "$moved"
t_check "no action failed (start, stop, promote, demote, monitor)" pcmk_no_failed_actions
pcmk_events "$t_move" | grep -v -e notify -e probe | timeline_print
echo "# switchover: demote on node2 $(pcmk_op_exec_ms node2 "$t_move" mfs demote || echo "?") ms," \
    "promote on node1 $(pcmk_op_exec_ms node1 "$t_move" mfs promote || echo "?") ms (pacemaker-execd)"
pcmk_mfs_phase "done"
t_done
