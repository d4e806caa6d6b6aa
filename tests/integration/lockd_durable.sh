#!/usr/bin/env bash
# memexpd's durable mode on a real block device (device-mapper over a loop device): a server
# killed with -9 comes back with a higher epoch and every lock the journal knew, new tokens
# above all earlier ones; a torn last write is ignored; a damaged batch in the middle stops
# startup with one line until --discard-corrupt-state; a device that starts failing I/O
# (dm error target, or a loop device set read-only) and a full state device stop the server without a false grant.
. "$(dirname "$0")/../lib/common.sh"
t_init
t_require_root
. "$(dirname "$0")/lockd/lib.sh"
lockd_setup
echo "grace_ms 1000" >> "$LOCKD_CONF"

loop=$(t_loop 16)
sectors=$(blockdev --getsz "$loop")
dm="to-$T_ID-state"
if dmsetup create "$dm" --table "0 $sectors linear $loop 0" 2> /dev/null; then
    t_on_exit dmsetup remove --retry "$dm"
    dev=/dev/mapper/$dm
    fail_device() { dmsetup reload "$dm" --table "0 $sectors error" && dmsetup resume "$dm"; }
    failing="the dm error target"
else
    # Kernels without device-mapper (some VMs): the block layer refuses every write to a
    # device set read-only under its writer, a real I/O error all the same.
    dev=$loop
    fail_device() { blockdev --setro "$loop"; }
    t_on_exit blockdev --setrw "$loop"
    failing="the loop device set read-only (no device-mapper here)"
fi

