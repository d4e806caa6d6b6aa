#!/usr/bin/env bash
# Filesystem agent: start/status/stop contract in both conventions, double start and stop,
# device specs (-L, -U, UUID=, LABEL=), fstype detection, refusals (missing device, device
# mounted elsewhere, occupied mount point), per-node hostdata in validate-all, hostile
# arguments and ocf-tester. Runs in a private mount namespace of its own, on loop devices.
if ((EUID != 0)); then echo "SKIP: $(basename "$0") needs root"; exit 0; fi
if [[ -z "${T_MNTNS:-}" ]]; then
    exec unshare -m --propagation private env T_MNTNS=1 "$0" "$@"
fi
. "$(dirname "$0")/../lib/common.sh"
t_init

agent=$TAKEOVER_BUILD/resource.d/Filesystem
label="t$$"
dev=$(t_loop 32 ext4 -L "$label")
t_on_exit t_loop_delete "$dev"  # t_loop ran in a subshell: its own t_on_exit is lost
uuid=$(blkid -p -s UUID -o value "$dev")
mnt=$T_TMP/mnt/data

mounted_at() { findmnt -n -o SOURCE --mountpoint "$1" 2>/dev/null; }
is_mounted() { [[ "$(mounted_at "$1")" == "$2" ]]; }
rc_of() { "$@" >/dev/null 2>&1 && echo 0 || echo $?; }
status_says() { [[ "$("$agent" "$@" status 2>/dev/null)" == "$want"* ]]; }
t_on_exit umount -R "$T_TMP/mnt/data"

echo "# heartbeat convention"
want=stopped t_check "status of a stopped mount says stopped" status_says "$dev" "$mnt" ext4
t_check_eq "and exits 3" 3 "$(rc_of "$agent" "$dev" "$mnt" ext4 status)"
t_check "start mounts (creating the mount point)" "$agent" "$dev" "$mnt" ext4 start
t_check "the device is mounted there" is_mounted "$mnt" "$dev"
want=running t_check "status says running" status_says "$dev" "$mnt" ext4
t_check "a second start succeeds" "$agent" "$dev" "$mnt" ext4 start
t_check_eq "and mounts nothing more" 1 "$(findmnt -n --source "$dev" | wc -l)"
t_check "stop unmounts" "$agent" "$dev" "$mnt" ext4 stop
t_check_fails "nothing is mounted there" is_mounted "$mnt" "$dev"
t_check "a second stop succeeds" "$agent" "$dev" "$mnt" ext4 stop

echo "# device specs and fstype detection"
for spec in "-L$label" "-U$uuid" "UUID=$uuid" "LABEL=$label"; do
    t_check "start with $spec (no fstype)" "$agent" "$spec" "$mnt" start
    t_check_eq "$spec: detected ext4" ext4 "$(findmnt -n -o FSTYPE --mountpoint "$mnt")"
    want=running t_check "$spec: status running" status_says "$spec" "$mnt"
    t_check "$spec: stop" "$agent" "$spec" "$mnt" stop
    t_check_fails "$spec: unmounted" is_mounted "$mnt" "$dev"
done
t_check "options are passed" "$agent" "$dev" "$mnt" ext4 ro,noatime start
t_check "mounted read-only" findmnt -n -O ro,noatime --mountpoint "$mnt"
"$agent" "$dev" "$mnt" ext4 stop

echo "# an image file (libmount sets up the loop device)"
img=$T_TMP/image.ext4
truncate -s 16M "$img" && mkfs.ext4 -q "$img"
t_check "start on an image file" "$agent" "$img" "$mnt" start
imgloop=$(findmnt -n -o SOURCE --mountpoint "$mnt" || true)
[[ "$imgloop" == /dev/loop* ]] && t_on_exit t_loop_delete "$imgloop"
t_check "it is mounted through a loop device" test -n "$imgloop" -a -b "$imgloop"
want=running t_check "status matches the loop device's backing file" status_says "$img" "$mnt"
t_check "stop" "$agent" "$img" "$mnt" stop
t_check_fails "unmounted" findmnt --mountpoint "$mnt"
t_check "the loop device was released" t_wait 5 bash -c "! losetup -j '$img' | grep -q ."

echo "# OCF convention"
ocf() { env OCF_RESKEY_device="$dev" OCF_RESKEY_directory="$mnt" "$@"; }
t_check_eq "monitor of a stopped mount: 7" 7 "$(rc_of ocf "$agent" monitor)"
t_check "start" ocf "$agent" start
t_check_eq "monitor: 0" 0 "$(rc_of ocf "$agent" monitor)"
t_check "stop" ocf "$agent" stop
t_check_eq "monitor after stop: 7" 7 "$(rc_of ocf "$agent" monitor)"
t_check_eq "validate-all prints the mount call" \
    "mount source=$dev target=$mnt type=ext4 options=defaults" \
    "$(ocf "$agent" validate-all)"

