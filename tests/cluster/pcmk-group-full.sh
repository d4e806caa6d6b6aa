#!/usr/bin/env bash
# The storage group of our agents under a real Pacemaker 2.1 + Corosync 3 cluster: VIP
# (IPaddr), lock server (memexpd), the shared ext4 disk (Filesystem), the Samba share (smb),
# each where built. The probes find nothing, the group starts on one node, smbd killed behind
# Pacemaker's back is recovered in place, a crash of the owner moves the group; a client reads
# a file through the VIP and lockctl clients take locks before and after. Prints timelines.
set -euo pipefail
. "$(dirname "$0")/lib/pacemaker.sh"
. "$(dirname "$0")/lib/pcmk-group.sh"
t_require_root
t_init
# shellcheck disable=SC2034  # read by the harness (pacemaker.sh)
P_NET=10.77.84 P_VIP=10.77.84.100 P_CLIENT=10.77.84.50
members=()
for m in IPaddr:ip memexpd:lock Filesystem:fs smb:smb; do
    pcmk_have_agent "${m%%:*}" && members+=("${m#*:}")
done
# The lock member also needs the server and the client programs.
if [[ " ${members[*]} " == *" lock "* && ! ( -x "$TAKEOVER_BUILD/lockd/memexpd" &&
    -x "$TAKEOVER_BUILD/lockd/lockctl" ) ]]; then
    members=("${members[@]/lock/}")
    read -ra members <<<"${members[*]}"
fi
[[ " ${members[*]} " == *" ip "* ]] || { echo "FAIL - IPaddr is not built"; exit 1; }
has() { [[ " ${members[*]} " == *" $1 "* ]]; }
if [[ " ${members[*]} " == *" fs "* ]]; then
    PG_DISK=$(t_loop 64 ext4)
    echo "hello from the shared disk" >"$T_TMP/hello.txt"
    debugfs -w -R "write $T_TMP/hello.txt hello.txt" "$PG_DISK" >/dev/null 2>&1
fi
mkdir -p "$T_TMP/pcmk"
pcmk_group_compose ours "${members[@]}"
echo "# group storage: ${PG_MEMBERS[*]}"
reads_hello() { [[ "$(pcmk_client_smb_get hello.txt)" == "hello from the shared disk" ]]; }
client_ok() {
    if [[ " ${members[*]} " == *" smb "* && -n "$PG_DISK" ]]; then reads_hello; else pcmk_client_ping_vip; fi
}

t_check "two nodes online with a DC" pcmk_up
t_quiet pcmk_crm node1 configure rsc_defaults resource-stickiness=100
t_cfg=$(now_ms)
t_check "crm configure load update storage.crm" t_quiet pcmk_group_configure node1
t_check "the group runs on one node within 30 s" cluster_within 30000 pcmk_group_placed
owner=$(pcmk_where vip)
[[ "$owner" == node1 || "$owner" == node2 ]] || { pcmk_mon node1 || true; t_done; exit 1; }
other=node1; [[ "$owner" == node1 ]] && other=node2
echo "# owner: $owner"
for n in node1 node2; do
    t_check "$n's probes found no member running" cluster_within 5000 pcmk_probed_not_running "$n" "$t_cfg"
done
t_check "every member runs on $owner (Pacemaker and kernel)" cluster_within 5000 pcmk_group_up "$owner"
t_check "the client is served through the VIP" cluster_within 10000 client_ok
pcmk_events "$t_cfg" | grep -v probe | timeline_print
if has lock; then
    t_check "lockctl: the lock server answers through the VIP" pcmk_lock_server_answers
    t_check "lockctl: client c1 takes and releases lock a" t_quiet pcmk_lockctl lock a --node c1 -- true
    # c1 holds lock b across the crash: its lockctl reconnects to the new server through the
    # VIP and reclaims b with its token.
    pcmk_lockctl lock b --node c1 --lease 2 -- sleep 300 >/dev/null 2>"$T_TMP/c1.err" &
    holder=$!
    t_on_exit kill "$holder"
    token_of_b() { pcmk_lockctl locks b 2>/dev/null | awk '$3 == "granted" && $6 == "c1" { print $7 }'; }
    c1_holds_b() { [[ -n "$(token_of_b)" ]]; }
    t_check "lockctl: c1 holds lock b" cluster_within 5000 c1_holds_b
    token_b=$(token_of_b)
fi

if [[ " ${members[*]} " == *" smb "* ]]; then
    echo "# monitor failure: smbd killed behind Pacemaker's back"
    t_fail=$(now_ms)
    pcmk_exec "$owner" kill -9 "$(pcmk_smbd_pid "$owner")"
    t_check "the monitor reports smb failed" cluster_within 10000 pcmk_log_has_after "$owner" \
        "Result of monitor operation for smb on $owner" "$t_fail"
    t_check "smb is recovered in place" cluster_within 20000 pcmk_group_up "$owner"
    t_check_eq "one failure counted for smb on $owner" 1 "$(pcmk_failcount smb "$owner")"
    t_check "the client is served again" cluster_within 10000 client_ok
    t_check_fails "nothing moved to $other" pcmk_vip_on "$other"
    pcmk_events "$t_fail" | grep -v probe | timeline_print
fi

echo "# crash of $owner"
t_crash=$(pcmk_crash "$owner")
t_check "$other runs the whole group within 30 s" cluster_within 30000 pcmk_group_up "$other"
t_check "the client is served through the VIP again" cluster_within 10000 client_ok
t_check "no start failed on $other" pcmk_no_failures
if has lock; then
    t_lock=$(cluster_wait_ms 10000 pcmk_lock_server_answers) || t_lock=""
    t_check "lockctl: the lock server answers through the VIP on $other" test -n "$t_lock"
    t_started=$(pcmk_log_time "$other" "Result of start operation for lock on $other: ok" "$t_crash")
    [[ -n "$t_started" ]] && echo "# crash -> memexpd started on $other: $((t_started - t_crash)) ms (Pacemaker's log)"
    c1_reclaimed_b() { [[ "$(token_of_b)" == "$token_b" ]]; }
    t_reclaim=$(cluster_wait_ms 10000 c1_reclaimed_b) || t_reclaim=""
    t_check "lockctl: c1 reclaimed lock b on $other with its token" test -n "$t_reclaim"
    [[ -n "$t_reclaim" ]] && echo "# crash -> c1's lock b reclaimed on $other: $((t_reclaim - t_crash)) ms"
    t_check "lockctl: c1's lockctl said it reconnected" grep -q reconnected "$T_TMP/c1.err"
    t_check_fails "lockctl: c2 cannot take lock b (c1 holds it)" \
        t_quiet pcmk_lockctl lock b --node c2 --nonblock -- true
    # A free lock once the grace period (grace_ms, 3 s here) has given every old client its turn.
    t_check "lockctl: c2 takes and releases lock a" t_quiet pcmk_lockctl lock a --node c2 -t 20 -- true
fi
pcmk_events "$t_crash" "$other" | timeline_print
t_done
