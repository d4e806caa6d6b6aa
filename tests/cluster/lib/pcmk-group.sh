# shellcheck shell=bash disable=SC2034
# The storage group as Pacemaker runs it: which members, with which agents, the crm commands
# that configure it (docs/pacemaker.md shows the same), and how to tell it runs on a node.
# Source after pacemaker.sh.
#
# pcmk_group_compose VARIANT [MEMBER...]: sets PG_MEMBERS (resource ids, in order) and
# PG_CRM (crm configure text). VARIANT: ours (ocf:takeover:*), shell (resource-agents'
# ocf:heartbeat:IPaddr2 / Filesystem), floor (ocf:heartbeat:Dummy: what Pacemaker itself
# costs). MEMBERs: ip lock fs smb (fs needs PG_DISK; lock and smb exist only as ours);
# default: ip, plus fs when PG_DISK is set and our Filesystem is built.
. "$(dirname "${BASH_SOURCE[0]}")/storage.sh"

PG_MEMBERS=()
PG_KINDS=()
PG_CRM=""
PG_DISK=""
PG_MOUNT=/run/share          # in each node's own /run: no directory made in the root fs
P_RUN_DIRS+=(share)
PG_MONITOR="op monitor interval=2s timeout=20s"

pcmk_group_compose() {
    local variant=$1 m count
    shift
    local members=("$@")
    if ((${#members[@]} == 0)); then
        members=(ip)
        [[ -n "$PG_DISK" ]] && pcmk_have_agent Filesystem && members+=(fs)
    fi
    PG_MEMBERS=() PG_KINDS=() PG_CRM=""
    PG_VARIANT_IS_FLOOR=0
    [[ "$variant" == floor ]] && PG_VARIANT_IS_FLOOR=1
    for m in "${members[@]}"; do
        count=${#PG_MEMBERS[@]}
        "pcmk_group_member_$m" "$variant"
        ((${#PG_MEMBERS[@]} > count)) && PG_KINDS+=("$m")
    done
    PG_CRM+="group storage ${PG_MEMBERS[*]}"$'\n'
}

# pcmk_group_add ID AGENT PARAMS: one primitive of the group.
pcmk_group_add() {
    PG_MEMBERS+=("$1")
    PG_CRM+="primitive $1 $2 $3 $PG_MONITOR"$'\n'
}

# pcmk_group_add_variant VARIANT ID OURS SHELL PARAMS: member ID run by ocf:takeover:OURS,
# resource-agents' ocf:heartbeat:SHELL, or (floor) ocf:heartbeat:Dummy without parameters.
pcmk_group_add_variant() {
    case $1 in
    ours) pcmk_group_add "$2" "ocf:takeover:$3" "$5" ;;
    shell) pcmk_group_add "$2" "ocf:heartbeat:$4" "$5" ;;
    floor) pcmk_group_add "$2" ocf:heartbeat:Dummy "" ;;
    esac
}

pcmk_group_member_ip() {
    pcmk_group_add_variant "$1" vip IPaddr IPaddr2 "params ip=$P_VIP cidr_netmask=24 nic=eth0"
}

pcmk_group_member_fs() {
    pcmk_group_add_variant "$1" fs Filesystem Filesystem \
        "params device=$PG_DISK directory=$PG_MOUNT fstype=ext4"
}

# pcmk_group_configure NODE: `crm configure load update` of PG_CRM, from NODE's /tmp.
pcmk_group_configure() {
    local node=$1
    printf '%s' "$PG_CRM" >"$(pcmk_node_dir "$node")/tmp/storage.crm"
    pcmk_crm "$node" configure load update /tmp/storage.crm
}

# The whole group runs on exactly one node (Pacemaker's view).
pcmk_group_placed() {
    local first m where
    first=$(pcmk_where "${PG_MEMBERS[0]}") || return 1
    [[ -n "$first" && "$first" != *$'\n'* ]] || return 1
    for m in "${PG_MEMBERS[@]}"; do
        where=$(pcmk_where "$m") || return 1
        [[ "$where" == "$first" ]] || return 1
    done
}

# pcmk_group_up NODE: Pacemaker says every member runs on NODE, and the kernel agrees for
# the members it can see from outside (the VIP; the mount in the node's mount table).
pcmk_group_up() {
    local node=$1 i
    for ((i = 0; i < ${#PG_MEMBERS[@]}; i++)); do
        pcmk_running_on "${PG_MEMBERS[i]}" "$node" || return 1
        [[ "$PG_VARIANT_IS_FLOOR" == 1 ]] && continue
        case ${PG_KINDS[i]} in
        ip) pcmk_vip_on "$node" || return 1 ;;
        fs) pcmk_fs_on "$node" || return 1 ;;
        smb) pcmk_smbd_alive "$node" || return 1 ;;
        lock) pcmk_exec "$node" test -e /run/memexpd.pid || return 1 ;;
        esac
    done
}
PG_VARIANT_IS_FLOOR=0

# pcmk_fs_on NODE: the shared disk is mounted on PG_MOUNT in NODE (its own mountinfo).
pcmk_fs_on() { storage_mounted_in "$(pcmk_node_dir "$1")" "$PG_MOUNT"; }

# pcmk_probed_not_running NODE AFTER_MS: NODE's probe of every member said "not running".
pcmk_probed_not_running() {
    local m
    for m in "${PG_MEMBERS[@]}"; do
        pcmk_log_has_after "$1" "Result of probe operation for $m on $1: not running" "$2" || return 1
    done
}

# The Samba member: one smb.conf for every node, read by the agent as /run/takeover-smb.conf
# (copied into each node's fresh /run at boot); its state lives in the node's own /run.
PG_SMB_CONF=/run/takeover-smb.conf
pcmk_group_member_smb() {
    [[ "$1" == ours ]] || return 0   # resource-agents has no Samba agent to compare with
    P_RUN_DIRS+=(samba-group/lock samba-group/state samba-group/cache samba-group/private \
        samba-group/ncalrpc)
    mkdir -p "$(pcmk_cluster_dir)/run-files"
    storage_smb_conf "$P_VIP" "$PG_MOUNT" >"$(pcmk_cluster_dir)/run-files/takeover-smb.conf"
    pcmk_group_add smb ocf:takeover:smb "params config=$PG_SMB_CONF share=share"
}

# smbd's main process in NODE (from its pid file in the node's /run).
pcmk_smbd_pid() { cat "$(pcmk_node_dir "$1")/run/samba-group/smbd.pid" 2>/dev/null; }

pcmk_smbd_alive() {
    local pid
    pid=$(pcmk_smbd_pid "$1") && [[ -n "$pid" ]] && pcmk_exec "$1" kill -0 "$pid" 2>/dev/null
}

# The client reads FILE from the share through the VIP.
pcmk_client_smb_get() {
    pcmk_client timeout 5 smbclient -N "//$P_VIP/share" -c "get $1 -" 2>/dev/null
}

# The lock server member: memexpd listening on the VIP, its config, key and daemon copied
# into each node's fresh /run at boot (the agent is /usr/lib/ocf/resource.d/takeover/memexpd,
# so the daemon cannot sit next to it under the same name).
PG_LOCK_KEY=""
pcmk_group_member_lock() {
    [[ "$1" == ours ]] || return 0   # resource-agents has no memexpd agent
    local files
    files="$(pcmk_cluster_dir)/run-files"
    mkdir -p "$files/bin"
    install -m 755 "$TAKEOVER_BUILD/lockd/memexpd" "$files/bin/memexpd"
    PG_LOCK_KEY="$(pcmk_cluster_dir)/memexpd.key"
    printf 'auth 1\n1 sha256 takeover-%s-0123456789abcdef\n' "$T_ID" >"$PG_LOCK_KEY"
    chmod 600 "$PG_LOCK_KEY"
    install -m 600 "$PG_LOCK_KEY" "$files/memexpd.key"
    cat >"$files/memexpd.conf" <<CONF
listen $P_VIP:15697
key_file /run/memexpd.key
pidfile /run/memexpd.pid
min_lease_ms 500
grace_ms 3000
CONF
    pcmk_group_add lock ocf:takeover:memexpd \
        "params config=/run/memexpd.conf daemon=/run/bin/memexpd"
}

# lockctl from the client, through the VIP.
pcmk_lockctl() {
    pcmk_client "$TAKEOVER_BUILD/lockd/lockctl" --server "$P_VIP:15697" --key-file "$PG_LOCK_KEY" "$@"
}
pcmk_lock_server_answers() { pcmk_lockctl status >/dev/null 2>&1; }
