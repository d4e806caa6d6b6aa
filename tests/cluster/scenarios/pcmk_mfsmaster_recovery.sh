#!/usr/bin/env bash
# The mfsmaster promotable clone under a real Pacemaker + Corosync cluster with real MooseFS
# daemons (set up as in pcmk_mfsmaster_failover.sh), daemons killed behind Pacemaker's back:
# 1. the promoted node's mfsmaster is killed (kill -9): the Promoted monitor (10 s) says "not
#    running" (7), Pacemaker recovers: the IP stops, the instance is demoted, stopped and
#    started, a node is promoted again (from the data it has), the IP follows; the client reads
#    its files back through the IP. 2. the unpromoted node's metalogger is killed: the
#    Unpromoted monitor (11 s) says "not running", the instance is restarted in place and its
#    metalogger follows the master again; the promoted one is untouched. Prints timelines.
set -euo pipefail
. "$(dirname "$0")/../lib/pacemaker.sh"
. "$(dirname "$0")/../lib/pcmk-mfs.sh"
t_require_root
t_init
# shellcheck disable=SC2034  # read by the harness (pacemaker.sh)
P_NET=10.77.86 P_VIP=10.77.86.100 P_CLIENT=10.77.86.50
pcmk_mfs_prepare
pcmk_mfs_bring_up

pcmk_mfs_phase "node1's mfsmaster killed behind Pacemaker's back"
master_pid=$(tr -dc 0-9 <"$(mfs_dir "$(pcmk_mfs_name node1)")/master/.mfsmaster.lock")
t_kill=$(now_ms)
# The lock file holds the pid as node1's PID namespace numbers it: kill from inside node1.
t_check "kill -9 of node1's mfsmaster (pid $master_pid in node1)" pcmk_exec node1 kill -9 "$master_pid"
pcmk_mfs_watch_client
t_check "the Promoted monitor reports it not running within 20 s" \
    cluster_within 20000 pcmk_log_has_after node1 "Result of monitor operation for mfs on node1: not running" "$t_kill"
promoted_again() {
    pcmk_log_has_after node1 "Result of promote operation for mfs on node1: ok" "$t_kill" ||
        pcmk_log_has_after node2 "Result of promote operation for mfs on node2: ok" "$t_kill"
}
both_run() { pcmk_running_on_too mfs node1 && pcmk_running_on_too mfs node2; }
t_check "a node is promoted again within 60 s" cluster_within 60000 promoted_again
some_promoted() { [[ -n "$(pcmk_mfs_promoted)" ]]; }
cluster_within 10000 some_promoted || true  # the status follows the log line within ms
promoted=$(pcmk_mfs_promoted)
echo "# promoted now: ${promoted:-none}"
t_check "the IP runs with the promoted instance within 20 s" \
    cluster_within 20000 pcmk_running_on mfs-ip "${promoted:-none}"
t_check "the IP is in $promoted's kernel" pcmk_vip_on "${promoted:-none}"
t_check "both instances run (the failed one was recovered)" cluster_within 20000 both_run
pcmk_mfs_wait_client
t_check "the client's first read through the IP returns" pcmk_mfs_client_read
t_check "the client reads every file back with its content" pcmk_mfs_reads_back
t_check_eq "one failure counted for mfs on node1" 1 "$(pcmk_failcount mfs node1)"
t_check "no start, stop, promote or demote failed (only the monitor)" pcmk_no_failed_actions monitor
{
    pcmk_events "$t_kill" | grep -v notify
    pcmk_mfs_client_events "$t_kill"
} | timeline_print

unpromoted=node1
[[ "$promoted" == node1 ]] && unpromoted=node2
pcmk_mfs_phase "$unpromoted's metalogger killed behind Pacemaker's back"
t_check "$unpromoted's metalogger follows the master" \
    cluster_within 20000 pcmk_mfs_ml_synced "$unpromoted" "$promoted"
ml_lock="$(mfs_dir "$(pcmk_mfs_name "$unpromoted")")/ml/.mfsmetalogger.lock"
ml_pid=$(tr -dc 0-9 <"$ml_lock")
t_kill=$(now_ms)
t_check "kill -9 of $unpromoted's mfsmetalogger (pid $ml_pid in $unpromoted)" \
    pcmk_exec "$unpromoted" kill -9 "$ml_pid"
t_check "the Unpromoted monitor reports it not running within 20 s" \
    cluster_within 20000 pcmk_log_has_after "$unpromoted" \
    "Result of monitor operation for mfs on $unpromoted: not running" "$t_kill"
t_check "the instance is started again in place within 30 s" \
    cluster_within 30000 pcmk_log_has_after "$unpromoted" \
    "Result of start operation for mfs on $unpromoted: ok" "$t_kill"
t_check "a new metalogger runs on $unpromoted" \
    sh -c "p=\$(tr -dc 0-9 <'$ml_lock'); test -n \"\$p\" && test \"\$p\" != '$ml_pid'"
echo "new file" >"$PM_MNT/after-ml"
t_check "it follows the master again (a new file reaches it)" \
    cluster_within 20000 pcmk_mfs_ml_synced "$unpromoted" "$promoted"
t_check "$promoted stays promoted" pcmk_mfs_promoted_on "$promoted"
t_check_fails "the promoted instance was not touched" pcmk_log_has_after "$promoted" \
    "Result of demote operation for mfs on $promoted" "$t_kill"
pcmk_events "$t_kill" | grep -v notify | timeline_print
pcmk_mfs_phase "done"
t_done
