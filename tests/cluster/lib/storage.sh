# shellcheck shell=bash
# Parts of the storage group that the heartbeat group (group.sh) and the Pacemaker group
# (pcmk-group.sh) compose alike: the Samba share's configuration and the check that the
# shared disk is mounted in a node. Which agents run them stays in each group file.

# storage_smb_conf VIP SHARE_DIR [SHARE_LINE...]: prints the smb.conf of the group's Samba
# member: smbd serves [share] (SHARE_DIR, guest access, writable, plus SHARE_LINEs) on the VIP
# only; its pid, lock, state and private files are in the node's own /run/samba-group and its
# log in the node's own /var/log, so two nodes on one machine never share them.
storage_smb_conf() {
    local line
    cat <<CONF
[global]
    server role = standalone server
    interfaces = $1/24
    bind interfaces only = yes
    smb ports = 445
    pid directory = /run/samba-group
    lock directory = /run/samba-group/lock
    state directory = /run/samba-group/state
    cache directory = /run/samba-group/cache
    private dir = /run/samba-group/private
    ncalrpc dir = /run/samba-group/ncalrpc
    log file = /var/log/samba-group.log
    map to guest = Bad User
    load printers = no
    disable spoolss = yes
[share]
    path = $2
    guest ok = yes
    read only = no
CONF
    for line in "${@:3}"; do echo "    $line"; done
}

# storage_mounted_in NODE_DIR MOUNT_DIR: something is mounted on MOUNT_DIR in the node of
# NODE_DIR (read from the node's own mountinfo: no process started in it).
storage_mounted_in() {
    local pid
    pid=$(nsnode_pid "$1") || return 1
    awk -v dir="$2" '$5 == dir { found = 1 } END { exit !found }' "/proc/$pid/mountinfo" 2>/dev/null
}
