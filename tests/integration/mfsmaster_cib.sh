#!/usr/bin/env bash
# The Pacemaker configuration docs/mfsmaster.md documents (promotable clone of mfsmaster, VIP
# colocated with the promoted instance, started after promote) passes crm_verify, names only
# parameters the agent declares, and crm_verify does catch a broken variant of it.
. "$TAKEOVER_SRC/tests/lib/common.sh"
. "$TAKEOVER_SRC/tests/lib/mfs.sh"
t_init
cib=$TAKEOVER_SRC/docs/mfsmaster/cib-promotable.xml
command -v crm_verify >/dev/null || { echo "SKIP: crm_verify (pacemaker-cli-utils) missing"; exit 0; }

t_check "documented CIB passes crm_verify" t_quiet crm_verify -x "$cib"
meta=$("$MFS_AGENT" meta-data)
for p in $(sed -n '/provider="takeover"/,/<\/primitive>/s/.*nvpair id="[^"]*" name="\([^"]*\)".*/\1/p' "$cib"); do
    t_check "CIB parameter '$p' is declared by the agent" grep -q "<parameter name=\"$p\"" <<<"$meta"
done
for action in promote demote notify; do
    t_check "meta-data offers $action" grep -q "<action name=\"$action\"" <<<"$meta"
done
sed 's/with-rsc-role="Promoted"/with-rsc-role="Leader"/' "$cib" >"$T_TMP/broken.xml"
t_check_fails "a broken variant fails crm_verify" t_quiet crm_verify -x "$T_TMP/broken.xml"
t_done
