# shellcheck shell=bash disable=SC2034
# MooseFS under the Pacemaker harness: the mfsmaster promotable clone with the cluster IP (the
# crm text of docs/pacemaker.md), each node's MooseFS configs and data, the chunkserver and the
# client. Source after pacemaker.sh; uses tests/lib/mfs.sh for the chunkserver, the client
# mount and the metalogger's reach.
#
# Inside every node, as on a Debian machine: /etc/mfs/mfsmaster.cfg, /etc/mfs/mfsmetalogger.cfg
# (one set for all nodes; the metalogger follows the cluster IP), DATA_PATH /var/lib/mfs/master
# and /var/lib/mfs/ml. Both are the node's own: bind mounts of /run/mfs-etc and /run/mfs, which
# pcmk_boot fills from run-files at every boot (a rebooted node starts with empty MooseFS data).
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/mfs.sh"

# The crm configuration of docs/pacemaker.md ("MooseFS master as a promotable clone").
pcmk_mfs_crm() {
    cat <<CRM
property stonith-enabled=false no-quorum-policy=ignore
primitive mfs ocf:takeover:mfsmaster \\
    params config=/etc/mfs/mfsmaster.cfg metalogger_config=/etc/mfs/mfsmetalogger.cfg \\
    op start timeout=90s op stop timeout=90s op promote timeout=90s op demote timeout=90s \\
    op monitor role=Promoted interval=10s timeout=20s \\
    op monitor role=Unpromoted interval=11s timeout=20s
clone mfs-clone mfs \\
    meta promotable=true promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=true
primitive mfs-ip ocf:takeover:IPaddr params ip=$P_VIP cidr_netmask=24 \\
    op monitor interval=5s timeout=20s
colocation mfs-ip-with-promoted inf: mfs-ip mfs-clone:Promoted
order mfs-ip-after-promote Mandatory: mfs-clone:promote mfs-ip:start
CRM
}

# Before pcmk_up: every node gets the configs and empty, mfs-owned data directories.
pcmk_mfs_files() {
    local files
    files="$(pcmk_cluster_dir)/run-files"
    mkdir -p "$files/mfs-etc" "$files/mfs/master" "$files/mfs/ml"
    chown mfs:mfs "$files/mfs/master" "$files/mfs/ml"
    install -m 644 /var/lib/mfs/metadata.mfs.empty "$files/mfs/metadata.mfs.empty"
    printf '*  /  rw,alldirs,admin,maproot=0:0\n*  .  rw\n' >"$files/mfs-etc/mfsexports.cfg"
    : >"$files/mfs-etc/mfstopology.cfg"
    cat >"$files/mfs-etc/mfsmaster.cfg" <<CFG
DATA_PATH = /var/lib/mfs/master
EXPORTS_FILENAME = /etc/mfs/mfsexports.cfg
TOPOLOGY_FILENAME = /etc/mfs/mfstopology.cfg
CFG
    cat >"$files/mfs-etc/mfsmetalogger.cfg" <<CFG
DATA_PATH = /var/lib/mfs/ml
MASTER_HOST = $P_VIP
MASTER_RECONNECTION_DELAY = 1
CFG
    P_BINDS+=(/run/mfs-etc:/etc/mfs /run/mfs:/var/lib/mfs)
}

# A new filesystem on NODE, as docs/mfsmaster.md makes one: the package's empty metadata as the
# master's metadata.mfs. (The agent's promote rewrites it with `mfsmaster -a restore` before the
# first start, or metaloggers could download nothing until the master's first hourly save.)
pcmk_mfs_new_filesystem() {
    pcmk_exec "$1" install -o mfs -g mfs -m 640 /var/lib/mfs/metadata.mfs.empty \
        /var/lib/mfs/master/metadata.mfs
}

# `crm configure load update mfs.crm`, from NODE's /tmp.
pcmk_mfs_configure() {
    pcmk_mfs_crm >"$(pcmk_node_dir "$1")/tmp/mfs.crm"
    pcmk_crm "$1" configure load update /tmp/mfs.crm
}

# The host-side path of NODE's MooseFS data (its /var/lib/mfs), relative to T_TMP, as
# tests/lib/mfs.sh names a node's directories (mfs_dir NAME = $T_TMP/NAME, metalogger in ml/).
pcmk_mfs_name() { echo "pcmk/$1/run/mfs"; }

