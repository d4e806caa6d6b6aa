#!/usr/bin/env bash
# mfsmaster agent, heartbeat v1 style, with real MooseFS 3.0 daemons in namespaces:
# master node m1, backup node m2 (metalogger), chunkserver cs, client cl with mfsmount.
# 1. kill -9 of the master, agent start on m2 with the VIP moved: every file written before
#    the metalogger's last sync is read back with its content; the loss window is printed.
# 2. clean handover m2 -> m1 (stop, start) loses nothing.
. "$TAKEOVER_SRC/tests/lib/common.sh"
. "$TAKEOVER_SRC/tests/lib/mfs.sh"
t_require_root
t_init
mfs_tmp_open

VIP=10.77.70.100
t_switch >/dev/null
mfs_node m1 10.77.70.11/24 $VIP
mfs_node m2 10.77.70.12/24 $VIP
t_in m1 ip addr add $VIP/24 dev eth0

# Bootstrap: a new filesystem, started, stopped cleanly (MooseFS then writes the 2.0 format
# metaloggers can download) and started again.
mfs_new_filesystem m1
t_check "start on a new filesystem" t_quiet mfs_agent m1 start
t_check "clean stop (v1 stop)" t_quiet mfs_agent m1 stop
t_check "start again from the clean stop" t_quiet mfs_agent m1 start
t_check_eq "status on the master node" running "$(mfs_agent m1 status 2>/dev/null | cut -d' ' -f1)"
t_check "backup node: v1 stop starts its metalogger" t_quiet mfs_agent m2 stop
t_check_eq "status on the backup node" stopped "$(mfs_agent m2 status 2>/dev/null)"
t_check "metalogger downloaded the metadata" \
    t_wait 15 test -s "$(mfs_dir m2)/ml/metadata_ml.mfs.back"

if ! mfs_fuse_usable; then
    echo "SKIP client part: /dev/fuse or mfsmount unusable here"
    t_done
    exit
fi
mfs_chunkserver cs 10.77.70.13/24 $VIP
t_node cl 10.77.70.14/24
MNT=$T_TMP/mnt
t_check "mfsmount through the VIP" mfs_mount cl $VIP "$MNT"
t_check "chunkserver connected (a write succeeds)" \
    t_wait 20 sh -c "echo probe > '$MNT/probe' && test \"\$(cat '$MNT/probe')\" = probe"

# Batch 1: written, then synced to the metalogger. These must all survive.
for i in $(seq 1 20); do echo "batch1 file $i $RANDOM" >"$MNT/b1-$i"; done
for i in $(seq 1 20); do cat "$MNT/b1-$i"; done >"$T_TMP/b1.expected"
t_check "metalogger caught up with the master" t_wait 10 mfs_ml_synced m2 m1

# Batch 2: written up to the kill; whatever the metalogger had not flushed is the loss window.
declare -a b2_time
for i in $(seq 1 15); do
    echo "batch2 file $i" >"$MNT/b2-$i"
    b2_time[i]=$(date +%s%N)
    sleep 0.05
done
kill_time=$(date +%s%N)
kill -9 "$(cat "$(mfs_dir m1)/master/.mfsmaster.lock")"
t_port m1 down

mfs_move_vip $VIP m1 m2 cs cl
t0=$(date +%s%N)
t_check "agent start on the backup node (v1)" mfs_agent m2 start
t1=$(date +%s%N)
echo "# master kill -> new master serving: $(((t1 - kill_time) / 1000000)) ms (agent start $(((t1 - t0) / 1000000)) ms)"
t_check "backup node now reports running" test -n "$(mfs_master_version m2)"
# A zombie counts as stopped: this machine's PID 1 may not reap daemons that double-forked.
ml_live() {
    local pid state
    pid=$(tr -dc 0-9 < "$1" 2>/dev/null) || return 1
    [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == mfsmetalogger ]] || return 1
    state=$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
    [[ -n "$state" && "$state" != Z ]]
}
t_check "backup node's metalogger is stopped" bash -c "$(declare -f ml_live); ! ml_live '$(mfs_dir m2)/ml/.mfsmetalogger.lock'"

first_read=""
read_ok=0
if timeout 60 cat "$MNT/b1-1" >/dev/null 2>&1; then
    first_read=$(date +%s%N)
    read_ok=1
fi
t_check "client reads again through the new master" test $read_ok = 1
[[ -n "$first_read" ]] && echo "# master kill -> first client read: $(((first_read - kill_time) / 1000000)) ms"
for i in $(seq 1 20); do timeout 20 cat "$MNT/b1-$i"; done >"$T_TMP/b1.actual" 2>/dev/null
t_check "every file synced before the kill is there with its content" \
    cmp -s "$T_TMP/b1.expected" "$T_TMP/b1.actual"

survivors=0 gap=0
for i in $(seq 1 15); do
    if [[ -e "$MNT/b2-$i" ]]; then
        ((gap == 0)) && survivors=$i
        ((gap == 0)) || gap=2
    else
        ((gap == 0)) && gap=1
    fi
done
t_check "batch 2 survivors are a prefix (no hole in the history)" test $gap != 2
if ((survivors > 0)); then
    window=$(((kill_time - b2_time[survivors]) / 1000000))
else
    window=$(((kill_time - b2_time[1]) / 1000000))
fi
echo "# loss window: $((15 - survivors)) of 15 files lost; last survivor written $window ms before the kill"

# Clean handover back to m1: m1 comes back as a slave first (its metalogger follows m2).
t_port m1 up
t_check "m1 rejoins: v1 stop starts its metalogger" t_quiet mfs_agent m1 stop
t_check "m1's metalogger follows the new master" t_wait 15 mfs_ml_synced m1 m2
for i in $(seq 1 10); do echo "batch3 file $i" >"$MNT/b3-$i"; done
t_check "m1's metalogger has batch 3" t_wait 10 mfs_ml_synced m1 m2
t_check "clean stop on m2" mfs_agent m2 stop
mfs_move_vip $VIP m2 m1 cs cl
t_check "start on m1 takes the metalogger's copy over its own stale state" mfs_agent m1 start
missing=0
for i in $(seq 1 20); do timeout 30 cat "$MNT/b1-$i" >/dev/null 2>&1 || missing=$((missing + 1)); done
for i in $(seq 1 10); do
    [[ "$(timeout 30 cat "$MNT/b3-$i" 2>/dev/null)" == "batch3 file $i" ]] || missing=$((missing + 1))
done
t_check_eq "clean handover lost nothing" 0 $missing
t_check "m1 kept its stale state as a backup generation" \
    sh -c "ls -d '$(mfs_dir m1)'/master/.takeover-backup/gen-* >/dev/null"
t_done
