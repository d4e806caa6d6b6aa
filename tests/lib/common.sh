# Shared helpers for integration tests (bash). Source it, then call t_init.
#
#   . "$TAKEOVER_SRC/tests/lib/common.sh"; t_init
#   sw=$(t_switch)                       # switch namespace with bridge br0
#   t_node node1 10.77.1.1/24            # namespace $(t_ns node1), eth0 on the bridge
#   t_in node1 ping -c1 10.77.1.2        # run a command in a node
#   dev=$(t_loop 64 ext4)                # loop device with a fresh filesystem
#   t_on_exit kill 1234                  # extra cleanup, run last-in first-out
#   t_check "what" test -e /x            # assertion: prints ok/FAIL, counts
#   t_done                               # prints "N passed, M failed", exits accordingly
#
# Every object a test makes carries T_ID (script name + pid), so tests run in parallel, and
# everything is removed on every exit path (EXIT, INT, TERM traps).
set -euo pipefail

: "${TAKEOVER_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${TAKEOVER_BUILD:=$TAKEOVER_SRC/build}"
export TAKEOVER_SRC TAKEOVER_BUILD

T_PASSED=0
T_FAILED=0

t_init() {
    local base
    base=$(basename "$0" .sh)
    T_ID="${base:0:10}-$$"
    T_TMP=$(mktemp -d "/tmp/takeover-test.$T_ID.XXXXXX")
    export T_ID T_TMP
    trap 't_cleanup' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    t_on_exit rm -rf "$T_TMP"
}

t_require_root() {
    if ((EUID != 0)); then
        echo "SKIP: $(basename "$0") needs root"
        exit 0
    fi
}

# Registers a command (an argument vector, never evaluated as text) to run at exit. Kept in a
# file, so that registrations made inside $(...) (dev=$(t_loop ...)) are not lost with the
# subshell.
t_on_exit() {
    local quoted
    printf -v quoted '%q ' "$@"
    printf '%s\n' "$quoted" >> "$T_TMP/.cleanup"
}

t_cleanup() {
    local rc=$? i lines=()
    set +e
    [[ -n "${T_TMP:-}" && -f "$T_TMP/.cleanup" ]] && mapfile -t lines < "$T_TMP/.cleanup"
    for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
        eval "${lines[i]}" >/dev/null 2>&1
    done
    return $rc
}

t_ns() { echo "to-$T_ID-$1"; }

# Kills every process in a namespace, then deletes it.
t_ns_delete() {
    local ns=$1 pids
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -n "$pids" ]] && kill -9 $pids 2>/dev/null
    ip netns delete "$ns" 2>/dev/null || true
}

t_netns_add() {
    local ns=$1
    ip netns add "$ns"
    t_on_exit t_ns_delete "$ns"
    ip -n "$ns" link set lo up
    # No router advertisements or DAD delays: tests want addresses usable at once.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# The switch: a namespace of its own holding bridge br0, so no veth touches the root namespace.
t_switch() {
    local sw
    sw=$(t_ns sw)
    t_netns_add "$sw"
    ip -n "$sw" link add br0 type bridge
    ip -n "$sw" link set br0 up
    echo "$sw"
}

# t_node NAME [ADDR/PREFIX ...]: a namespace with eth0 plugged into the switch's bridge.
t_node() {
    local name=$1 ns sw port
    shift
    ns=$(t_ns "$name")
    sw=$(t_ns sw)
    port="p-${name:0:12}"
    t_netns_add "$ns"
    ip -n "$sw" link add "$port" type veth peer name eth0 netns "$ns"
    ip -n "$sw" link set "$port" master br0 up
    ip -n "$ns" link set eth0 up
    local addr
    for addr in "$@"; do
        if [[ "$addr" == *:* ]]; then
            ip -n "$ns" addr add "$addr" dev eth0 nodad
        else
            # A broadcast address matters: heartbeat's bcast media need it (facts/heartbeat).
            ip -n "$ns" addr add "$addr" brd + dev eth0
        fi
    done
}

# Cuts or restores a node's switch port (link failure without touching the node).
t_port() { ip -n "$(t_ns sw)" link set "p-${1:0:12}" "$2"; }

t_in() {
    local ns
    ns=$(t_ns "$1")
    shift
    ip netns exec "$ns" "$@"
}

# t_loop SIZE_MB [FSTYPE [mkfs args...]]: a loop device over a sparse file in T_TMP.
t_loop() {
    local size=$1 fstype=${2:-} img dev
    shift $(($# > 1 ? 2 : 1))
    img=$(mktemp "$T_TMP/disk.XXXXXX")
    truncate -s "${size}M" "$img"
    dev=$(losetup --find --show "$img")
    t_on_exit t_loop_delete "$dev"
    if [[ -n "$fstype" ]]; then
        "mkfs.$fstype" -q "$@" "$dev" >/dev/null 2>&1 || "mkfs.$fstype" "$@" "$dev" >/dev/null
    fi
    echo "$dev"
}

t_loop_delete() {
    local dev=$1 target
    # Unmount whatever is still mounted from it (most recent first), then detach.
    while target=$(findmnt -n -o TARGET --source "$dev" 2>/dev/null | tail -n 1) && [[ -n "$target" ]]; do
        umount -l "$target" 2>/dev/null || break
    done
    losetup -d "$dev" 2>/dev/null || true
}

# Runs a command with its output discarded (for use inside t_check).
t_quiet() { "$@" >/dev/null 2>&1; }

# Bounded wait: t_wait SECONDS CMD... polls CMD every 50 ms.
t_wait() {
    local seconds=$1 deadline
    shift
    deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.05
    done
}

t_check() {
    local what=$1
    shift
    if "$@"; then
        echo "ok   - $what"
        T_PASSED=$((T_PASSED + 1))
    else
        echo "FAIL - $what"
        T_FAILED=$((T_FAILED + 1))
    fi
}

# t_check_fails WHAT CMD...: the command must exit non-zero.
t_check_fails() {
    local what=$1
    shift
    if "$@"; then
        echo "FAIL - $what (it succeeded)"
        T_FAILED=$((T_FAILED + 1))
    else
        echo "ok   - $what"
        T_PASSED=$((T_PASSED + 1))
    fi
}

# t_check_eq WHAT EXPECTED ACTUAL
t_check_eq() {
    if [[ "$2" == "$3" ]]; then
        echo "ok   - $1"
        T_PASSED=$((T_PASSED + 1))
    else
        echo "FAIL - $1: expected [$2], got [$3]"
        T_FAILED=$((T_FAILED + 1))
    fi
}

t_done() {
    echo "$T_PASSED passed, $T_FAILED failed"
    ((T_FAILED == 0 && T_PASSED > 0))
}
