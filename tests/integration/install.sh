#!/usr/bin/env bash
# make install lays the files out where heartbeat and Pacemaker look, inside DESTDIR only,
# never overwrites heartbeat's own scripts unless asked, and uninstall removes exactly that.
. "$(dirname "$0")/../lib/common.sh"
t_init
root=$T_TMP/root
inst() { DESTDIR=$root cmake --install "$TAKEOVER_BUILD" --prefix /usr >"$T_TMP/install.log" 2>&1; }
uninst() { "$TAKEOVER_SRC/scripts/uninstall.sh" "$TAKEOVER_BUILD" "$root" >/dev/null; }

# heartbeat's package already has an IPaddr in resource.d.
mkdir -p "$root/etc/ha.d/resource.d"
printf '#!/bin/sh\necho heartbeat\n' > "$root/etc/ha.d/resource.d/IPaddr"
chmod +x "$root/etc/ha.d/resource.d/IPaddr"

t_check "install into DESTDIR" inst
t_check "takeover in sbin" test -x "$root/usr/sbin/takeover"
t_check "agents in /usr/lib/takeover/resource.d" test -x "$root/usr/lib/takeover/resource.d/IPaddr"
t_check_eq "OCF provider link" /usr/lib/takeover/resource.d/IPaddr \
    "$(readlink "$root/usr/lib/ocf/resource.d/takeover/IPaddr")"
t_check "heartbeat's IPaddr is left alone" grep -q heartbeat "$root/etc/ha.d/resource.d/IPaddr"
t_check "and the install says so" grep -q "belongs to another package" "$T_TMP/install.log"
t_check "man pages installed" test -f "$root/usr/share/man/man8/takeover.8" -a -f "$root/usr/share/man/man8/takeover-IPaddr.8"
t_check "nothing outside DESTDIR's /usr and /etc" bash -c "cd '$root' && [ -z \"\$(ls | grep -vx -e usr -e etc)\" ]"

# Each agent's man page and its meta-data come from one declaration: compare them.
for agent in "$root"/usr/lib/takeover/resource.d/*; do
    name=$(basename "$agent")
    page=$root/usr/share/man/man8/takeover-$name.8
    params=$("$agent" meta-data | xmllint --xpath '//parameter/@name' - | sed 's/ name="\([^"]*\)"/\1\n/g' | sed '/^$/d')
    missing=""
    for p in $params; do
        grep -q "^\.B ${p//-/\\\\-}\b" "$page" || missing+=" $p"
    done
    t_check_eq "$name: every meta-data parameter is in its man page" "" "$missing"
    t_check "$name: the page has parameters at all" test -n "$params"
done

TAKEOVER_REPLACE_HEARTBEAT=1 inst
t_check_eq "with TAKEOVER_REPLACE_HEARTBEAT=1 ours takes the name" /usr/lib/takeover/resource.d/IPaddr \
    "$(readlink "$root/etc/ha.d/resource.d/IPaddr")"
t_check "and heartbeat's is kept aside" grep -q heartbeat "$root/etc/ha.d/resource.d/IPaddr.heartbeat"

t_check "uninstall" uninst
t_check "heartbeat's IPaddr is back" grep -q heartbeat "$root/etc/ha.d/resource.d/IPaddr"
left=$(cd "$root" && find . -type f -o -type l | grep -v '^./etc/ha.d/resource.d/IPaddr$' || true)
t_check_eq "uninstall removed everything it installed" "" "$left"
t_done
