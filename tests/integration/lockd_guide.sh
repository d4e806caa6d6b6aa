#!/usr/bin/env bash
# docs/guide-lockd.md, step by step, as an admin would type it (paths under the test's own
# directory, a loop device as the shared state device, the server in a network namespace of
# its own): key, zeroed state device, memexpd.conf, start, lockctl status/lock/locks/sessions,
# kill -9 and start again (locks restored and reclaimed with their tokens, --dump-state), a
# client node that dies fenced by the fence command, one fenced by hand with fence-ack.
. "$(dirname "$0")/../lib/common.sh"
t_init
t_require_root
ns=$(t_ns lockd)
t_netns_add "$ns"
bin=$TAKEOVER_BUILD/lockd
memexpd() { ip netns exec "$ns" "$bin/memexpd" "$@"; }
lockctl() { ip netns exec "$ns" "$bin/lockctl" "$@"; }
etc=$T_TMP/etc/memexpd
conf=$etc/memexpd.conf
pidfile=$T_TMP/memexpd.pid
statedev=$(t_loop 64)
t_on_exit t_loop_delete "$statedev"
kill_server() { [[ -s "$pidfile" ]] && kill -9 "$(cat "$pidfile")" 2>/dev/null; rm -f "$pidfile"; }
t_on_exit kill_server

# 2. The key, the state device and the configuration.
mkdir -p "$etc"
(umask 077; head -c 32 /dev/urandom | base64 > "$etc/memexpd.key")
t_check_eq "the key is the server's alone" 600 "$(stat -c %a "$etc/memexpd.key")"
dd if=/dev/zero of="$statedev" bs=8k count=1 status=none
# The fence command: node2 goes down when told; node3's power switch does not answer.
cat > "$T_TMP/fence-node" <<SCRIPT
#!/bin/sh
[ "\$1" = node2 ] || { echo "no answer from the power switch of \$1"; exit 1; }
echo "\$1" > "$T_TMP/fenced-\$1"
SCRIPT
chmod 700 "$T_TMP/fence-node"
cat > "$conf" <<CONF
listen 127.0.0.1:15697
key_file $etc/memexpd.key
pidfile $pidfile
statedev $statedev
grace_ms 3000
fence_command $T_TMP/fence-node
fence_attempts 1
CONF

# 3. Start and look.
t_check "memexpd --daemon returns once it listens" memexpd --config "$conf" --daemon
status=$(lockctl --config "$conf" status)
t_check "status says durable mode on the state device" grep -q "durable $statedev" <<<"$status"
epoch=$(lockctl --config "$conf" --json status | sed -n 's/.*"epoch": \([0-9]*\).*/\1/p')
t_check "status gives the epoch" test -n "$epoch"

# 4. Use locks from scripts.
t_check "lockctl lock runs the command holding the lock" \
    lockctl --config "$conf" lock nightly-backup -m EX -t 60 -- sh -c 'echo "$LOCK_TOKEN" > "$0"' "$T_TMP/token"
t_check "with the grant's token in LOCK_TOKEN" grep -qE '^[1-9][0-9]*$' "$T_TMP/token"
holder() {  # holder NODE NAME: a client on NODE holding NAME in the background; sets HOLDER
    lockctl --config "$conf" lock "$2" --node "$1" --lease 1 -- sleep 120 \
        >/dev/null 2>>"$T_TMP/holder-$1.err" &
    HOLDER=$!
    t_on_exit kill -9 "$HOLDER"
}
token_of() {  # token_of NAME NODE: the token NAME is granted with to NODE
    lockctl --config "$conf" locks "$1" | awk -v n="$2" '$3 == "granted" && $6 == n { print $7 }'
}
held() { [[ -n "$(token_of "$1" "$2")" ]]; }
holder node2 shared-data
node2=$HOLDER
holder node3 reports
node3=$HOLDER
t_check "lockctl locks shows node2's lock" t_wait 10 held shared-data node2
t_check "and node3's" t_wait 10 held reports node3
t_check "lockctl sessions lists both nodes" bash -c \
    "[[ \$(ip netns exec $ns $bin/lockctl --config $conf sessions | grep -cE 'node2|node3') -ge 2 ]]"
token2=$(token_of shared-data node2)

# 5. A crash of the server: start it again on the same state device.
kill_server
t_check "memexpd starts again on the state device" memexpd --config "$conf" --daemon
t_check "--dump-state shows node2's lock beside the running server" \
    grep -q shared-data <<<"$(memexpd --dump-state "$statedev")"
epoch2=$(lockctl --config "$conf" --json status | sed -n 's/.*"epoch": \([0-9]*\).*/\1/p')
t_check_eq "the new server took the next epoch" "$((epoch + 1))" "$epoch2"
t_check "node2's client reclaimed its lock" t_wait 10 held shared-data node2
t_check_eq "with the same token" "$token2" "$(token_of shared-data node2)"

# 6. Client nodes die holding locks: node2 is fenced by the command, node3 by hand.
kill -9 "$node2" "$node3" $(pgrep -P "$node2") $(pgrep -P "$node3") 2>/dev/null
t_check "the fence command fenced node2" t_wait 15 test -e "$T_TMP/fenced-node2"
t_check "which released its lock" t_wait 5 bash -c "! ip netns exec $ns $bin/lockctl --config $conf locks shared-data | grep -q node2"
t_check "node3's lock waits for fencing" t_wait 10 bash -c \
    "ip netns exec $ns $bin/lockctl --config $conf status | grep -q 'fencing:.*node3'"
t_check "node3's lock is still held" held reports node3
t_check "lockctl fence-ack node3" lockctl --config "$conf" fence-ack node3
t_check "released node3's lock" t_wait 5 bash -c "! ip netns exec $ns $bin/lockctl --config $conf locks reports | grep -q node3"
t_done