echo "# refusals"
other=$T_TMP/other
mkdir -p "$other"
mount "$dev" "$other"
t_check_eq "ext4 mounted elsewhere: start fails (1)" 1 "$(rc_of "$agent" "$dev" "$mnt" ext4 start)"
t_check_fails "and mounts nothing" is_mounted "$mnt" "$dev"
umount "$other"
mount -t tmpfs none "$mnt"
t_check_fails "an occupied mount point: start fails" "$agent" "$dev" "$mnt" ext4 start
want=failed t_check "status of an occupied mount point says failed" status_says "$dev" "$mnt"
t_check "stop leaves the other filesystem alone" "$agent" "$dev" "$mnt" stop
t_check "tmpfs still mounted" is_mounted "$mnt" none
umount "$mnt"
t_check_eq "a missing device: not installed (5)" 5 "$(rc_of "$agent" /dev/nonexistent-$$ "$mnt" ext4 start)"
t_check_eq "OCF: an unknown label: not installed (5)" 5 \
    "$(rc_of env OCF_RESKEY_device=LABEL=nolabel$$ OCF_RESKEY_directory="$mnt" "$agent" start)"
want=stopped t_check "status with a missing device: stopped" status_says /dev/nonexistent-$$ "$mnt"
t_check_fails "a bad fstype fails" "$agent" "$dev" "$mnt" nosuchfs start
t_check_fails "and mounts nothing" is_mounted "$mnt" "$dev"

echo "# hostile input"
pwned=$T_TMP/pwned
before=$(findmnt -rn -o ID,TARGET | sort)
for args in "$dev;touch $pwned|$mnt" "$dev|$mnt;touch $pwned" "$dev|$mnt|ext4;touch $pwned" \
    "$dev|$mnt|ext4|ro,\$(touch $pwned)" "$dev|$mnt|ext4|ro\`touch $pwned\`" \
    "\$(touch $pwned)|$mnt" "$dev|$T_TMP/a b" "$dev|$mnt/../x" "$dev|/" "-X$dev|$mnt"; do
    IFS='|' read -r -a fields <<<"$args"
    t_check_fails "refused: ${fields[*]}" "$agent" "${fields[@]}" start
done
t_check_fails "a newline in options is refused" "$agent" "$dev" "$mnt" ext4 $'ro\ntouch' start
t_check_fails "OCF: hostile hostdata refused" env OCF_RESKEY_device="$dev" \
    OCF_RESKEY_directory="$mnt" OCF_RESKEY_fstype=gfs2 "OCF_RESKEY_hostdata=\$(touch $pwned)" \
    "$agent" validate-all
t_check_fails "no file was created" test -e "$pwned"
t_check_eq "no mount was added or removed" "$before" "$(findmnt -rn -o ID,TARGET | sort)"

echo "# per-node hostdata"
hd() { HA_CURHOST=$1 "$agent" "$dev" "$mnt" gfs2 "noatime,hostdata=$2" validate-all 2>&1; }
t_check_eq "node1: its own hostdata" \
    "mount source=$dev target=$mnt type=gfs2 options=noatime,hostdata=node1" "$(hd node1 %n)"
t_check_eq "node2: its own hostdata" \
    "mount source=$dev target=$mnt type=gfs2 options=noatime,hostdata=node2" "$(hd node2 %n)"
printf '# node value\nnode1 jid=0:id=65537\nnode2 jid=1:id=65538\n' >"$T_TMP/hostdata.map"
export TAKEOVER_HOSTDATA_MAP=$T_TMP/hostdata.map
t_check_eq "map file, node1" "mount source=$dev target=$mnt type=gfs2 options=hostdata=jid=0:id=65537" \
    "$(HA_CURHOST=node1 "$agent" "$dev" "$mnt" gfs2 hostdata=%m validate-all)"
t_check_eq "map file, node2 (OCF hostdata parameter)" \
    "mount source=$dev target=$mnt type=gfs2 options=hostdata=jid=1:id=65538" \
    "$(HA_CURHOST=node2 OCF_RESKEY_device=$dev OCF_RESKEY_directory=$mnt OCF_RESKEY_fstype=gfs2 \
        OCF_RESKEY_hostdata=%m "$agent" validate-all)"
t_check_fails "a node missing from the map is refused" env HA_CURHOST=node3 "$agent" "$dev" "$mnt" \
    gfs2 hostdata=%m validate-all
t_check_eq "ext4 gets no hostdata" "mount source=$dev target=$mnt type=ext4 options=noatime" \
    "$(HA_CURHOST=node1 "$agent" "$dev" "$mnt" ext4 noatime,hostdata=%n validate-all 2>/dev/null)"
t_check_eq "literal hostdata unchanged" \
    "mount source=$dev target=$mnt type=ocfs2 options=hostdata=abc" \
    "$(HA_CURHOST=node1 "$agent" "$dev" "$mnt" ocfs2 hostdata=abc validate-all)"
unset TAKEOVER_HOSTDATA_MAP

echo "# fsck"
t_check "start with fsck=yes" env OCF_RESKEY_device="$dev" OCF_RESKEY_directory="$mnt" \
    OCF_RESKEY_fsck=yes "$agent" start
t_check "mounted after fsck" is_mounted "$mnt" "$dev"
ocf "$agent" stop

echo "# ocf-tester on the agent laid out as installed"
ocfdir=$(mktemp -d "/tmp/takeover-ocf.$T_ID.XXXXXX")
t_on_exit rm -rf "$ocfdir"
chmod 755 "$ocfdir"  # ocf-tester runs meta-data as nobody
install -D -m 755 "$agent" "$ocfdir/lib/ocf/resource.d/takeover/Filesystem"
t_check "ocf-tester passes" ocf-tester -n fs -o device="$dev" -o directory="$mnt" \
    "$ocfdir/lib/ocf/resource.d/takeover/Filesystem"
t_check_fails "ocf-tester left nothing mounted" is_mounted "$mnt" "$dev"

t_done
