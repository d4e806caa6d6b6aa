#!/usr/bin/env bash
# IPaddr against the real kernel: a switch, the node that runs the agent and a peer that
# watches, on 10.77.3.0/24 and fd00:77:3::/64. Proves netlink add/remove, the gratuitous ARP
# and unsolicited NA (a stale neighbour entry on the peer is corrected without the peer
# sending anything), the split-brain probe, idempotence, hostile arguments and ocf-tester.
. "${TAKEOVER_SRC:-$(dirname "$0")/../..}/tests/lib/common.sh"
t_require_root
t_init

agent="$TAKEOVER_BUILD/resource.d/IPaddr"
[[ -x "$agent" ]] || { echo "FAIL - $agent is not built"; exit 1; }

t_switch >/dev/null
t_node node 10.77.3.1/24 fd00:77:3::1/64
t_node peer 10.77.3.2/24 fd00:77:3::2/64
node_mac=$(t_in node cat /sys/class/net/eth0/address)
peer_mac=$(t_in peer cat /sys/class/net/eth0/address)

addrs() { t_in node ip -o addr show dev eth0 | awk '{print $4}' | sort; }
has_addr() { addrs | grep -qx "$1"; }
# The peer's neighbour entry for $1 points to MAC $2.
neigh_is() { t_in peer ip neigh show "$1" dev eth0 | grep -q "lladdr $2"; }
status_of() { t_in node "$agent" "$@" status 2>/dev/null || true; }
announcer_gone() { [[ -z "$(ip netns pids "$(t_ns node)")" ]]; }

echo "# IPv4: start, gratuitous ARP, status, idempotence, stop"
vip=10.77.3.5
t_check_eq "status before start says stopped" stopped "$(status_of $vip/24/eth0)"
t_in peer ip neigh replace $vip lladdr 02:00:00:00:00:99 dev eth0 nud stale
t_check "start succeeds" t_in node "$agent" $vip/24/eth0 start
t_check "the VIP is on eth0 with its prefix" has_addr $vip/24
t_check "the peer's stale entry now points to the node (peer sent nothing)" \
    t_wait 2 neigh_is $vip "$node_mac"
t_check "the peer pings the VIP" t_in peer ping -c1 -W2 -q $vip
t_check_eq "status says running" running "$(status_of $vip/24/eth0)"
t_check_eq "bare-IP status says running" running "$(status_of $vip)"
t_check "second start succeeds" t_in node "$agent" $vip/24/eth0 start
t_check_eq "still one VIP" 1 "$(addrs | grep -cx $vip/24)"
t_check "the background announcer ends (4 x 200 ms)" t_wait 3 announcer_gone
t_check "stop succeeds" t_in node "$agent" $vip/24/eth0 stop
t_check_fails "the VIP is gone" has_addr $vip/24
t_check_eq "status says stopped" stopped "$(status_of $vip/24/eth0)"
t_check "second stop succeeds" t_in node "$agent" $vip/24/eth0 stop

echo "# Without an interface: the subnet's; a stop ends the announcer early"
t_check "start with a bare IP" env OCF_RESKEY_ip=$vip OCF_RESKEY_arp_count=50 \
    OCF_RESKEY_arp_interval=100 ip netns exec "$(t_ns node)" "$agent" start
t_check "it went to eth0 with the subnet's prefix and broadcast" \
    bash -c "ip -n $(t_ns node) -o addr show dev eth0 | grep -q 'inet $vip/24 brd 10.77.3.255'"
t_check "stop" t_in node "$agent" $vip stop
t_check "the announcer stops within one interval of the stop" t_wait 1 announcer_gone

echo "# An IPv4 label and an explicit broadcast, heartbeat style"
t_check "start with a label" t_in node "$agent" 10.77.3.9/25/eth0:vip/10.77.3.127 start
t_check "the kernel has the label and broadcast" \
    bash -c "ip -n $(t_ns node) -o addr show dev eth0 | grep -q 'inet 10.77.3.9/25 brd 10.77.3.127 .*eth0:vip'"
