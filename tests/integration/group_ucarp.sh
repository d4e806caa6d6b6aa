#!/usr/bin/env bash
# Two nodes run real ucarp with our hooks; the group (address, a shared ext4 mount by our
# Filesystem agent, the Samba share on it by our smb agent, a member script) follows the
# master. Crash the master (its processes killed, its port cut): the backup takes address and
# group, mounts the shared disk, and a client reads through the share the file it wrote
# through the share before the crash.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/marker.sh"
. "$(dirname "$0")/../lib/smb.sh"
t_require_root
t_init
t_switch >/dev/null
t_node a 10.77.12.1/24
t_node b 10.77.12.2/24
t_node client 10.77.12.50/24
vip=10.77.12.100

# A heartbeat-style member that records, per node, that the group runs there.
rd=$T_TMP/resource.d
mkdir -p "$rd"
marker_member "$rd/marker" "$T_TMP"
# The shared disk. Each ucarp runs in a mount namespace of its own (ip netns exec), so a mount
# made by a node's hooks is that node's alone and goes away with the node's processes.
disk=$(t_loop 32 ext4)
mkdir -p "$T_TMP/share"
# One smb.conf for both nodes, as on a real cluster: smbd binds the address the group holds.
conf=$(smb_conf "$T_TMP/smb" "$vip" "$T_TMP/share")
echo "nodea $vip/24/eth0 Filesystem::$disk::$T_TMP/share::ext4 smb::$conf::share marker" \
    > "$T_TMP/haresources"
# Whatever the hooks started (smbd daemonizes out of ucarp's process tree) ends with the test.
t_on_exit bash -c "pkill -9 -f -x '[sn]mbd -D -s $conf' || true"

start_ucarp() {  # NODE SRCIP SKEW
    local ns
    ns=$(t_ns "$1")
    ip netns exec "$ns" env PATH="$TAKEOVER_BUILD/bin:$PATH" \
        TAKEOVER_HARESOURCES="$T_TMP/haresources" TAKEOVER_RESOURCE_DIR="$rd" \
        TAKEOVER_LOCK_FILE="$T_TMP/lock.$1" TAKEOVER_KEEP_UCARP=yes \
        ucarp -i eth0 -s "$2" -v 42 -p "pw$T_ID" -a "$vip" -b 1 -k "$3" -P \
        -u "$TAKEOVER_SRC/conf/ucarp/vip-up" -d "$TAKEOVER_SRC/conf/ucarp/vip-down" -x nodea \
        >"$T_TMP/ucarp.$1.log" 2>&1 &
    disown  # the crash below kills it; no job-control message for that
}
has_vip() { ip -n "$(t_ns "$1")" -br addr show dev eth0 | grep -q " $vip/"; }
ucarp_pid() { ip netns pids "$(t_ns "$1")" | while read -r p; do
    [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == ucarp ]] && echo "$p"; done | head -1; }
in_node_mounts() { local node=$1; shift; nsenter -t "$(ucarp_pid "$node")" -m "$@"; }

start_ucarp a 10.77.12.1 0
t_check "node a becomes master and takes the address" t_wait 20 has_vip a
t_check "the group's member runs on a" t_wait 5 test -e "$T_TMP/marker.$(t_ns a)"
t_check "a has the shared disk mounted" in_node_mounts a mountpoint -q "$T_TMP/share"
share() { t_in client smbclient "//$vip/share" -N -c "$1" 2>&1; }
echo "written through the share on a" >"$T_TMP/in.txt"
t_check "the client writes through the share on a" share "put $T_TMP/in.txt hello.txt"
t_check "a syncs the shared disk" in_node_mounts a sync "$T_TMP/share/hello.txt"
# b joins as backup, and ucarp runs its down hook: stopping b's group must not touch a's smbd
# (the nodes share this machine's processes; the smb agent ignores other network namespaces').
start_ucarp b 10.77.12.2 50
down_hook_ran() {
    grep -q "Spawning.*vip-down" "$T_TMP/ucarp.b.log" && ! pgrep -f "vip-down eth0 $vip" >/dev/null &&
        ! pgrep -f "group down --haresources $T_TMP/haresources" >/dev/null
}
t_check "b's ucarp runs its down hook as it starts" t_wait 10 down_hook_ran
t_check "a's share still serves after b joined" share "get hello.txt $T_TMP/still.txt"
t_check "node b does not hold the address" bash -c "! ip -n $(t_ns b) -br addr show dev eth0 | grep -q ' $vip/'"

# Crash a: every process in its namespace dies, and its switch port goes dark.
crash=$(date +%s%N)
kill -9 $(ip netns pids "$(t_ns a)") 2>/dev/null || true
t_port a down
t_check "node b takes the address" t_wait 20 has_vip b
took=$((($(date +%s%N) - crash) / 1000000))
t_check "the group's member runs on b" t_wait 5 test -e "$T_TMP/marker.$(t_ns b)"
t_check "the client reaches the address" t_quiet t_in client ping -c1 -W1 "$vip"
t_check "b mounted the shared disk and has what a's share took" \
    in_node_mounts b cmp "$T_TMP/in.txt" "$T_TMP/share/hello.txt"
t_check "the client reads the file back through the share on b" share "get hello.txt $T_TMP/out.txt"
t_check "what it read is what it wrote on a" cmp "$T_TMP/in.txt" "$T_TMP/out.txt"
echo "# crash to address and group on b: ${took} ms (ucarp advbase 1 s)"

# A clean release: run the down hook as b's ucarp would, in its network and mount namespaces.
t_check "vip-down stops the group on b" nsenter -t "$(ucarp_pid b)" -m -n env PATH="$TAKEOVER_BUILD/bin:$PATH" \
    TAKEOVER_HARESOURCES="$T_TMP/haresources" TAKEOVER_RESOURCE_DIR="$rd" \
    TAKEOVER_LOCK_FILE="$T_TMP/lock.b2" "$TAKEOVER_SRC/conf/ucarp/vip-down" eth0 "$vip" nodea
t_check "the address left b" bash -c "! ip -n $(t_ns b) -br addr show dev eth0 | grep -q ' $vip/'"
t_check "and so did the mount" bash -c "! nsenter -t $(ucarp_pid b) -m mountpoint -q '$T_TMP/share'"
t_check_eq "and smbd" "" "$(smb_pids_of "$conf")"
t_done
