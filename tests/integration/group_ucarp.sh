#!/usr/bin/env bash
# Two nodes run real ucarp with our hooks; the group (address + a member) follows the master.
# Crash the master (its processes killed, its port cut): the backup takes address and group,
# and a client reaches the address.
. "$(dirname "$0")/../lib/common.sh"
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
cat > "$rd/marker" <<SCRIPT
#!/bin/sh
state="$T_TMP/marker.\$(ip netns identify \$\$)"
case "\$1" in
start) touch "\$state" ;;
stop) rm -f "\$state" ;;
status) [ -e "\$state" ] && echo running || echo stopped ;;
*) exit 1 ;;
esac
SCRIPT
chmod +x "$rd/marker"
echo "nodea $vip/24/eth0 marker" > "$T_TMP/haresources"

start_ucarp() {  # NODE SRCIP SKEW
    local ns
    ns=$(t_ns "$1")
    ip netns exec "$ns" env PATH="$TAKEOVER_BUILD/bin:$PATH" \
        TAKEOVER_HARESOURCES="$T_TMP/haresources" TAKEOVER_RESOURCE_DIR="$rd" \
        TAKEOVER_LOCK_FILE="$T_TMP/lock.$1" TAKEOVER_KEEP_UCARP=yes \
        ucarp -i eth0 -s "$2" -v 42 -p "pw$T_ID" -a "$vip" -b 1 -k "$3" -P \
        -u "$TAKEOVER_SRC/conf/ucarp/vip-up" -d "$TAKEOVER_SRC/conf/ucarp/vip-down" -x nodea \
        >"$T_TMP/ucarp.$1.log" 2>&1 &
}
has_vip() { ip -n "$(t_ns "$1")" -br addr show dev eth0 | grep -q " $vip/"; }

start_ucarp a 10.77.12.1 0
sleep 0.5
start_ucarp b 10.77.12.2 50
t_check "node a becomes master and takes the address" t_wait 20 has_vip a
t_check "the group's member runs on a" t_wait 5 test -e "$T_TMP/marker.$(t_ns a)"
t_check "node b does not hold the address" bash -c "! ip -n $(t_ns b) -br addr show dev eth0 | grep -q ' $vip/'"

# Crash a: every process in its namespace dies, and its switch port goes dark.
crash=$(date +%s%N)
kill -9 $(ip netns pids "$(t_ns a)") 2>/dev/null || true
t_port a down
t_check "node b takes the address" t_wait 20 has_vip b
took=$((($(date +%s%N) - crash) / 1000000))
t_check "the group's member runs on b" t_wait 5 test -e "$T_TMP/marker.$(t_ns b)"
t_check "the client reaches the address" t_quiet t_in client ping -c1 -W1 "$vip"
echo "# crash to address and group on b: ${took} ms (ucarp advbase 1 s)"

# A clean release: b's ucarp stops (SIGTERM makes ucarp run its downscript only with -z),
# so stop the group through the hook as ucarp would.
t_check "vip-down stops the group on b" t_in b env PATH="$TAKEOVER_BUILD/bin:$PATH" \
    TAKEOVER_HARESOURCES="$T_TMP/haresources" TAKEOVER_RESOURCE_DIR="$rd" \
    TAKEOVER_LOCK_FILE="$T_TMP/lock.b2" "$TAKEOVER_SRC/conf/ucarp/vip-down" eth0 "$vip" nodea
t_check "the address left b" bash -c "! ip -n $(t_ns b) -br addr show dev eth0 | grep -q ' $vip/'"
t_done
