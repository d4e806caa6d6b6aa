#!/usr/bin/env bash
# takeover group: order, rollback on a failed start, serialized concurrent runs, status codes;
# takeover check: missing scripts, wrong order, bad ha.cf. Members are heartbeat-style scripts.
. "$(dirname "$0")/../lib/common.sh"
t_init
bin=$TAKEOVER_BUILD/bin/takeover
rd=$T_TMP/resource.d
log=$T_TMP/actions.log
mkdir -p "$rd"

# A heartbeat-style member: NAME [args] start|stop|status, state in a file, actions logged.
make_member() {
    local name=$1 fail_start=${2:-no}
    cat > "$rd/$name" <<SCRIPT
#!/bin/sh
state="$T_TMP/$name.state"
action=\$(eval echo \\\${\$#})
case "\$action" in
start) echo "start $name \$(date +%s%N)" >> "$log"; sleep 0.05
       [ "$fail_start" = yes ] && { echo "disk on fire" >&2; exit 1; }
       touch "\$state"; echo "end $name" >> "$log" ;;
stop)  echo "stop $name" >> "$log"; rm -f "\$state" ;;
status) [ -e "\$state" ] && echo running || echo stopped ;;
*) exit 1 ;;
esac
SCRIPT
    chmod +x "$rd/$name"
}
make_member alpha
make_member beta
make_member gamma yes
group() { "$bin" group --resource-dir "$rd" --lock-file "$T_TMP/group.lock" "$@"; }

t_check "up of alpha beta" group up alpha beta
t_check_eq "started in order" "start alpha,start beta" "$(grep ^start "$log" | cut -d' ' -f1,2 | paste -sd,)"
t_check "status of a running group exits 0" group status alpha beta
t_check "down of alpha beta" group down alpha beta
t_check_eq "down stops in reverse" "stop beta,stop alpha" "$(grep ^stop "$log" | paste -sd,)"
rc=0; group status alpha beta >/dev/null || rc=$?
t_check_eq "status of a stopped group exits 3" 3 "$rc"

: > "$log"
rc=0; out=$(group up alpha beta gamma 2>&1) || rc=$?
t_check_eq "a failed start exits 1" 1 "$rc"
t_check "the failing member is named" grep -q "gamma: FAILED" <<< "$out"
t_check_eq "rollback stops the failed member and those before it, in reverse" \
    "stop gamma,stop beta,stop alpha" "$(grep ^stop "$log" | paste -sd,)"
t_check "nothing left running" test ! -e "$T_TMP/alpha.state" -a ! -e "$T_TMP/beta.state"

# The same group from a haresources file, as the ucarp/keepalived guide runs it.
printf 'node1 alpha beta\n' > "$T_TMP/group.haresources"
t_check "up from the file" group up --haresources "$T_TMP/group.haresources" --node node1
out=$(group status --haresources "$T_TMP/group.haresources" --node node1)
t_check_eq "status from the file names each member" "alpha: running,beta: running" "$(paste -sd, <<<"$out")"
t_check "down from the file" group down --haresources "$T_TMP/group.haresources" --node node1
t_check "and it stopped them" test ! -e "$T_TMP/alpha.state" -a ! -e "$T_TMP/beta.state"

# Concurrent up and down are serialized by the lock: no start interleaves with a stop.
: > "$log"
group up alpha beta >/dev/null & p1=$!
group down alpha beta >/dev/null & p2=$!
group up alpha beta >/dev/null & p3=$!
wait $p1 $p2 $p3
t_check "concurrent runs did not interleave" awk '
    /^start/ {open[$2]=1} /^end/ {delete open[$2]}
    /^stop/ {for (k in open) bad=1} END {exit bad}' "$log"

# Hostile member names resolve to nothing and run nothing.
t_check_fails "a member name with a shell command is refused" group up 'x;touch${IFS}/tmp/owned'
t_check "no file was created" test ! -e /tmp/owned

# takeover check
cat > "$T_TMP/ha.cf" <<CF
keepalive 200ms
deadtime 1
initdead 10
bcast eth0
node node1 node2
auto_failback off
crm no
CF
printf 'node1 alpha beta\n' > "$T_TMP/haresources"
chk() { "$bin" check --ha-cf "$T_TMP/ha.cf" --haresources "$T_TMP/haresources" --resource-dir "$rd" "$@"; }
t_check "a good configuration passes" chk
out=$(chk --node node2 2>&1)
t_check "as node2 would run it, too" grep -q "^  node2  alpha  ok" <<< "$out"
t_check_fails "a node that is not in ha.cf is an error" chk --node node3
printf 'node1 alpha missing\n' > "$T_TMP/haresources"
rc=0; out=$(chk 2>&1) || rc=$?
t_check_eq "a missing script fails the check" 1 "$rc"
t_check "it names the script" grep -q "ERROR: no script missing" <<< "$out"
printf 'node3 alpha\n' > "$T_TMP/haresources"
t_check_fails "a group of an unknown node fails" chk
printf 'node1 alpha\n' > "$T_TMP/haresources"
printf 'keepalive 2\ndeadtime 3\nnode node1\nbcast eth0\n' > "$T_TMP/ha.cf"
out=$(chk 2>&1) || true
t_check "deadtime too close to keepalive is reported" grep -q "more than twice keepalive" <<< "$out"
printf 'kepalive 2\n' > "$T_TMP/ha.cf"
out=$(chk 2>&1) || true
t_check "a typo names file and line" grep -q "ha.cf:1: unknown directive 'kepalive'" <<< "$out"
t_done
