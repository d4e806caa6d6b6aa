# MooseFS helpers for the mfsmaster integration tests and bench (bash; after common.sh).
#
#   mfs_node NAME ADDR VIP     # namespace + $T_TMP/NAME/{master,ml}, master.cfg, ml.cfg
#   mfs_agent NAME ARGS...     # our agent inside the node, heartbeat v1 style
#   mfs_chunkserver NAME ADDR VIP / mfs_mount NAME VIP DIR
#
# Every daemon runs inside a namespace the test made (t_ns_delete kills it) with configs and
# data under T_TMP, so parallel tests never share a port, a file or a process.

MFS_AGENT=${MFS_AGENT:-$TAKEOVER_BUILD/resource.d/mfsmaster}

# The mfs user must reach its data directories under T_TMP (mktemp made it 0700).
mfs_tmp_open() { chmod 755 "$T_TMP"; }

mfs_dir() { echo "$T_TMP/$1"; }

# mfs_node NAME ADDR/PREFIX VIP: a node able to run a master and a metalogger.
mfs_node() {
    local name=$1 addr=$2 vip=$3 d
    t_node "$name" "$addr"
    d=$(mfs_dir "$name")
    mkdir -p "$d/master" "$d/ml"
    chown mfs:mfs "$d/master" "$d/ml"
    printf '*  /  rw,alldirs,admin,maproot=0:0\n*  .  rw\n' >"$d/exports.cfg"
    : >"$d/topology.cfg"
    cat >"$d/master.cfg" <<CFG
# master on $name
DATA_PATH = $d/master
EXPORTS_FILENAME = $d/exports.cfg
TOPOLOGY_FILENAME = $d/topology.cfg
CFG
    cat >"$d/ml.cfg" <<CFG
DATA_PATH = $d/ml
MASTER_HOST = $vip
MASTER_RECONNECTION_DELAY = 1
CFG
}

# A brand-new filesystem on NAME: the package's empty metadata as the master's metadata.mfs.
mfs_new_filesystem() {
    install -o mfs -g mfs -m 640 /var/lib/mfs/metadata.mfs.empty "$(mfs_dir "$1")/master/metadata.mfs"
}

mfs_agent() {
    local name=$1 d
    shift
    d=$(mfs_dir "$name")
    t_in "$name" "$MFS_AGENT" "$d/master.cfg" "$d/ml.cfg" "$@"
}

# The metadata version NAME's master reports through our monitor ("" when not serving).
mfs_master_version() {
    mfs_agent "$1" status 2>/dev/null | sed -n 's/.*metadata version \([0-9]*\).*/\1/p'
}

# The version NAME's metalogger copy reaches: its newest change id + 1, or its downloaded
# metadata's version (big-endian u64 at offset 8) when that is newer.
mfs_ml_reach() {
    local d f last reach=0 meta
    d="$(mfs_dir "$1")/ml"
    f="$d/changelog_ml.0.mfs"
    if [[ -s "$f" ]]; then
        last=$(tail -n 1 "$f" | cut -d: -f1)
        reach=$((last + 1))
    fi
    if [[ -s "$d/metadata_ml.mfs.back" ]]; then
        meta=$(od -An -tx1 -j8 -N8 "$d/metadata_ml.mfs.back" | tr -d ' \n')
        ((16#${meta:-0} > reach)) && reach=$((16#$meta))
    fi
    echo $reach
}

# True once NAME's metalogger has every change its master (on MASTER) reports.
mfs_ml_synced() {
    local v
    v=$(mfs_master_version "$2")
    [[ -n "$v" ]] && (($(mfs_ml_reach "$1") >= v))
}

# mfs_chunkserver NAME ADDR/PREFIX VIP: a directory-backed chunkserver.
mfs_chunkserver() {
    local name=$1 addr=$2 vip=$3 d
    t_node "$name" "$addr"
    d=$(mfs_dir "$name")
    mkdir -p "$d/cs" "$d/hdd"
    chown mfs:mfs "$d/cs" "$d/hdd"
    echo "$d/hdd" >"$d/hdd.cfg"
    cat >"$d/cs.cfg" <<CFG
DATA_PATH = $d/cs
HDD_CONF_FILENAME = $d/hdd.cfg
MASTER_HOST = $vip
MASTER_RECONNECTION_DELAY = 1
CFG
    t_in "$name" mfschunkserver -c "$d/cs.cfg" start >/dev/null 2>&1
}

# mfs_mount NAME VIP DIR: mfsmount in NAME's network namespace but the root mount namespace,
# so the test reads the mount directly; unmounted on exit before the namespace goes.
mfs_mount() {
    local name=$1 vip=$2 dir=$3
    mkdir -p "$dir"
    nsenter --net="/run/netns/$(t_ns "$name")" mfsmount "$dir" -H "$vip" -P 9421 \
        -o mfsioretries=60 >/dev/null 2>&1 || return 1
    t_on_exit umount -l "$dir"
}

# /dev/fuse usable here? (containers without it skip the client part, saying why)
mfs_fuse_usable() { [[ -c /dev/fuse ]] && command -v mfsmount >/dev/null; }

# Moves the VIP: gone from FROM, on TO, and the neighbours' ARP caches flushed (what a
# gratuitous ARP does; the test does not depend on another agent for it).
mfs_move_vip() {
    local vip=$1 from=$2 to=$3 n
    shift 3
    t_in "$from" ip addr del "$vip/24" dev eth0 2>/dev/null || true
    t_in "$to" ip addr add "$vip/24" dev eth0
    for n in "$@"; do t_in "$n" ip neigh flush all; done
}
