#!/usr/bin/env bash
# The memexpd resource agent: start returns when the server answers, status is a protocol
# round trip, stop is clean (clients told), double start/stop, hostile arguments, ocf-tester.
. "$(dirname "$0")/../lib/common.sh"
t_init
t_require_root
. "$(dirname "$0")/lockd/lib.sh"
lockd_setup
echo "pidfile $T_TMP/memexpd.pid" >> "$LOCKD_CONF"
agent="$TAKEOVER_BUILD/resource.d/memexpd"
hb() { ip netns exec "$LOCKD_NS" "$agent" "$LOCKD_CONF" "$@"; }
rc_of() { "$@" >/dev/null 2>&1 && echo 0 || echo $?; }
t_on_exit hb stop

t_check_eq "status before start: not running (3)" 3 "$(rc_of hb status)"
t_check "start" hb start
t_check "the server answers as soon as start returned" eval 'lockctl status > /dev/null'
pid=$(cat "$T_TMP/memexpd.pid")
t_check "second start succeeds" hb start
t_check_eq "second start leaves the same server" "$pid" "$(cat "$T_TMP/memexpd.pid")"
t_check_eq "status: running (0)" 0 "$(rc_of hb status)"
says_running() { hb status | grep -qi running; }
t_check "status says running" says_running

# A stopped (SIGSTOP) server holds its pid but answers nothing: failed, not running.
kill -STOP "$pid"
st=$(rc_of hb status)
kill -CONT "$pid"
t_check "a frozen server is not reported running" test "$st" != 0

# A client holding a lock is told when the server stops.
lockctl lock held --node client1 -- sleep 30 2> "$T_TMP/client.err" &
client=$!
client_holds() { lockctl locks held | grep -q client1; }
t_wait 5 client_holds
t_check "stop" hb stop
t_check "the client was told the server is shutting down" \
    t_wait 5 grep -q "server shutting down" "$T_TMP/client.err"
lockd_kill_tree "$client"
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $s != Z* ]]; }
t_check_fails "the server process is gone" alive "$pid"
t_check "the pid file is gone" test ! -e "$T_TMP/memexpd.pid"
t_check_eq "status after stop: not running (3)" 3 "$(rc_of hb status)"
t_check "second stop succeeds" hb stop

# Hostile and wrong input: a clear error, nothing started.
t_check_fails "a config path with shell syntax is refused" \
    ip netns exec "$LOCKD_NS" "$agent" '/tmp/x;$(reboot)' start
chmod 644 "$LOCKD_KEY"
out=$(hb start 2>&1) && rc=0 || rc=$?
chmod 600 "$LOCKD_KEY"
t_check_eq "a world-readable key: not configured (6)" 6 "$rc"
t_check "the reason names the key's mode" grep -q "mode 0644" <<< "$out"
t_check_fails "nothing was started" lockctl status
t_check_fails "an unknown action is refused" hb startle

# OCF: ocf-tester runs meta-data, validate-all, start, monitor, stop and their repeats.
if command -v ocf-tester > /dev/null; then
    out=$(ip netns exec "$LOCKD_NS" ocf-tester -n memexpd -o config="$LOCKD_CONF" "$agent" 2>&1) &&
        rc=0 || rc=$?
    t_check_eq "ocf-tester passes" 0 "$rc"
    ((rc == 0)) || echo "$out" | tail -20
fi
t_check_fails "ocf-tester left no server running" lockctl status
t_done
