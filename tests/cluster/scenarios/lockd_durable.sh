#!/usr/bin/env bash
# memexpd's durable state through a heartbeat failover: the group VIP + memexpd with its state
# device on shared storage (a second loop device). Two clients hold locks through the VIP; one
# dies together with node1. On node2, memexpd restores every lock from the state device: the
# surviving client reclaims its lock with its token, the dead client's lock stays held and its
# node waits for fencing, a new grant's token is above every earlier one, and fence-ack
# releases the dead client's lock.
set -euo pipefail
. "$(dirname "$0")/../lib/cluster.sh"
. "$(dirname "$0")/../lib/group.sh"
t_require_root
t_init
if ! our_agent memexpd || [[ ! -x "$TAKEOVER_BUILD/lockd/lockctl" ]]; then
    echo "SKIP: memexpd or lockctl is not built"
    exit 0
fi
C_NET=10.77.73 C_VIP=10.77.73.100 C_CLIENT=10.77.73.50
t_loop 16 >"$T_TMP/statedev"
G_MEMEXPD_STATEDEV=$(cat "$T_TMP/statedev")
dd if=/dev/zero of="$G_MEMEXPD_STATEDEV" bs=8k count=1 status=none
G_MEMEXPD_GRACE_MS=3000
group_compose ours ip memexpd
t_on_exit cluster_kill_all

token_of() {  # token_of NAME NODE: the token NAME is granted with to NODE ("" if not)
    lockctl locks "$1" 2>/dev/null | awk -v n="$2" '$3 == "granted" && $6 == n { print $7 }'
}
held() { [[ -n "$(token_of "$1" "$2")" ]]; }
status_has() { lockctl status 2>/dev/null | grep -q -- "$1"; }
epoch() { lockctl --json status 2>/dev/null | sed -n 's/.*"epoch": \([0-9]*\).*/\1/p'; }

t_check "cluster comes up with the group on node1" cluster_up
t_check "memexpd on node1 runs in durable mode" status_has "durable $G_MEMEXPD_STATEDEV"
lockctl lock keep --node survivor -- sleep 600 >/dev/null 2>"$T_TMP/survivor.err" &
t_on_exit kill $!
lockctl lock gone --node casualty --lease 2 -- sleep 600 >/dev/null 2>&1 &
casualty=$!
t_on_exit kill -9 "$casualty"
t_check "the survivor holds its lock" cluster_within 5000 held keep survivor
t_check "the casualty holds its lock" cluster_within 5000 held gone casualty
keep_token=$(token_of keep survivor) gone_token=$(token_of gone casualty) epoch1=$(epoch)

# node1 crashes, and the casualty's client with it.
kill -9 "$casualty" $(pgrep -P "$casualty") 2>/dev/null || true
t_crash=$(node_crash node1)
t_check "node2 runs the group within 20 s" cluster_within 20000 group_up node2
next_epoch() { [[ "$(epoch)" == "$((epoch1 + 1))" ]]; }
t_check "memexpd on node2 took the state device, next epoch" cluster_within 10000 next_epoch
# Restored locks are listed at once; the client's own reclaim makes its session active again.
survivor_reclaimed() {
    [[ "$(token_of keep survivor)" == "$keep_token" ]] &&
        lockctl sessions 2>/dev/null | grep -w survivor | grep -qw active
}
t_reclaim=$(cluster_wait_ms 10000 survivor_reclaimed) || t_reclaim=""
t_check "the survivor reclaimed its lock with its token" test -n "$t_reclaim"
[[ -z "$t_reclaim" ]] || echo "# crash -> survivor's lock reclaimed on node2: $((t_reclaim - t_crash)) ms"
t_check "its lockctl said it reconnected" cluster_within 5000 grep -q reconnected "$T_TMP/survivor.err"
t_check_eq "the casualty's lock is still held, with its token" "$gone_token" "$(token_of gone casualty)"
t_check "after the grace period its node waits for fencing" cluster_within 15000 status_has "fencing:.*casualty"
t_check "and its lock is still held" held gone casualty
new_token=$(lockctl lock fresh -t 20 -- sh -c 'echo "$LOCK_TOKEN"')
t_check "a new grant's token is above every earlier one" \
    test "$new_token" -gt "$keep_token" -a "$new_token" -gt "$gone_token"
t_check "lockctl fence-ack casualty" t_quiet lockctl fence-ack casualty
gone_released() { ! held gone casualty; }
t_check "released the casualty's lock" cluster_within 5000 gone_released
t_done
