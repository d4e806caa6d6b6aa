# Helpers for the smb agent's tests and benchmark (source after common.sh).

SMB_AGENT="$TAKEOVER_BUILD/resource.d/smb"

# smb_conf DIR ADDRESS SHARE_PATH [EXTRA_GLOBAL_LINE]: writes DIR/smb.conf for one instance
# served on ADDRESS, every Samba directory of its own under DIR, and prints its path.
smb_conf() {
    local dir=$1 addr=$2 path=$3 extra=${4:-}
    mkdir -p "$dir"
    cat >"$dir/smb.conf" <<CONF
[global]
    interfaces = $addr
    bind interfaces only = yes
    smb ports = 445
    pid directory = $dir/run
    lock directory = $dir/lock
    state directory = $dir/state
    cache directory = $dir/cache
    private dir = $dir/private
    ncalrpc dir = $dir/ncalrpc
    log file = $dir/log.smbd
    map to guest = bad user
    disable netbios = yes
    load printers = no
    printcap name = /dev/null
    disable spoolss = yes
    $extra
[share]
    path = $path
    guest ok = yes
    read only = no
    force user = root
CONF
    echo "$dir/smb.conf"
}

# Daemons (smbd/nmbd) started with this config, anywhere.
smb_pids_of() { pgrep -f -x "[sn]mbd -D -s $1" || true; }

# smb_private_run DIR CMD...: runs CMD with a tmpfs of its own over DIR/run (smb_conf's pid
# directory), in the mount namespace `ip netns exec` gave it. Nodes of one test share a file
# system but not /run: without this, one node's `smb stop` reads the other node's pid file.
smb_private_run() {
    local dir=$1
    shift
    unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs "$1" && shift && exec "$@"' \
        smb-private-run "$dir/run" "$@"
}
