#!/usr/bin/env bash
# The .deb installs cleanly with apt on this machine, diverts heartbeat's IPaddr and
# Filesystem, its agents answer as the source build's do, and removal restores everything.
# Not in `make test`: it changes the machine's /etc/ha.d while installed (make test-package).
. "$(dirname "$0")/../lib/common.sh"
t_require_root
t_init
deb=$(ls "$TAKEOVER_BUILD"-package/takeover_*.deb 2>/dev/null | head -1)
[[ -n "$deb" ]] || { echo "no package in ${TAKEOVER_BUILD}-package: run make package"; exit 1; }
t_on_exit dpkg --purge takeover
t_check "apt installs the package" t_quiet apt-get install -y "$deb"
t_check "takeover is on PATH" t_quiet takeover --help
t_check_eq "heartbeat's IPaddr is diverted" "/etc/ha.d/resource.d/IPaddr.heartbeat" \
    "$(dpkg-divert --truename /etc/ha.d/resource.d/IPaddr)"
t_check "heartbeat's script is kept" test -f /etc/ha.d/resource.d/IPaddr.heartbeat
t_check_eq "resource.d/IPaddr is ours" /usr/lib/takeover/resource.d/IPaddr \
    "$(readlink /etc/ha.d/resource.d/IPaddr)"
for agent in /usr/lib/ocf/resource.d/takeover/*; do
    t_check "$(basename "$agent") meta-data passes xmllint against ra-api-1.dtd" bash -c \
        "'$agent' meta-data | xmllint --noout --dtdvalid /usr/share/resource-agents/ra-api-1.dtd -"
    t_check "$(basename "$agent") has a man page" test -f "/usr/share/man/man8/takeover-$(basename "$agent").8.gz"
done
t_check "a bad action is a usage error" bash -c "! /etc/ha.d/resource.d/IPaddr 10.77.99.1 startle 2>/dev/null"
t_check "the package is removed" t_quiet dpkg --purge takeover
t_check "heartbeat's IPaddr is back" bash -c "head -1 /etc/ha.d/resource.d/IPaddr | grep -q '^#!'"
t_check "no diversion is left" bash -c "! dpkg-divert --list takeover | grep -q ."
t_done
