#!/usr/bin/env bash
# Takeover in memory mode with real processes: a lockctl client holds a lock, memexpd is
# killed with -9 and started again; the client reconnects and reclaims its lock with its token;
# meanwhile (grace) nothing new is granted, and a conflicting request fails. A client that
# dies and does not come back: its lock expires and stays held until its node is fenced, by the
# fence command (retried until it succeeds, it writes a marker) or by `lockctl fence-ack`
# after the command gave up.
. "$(dirname "$0")/../lib/common.sh"
t_init
t_require_root
. "$(dirname "$0")/lockd/lib.sh"
lockd_setup
# The fence command: node g1 can be fenced once allow-g1 exists; m1 never (manual).
cat > "$T_TMP/fence" <<SCRIPT
#!/bin/sh
echo "\$1" >> "$T_TMP/fence-attempts"
ls -l /proc/\$\$/fd | grep -c socket: >> "$T_TMP/fence-sockets"
[ "\$1" = g1 ] && [ -e "$T_TMP/allow-g1" ] || { echo "power switch says no"; exit 1; }
echo "\$1" > "$T_TMP/fenced-\$1"
SCRIPT
chmod 700 "$T_TMP/fence"
cat >> "$LOCKD_CONF" <<CONF
grace_ms 3000
fence_command $T_TMP/fence
fence_attempts 2
fence_timeout_ms 5000
CONF

status_has() { lockctl status | grep -q -- "$1"; }
granted_to() {  # granted_to NAME NODE: the token NAME is granted with to NODE
    lockctl locks "$1" | awk -v n="$2" '$3 == "granted" && $6 == n { print $7 }'
}
held_by() { [[ -n $(granted_to "$1" "$2") ]]; }
holder() {  # holder NAME NODE [LEASE]: lockctl holding NAME in the background; sets HOLDER
    lockctl lock "$1" --node "$2" --lease "${3:-10}" -- sleep 120 2>> "$T_TMP/holder-$2.err" &
    HOLDER=$!
    t_on_exit lockd_kill_tree "$HOLDER"
}

lockd_start_server
t_check "memory mode says a dead node's locks are unknown" \
    status_has "mode:      memory (a dead node's locks are unknown"
t_check "a fresh memory-mode server starts in grace" status_has "grace:     [0-9.]* s left"
t_check "grace ends" t_wait 6 status_has "grace:     over"

# --- kill -9 and restart: the client reclaims ---
holder x alive
a=$HOLDER
t_check "the client holds x" t_wait 5 held_by x alive
token=$(granted_to x alive)
kill -9 "$LOCKD_PID"
wait "$LOCKD_PID" 2>/dev/null || true
lockd_start_server
t_check "after the restart the client holds x again" t_wait 10 held_by x alive
t_check_eq "with the same token" "$token" "$(granted_to x alive)"
t_check "lockctl said it reclaimed" grep -q "reconnected, session .*, lock reclaimed" \
    "$T_TMP/holder-alive.err"
lockctl lock y --node b --timeout 20 -- sh -c 'date +%s%N > "$0"' "$T_TMP/y-granted" &
b=$!
t_on_exit lockd_kill_tree "$b"
t_check "during grace status says so" status_has "grace:     [0-9.]* s left"
rc=0
lockctl lock x --node c --nonblock -- true || rc=$?
t_check_eq "a conflicting request for x is refused (not obtained)" 3 "$rc"
sleep 0.5
t_check "a new lock waits for grace, even on a free name" test ! -e "$T_TMP/y-granted"
wait "$b" || true
t_check "and is granted once grace is over" test -s "$T_TMP/y-granted"
t_check "grace is over" status_has "grace:     over"
t_check "the reclaiming client still holds x" held_by x alive

# --- a client that dies: held until the fence command succeeds ---
holder z g1 1
t_check "g1 holds z" t_wait 5 held_by z g1
lockd_kill_tree "$HOLDER"
t_check "g1's session expires and fencing starts" t_wait 10 grep -q g1 "$T_TMP/fence-attempts"
t_check "z stays held while fencing fails" held_by z g1
rc=0
lockctl lock z --node c --nonblock -- true || rc=$?
t_check_eq "nobody else gets z" 3 "$rc"
t_check "status shows the fencing of g1" status_has "fencing:   g1: .*attempt"
touch "$T_TMP/allow-g1"
t_check "the retried fence command succeeds" t_wait 10 test -s "$T_TMP/fenced-g1"
t_check "and z is released" t_wait 5 lockctl lock z --node c --nonblock -- true
t_check_eq "the fence command inherited none of the server's sockets" 0 \
    "$(sort -u "$T_TMP/fence-sockets")"

# --- a fence command that never succeeds: fence-ack by hand ---
holder w m1 1
t_check "m1 holds w" t_wait 5 held_by w m1
lockd_kill_tree "$HOLDER"
t_check "fencing m1 is given up after its attempts" t_wait 15 status_has "fencing:   m1: gave up"
t_check "w is still held" held_by w m1
t_check "the server log says how to release it" grep -q "lockctl fence-ack m1" "$T_TMP/server.log"
t_check "lockctl fence-ack m1 releases w" lockctl fence-ack m1
t_check "w is free" lockctl lock w --node c --nonblock -- true

lockd_kill_tree "$a"
t_done
