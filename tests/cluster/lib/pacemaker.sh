# shellcheck shell=bash disable=SC2034
# A real Pacemaker 2.1 + Corosync 3 cluster on one machine, for tests and the failover bench.
#
#   . "$TAKEOVER_SRC/tests/cluster/lib/pacemaker.sh"; t_init; t_require_root
#   P_NET=10.77.81 P_NODES=2          # before pcmk_up; subnets 10.77.81-85 are ours
#   pcmk_up                           # all nodes online with a DC (pre-seeded CIB, ~8 s)
#   pcmk_crm node1 configure primitive vip ocf:takeover:IPaddr params ip=10.77.81.100
#   pcmk_wait_started 20000 vip node1 # bounded; prints the ms time it was seen
#   t=$(pcmk_crash node1)             # SIGKILL of the node's PID 1 and its link down
#
# Each node: a network namespace (eth0 on the switch's bridge, $P_NET.N/24, IPv6 off), and
# inside it a mount + UTS + PID namespace whose PID 1 is pcmk-node-init. That bind-mounts the
# node's own /etc/corosync, /var/lib/corosync, /var/lib/pacemaker, /run, /var/log, /dev/shm,
# /tmp and /usr/lib/ocf/resource.d (with our agents as provider `takeover`), the stub over
# systemctl/reboot/init and a plain file over /proc/sysrq-trigger; the harness checks those
# before corosync and pacemakerd start (facts/pacemaker-in-netns.md). Nothing of the cluster
# runs in the root namespaces, and nothing is installed into the root filesystem.
#
# Shared with the heartbeat harness (nodes.sh): the namespaced-node plumbing, now_ms,
# cluster_wait_ms, cluster_within, timeline_print.
. "$(dirname "${BASH_SOURCE[0]}")/nodes.sh"

P_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${P_NODES:=2}"
: "${P_NET:=10.77.81}"
: "${P_VIP:=$P_NET.100}"
: "${P_CLIENT:=$P_NET.50}"
: "${P_TOKEN:=1000}"      # ms; facts: crash to resources moved 2.3-2.6 s with 1000
: "${P_OUR_AGENTS:=1}"    # 1: $TAKEOVER_BUILD/resource.d/* become ocf:takeover:* in each node
P_AGENT_DIRS=()           # more directories whose executables join the takeover provider
P_RUN_DIRS=()             # directories made in each node's fresh /run at every boot
P_BINDS=()                # "SRC:TARGET": bind mounts inside each node at every boot, after
                          # run-files are copied (e.g. /run/mfs-etc:/etc/mfs), before the daemons

pcmk_cluster_dir() { echo "$T_TMP/pcmk"; }
pcmk_node_dir() { echo "$T_TMP/pcmk/$1"; }
pcmk_node_pid() { nsnode_pid "$(pcmk_node_dir "$1")"; }
pcmk_alive() { nsnode_alive "$(pcmk_node_dir "$1")"; }

# Runs a command inside a running node (network, mount, UTS and PID namespaces).
pcmk_exec() { nsnode_exec pacemaker "$(pcmk_node_dir "$1")" "${@:2}"; }
pcmk_crm() { local n=$1; shift; pcmk_exec "$n" timeout 60 crm "$@"; }
pcmk_cibadmin() { local n=$1; shift; pcmk_exec "$n" timeout 30 cibadmin "$@"; }
pcmk_mon() { pcmk_exec "$1" timeout 10 crm_mon -1 -r "${@:2}"; }
pcmk_client() { ip netns exec "$(t_ns client)" "$@"; }

# The first node that is running, to ask the cluster questions from.
pcmk_any_node() {
    local i
    for ((i = 1; i <= P_NODES; i++)); do
        pcmk_alive "node$i" && { echo "node$i"; return 0; }
    done
    return 1
}

