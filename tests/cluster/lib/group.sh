# shellcheck shell=bash disable=SC2034
# The storage group the demo and the failover bench move: which members, with which agents,
# how to tell it runs on a node, and what a client does through the VIP. Source after
# cluster.sh.
#
# group_compose VARIANT [MEMBER...]: sets C_GROUP (the haresources resources), C_GROUP_UP
# and C_OUR_AGENTS. VARIANT: ours (our agents from $TAKEOVER_BUILD/resource.d, heartbeat's
# IPaddr2 where ours is not built), shell (heartbeat's own IPaddr2 and Filesystem), floor
# (do-almost-nothing scripts: `ip addr add`, `mount`). MEMBERs: ip fs (fs needs C_DISK from
# cluster_disk), smb (ours only); default: ip, plus fs when C_DISK is set, plus smb when ours
# is built.
. "$(dirname "${BASH_SOURCE[0]}")/storage.sh"

G_MEMBERS=()
G_SHARE=/srv/share   # a tmpfs directory of each node (node-init)
C_CLIENT_WHAT="ping"
C_AGENT_DIRS=("$C_LIB/../agents")   # recorder, noop-ip, noop-fs

our_agent() { [[ -f "$TAKEOVER_BUILD/resource.d/$1" && -x "$TAKEOVER_BUILD/resource.d/$1" ]]; }

group_compose() {
    local variant=$1 m
    shift
    G_MEMBERS=("$@")
    if ((${#G_MEMBERS[@]} == 0)); then
        G_MEMBERS=(ip)
        [[ "$variant" == ours ]] && our_agent memexpd && G_MEMBERS+=(memexpd)
        [[ -n "$C_DISK" ]] && G_MEMBERS+=(fs)
        [[ -n "$C_DISK" && "$variant" == ours ]] && our_agent smb && G_MEMBERS+=(smb)
    fi
    C_OUR_AGENTS=0
    [[ "$variant" == ours ]] && C_OUR_AGENTS=1
    C_GROUP=""
    G_DESCRIPTION=""
    for m in "${G_MEMBERS[@]}"; do
        group_member_"$m" "$variant"
    done
    C_GROUP=${C_GROUP# }
    C_GROUP_UP=group_up
    echo "members:$G_DESCRIPTION"
}

group_add() { C_GROUP+=" $1"; G_DESCRIPTION+=" $2;"; }

# group_vip_and_recorders NET NAME...: the scenarios' group on subnet NET (nodes NET.N, VIP
# NET.100, client NET.50): the VIP by our IPaddr, then recorder::NAME for each NAME (the
# recorder of tests/cluster/agents, in C_AGENT_DIRS, logs every action it is asked for).
group_vip_and_recorders() {
    local name
    C_NET=$1 C_VIP=$1.100 C_CLIENT=$1.50
    group_compose ours ip >/dev/null
    for name in "${@:2}"; do C_GROUP+=" recorder::$name"; done
}

group_member_ip() {
    case $1 in
    ours) if our_agent IPaddr; then
            group_add "IPaddr::$C_VIP/24/eth0" "VIP by IPaddr (ours)"
        else
            group_add "IPaddr2::$C_VIP/24/eth0" "VIP by IPaddr2 (heartbeat's; ours not built)"
        fi ;;
    shell) group_add "IPaddr2::$C_VIP/24/eth0" "VIP by IPaddr2 (heartbeat's)" ;;
    floor) group_add "noop-ip::$C_VIP" "VIP by noop-ip (ip addr add)" ;;
    esac
}

group_member_fs() {
    case $1 in
    ours) if our_agent Filesystem; then
            group_add "Filesystem::$C_DISK::$G_SHARE::ext4" "mount by Filesystem (ours)"
        else
            group_add "Filesystem::$C_DISK::$G_SHARE::ext4" "mount by Filesystem (heartbeat's; ours not built)"
        fi ;;
    shell) group_add "Filesystem::$C_DISK::$G_SHARE::ext4" "mount by Filesystem (heartbeat's)" ;;
    floor) group_add "noop-fs::$C_DISK::$G_SHARE::ext4" "mount by noop-fs (mount)" ;;
    esac
}