# The metadata version NODE's master serves (our agent's status), "" if none. The node's own
# copy of the agent, called by its plain name: an argv[0] under /ocf/resource.d/ means OCF, whose
# monitor prints no detail (and the build directory may be under /tmp, hidden in the node).
pcmk_mfs_master_version() {
    pcmk_exec "$1" bash -c 'exec -a mfsmaster /usr/lib/ocf/resource.d/takeover/mfsmaster status' \
        2>/dev/null | sed -n 's/.*metadata version \([0-9]*\).*/\1/p'
}
# The version NODE's metalogger copy reaches. One that has just downloaded holds the master's
# changelog as changelog_ml_back.0.mfs until the next change arrives (seen here after a rejoin:
# no changelog_ml.0.mfs at all), which mfs_ml_reach does not read.
pcmk_mfs_ml_reach() {
    local reach last f
    reach=$(mfs_ml_reach "$(pcmk_mfs_name "$1")")
    f="$(mfs_dir "$(pcmk_mfs_name "$1")")/ml/changelog_ml_back.0.mfs"
    if [[ -s "$f" ]]; then
        last=$(tail -n 1 "$f" | cut -d: -f1)
        [[ "$last" =~ ^[0-9]+$ ]] && ((last + 1 > reach)) && reach=$((last + 1))
    fi
    echo "$reach"
}
# pcmk_mfs_ml_synced SLAVE MASTER: SLAVE's metalogger has every change MASTER's master reports.
pcmk_mfs_ml_synced() {
    local v
    v=$(pcmk_mfs_master_version "$2")
    [[ -n "$v" ]] && (($(pcmk_mfs_ml_reach "$1") >= v))
}

# The promotion score the agent gave NODE (crm_master), "" when none.
pcmk_mfs_score() {
    local from
    from=$(pcmk_any_node) || return 1
    pcmk_exec "$from" timeout 10 crm_attribute -N "$1" -n master-mfs -l reboot -G -q 2>/dev/null
}
pcmk_mfs_score_is() { [[ "$(pcmk_mfs_score "$1")" == "$2" ]]; }

# The node Pacemaker runs the promoted instance on ("" while none).
pcmk_mfs_promoted() {
    local from xml
    from=$(pcmk_any_node) || return 1
    xml=$(pcmk_exec "$from" timeout 10 crm_mon -1 --output-as=xml 2>/dev/null) || return 1
    awk '/<resource id="mfs" .*role="Promoted"/ { p = 1; next } p && /<node name=/ {
        sub(/.*<node name="/, ""); sub(/".*/, ""); print; exit }' <<<"$xml"
}
pcmk_mfs_promoted_on() { [[ "$(pcmk_mfs_promoted)" == "$1" ]]; }

# The scenarios' common part (scenarios/pcmk_mfsmaster_*.sh). pcmk_mfs_prepare runs before
# pcmk_up, at the top level (it adds to P_BINDS); it fails the test when something is missing.
PM_MNT=""
PM_FILES=20
pcmk_mfs_prepare() {
    local a
    for a in mfsmaster IPaddr; do
        pcmk_have_agent $a || { echo "FAIL - $TAKEOVER_BUILD/resource.d/$a is not built"; exit 1; }
    done
    mfs_fuse_usable || { echo "FAIL - /dev/fuse or mfsmount missing (deps/mfs.txt)"; exit 1; }
    mfs_tmp_open
    mkdir -p "$(pcmk_cluster_dir)"
    pcmk_mfs_files
    PM_MNT=$T_TMP/mnt
    PM_BEGIN=$(now_ms)
}

# A phase header with the seconds since pcmk_mfs_prepare (where the run time goes).
pcmk_mfs_phase() { echo "# [$((($(now_ms) - PM_BEGIN) / 1000)) s] $*"; }

