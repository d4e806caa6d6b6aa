# shellcheck shell=bash
# Namespaced nodes on one machine: the plumbing the heartbeat harness (cluster.sh) and the
# Pacemaker harness (pacemaker.sh) share. What runs inside a node, and how it is proven safe
# to start, stays in each harness.
#
# A node is nodeN with a directory of its own, NODE_DIR (the harness's tree: $T_TMP/cluster/N
# or $T_TMP/pcmk/N), whose basename is the node's name. The node is the network namespace
# $(t_ns nodeN) (eth0 on the test switch) and, inside it, a mount + UTS + PID namespace whose
# PID 1 is the harness's init script. NODE_DIR/pid holds that PID 1 as the host sees it,
# NODE_DIR/upid the unshare process above it, NODE_DIR/init.out the init's output.
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/common.sh"

now_ms() {
    local us=${EPOCHREALTIME/./}
    echo "${us:0:-3}"
}

pid_alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }

nsnode_pid() { cat "$1/pid" 2>/dev/null; }
nsnode_alive() {
    local pid
    pid=$(nsnode_pid "$1") && [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

# nsnode_exec HARNESS NODE_DIR CMD...: runs CMD inside the running node (its network, mount,
# UTS and PID namespaces); HARNESS names the harness in the error.
nsnode_exec() {
    local harness=$1 dir=$2 pid
    shift 2
    pid=$(nsnode_pid "$dir") || { echo "$harness: ${dir##*/} is not running" >&2; return 1; }
    nsenter -t "$pid" -m -u -n -p -- "$@"
}

# nsnode_start HARNESS NODE_DIR ADDRESS INIT: the node's eth0 gets only ADDRESS (a booting
# machine has only its own address: a VIP it held before a crash is gone), its switch port
# comes up, and INIT NODE NODE_DIR starts as PID 1 of the node's new namespaces. Returns once
# that PID 1 is known (in NODE_DIR/pid). Not called as $(...): the node is this shell's child.
nsnode_start() {
    local harness=$1 dir=$2 address=$3 init=$4 node ns upid pid i
    node=${dir##*/}
    ns=$(t_ns "$node")
    ip -n "$ns" addr flush dev eth0 scope global
    ip -n "$ns" addr add "$address" brd + dev eth0
    t_port "$node" up
    ip netns exec "$ns" unshare -m -u -p -f --mount-proc --propagation private \
        "$init" "$node" "$dir" </dev/null >>"$dir/init.out" 2>&1 &
    upid=$!
    for ((i = 0; i < 200; i++)); do
        pid=$(cat "/proc/$upid/task/$upid/children" 2>/dev/null || true)
        [[ -n "$pid" ]] && break
        sleep 0.01
    done
    pid=${pid%% *}
    [[ -n "$pid" ]] || { echo "$harness: $node did not start" >&2; return 1; }
    echo "$pid" >"$dir/pid"
    echo "$upid" >"$dir/upid"
}

# nsnode_check_stub HARNESS NODE_DIR STUB GUARDED "ARGS" PATH...: each reboot path PATH in
# the node runs only STUB: its contents are compared first (never execute a path that might
# still be the real one), then, run with ARGS in check mode (CLUSTER_STUB_CHECK=1 for
# reboot-stub, PCMK_STUB_CHECK=1 for pcmk-stub), it must only say it would take this node
# down. On the first doubt, says so (GUARDED: what is not started) and returns 1; the caller
# kills the nodes.
nsnode_check_stub() {
    local harness=$1 dir=$2 stub=$3 guarded=$4 args=$5 node path out
    shift 5
    node=${dir##*/}
    for path in "$@"; do
        if ! nsnode_exec "$harness" "$dir" cmp -s "$path" - <"$stub"; then
            echo "$harness: UNSAFE, $path in $node is not the stub; not starting $guarded" >&2
            return 1
        fi
        # shellcheck disable=SC2086  # ARGS: the stub's arguments, word by word
        out=$(CLUSTER_STUB_CHECK=1 PCMK_STUB_CHECK=1 nsnode_exec "$harness" "$dir" "$path" $args 2>&1 || true)
        if [[ "$out" != *"${stub##*/}: $path $args (node $node)"* ]]; then
            echo "$harness: UNSAFE, $path in $node is not the stub ($out); not starting $guarded" >&2
            return 1
        fi
    done
}

# nsnode_crash NODE_DIR: SIGKILL of the node's PID 1 kills every process in it, and its switch
# port goes dark (the network namespace outlives the processes, and would otherwise keep
# answering for the VIP it held). Prints the ms time of the kill.
nsnode_crash() {
    local dir=$1 pid t
    pid=$(nsnode_pid "$dir")
    t=$(now_ms)
    kill -9 "$pid" 2>/dev/null || true
    t_port "${dir##*/}" down
    nsnode_wait_gone "$dir"
    echo "$t"
}

# nsnode_wait_gone NODE_DIR: bounded (5 s) wait until the node's PID 1 and unshare are gone.
nsnode_wait_gone() {
    local dir=$1 i pid upid
    pid=$(nsnode_pid "$dir" || true)
    upid=$(cat "$dir/upid" 2>/dev/null || true)
    for ((i = 0; i < 500; i++)); do
        if ! pid_alive "$pid" && ! pid_alive "$upid"; then
            return 0
        fi
        sleep 0.01
    done
    return 1
}

# nsnodes_kill_all CLUSTER_DIR COUNT: node1..nodeCOUNT under CLUSTER_DIR killed and gone.
nsnodes_kill_all() {
    local i
    for ((i = 1; i <= $2; i++)); do
        nsnode_alive "$1/node$i" && kill -9 "$(nsnode_pid "$1/node$i")" 2>/dev/null
        nsnode_wait_gone "$1/node$i"
    done
    return 0
}

# cluster_wait_ms TIMEOUT_MS CMD...: polls CMD every 10 ms; prints the ms time it succeeded.
cluster_wait_ms() {
    local timeout=$1 deadline
    shift
    deadline=$(($(now_ms) + timeout))
    until "$@" >/dev/null 2>&1; do
        (($(now_ms) < deadline)) || return 1
        sleep 0.01
    done
    now_ms
}

# cluster_within TIMEOUT_MS CMD...: cluster_wait_ms without printing (for t_check).
cluster_within() { cluster_wait_ms "$@" >/dev/null; }

# timeline_print: reads "ms|event" lines, prints them sorted as a table.
timeline_print() {
    printf '  %8s  %s\n' "ms" "event"
    printf '  %8s  %s\n' "--------" "-----------------------------------------------------------"
    sort -t '|' -k1,1n | awk -F '|' '{ printf "  %8d  %s\n", $1, $2 }'
}