t_check "stop the labelled VIP" t_in node "$agent" 10.77.3.9/25/eth0:vip/10.77.3.127 stop
t_check_fails "the labelled VIP is gone" has_addr 10.77.3.9/25

echo "# The probe refuses an address another host answers for"
t_in peer ip addr add 10.77.3.6/24 dev eth0
before=$(addrs)
out=$(t_in node "$agent" 10.77.3.6/24/eth0 start 2>&1) && rc=0 || rc=$?
t_check_eq "start exits 1" 1 "$rc"
t_check "the reason names the other host" grep -q "already answers for 10.77.3.6" <<<"$out"
t_check_eq "nothing was added" "$before" "$(addrs)"
t_in peer ip addr del 10.77.3.6/24 dev eth0

echo "# IPv6: unsolicited neighbour advertisement and probe"
vip6=fd00:77:3::5
t_in peer ip -6 neigh replace $vip6 lladdr 02:00:00:00:00:99 dev eth0 nud stale
t_check "IPv6 start" t_in node "$agent" $vip6/64/eth0 start
t_check "the IPv6 VIP is on eth0" has_addr $vip6/64
t_check "the peer's stale IPv6 entry now points to the node" t_wait 2 neigh_is $vip6 "$node_mac"
t_check "the peer pings the IPv6 VIP" t_in peer ping -6 -c1 -W2 -q $vip6
t_check_eq "IPv6 status says running" running "$(status_of $vip6/64/eth0)"
t_check "IPv6 stop" t_in node "$agent" $vip6/64/eth0 stop
t_check_fails "the IPv6 VIP is gone" has_addr $vip6/64
t_in peer ip addr add fd00:77:3::6/64 dev eth0 nodad
t_check_fails "the IPv6 probe refuses an address the peer has" \
    t_in node "$agent" fd00:77:3::6/64/eth0 start
t_check_fails "and added nothing" has_addr fd00:77:3::6/64
t_in peer ip addr del fd00:77:3::6/64 dev eth0

echo "# Hostile and invalid arguments change nothing"
pwned="$T_TMP/pwned"
before=$(addrs)
for args in "10.77.3.7/24/eth0;touch $pwned" "\$(touch $pwned)" "10.77.3.7/24/\$(touch $pwned)" \
    "10.77.3.7/24/eth0\`touch $pwned\`" $'10.77.3.7\n/24/eth0' $'10.77.3.7/24/eth0\ntouch' \
    "10.77.3.300/24" "10.77.3.7/33" "10.77.3.7/24/eth9" "127.0.0.1/8/lo" "10.77.3"; do
    t_check_fails "start '${args//$'\n'/\\n}' fails" t_in node "$agent" "$args" start
done
t_check_fails "an unknown action fails" t_in node "$agent" 10.77.3.7/24/eth0 startle
t_check_fails "two addresses fail" t_in node "$agent" 10.77.3.7 10.77.3.8 start
t_check_fails "OCF: a hostile nic fails" env OCF_RESKEY_ip=10.77.3.7 \
    "OCF_RESKEY_nic=eth0;touch $pwned" ip netns exec "$(t_ns node)" "$agent" start
t_check_fails "OCF: a newline in ip fails" env OCF_RESKEY_ip=$'10.77.3.7\ntouch' \
    ip netns exec "$(t_ns node)" "$agent" start
t_check_fails "no file was created" test -e "$pwned"
t_check_eq "no address was added or removed" "$before" "$(addrs)"

echo "# ocf-tester on the agent laid out as installed"
ocf=$(mktemp -d "/tmp/takeover-ocf.$T_ID.XXXXXX")
t_on_exit rm -rf "$ocf"
chmod 755 "$ocf"  # ocf-tester runs meta-data as nobody
install -D -m 755 "$agent" "$ocf/lib/ocf/resource.d/takeover/IPaddr"
t_check "ocf-tester passes" t_in node ocf-tester -n vip -o ip=10.77.3.8 -o cidr_netmask=24 \
    -o nic=eth0 "$ocf/lib/ocf/resource.d/takeover/IPaddr"
t_check_fails "ocf-tester left no VIP behind" has_addr 10.77.3.8/24

t_done