# Two nodes up, node1 holding a new filesystem, a chunkserver, mfs.crm loaded: node1 promoted
# with the IP, the client wrote PM_FILES files f-N through the IP ($T_TMP/expected holds their
# content), node2's metalogger has every change and its promotion score. Prints the timeline.
pcmk_mfs_bring_up() {
    local t_cfg i
    pcmk_mfs_phase "cluster up, MooseFS configured"
    t_check "two nodes online with a DC" pcmk_up
    t_check "node1: a new filesystem (install metadata.mfs.empty as metadata.mfs)" \
        t_quiet pcmk_mfs_new_filesystem node1
    mfs_chunkserver cs "$P_NET.60/24" "$P_VIP"
    t_cfg=$(now_ms)
    t_check "crm configure load update mfs.crm" t_quiet pcmk_mfs_configure node1
    t_check "node1 (the only metadata) is promoted within 60 s" \
        cluster_within 60000 pcmk_mfs_promoted_on node1
    t_check "the IP runs on node1 after the promote" cluster_within 20000 pcmk_running_on mfs-ip node1
    t_check "the IP is in node1's kernel" pcmk_vip_on node1
    t_check_fails "the IP is not on node2" pcmk_vip_on node2

    pcmk_mfs_phase "the client writes through the IP"
    t_check "mfsmount through the IP" mfs_mount client "$P_VIP" "$PM_MNT"
    t_check "the client writes a file (chunkserver connected)" \
        t_wait 30 sh -c "echo probe >'$PM_MNT/probe' && test \"\$(cat '$PM_MNT/probe')\" = probe"
    for ((i = 1; i <= PM_FILES; i++)); do echo "file $i $RANDOM$RANDOM" >"$PM_MNT/f-$i"; done
    for ((i = 1; i <= PM_FILES; i++)); do cat "$PM_MNT/f-$i"; done >"$T_TMP/expected"
    # node2's score comes with its first Unpromoted monitor (11 s) after its metalogger
    # downloaded the metadata.
    t_check "node2's metalogger downloaded a usable copy: promotion score 100 within 40 s" \
        cluster_within 40000 pcmk_mfs_score_is node2 100
    t_check_eq "node1's promotion score (master running)" 1000 "$(pcmk_mfs_score node1)"
    t_check "no start or stop failed" pcmk_no_failures
    pcmk_events "$t_cfg" | grep -v -e probe -e notify | timeline_print
    t_check "node2's metalogger has every change of node1's master" \
        cluster_within 15000 pcmk_mfs_ml_synced node2 node1
}

# The client reads every file of pcmk_mfs_bring_up back through the IP, with its content.
pcmk_mfs_reads_back() {
    local i
    for ((i = 1; i <= PM_FILES; i++)); do timeout 30 cat "$PM_MNT/f-$i" 2>/dev/null || true; done >"$T_TMP/actual"
    cmp -s "$T_TMP/expected" "$T_TMP/actual"
}

# In the background, the client's first metadata answer (a listing needs only the master) and
# its first read of file data (master and chunkserver); both block in mfsmount until they
# succeed, then leave their ms time in $T_TMP/first-ls-ms and first-read-ms.
# pcmk_mfs_wait_client waits for both (each is bounded by its timeout).
PM_WATCH=()
pcmk_mfs_watch_client() {
    rm -f "$T_TMP/first-ls-ms" "$T_TMP/first-read-ms"
    (timeout 90 ls "$PM_MNT" 2>/dev/null | grep -qx f-1 && now_ms >"$T_TMP/first-ls-ms") &
    PM_WATCH=($!)
    (timeout 90 cat "$PM_MNT/f-1" 2>/dev/null | grep -q . && now_ms >"$T_TMP/first-read-ms") &
    PM_WATCH+=($!)
}
pcmk_mfs_wait_client() { wait "${PM_WATCH[@]}" || true; }
pcmk_mfs_client_read() { test -s "$T_TMP/first-read-ms"; }

# Timeline lines "ms|client: ..." for the watch started at T0.
pcmk_mfs_client_events() {
    local t
    t=$(cat "$T_TMP/first-ls-ms" 2>/dev/null) && echo "$((t - $1))|client: first directory listing through the IP"
    t=$(cat "$T_TMP/first-read-ms" 2>/dev/null) && echo "$((t - $1))|client: first read of f-1 through the IP"
    return 0
}

# pcmk_running_on_too RSC NODE: NODE is among the nodes running RSC (a clone runs on several;
# crm_resource -Q adds the role after a promoted instance's node).
pcmk_running_on_too() { pcmk_where "$1" | awk -v n="$2" '$1 == n { f = 1 } END { exit !f }'; }

# No failed action of any kind (start, stop, promote, demote, monitor) in the cluster's status;
# pcmk_no_failed_actions TASK: none but of TASK (a monitor that found a daemon killed).
pcmk_no_failed_actions() {
    local from xml
    from=$(pcmk_any_node) || return 1
    xml=$(pcmk_exec "$from" timeout 10 crm_mon -1 --output-as=xml 2>/dev/null) || return 1
    ! grep '<failure ' <<<"$xml" | grep -qv "task=\"${1:-none}\""
}