pcmk_corosync_conf() {
    local i
    cat <<EOF
totem {
    version: 2
    cluster_name: takeover
    transport: knet
    crypto_cipher: aes256
    crypto_hash: sha256
    token: $P_TOKEN
}
nodelist {
EOF
    for ((i = 1; i <= P_NODES; i++)); do
        printf '    node {\n        name: node%d\n        nodeid: %d\n        ring0_addr: %s\n    }\n' \
            "$i" "$i" "$P_NET.$i"
    done
    echo "}"
    if ((P_NODES == 2)); then
        printf 'quorum {\n    provider: corosync_votequorum\n    two_node: 1\n}\n'
    else
        printf 'quorum {\n    provider: corosync_votequorum\n}\n'
    fi
    cat <<EOF
logging {
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    to_syslog: no
    to_stderr: no
    timestamp: hires
}
EOF
}

# The CIB every node starts from: no fencing, quorum loss ignored, DC elected after 5 s instead
# of 20 s (facts: ~8 s to a DC instead of ~23 s). No crm_feature_set: a newer one than the
# daemons' breaks startup.
pcmk_seed_cib() {
    cat <<EOF
<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.9">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/>
        <nvpair id="cib-bootstrap-options-no-quorum-policy" name="no-quorum-policy" value="ignore"/>
        <nvpair id="cib-bootstrap-options-dc-deadtime" name="dc-deadtime" value="5s"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources/>
    <constraints/>
  </configuration>
  <status/>
</cib>
EOF
}

pcmk_write_node() {
    local node=$1 dir
    dir=$(pcmk_node_dir "$node")
    mkdir -p "$dir/etc-corosync" "$dir/var-lib-corosync" "$dir/var-lib-pacemaker" \
        "$dir/var-log" "$dir/ocf-resource.d"
    pcmk_corosync_conf >"$dir/etc-corosync/corosync.conf"
    install -m 400 "$(pcmk_cluster_dir)/authkey" "$dir/etc-corosync/authkey"
    cp -a /var/lib/pacemaker/. "$dir/var-lib-pacemaker/"
    rm -f "$dir/var-lib-pacemaker/cib/"*
    pcmk_seed_cib >"$dir/var-lib-pacemaker/cib/cib.xml"
    chown hacluster:haclient "$dir/var-lib-pacemaker/cib/cib.xml"
    chmod 600 "$dir/var-lib-pacemaker/cib/cib.xml"
    cp -a /usr/lib/ocf/resource.d/. "$dir/ocf-resource.d/"
    pcmk_install_agents "$dir/ocf-resource.d/takeover"
}

# Our agents as OCF provider `takeover`, in this node's tree only (readable by hacluster:
# pacemaker-controld runs meta-data as that user).
pcmk_install_agents() {
    local dest=$1 src f
    local dirs=("${P_AGENT_DIRS[@]}")
    ((P_OUR_AGENTS)) && dirs=("$TAKEOVER_BUILD/resource.d" "${dirs[@]}")
    mkdir -p "$dest"
    chmod 755 "$dest"
    for src in "${dirs[@]}"; do
        for f in "$src"/*; do
            [[ -f "$f" && -x "$f" ]] && install -m 755 "$f" "$dest/"
        done
    done
    return 0
}

# Whether our build has agent NAME (agents land over time; scenarios use what exists).
pcmk_have_agent() { [[ -x "$TAKEOVER_BUILD/resource.d/$1" ]]; }

# Starts one node (config must exist); returns once the safety checks passed and the daemons
# were told to start.
pcmk_boot() {
    local node=$1 dir d
    dir=$(pcmk_node_dir "$node")
    rm -rf "$dir/pid" "$dir/run"  # the node's /run: its ready marker must be this boot's
    nsnode_start pacemaker "$dir" "$P_NET.${node#node}/24" "$P_LIB/pcmk-node-init" || return 1
    pcmk_check_safety "$node" || return 1
    for d in "${P_RUN_DIRS[@]}"; do mkdir -p "$dir/run/$d"; done
    [[ -d "$(pcmk_cluster_dir)/run-files" ]] && cp -a "$(pcmk_cluster_dir)/run-files/." "$dir/run/"
    for d in "${P_BINDS[@]}"; do
        pcmk_exec "$node" mount --bind "${d%%:*}" "${d#*:}" || { pcmk_kill_all; return 1; }
    done
    touch "$dir/run/pcmk-go"  # the node sees it as /run/pcmk-go
}

# Before corosync and pacemakerd exist in a node: every reboot path and systemctl run only the
# stub, and /proc/sysrq-trigger is the node's plain file. Any doubt: the node is killed.
pcmk_check_safety() {
    local node=$1 dir i inner outer
    dir=$(pcmk_node_dir "$node")
    for ((i = 0; i < 250; i++)); do
        [[ -e "$dir/run/pcmk-node-ready" ]] && break
        pcmk_alive "$node" || break
        sleep 0.02
    done
    nsnode_check_stub pacemaker "$dir" "$P_LIB/pcmk-stub" "corosync and pacemakerd" "reboot -f" \
        /sbin/reboot /usr/sbin/reboot /sbin/halt /sbin/poweroff /sbin/shutdown \
        /sbin/init /usr/bin/systemctl || { pcmk_kill_all; return 1; }
    outer=$(stat -c %d:%i "$dir/sysrq-trigger" 2>/dev/null || echo none)
    inner=$(pcmk_exec "$node" stat -L -c %d:%i /proc/sysrq-trigger 2>/dev/null || echo other)
    # No sysrq-trigger at all (kernel without CONFIG_MAGIC_SYSRQ) is safe too.
    if pcmk_exec "$node" test -e /proc/sysrq-trigger && [[ "$inner" != "$outer" ]]; then
        echo "pacemaker: UNSAFE, /proc/sysrq-trigger in $node is the kernel's; not starting" >&2
        pcmk_kill_all
        return 1
    fi
    pcmk_alive "$node"
}

# Crash: SIGKILL of the node's PID 1 kills everything in it, and its switch port goes dark
# (the network namespace outlives the processes and would keep answering for the VIP).
# Prints the ms time of the kill.
pcmk_crash() { nsnode_crash "$(pcmk_node_dir "$1")"; }
pcmk_wait_gone() { nsnode_wait_gone "$(pcmk_node_dir "$1")"; }
pcmk_kill_all() { nsnodes_kill_all "$(pcmk_cluster_dir)" "$P_NODES"; }

# Network: switch, nodes $P_NET.N, a client $P_NET.50; IPv6 off (facts file).
pcmk_network() {
    local i
    t_switch >/dev/null
    for ((i = 1; i <= P_NODES; i++)); do
        t_node "node$i" "$P_NET.$i/24"
        t_in "node$i" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
    t_node client "$P_CLIENT/24"
}

# Brings up P_NODES nodes at once and waits (bounded) until all are online with a DC.
pcmk_up() {
    local i
    pcmk_network
    mkdir -p "$(pcmk_cluster_dir)"
    install -m 755 "$P_LIB/pcmk-stub" "$(pcmk_cluster_dir)/pcmk-stub"
    corosync-keygen -k "$(pcmk_cluster_dir)/authkey" >/dev/null 2>&1
    [[ -n "${PCMK_KEEP_LOGS:-}" ]] && t_on_exit pcmk_keep_logs "$PCMK_KEEP_LOGS"
    t_on_exit pcmk_kill_all
    for ((i = 1; i <= P_NODES; i++)); do pcmk_write_node "node$i"; done
    for ((i = 1; i <= P_NODES; i++)); do pcmk_boot "node$i" || return 1; done
    cluster_wait_ms 60000 pcmk_all_online node1 >/dev/null ||
        { echo "pacemaker: cluster did not come up; node1's log ends:" >&2
          tail -n 8 "$(pcmk_node_dir node1)/var-log/pacemaker/pacemaker.log" >&2; return 1; }
}

# PCMK_KEEP_LOGS=DIR: every node's logs are copied there at exit (for debugging).
pcmk_keep_logs() {
    local i
    for ((i = 1; i <= P_NODES; i++)); do
        mkdir -p "$1/node$i"
        cp -a "$(pcmk_node_dir "node$i")/var-log/." "$1/node$i/" 2>/dev/null
    done
    return 0
}

# pcmk_all_online NODE: NODE's view has a DC and every node online.
pcmk_all_online() {
    local xml i
    xml=$(pcmk_exec "$1" timeout 10 crm_mon -1 --output-as=xml 2>/dev/null) || return 1
    [[ "$xml" == *'<current_dc present="true"'* ]] || return 1
    for ((i = 1; i <= P_NODES; i++)); do
        grep -q "<node name=\"node$i\" [^>]*online=\"true\"" <<<"$xml" || return 1
    done
}

# pcmk_where RSC: the node(s) Pacemaker says RSC runs on, asked of any live node.
pcmk_where() {
    local from
    from=$(pcmk_any_node) || return 1
    pcmk_exec "$from" timeout 10 crm_resource --locate -r "$1" -Q 2>/dev/null
}
pcmk_running_on() { [[ "$(pcmk_where "$1")" == "$2" ]]; }
pcmk_stopped() { [[ -z "$(pcmk_where "$1")" ]]; }

# pcmk_wait_started TIMEOUT_MS RSC NODE: bounded wait for RSC running on NODE (and only
# there); prints the ms time it was first seen.
pcmk_wait_started() { cluster_wait_ms "$1" pcmk_running_on "$2" "$3"; }

# pcmk_log NODE: Pacemaker's log of NODE.
pcmk_log() { cat "$(pcmk_node_dir "$1")/var-log/pacemaker/pacemaker.log" 2>/dev/null; }
pcmk_corosync_log() { cat "$(pcmk_node_dir "$1")/var-log/corosync/corosync.log" 2>/dev/null; }

pcmk_vip_on() { ip -n "$(t_ns "$1")" -4 -o addr show dev eth0 | grep -qF " $P_VIP/"; }
pcmk_client_ping_vip() { pcmk_client ping -c 1 -W 0.2 -q "$P_VIP" >/dev/null 2>&1; }

# pcmk_events T0 [NODE...]: what the nodes' Corosync and Pacemaker logs say after T0 (ms), as
# "ms-since-T0|node: event" lines for timeline_print: token loss and membership, the node
# declared lost, each operation's result, transitions completed. Both logs stamp lines in ms.
pcmk_events() {
    local t0=$1 node i nodes=("${@:2}")
    if ((${#nodes[@]} == 0)); then
        for ((i = 1; i <= P_NODES; i++)); do nodes+=("node$i"); done
    fi
    for node in "${nodes[@]}"; do
        { pcmk_corosync_log "$node"; pcmk_log "$node"; } |
            awk -v t0="$t0" -v node="$node" -v year="$(date +%Y)" -f "$P_LIB/pcmk-events.awk"
    done
}

# pcmk_log_time NODE TEXT AFTER_MS: epoch ms of NODE's first Pacemaker log line after AFTER_MS
# containing TEXT.
pcmk_log_time() {
    pcmk_log "$1" | awk -v t0="$3" -v find="$2" -v year="$(date +%Y)" -f "$P_LIB/pcmk-events.awk"
}
pcmk_log_has_after() { [[ -n "$(pcmk_log_time "$@")" ]]; }

# pcmk_failcount RSC NODE: Pacemaker's fail count of RSC on NODE (0 when none).
pcmk_failcount() {
    local from out
    from=$(pcmk_any_node) || return 1
    out=$(pcmk_exec "$from" timeout 10 crm_failcount --query -r "$1" -N "$2" 2>/dev/null) || true
    out=${out##*value=}
    [[ "$out" =~ ^[0-9]+$ ]] && echo "$out" || echo 0
}

# No failed start or stop in the cluster's status.
pcmk_no_failures() {
    local from xml
    from=$(pcmk_any_node) || return 1
    xml=$(pcmk_exec "$from" timeout 10 crm_mon -1 --output-as=xml 2>/dev/null) || return 1
    ! grep -Eq '<failure [^>]*task="(start|stop)"' <<<"$xml"
}

# pcmk_start_exec_ms NODE AFTER_MS RSC...: the agents' own time: the sum of the execution times
# pacemaker-execd logged on NODE for the first successful start of each RSC after AFTER_MS.
pcmk_start_exec_ms() {
    local node=$1 after=$2 rsc total=0 ms
    shift 2
    for rsc in "$@"; do
        ms=$(pcmk_log "$node" | grep -F "info: $rsc start (call " | grep -F "exited with status 0" |
            awk -v t0="$after" -v year="$(date +%Y)" -f "$P_LIB/pcmk-exec-ms.awk" | head -n 1)
        [[ -n "$ms" ]] || return 1
        total=$((total + ms))
    done
    echo "$total"
}

# pcmk_op_exec_ms NODE AFTER_MS RSC OP: pacemaker-execd's execution time of the first successful
# OP (promote, demote, start...) of RSC on NODE after AFTER_MS.
pcmk_op_exec_ms() {
    local ms
    ms=$(pcmk_log "$1" | grep -F "info: $3 $4 (call " | grep -F "exited with status 0" |
        awk -v t0="$2" -v year="$(date +%Y)" -f "$P_LIB/pcmk-exec-ms.awk" | head -n 1)
    [[ -n "$ms" ]] && echo "$ms"
}

# pcmk_dc: the name of the current DC (the node whose controller schedules).
pcmk_dc() {
    local from xml
    from=$(pcmk_any_node) || return 1
    xml=$(pcmk_exec "$from" timeout 10 crm_mon -1 --output-as=xml 2>/dev/null) || return 1
    sed -n 's/.*<current_dc present="true"[^>]* name="\([^"]*\)".*/\1/p' <<<"$xml" | head -n 1
}