group_member_memexpd() {
    [[ "$1" == ours ]] || return 0   # the lock server has no shell agent to compare with
    G_MEMEXPD_CONF=$(cluster_dir)/memexpd.conf
    mkdir -p "$(cluster_dir)"
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$(cluster_dir)/memexpd.key"
    chmod 600 "$(cluster_dir)/memexpd.key"
    printf 'listen %s:15697\nkey_file %s\npidfile /run/memexpd.pid\n' \
        "$C_VIP" "$(cluster_dir)/memexpd.key" >"$G_MEMEXPD_CONF"
    # Durable mode on a shared device, and a shorter grace, when a scenario asks for them.
    [[ -z "${G_MEMEXPD_STATEDEV:-}" ]] || echo "statedev $G_MEMEXPD_STATEDEV" >>"$G_MEMEXPD_CONF"
    [[ -z "${G_MEMEXPD_GRACE_MS:-}" ]] || echo "grace_ms $G_MEMEXPD_GRACE_MS" >>"$G_MEMEXPD_CONF"
    C_ETC_FILES+=("$G_MEMEXPD_CONF")   # lockctl in the client reads the original
    group_add "memexpd::/etc/ha.d/memexpd.conf" "lock server by memexpd (ours)"
}

memexpd_on() { node_exec "$1" pgrep -x memexpd >/dev/null; }

group_member_smb() {
    [[ "$1" == ours ]] || return 0   # heartbeat has no Samba agent of its own here
    group_smb_conf
    C_ETC_FILES+=("$G_SMB_CONF")
    group_add "smb::/etc/ha.d/smb.conf::share" "share by smb (ours)"
    C_CLIENT_WHAT="smbclient reads hello.txt"
}

# One smb.conf for every node (copied to its /etc/ha.d): its directories are in the node's
# own /run and /var/log.
group_smb_conf() {
    G_SMB_CONF=$(cluster_dir)/smb.conf
    mkdir -p "$(cluster_dir)"
    storage_smb_conf "$C_VIP" "$G_SHARE" "force user = root" >"$G_SMB_CONF"
}

# group_seed_disk: writes hello.txt onto the shared disk (mounted in a private mount
# namespace of this script, so the host's mount table never sees it).
group_seed_disk() {
    mkdir -p "$T_TMP/seed"
    unshare -m --propagation private sh -c \
        'mount "$1" "$2" && echo "hello from the shared disk" >"$2/hello.txt" && umount "$2"' \
        _ "$C_DISK" "$T_TMP/seed"
}

client_smb_read() {
    [[ "$(client_exec timeout 5 smbclient "//$C_VIP/share" -N -c 'get hello.txt -' 2>/dev/null)" == \
        "hello from the shared disk"* ]]
}

smb_on() { node_exec "$1" pgrep -x smbd >/dev/null; }

# fs_on NODE: the shared disk is mounted on /srv/share in NODE (read from the node's own
# mountinfo, no process started in it).
fs_on() { storage_mounted_in "$(node_dir "$1")" "$G_SHARE"; }

# group_up NODE: every member runs on NODE.
group_up() {
    local m
    for m in "${G_MEMBERS[@]}"; do
        case $m in
        ip) vip_on "$1" || return 1 ;;
        fs) fs_on "$1" || return 1 ;;
        smb) smb_on "$1" || return 1 ;;
        memexpd) memexpd_on "$1" || return 1 ;;
        esac
    done
}

group_show() {
    local node=$1 m
    for m in "${G_MEMBERS[@]}"; do
        case $m in
        ip)
            if vip_on "$node"; then
                echo "  $node: VIP $C_VIP on eth0; client ping: $(client_ping_vip && echo answered || echo NO answer)"
            else
                echo "  $node: VIP $C_VIP NOT here"
            fi
            ;;
        fs)
            if fs_on "$node"; then
                echo "  $node: $C_DISK mounted on $G_SHARE ($(node_exec "$node" ls "$G_SHARE" | wc -l) entries)"
            else
                echo "  $node: $C_DISK NOT mounted on $G_SHARE"
            fi
            ;;
        memexpd)
            echo "  $node: memexpd $(memexpd_on "$node" && echo runs || echo does NOT run)"
            ;;
        smb)
            echo "  $node: smbd $(smb_on "$node" && echo runs || echo does NOT run);" \
                "client reads //$C_VIP/share/hello.txt: $(client_smb_read && echo ok || echo FAILED)"
            ;;
        esac
    done
}

