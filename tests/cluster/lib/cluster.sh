# shellcheck shell=bash disable=SC2034
# A real heartbeat v1 cluster on one machine, for tests, the demo and the failover bench.
#
#   . "$TAKEOVER_SRC/tests/cluster/lib/cluster.sh"; t_init
#   C_GROUP="10.77.60.100 memexpd"    # haresources resources after the owner (node1)
#   dev=$(cluster_disk 64)            # optional shared ext4 loop device, before cluster_up
#   cluster_up                        # node1 takes the group, then the others join
#   node_exec node1 cl_status hbstatus
#   node_crash node1                  # SIGKILL of the node's PID 1: everything in it dies
#   cluster_wait_ms 10000 vip_on node2
#
# Each node: network namespace (eth0 on the switch's bridge, 10.77.60.N/24), and inside it a
# mount + UTS + PID namespace whose PID 1 is node-init, which bind-mounts the node's own
# /etc/ha.d, /run, /var/lib/heartbeat, /var/log, /tmp and the reboot stub, then runs heartbeat.
# Never start heartbeat any other way (facts/heartbeat-3.0-in-netns.md: a failing stop makes
# it `pkill -9 heartbeat` and `reboot -nf`). The namespaced-node plumbing is nodes.sh's.
. "$(dirname "${BASH_SOURCE[0]}")/nodes.sh"

C_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${C_NODES:=2}"
: "${C_NET:=10.77.60}"
: "${C_VIP:=$C_NET.100}"
: "${C_CLIENT:=$C_NET.50}"
: "${C_GROUP:=$C_VIP}"
: "${C_OWNER:=node1}"
: "${C_KEEPALIVE:=100ms}"
: "${C_DEADTIME:=500ms}"
: "${C_WARNTIME:=300ms}"
: "${C_INITDEAD:=1000ms}"  # "1s" is a configuration error; ms or plain seconds
: "${C_AUTO_FAILBACK:=off}"
: "${C_HB_NET:=}"        # e.g. 10.77.65: a second heartbeat link on eth1
: "${C_PING:=}"          # a ping node address: enables ipfail (link-cut scenarios)
: "${C_GROUP_UP:=vip_on}" # a predicate NODE: the whole group runs there
: "${C_OUR_AGENTS:=1}"   # 1: install $TAKEOVER_BUILD/resource.d/* into each node
C_AGENT_DIRS=()          # more directories whose executables go into each node's resource.d
C_ETC_FILES=()           # files copied into each node's /etc/ha.d (an smb.conf, ...)
C_DISK=""

cluster_dir() { echo "$T_TMP/cluster"; }
node_dir() { echo "$T_TMP/cluster/$1"; }
node_pid() { nsnode_pid "$(node_dir "$1")"; }
node_alive() { nsnode_alive "$(node_dir "$1")"; }

# Runs a command inside a running node (its network, mount, UTS and PID namespaces).
node_exec() { nsnode_exec cluster "$(node_dir "$1")" "${@:2}"; }

client_exec() { ip netns exec "$(t_ns client)" "$@"; }

# cluster_disk SIZE_MB: sets C_DISK to one ext4 loop device that every node sees as the same
# /dev/loopN. Not called as $(...): the cleanup t_loop registers must reach this shell. Call
# before cluster_up; its cleanup kills the nodes first, so no node mount holds the device.
cluster_disk() {
    t_loop "$1" ext4 >"$T_TMP/disk"
    C_DISK=$(cat "$T_TMP/disk")
    t_on_exit cluster_kill_all
}

cluster_write_config() {
    local node=$1 dir i f
    dir=$(node_dir "$node")
    rm -rf "$dir/etc-ha.d" "$dir/var-lib-heartbeat"
    mkdir -p "$dir/etc-ha.d" "$dir/var-lib-heartbeat" "$dir/var-log"
    cp -a /etc/ha.d/. "$dir/etc-ha.d/"
    cp -a /var/lib/heartbeat/. "$dir/var-lib-heartbeat/" 2>/dev/null || true
    rm -f "$dir/var-lib-heartbeat/hb_uuid" "$dir/var-lib-heartbeat/hb_generation" \
        "$dir/var-lib-heartbeat/hostcache"
    {
        echo "logfile /var/log/ha-log"
        echo "debugfile /var/log/ha-debug"
        echo "logfacility none"
        echo "keepalive $C_KEEPALIVE"
        echo "deadtime $C_DEADTIME"
        echo "warntime $C_WARNTIME"
        echo "initdead $C_INITDEAD"
        if [[ -n "$C_HB_NET" ]]; then echo "bcast eth0 eth1"; else echo "bcast eth0"; fi
        echo "auto_failback $C_AUTO_FAILBACK"
        echo "crm no"
        [[ -n "${C_HA_CF_EXTRA:-}" ]] && echo "$C_HA_CF_EXTRA"
        for ((i = 1; i <= C_NODES; i++)); do echo "node node$i"; done
        if [[ -n "$C_PING" ]]; then
            echo "ping $C_PING"
            echo "respawn hacluster /usr/libexec/heartbeat/ipfail"
            echo "apiauth ipfail gid=haclient uid=hacluster"
        fi
    } >"$dir/etc-ha.d/ha.cf"
    echo "$C_OWNER $C_GROUP" >"$dir/etc-ha.d/haresources"
    printf 'auth 1\n1 sha1 takeover-%s\n' "$T_ID" >"$dir/etc-ha.d/authkeys"
    chmod 600 "$dir/etc-ha.d/authkeys"
    for f in "${C_ETC_FILES[@]}"; do cp -p "$f" "$dir/etc-ha.d/"; done
    cluster_install_agents "$dir/etc-ha.d/resource.d"
}

