#!/usr/bin/env bash
# Takeover in durable mode: memexpd on a state device (a file here; lockd_durable.sh covers
# real block devices) is killed with -9 together with one of its clients and started again on
# the same device. Every lock is known at once; the surviving client reclaims its lock with the
# same token; a free name is granted during grace (nothing unknown can conflict) with a larger
# token; the dead client's session expires when grace ends and its lock is held until the
# fence command has fenced its node.
. "$(dirname "$0")/../lib/common.sh"
t_init
t_require_root
. "$(dirname "$0")/lockd/lib.sh"
lockd_setup
if ! "$LOCKD_BIN/memexpd" --help | grep -q -- --statedev; then
    echo "memexpd has no --statedev: nothing to test"
    exit 1
fi
cat > "$T_TMP/fence" <<SCRIPT
#!/bin/sh
echo "\$1" > "$T_TMP/fenced-\$1"
SCRIPT
chmod 700 "$T_TMP/fence"
cat >> "$LOCKD_CONF" <<CONF
grace_ms 4000
fence_command $T_TMP/fence
CONF
state="$T_TMP/statedev"

status_has() { lockctl status | grep -q -- "$1"; }
granted_to() { lockctl locks "$1" | awk -v n="$2" '$3 == "granted" && $6 == n { print $7 }'; }
held_by() { [[ -n $(granted_to "$1" "$2") ]]; }
holder() {  # holder NAME NODE: lockctl holding NAME in the background; sets HOLDER
    lockctl lock "$1" --node "$2" --lease 10 -- sleep 120 2>> "$T_TMP/holder-$2.err" &
    HOLDER=$!
    t_on_exit lockd_kill_tree "$HOLDER"
}

lockd_start_server --statedev "$state"
t_check "a first start has nothing to wait for" t_wait 5 status_has "grace:     over"
holder x alive
a=$HOLDER
holder z g1
g=$HOLDER
t_check "both clients hold their locks" t_wait 5 eval 'held_by x alive && held_by z g1'
token=$(granted_to x alive)
lockd_kill_tree "$g"
kill -9 "$LOCKD_PID"
wait "$LOCKD_PID" 2>/dev/null || true

lockd_start_server --statedev "$state"
t_check "status names the state device" status_has "mode:      durable $state"
t_check "the dead client's lock is known at once" held_by z g1
reclaimed() { grep -q "reconnected, session .*, lock reclaimed" "$T_TMP/holder-alive.err"; }
t_check "the living client reconnects and reclaims x" t_wait 10 reclaimed
t_check_eq "x is held with the same token" "$token" "$(granted_to x alive)"
t_check "grace waits for g1" status_has "grace:     [0-9.]* s left, 1 session(s) still to reclaim"
rc=0
lockctl lock z --node c --nonblock -- true || rc=$?
t_check_eq "nobody else gets z" 3 "$rc"
t_check "a free name is granted during grace" \
    lockctl lock free --node c --nonblock -- sh -c 'echo "$LOCK_TOKEN" > "$0"' "$T_TMP/free-token"
t_check "with a token above every earlier one" test "$(cat "$T_TMP/free-token")" -gt "$token"
t_check "grace ends with g1 missing and fences it" t_wait 10 test -s "$T_TMP/fenced-g1"
t_check "then z is free" t_wait 5 lockctl lock z --node c --nonblock -- true
t_check "x is still held by the living client" held_by x alive
lockd_kill_tree "$a"
t_done
