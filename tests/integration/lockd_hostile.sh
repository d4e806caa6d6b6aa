#!/usr/bin/env bash
# memexpd against hostile peers: a wrong key is refused; garbage, a huge length or a request
# before authentication closes only that connection (with a logged reason) while a client
# holding a lock goes on undisturbed.
. "$(dirname "$0")/../lib/common.sh"
t_init
t_require_root
. "$(dirname "$0")/lockd/lib.sh"
lockd_setup
lockd_start_server

lockctl lock steady --node good -- sleep 4 > "$T_TMP/good.out" 2>&1 &
good=$!
good_holds() { lockctl locks steady | grep -q 'EX .*granted.*good'; }
t_wait 5 good_holds || true
t_check "a good client holds a lock" good_holds

printf 'auth 1\n1 sha256 not-the-cluster-key-0123456789\n' > "$T_TMP/wrong"
chmod 600 "$T_TMP/wrong"
rc=0
ip netns exec "$LOCKD_NS" "$LOCKD_BIN/lockctl" -s "127.0.0.1:$LOCKD_PORT" -k "$T_TMP/wrong" \
    status > /dev/null 2>&1 || rc=$?
t_check_eq "a wrong key is refused (exit 4)" 4 "$rc"
t_check "the server logged the refusal" grep -q "authentication failed (wrong key)" "$T_TMP/server.log"

# send BYTES: opens a raw connection, sends, and waits (at most 3 s) for the server to close.
# Succeeds only if the server closed the connection by itself.
send() {
    ip netns exec "$LOCKD_NS" bash -c \
        'exec 3<>/dev/tcp/127.0.0.1/'"$LOCKD_PORT"'; printf "$1" >&3; timeout 3 cat <&3 > /dev/null' \
        send "$1"
}
t_check "garbage is disconnected" send 'GET / HTTP/1.0\r\n\r\n'
t_check "the reason is logged" grep -q "malformed frame: bad magic" "$T_TMP/server.log"
t_check "a huge length is disconnected" send 'MX\001\020\000\000\000\001\377\377\377\377'
t_check "the reason is logged" grep -q "exceeds the limit of 4096" "$T_TMP/server.log"
t_check "a wrong protocol version is disconnected" send 'MX\002'
t_check "the reason is logged" grep -q "unsupported protocol version 2" "$T_TMP/server.log"
t_check "a request before authentication is disconnected" send 'MX\001\020\000\000\000\001\000\000\000\000'
t_check "the reason is logged" grep -q "request before authentication" "$T_TMP/server.log"
t_check "a silent peer is disconnected at the auth deadline" send ''

t_check "the good client still holds its lock" good_holds
t_check "the server still serves" eval 'lockctl status > /dev/null'
t_check "the silent peer's reason is logged" grep -q "no authentication within the deadline" "$T_TMP/server.log"
t_check "the good client finished normally" wait "$good"

# SIGHUP reloads; a broken file is refused and the old configuration kept.
kill -HUP "$LOCKD_PID"
t_wait 5 grep -q "configuration reloaded" "$T_TMP/server.log" || true
t_check "SIGHUP reloads the configuration" grep -q "configuration reloaded" "$T_TMP/server.log"
echo "max_sesions 3" >> "$LOCKD_CONF"
kill -HUP "$LOCKD_PID"
t_wait 5 grep -q "reload failed" "$T_TMP/server.log" || true
t_check "a broken reload names file and line" \
    grep -q "reload failed, keeping the old configuration: $LOCKD_CONF:[0-9]*: unknown key" "$T_TMP/server.log"
t_check "the server still serves after a failed reload" eval 'lockctl status > /dev/null'
t_check_fails "nothing leaked into the good client's output" grep -q . "$T_TMP/good.out"
t_done
