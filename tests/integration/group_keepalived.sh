#!/usr/bin/env bash
# Two nodes run real keepalived (VRRP on the test bridge); keepalived owns the address and our
# notify hook runs the rest of the group (our smb agent serving a share at the address, a
# member script) with --skip-ip. Crash the master: the backup's keepalived takes the address,
# the hook starts the group there, and a client reads the share through the address.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/marker.sh"
. "$(dirname "$0")/../lib/smb.sh"
t_require_root
t_init
t_switch >/dev/null
t_node a 10.77.13.1/24
t_node b 10.77.13.2/24
t_node client 10.77.13.50/24
vip=10.77.13.100

# keepalived runs only scripts on a path no other user can write to: not under /tmp.
hooks=$(mktemp -d "/run/takeover-test.$T_ID.XXXXXX")
t_on_exit rm -rf "$hooks"
rd=$hooks/resource.d
mkdir -p "$rd"
marker_member "$rd/marker" "$hooks"
mkdir -p "$T_TMP/share"
echo "served by whichever node is master" >"$T_TMP/share/hello.txt"
conf=$(smb_conf "$T_TMP/smb" "$vip" "$T_TMP/share")
t_on_exit bash -c "pkill -9 -f -x '[sn]mbd -D -s $conf' || true"
echo "nodea $vip/24/eth0 smb::$conf::share marker" > "$hooks/haresources"
share_has_hello() {
    t_in client smbclient "//$vip/share" -N -c "get hello.txt $T_TMP/out.$1.txt" >/dev/null 2>&1 &&
        cmp -s "$T_TMP/share/hello.txt" "$T_TMP/out.$1.txt"
}
cat > "$hooks/notify" <<SCRIPT
#!/bin/sh
export PATH="$TAKEOVER_BUILD/bin:\$PATH" TAKEOVER_HARESOURCES="$hooks/haresources"
export TAKEOVER_RESOURCE_DIR="$rd" TAKEOVER_LOCK_FILE="$hooks/lock.\$(ip netns identify \$\$)"
exec "$TAKEOVER_SRC/conf/keepalived/notify" "\$@" >> "$hooks/notify.log" 2>&1
SCRIPT
chmod 755 "$hooks/notify"

start_keepalived() {  # NODE PRIORITY
    cat > "$hooks/keepalived.$1.conf" <<CONF
global_defs {
    router_id $1
    enable_script_security
    script_user root
}
vrrp_instance VI_$T_ID {
    state BACKUP
    interface eth0
    virtual_router_id 77
    priority $2
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass t$$
    }
    virtual_ipaddress {
        $vip/24 dev eth0
    }
    notify_master "$hooks/notify master nodea"
    notify_backup "$hooks/notify backup nodea"
    notify_fault "$hooks/notify fault nodea"
}
CONF
    t_in "$1" keepalived -n -l -D -f "$hooks/keepalived.$1.conf" -p "$hooks/ka.$1.pid" \
        -r "$hooks/vrrp.$1.pid" -c "$hooks/chk.$1.pid" >"$T_TMP/keepalived.$1.log" 2>&1 &
}
has_vip() { ip -n "$(t_ns "$1")" -br addr show dev eth0 | grep -q " $vip/"; }

start_keepalived a 150
start_keepalived b 100
t_check "node a becomes master and holds the address" t_wait 20 has_vip a
t_check "the notify hook started the group on a" t_wait 10 test -e "$hooks/marker.$(t_ns a)"
t_check "the hook reported the member it started" grep -q "^marker: started" "$hooks/notify.log"
t_check "and left the address to keepalived (--skip-ip)" bash -c "! grep -q '^$vip' '$hooks/notify.log'"
t_check "the client reads the share on a" share_has_hello a

crash=$(date +%s%N)
kill -9 $(ip netns pids "$(t_ns a)") 2>/dev/null || true
t_port a down
t_check "node b takes the address" t_wait 20 has_vip b
t_check "the notify hook started the group on b" t_wait 10 test -e "$hooks/marker.$(t_ns b)"
echo "# crash to group on b: $((($(date +%s%N) - crash) / 1000000)) ms (advert_int 1 s)"
t_check "the client reaches the address" t_quiet t_in client ping -c1 -W1 "$vip"
t_check "the client reads the share on b" t_wait 10 share_has_hello b
t_done
