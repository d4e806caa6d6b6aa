#!/usr/bin/env bash
# Two "nodes" sharing one state device: two loop devices over the same file (so no flock is
# shared, as between real nodes). A second server refuses while the first renews its lease;
# once the first is paused (SIGSTOP) the second takes over with a new epoch; the first, woken
# up, stops without granting the request that waited for it. On one node the flock refuses a
# second server until --force-takeover.
. "$(dirname "$0")/../lib/common.sh"
t_init
t_require_root
. "$(dirname "$0")/lockd/lib.sh"
lockd_setup
echo "grace_ms 0" >> "$LOCKD_CONF"

img="$T_TMP/shared.img"
truncate -s 16M "$img"
dev_a=$(losetup --find --show "$img")
t_on_exit losetup -d "$dev_a"
dev_b=$(losetup --find --show "$img")
t_on_exit losetup -d "$dev_b"
port_b=15698

lockctl_b() {
    ip netns exec "$LOCKD_NS" "$LOCKD_BIN/lockctl" --server "127.0.0.1:$port_b" \
        --key-file "$LOCKD_KEY" "$@"
}
epoch_of() { "$1" --json status | sed -n 's/.*"epoch": \([0-9]*\).*/\1/p'; }
start_b() {  # start_b [memexpd args]: server B in the foreground of a background job
    ip netns exec "$LOCKD_NS" "$LOCKD_BIN/memexpd" --config "$LOCKD_CONF" \
        --listen "127.0.0.1:$port_b" --statedev "$dev_b" "$@" > "$T_TMP/b.log" 2>&1 &
    pid_b=$!
    t_on_exit kill -9 "$pid_b"
}
alive() { kill -0 "$1" 2>/dev/null; }

lockd_start_server --statedev "$dev_a"
pid_a=$LOCKD_PID
t_on_exit kill -CONT "$pid_a"
t_check_eq "server A serves epoch 1" 1 "$(epoch_of lockctl)"
token_a=$(lockctl lock before --node n1 -- sh -c 'echo $LOCK_TOKEN')

# --- a live lease refuses the other node's server ---
start_b
t_wait 10 eval '! alive $pid_b'
t_check_fails "server B does not start beside a live A" alive "$pid_b"
t_check "saying why" grep -q "renews its lease on the state device" "$T_TMP/b.log"
t_check "A still serves" t_quiet lockctl status

# --- A pauses: B takes over; A wakes and stops without answering ---
kill -STOP "$pid_a"
lockctl lock after-pause --node n2 --timeout 5 -- touch "$T_TMP/granted-by-a" \
    > "$T_TMP/paused-client.log" 2>&1 &
client=$!
t_on_exit lockd_kill_tree "$client"
start_b
t_wait 15 t_quiet lockctl_b status
t_check_eq "B took over with epoch 2" 2 "$(epoch_of lockctl_b)"
t_check "after watching A's lease stand still" grep -q "is stale: taking over" "$T_TMP/b.log"
kill -CONT "$pid_a"
t_wait 5 eval '! alive $pid_a'
t_check_fails "A stopped once it woke" alive "$pid_a"
t_check "loudly, naming the new owner's epoch" grep -q "now has epoch 2.*another memexpd took over" "$T_TMP/server.log"
rc=0
wait "$client" || rc=$?
t_check "the request that waited for A was not granted (lockctl exit $rc)" test "$rc" -ne 0
t_check_fails "and its command never ran" test -e "$T_TMP/granted-by-a"
token_b=$(lockctl_b lock after-pause --node n2 -- sh -c 'echo $LOCK_TOKEN')
t_check "B grants it, with a token above A's" test "${token_b:-0}" -gt "$token_a"

# --- on one node: --force-takeover passes the flock of a hung server, which is then fenced ---
kill -STOP "$pid_b"
old_b=$pid_b
t_on_exit kill -CONT "$old_b"
rc=0
timeout 10 ip netns exec "$LOCKD_NS" "$LOCKD_BIN/memexpd" --config "$LOCKD_CONF" \
    --listen "127.0.0.1:15700" --statedev "$dev_b" > "$T_TMP/c.log" 2>&1 || rc=$?
t_check_eq "a second server on the same node fails at once" 1 "$rc"
t_check "naming the flock" grep -q "another memexpd on this node holds the state device" "$T_TMP/c.log"
port_b=15699  # the hung server still has its listening socket
start_b --force-takeover
t_wait 10 t_quiet lockctl_b status
t_check_eq "--force-takeover serves at once with epoch 3" 3 "$(epoch_of lockctl_b)"
kill -CONT "$old_b"
t_wait 5 eval '! alive $old_b'
t_check_fails "the hung server stops once it wakes" alive "$old_b"

t_done