# Ours replace heartbeat's scripts of the same name (IPaddr, Filesystem) inside the node only.
# Symlinks, so an agent finds its build tree (memexpd's agent finds build/lockd/memexpd).
cluster_install_agents() {
    local dest=$1 src f
    local dirs=("${C_AGENT_DIRS[@]}")
    ((C_OUR_AGENTS)) && dirs=("$TAKEOVER_BUILD/resource.d" "${dirs[@]}")
    for src in "${dirs[@]}"; do
        for f in "$src"/*; do
            [[ -f "$f" && -x "$f" ]] && ln -sfn "$(realpath "$f")" "$dest/$(basename "$f")"
        done
    done
    return 0
}

# Starts one node (config must exist) and returns when its PID 1 is known and the reboot stub
# is proven to be the only thing that runs for reboot; then heartbeat starts.
node_boot() {
    local node=$1 dir
    dir=$(node_dir "$node")
    # node-init makes run/ anew; remove it here too, so no marker of a former boot is seen.
    rm -rf "$dir/go" "$dir/pid" "$dir/run"
    nsnode_start cluster "$dir" "$C_NET.${node#node}/24" "$C_LIB/node-init" || return 1
    node_check_stub "$node" || return 1
    touch "$dir/go"
}

# The safety check the facts file asks for, before every heartbeat start: inside the node,
# each reboot path runs only the stub, and the node survives it.
node_check_stub() {
    local node=$1 i
    # node-init's /run is new on every boot; the marker says all its mounts are done.
    for ((i = 0; i < 500; i++)); do
        [[ -e "$(node_dir "$node")/run/stubs-in-place" ]] && break
        sleep 0.01
    done
    nsnode_check_stub cluster "$(node_dir "$node")" "$C_LIB/reboot-stub" heartbeat -nf \
        /sbin/reboot /usr/sbin/reboot /sbin/halt /sbin/poweroff /sbin/shutdown /sbin/init ||
        { cluster_kill_all; return 1; }
    node_alive "$node"
}

# Crash semantics: SIGKILL of the node's PID 1 kills every process in it, and its switch port
# goes dark: the network namespace outlives the processes, and would otherwise keep answering
# for the VIP it held. Prints the ms time.
node_crash() { nsnode_crash "$(node_dir "$1")"; }
node_wait_gone() { nsnode_wait_gone "$(node_dir "$1")"; }
cluster_kill_all() { nsnodes_kill_all "$(cluster_dir)" "$C_NODES"; }

node_standby() { node_exec "$1" /usr/share/heartbeat/hb_standby "${2:-all}" >/dev/null 2>&1; }
link_cut() { t_port "$1" down; }
link_restore() { t_port "$1" up; }

# Network: switch, nodes 10.77.60.N, client 10.77.60.50, optional ping node.
cluster_network() {
    local i
    t_switch >/dev/null
    for ((i = 1; i <= C_NODES; i++)); do
        t_node "node$i" "$C_NET.$i/24"
    done
    t_node client "$C_CLIENT/24"
    [[ -n "$C_HB_NET" ]] && cluster_hb_link
    return 0
}

# A second, private heartbeat link (eth1 on bridge br1, $C_HB_NET.N/24), as with a crossover
# cable beside the public network: cutting eth0 then leaves the nodes talking, so ipfail can
# compare ping-node counts and the cut node steps down.
cluster_hb_link() {
    local sw i ns
    sw=$(t_ns sw)
    ip -n "$sw" link add br1 type bridge
    ip -n "$sw" link set br1 up
    for ((i = 1; i <= C_NODES; i++)); do
        ns=$(t_ns "node$i")
        ip -n "$sw" link add "q-node$i" type veth peer name eth1 netns "$ns"
        ip -n "$sw" link set "q-node$i" master br1 up
        ip -n "$ns" link set eth1 up
        ip -n "$ns" addr add "$C_HB_NET.$i/24" brd + dev eth1
    done
}

# Brings the cluster up: node1 (the owner) first, which takes the group after initdead, then
# the others, which join a running peer in under a second (a simultaneous start takes 10 s).
# Called again after cluster_kill_all, it reuses the network and starts from fresh configs.
cluster_up() {
    local i
    if [[ -z "${C_NETWORK_UP:-}" ]]; then
        C_NETWORK_UP=1
        cluster_network
        mkdir -p "$(cluster_dir)"
        cp "$C_LIB/reboot-stub" "$(cluster_dir)/reboot-stub"
        t_on_exit cluster_kill_all
    fi
    for ((i = 1; i <= C_NODES; i++)); do cluster_write_config "node$i"; done
    cluster_boot_owner || return 1
    for ((i = 2; i <= C_NODES; i++)); do
        node_boot "node$i" || return 1
        cluster_wait_ms 30000 node_sees node1 "node$i" >/dev/null ||
            { echo "cluster: node1 does not see node$i" >&2; return 1; }
        # Settled: node1 holds the group, the newcomer nothing (all/none, or local/local with
        # auto_failback on; with 3 nodes a newcomer may say all); a crash during the
        # transition delays detection by seconds.
        cluster_wait_ms 60000 node_rsc node1 all local >/dev/null &&
            cluster_wait_ms 60000 node_rsc "node$i" none local "$([[ $C_NODES -gt 2 ]] && echo all)" >/dev/null ||
            { echo "cluster: node$i did not settle: node1 $(node_exec node1 cl_status rscstatus)," \
                "node$i $(node_exec "node$i" cl_status rscstatus)" >&2; return 1; }
    done
}

node_diagnose() {
    local dir
    dir=$(node_dir "$1")
    echo "  alive: $(node_alive "$1" && echo yes || echo no); init: $(tail -n 3 "$dir/init.out" 2>/dev/null)" >&2
    tail -n 5 "$dir/var-log/heartbeat.out" 2>/dev/null | sed 's/^/  out: /' >&2
    node_log "$1" | tail -n 8 | cut -d' ' -f2- | sed 's/^/  log: /' >&2
}

# node_rsc NODE STATE...: heartbeat's resource status on NODE is one of STATE (all, local,
# foreign, none, transition).
node_rsc() {
    local state want
    state=$(node_exec "$1" cl_status rscstatus 2>/dev/null) || return 1
    shift
    for want in "$@"; do [[ "$state" == "$want" ]] && return 0; done
    return 1
}

# Boots node1 alone until it holds the group. Under load, heartbeat's FIFO reader sometimes
# garbles its own start-up request ("NV failure (msgfromstream)") and node1 then acquires
# nothing; seen in about 1 of 10 starts with 2 cores at load 15. A new boot clears it.
cluster_boot_owner() {
    local attempt
    for attempt in 1 2 3; do
        node_boot node1 || return 1
        cluster_wait_ms 20000 "$C_GROUP_UP" node1 >/dev/null && return 0
        echo "cluster: node1 did not acquire the group (boot $attempt of 3); its logs end:" >&2
        node_diagnose node1
        kill -9 "$(node_pid node1)" 2>/dev/null
        node_wait_gone node1
    done
    return 1
}

# node_sees NODE OTHER: NODE's heartbeat reports OTHER active.
node_sees() { [[ "$(node_exec "$1" cl_status nodestatus "$2" 2>/dev/null)" == active ]]; }

# heartbeat's log of a node, each line prefixed with the ms time it was written (node-init).
node_log() { cat "$(node_dir "$1")/var-log/ha-log.ms" 2>/dev/null; }
node_log_has() { node_log "$1" | grep -qF -- "$2"; }
# node_log_time NODE TEXT [AFTER_MS]: ms time of the first line containing TEXT after AFTER_MS.
node_log_time() {
    node_log "$1" | awk -v after="${3:-0}" -v text="$2" \
        '$1 >= after && index($0, text) { print $1; exit }'
}

vip_on() { ip -n "$(t_ns "$1")" -4 -o addr show dev eth0 | grep -qF " $C_VIP/"; }
vip_off() { ! vip_on "$1"; }
client_ping_vip() { client_exec ping -c 1 -W 0.2 -q "$C_VIP" >/dev/null 2>&1; }

# takeover_events NODE T0: what NODE's heartbeat log says about a takeover after T0, as
# "ms-since-T0|event" lines: death detected, each resource's start, the group complete.
takeover_events() {
    local node=$1 t0=$2
    node_log "$node" | awk -v t0="$t0" -v node="$node" '
        $1 < t0 { next }
        /node [^ ]+: is dead/ && !dead { dead = 1
            match($0, /node [^ ]+: is dead/); who = substr($0, RSTART + 5, RLENGTH - 14)
            printf "%d|%s: heartbeat declares %s dead\n", $1 - t0, node, who; next }
        /Running \/etc\/ha.d\/\/?resource.d\/.* start$/ {
            s = $0; sub(/.*Running /, "", s); sub(/ start$/, "", s)
            script = s; sub(/ .*/, "", script); sub(/.*\//, "", script)
            args = s; sub(/^[^ ]+ ?/, "", args)
            printf "%d|%s: %s start begins (%s)\n", $1 - t0, node, script, args; next }
        /mach_down takeover complete for node/ && !done { done = 1
            printf "%d|%s: whole group started (heartbeat: takeover complete)\n", $1 - t0, node }
    '
}

node_log_has_after() { [[ -n "$(node_log_time "$1" "$2" "$3")" ]]; }