# What the client checks through the VIP; the strongest the group's members allow.
group_client_ok() {
    if has_member smb; then client_smb_read; else client_ping_vip; fi
}
has_member() { [[ " ${G_MEMBERS[*]} " == *" $1 "* ]]; }
lockctl() { client_exec "$TAKEOVER_BUILD/lockd/lockctl" -c "$G_MEMEXPD_CONF" "$@"; }
# The token demo-lock is granted with, as the server in charge lists it ("" if none).
client_lock_token() { lockctl locks demo-lock 2>/dev/null | awk '$3 == "granted" { print $7 }'; }
client_has_lock() { [[ -n "$(client_lock_token)" ]]; }
client_lock_reclaimed() { [[ "$(client_lock_token)" == "$G_LOCK_TOKEN" ]]; }
client_lock_refused() { ! lockctl lock -n demo-lock -- true >/dev/null 2>&1; }

# A client takes lock demo-lock through the VIP and holds it (lockctl lock ... sleep).
group_client_before_crash() {
    has_member memexpd || return 0
    lockctl lock demo-lock --node client -- sleep 600 >/dev/null 2>&1 &
    t_on_exit kill $!
    if cluster_within 5000 client_has_lock && G_LOCK_TOKEN=$(client_lock_token); then
        echo "  client: holds lock demo-lock on memexpd through the VIP (lockctl lock, token $G_LOCK_TOKEN)"
    else
        echo "  client: could NOT take lock demo-lock"
    fi
}

# group_client_after_crash T_CRASH EVENTS_ARRAY_NAME: adds "ms|event" lines.
group_client_after_crash() {
    local t
    has_member memexpd || return 0
    local -n ev=$2
    # The client's lockctl reconnects to the new server through the VIP and reclaims its lock
    # with the same token (memexpd's grace period holds it for the client meanwhile).
    if t=$(cluster_wait_ms 10000 client_lock_reclaimed); then
        ev+=("$((t - $1))|client: lock demo-lock reclaimed through the VIP on node2, token $G_LOCK_TOKEN kept")
        client_lock_refused &&
            ev+=("$(($(now_ms) - $1))|another client asking for demo-lock is refused: it is held")
    else
        ev+=("10000|client: lock demo-lock NOT reclaimed (server lists: $(client_lock_token))")
    fi
}

# Data safety: a client in the client namespace writes numbered files to the share through
# the VIP and records each write smbclient acknowledged; after a failover every acknowledged
# file must be there with its content. (One kernel holds the page cache for all nodes here,
# so this proves the group's ordering and reachability, not disk durability.)
writer_start() {
    : >"$T_TMP/acked"
    rm -f "$T_TMP/writer-stop"
    writer_loop &
    G_WRITER=$!
    t_on_exit kill "$G_WRITER"
}

writer_loop() {
    local i
    for ((i = 1; i <= 3000; i++)); do
        [[ -e "$T_TMP/writer-stop" ]] && return 0
        echo "file $i of $T_ID" >"$T_TMP/w.$i"
        if client_exec timeout 3 smbclient "//$C_VIP/share" -N -c "put $T_TMP/w.$i f$i" >/dev/null 2>&1; then
            echo "$i" >>"$T_TMP/acked"
        else
            sleep 0.05
        fi
        rm -f "$T_TMP/w.$i"
    done
}

writer_stop() {
    touch "$T_TMP/writer-stop"
    wait "$G_WRITER" 2>/dev/null || true
}

# writer_check: prints "N acknowledged, M missing or wrong"; true when M is 0.
writer_check() {
    local i n=0 bad=0
    while read -r i; do
        n=$((n + 1))
        [[ "$(client_exec timeout 5 smbclient "//$C_VIP/share" -N -c "get f$i -" 2>/dev/null)" == \
            "file $i of $T_ID"* ]] || bad=$((bad + 1))
    done <"$T_TMP/acked"
    echo "$n acknowledged, $bad missing or wrong"
    ((bad == 0 && n > 0))
}