memexpd() { ip netns exec "$LOCKD_NS" "$LOCKD_BIN/memexpd" "$@"; }
dump() { memexpd --dump-state "$1"; }
# field KEY: the word after KEY in the dump of $dev
field() { dump "$dev" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'; }
area_offset() {  # of the active area, from the layout in lockd/state/FORMAT.md
    local size
    size=$(blockdev --getsize64 "$dev")
    echo $((8192 + $(field area) * ((size - 8192) / 2 / 4096 * 4096)))
}
flip_byte() {  # flip_byte DEVICE OFFSET: one bit, flushed past the page cache
    local b
    b=$(dd if="$1" bs=1 skip="$2" count=1 status=none | od -An -tu1 | tr -d ' ')
    printf "\\x$(printf %02x $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc,fsync status=none
}
server_alive() { kill -0 "$LOCKD_PID" 2>/dev/null; }
crash_server() {
    kill -9 "$LOCKD_PID"
    wait "$LOCKD_PID" 2>/dev/null || true
}
status_field() { lockctl --json status | sed -n "s/.*\"$1\": \"*\([a-z0-9]*\).*/\1/p"; }
holders=()
hold() {  # hold NAME NODE: a client holding NAME in EX until killed; its token in token-NAME
    lockctl lock "$1" --mode EX --node "$2" -- \
        sh -c 'echo "$LOCK_TOKEN" > "$0"; exec sleep 60' "$T_TMP/token-$1" > /dev/null 2>&1 &
    holders+=($!)
    disown "$!"  # no job notice when it is killed
    t_on_exit lockd_kill_tree "$!"
}
kill_holders() {
    local p
    for p in "${holders[@]}"; do lockd_kill_tree "$p"; done
    holders=()
}

# --- a server killed with -9 comes back with everything its journal knew ---
lockd_start_server --statedev "$dev"
t_check_eq "the first start on a new device takes epoch 1" 1 "$(status_field epoch)"
t_check_eq "status says durable" durable "$(status_field mode)"
hold res-a nodeA
hold res-b nodeB
t_wait 10 test -s "$T_TMP/token-res-a" -a -s "$T_TMP/token-res-b"
lockctl lock gone --node nodeC -- true
kill_holders  # the nodes die; their sessions are only disconnected
crash_server
ta=$(cat "$T_TMP/token-res-a")
tb=$(cat "$T_TMP/token-res-b")
t_check "the journal has res-a with its token" grep -qx "lock res-a session [0-9]* mode EX token $ta" <(dump "$dev")
t_check "the journal has res-b with its token" grep -qx "lock res-b session [0-9]* mode EX token $tb" <(dump "$dev")
t_check_fails "a released lock is not in the journal" grep -q "lock gone" <(dump "$dev")

lockd_start_server --statedev "$dev"
t_check_eq "the restart takes epoch 2" 2 "$(status_field epoch)"
t_check "the restarted server holds res-a for its dead node" grep -q "^res-a .*nodeA.* $ta\$" <(lockctl locks)
t_check "and res-b" grep -q "^res-b .*nodeB.* $tb\$" <(lockctl locks)
new=$(lockctl lock fresh --node nodeC -- sh -c 'echo $LOCK_TOKEN')
t_check "a new grant's token is above every earlier one" test "$new" -gt "$ta" -a "$new" -gt "$tb"
t_check "the log says mode and epoch" grep -q "durable mode on $dev: epoch 2, recovered 2 session(s) and 2 lock(s)" "$T_TMP/server.log"

# --- a torn last write is ignored ---
crash_server
{ printf 'TLKJ'; head -c 300 /dev/urandom; } |
    dd of="$dev" bs=1 seek=$(($(area_offset) + $(field journal_end))) conv=notrunc,fsync status=none
t_check_eq "replay sees the torn tail" yes "$(field torn_tail)"
lockd_start_server --statedev "$dev"
t_check_eq "and starts on it: epoch 3" 3 "$(status_field epoch)"
t_check "with the locks" grep -q "^res-a .* $ta\$" <(lockctl locks)

# --- a damaged batch in the middle stops startup ---
first_batch=$(($(area_offset) + $(field journal_end)))
for i in 1 2 3; do lockctl lock "m$i" --node nodeC -- true; done
crash_server
flip_byte "$dev" $((first_batch + 40))
rc=0
timeout 20 ip netns exec "$LOCKD_NS" "$LOCKD_BIN/memexpd" --config "$LOCKD_CONF" --statedev "$dev" \
    > "$T_TMP/corrupt.out" 2> "$T_TMP/corrupt.err" || rc=$?
t_check_eq "memexpd refuses a damaged journal (exit 1)" 1 "$rc"
t_check_eq "with one line on stderr" 1 "$(wc -l < "$T_TMP/corrupt.err")"
t_check "naming the damage" grep -q "bad checksum in the middle of the journal.*--discard-corrupt-state" "$T_TMP/corrupt.err"
t_check_fails "--dump-state refuses it too" t_quiet dump "$dev"
lockd_start_server --statedev "$dev" --discard-corrupt-state
t_check_eq "--discard-corrupt-state starts: epoch 4" 4 "$(status_field epoch)"
t_check "keeping what came before the damage" grep -q "^res-b .* $tb\$" <(lockctl locks)
kill "$LOCKD_PID"  # a clean stop
wait "$LOCKD_PID" 2>/dev/null || true
t_check_eq "a clean stop leaves no owner" - "$(field owner)"
lockd_start_server --statedev "$dev"
t_check_eq "the next start needs no option: epoch 5" 5 "$(status_field epoch)"

# --- the device fails under a running server ---
echo "the device fails: $failing"
fail_device
rc=0
lockctl lock after-error --node nodeC --timeout 3 -- true > "$T_TMP/after-error.out" 2>&1 || rc=$?
t_check "no grant once the device fails (lockctl exit $rc)" test "$rc" -ne 0
t_wait 5 eval '! server_alive'
t_check_fails "the server stopped" server_alive
t_check "loudly" grep -q "memexpd stops serving: .*$dev" "$T_TMP/server.log"

# --- ENOSPC from the kernel: a sparse state file on a file system that fills up ---
small="$T_TMP/small"
mkdir "$small"
mount -t tmpfs -o size=64k "to-$T_ID" "$small"
t_on_exit umount -l "$small"
truncate -s 4M "$small/state.img"
lockd_start_server --statedev "$small/state.img"
for i in $(seq 300); do
    lockctl lock "e$i" --node nodeE --timeout 2 -- true > /dev/null 2>&1 || break
done
t_wait 5 eval '! server_alive'
t_check_fails "the server stopped when its file system was full" server_alive
t_check "with the kernel's reason" grep -q "memexpd stops serving: .*No space left on device" "$T_TMP/server.log"
t_check "what it wrote before still replays" t_quiet dump "$small/state.img"

# --- a full state device: the server stops, every grant it answered is on the device ---
tiny="$T_TMP/tiny.img"
truncate -s 64K "$tiny"
lockd_start_server --statedev "$tiny"
long=$(printf 'x%.0s' $(seq 240))
for i in $(seq 150); do
    hold "$long$i" "node$i"
    t_wait 3 eval "test -s '$T_TMP/token-$long$i' || ! server_alive" || true
    server_alive || break
done
t_check_fails "the server stopped when its device was full" server_alive
t_check "saying so" grep -q "the state device is full" "$T_TMP/server.log"
granted=$(ls "$T_TMP" | grep -c "^token-$long" || true)
t_check "it granted some locks first ($granted)" test "$granted" -gt 10
missing=0
dump "$tiny" > "$T_TMP/tiny.dump"
for f in "$T_TMP"/token-"$long"*; do
    [[ -s $f ]] || continue
    grep -q "token $(cat "$f")\$" "$T_TMP/tiny.dump" || missing=$((missing + 1))
done
t_check_eq "every answered grant is on the device" 0 "$missing"
kill_holders

t_done
