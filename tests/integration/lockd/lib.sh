# Helpers for the lockd integration tests: a memexpd in a network namespace of the test's
# own (so the port is fixed and nothing else sees it), a key, lockctl against it.
# Sourced after common.sh and t_init.

LOCKD_BIN="$TAKEOVER_BUILD/lockd"
LOCKD_PORT=15697

# lockd_setup: namespace, key (0600), memexpd.conf; sets LOCKD_NS, LOCKD_KEY, LOCKD_CONF.
lockd_setup() {
    LOCKD_NS=$(t_ns lockd)
    t_netns_add "$LOCKD_NS"
    LOCKD_KEY="$T_TMP/key"
    printf 'auth 1\n1 sha256 test-key-%s-0123456789\n' "$T_ID" > "$LOCKD_KEY"
    chmod 600 "$LOCKD_KEY"
    LOCKD_CONF="$T_TMP/memexpd.conf"
    cat > "$LOCKD_CONF" <<CONF
listen 127.0.0.1:$LOCKD_PORT
key_file $LOCKD_KEY
min_lease_ms 500
max_frame_bytes 4096
auth_timeout_ms 1000
CONF
    # No reclaim window unless a test asks for one (a later grace_ms line wins): a memory-mode
    # server would otherwise hold every first grant for 15 s.
    if grep -qa grace_ms "$LOCKD_BIN/memexpd"; then echo "grace_ms 0" >> "$LOCKD_CONF"; fi
}

# lockd_start_server: memexpd in the foreground inside the namespace, logging to server.log.
lockd_start_server() {
    ip netns exec "$LOCKD_NS" "$LOCKD_BIN/memexpd" --config "$LOCKD_CONF" "$@" \
        > "$T_TMP/server.log" 2>&1 &
    LOCKD_PID=$!
    t_on_exit kill -9 "$LOCKD_PID"
    t_wait 10 lockctl status || { cat "$T_TMP/server.log"; return 1; }
}

lockctl() {
    ip netns exec "$LOCKD_NS" "$LOCKD_BIN/lockctl" --server "127.0.0.1:$LOCKD_PORT" \
        --key-file "$LOCKD_KEY" "$@"
}

# Kills a background process we started, and its children, by pid.
lockd_kill_tree() {
    local pid=$1 child
    for child in $(pgrep -P "$pid" 2>/dev/null); do kill -9 "$child" 2>/dev/null || true; done
    kill -9 "$pid" 2>/dev/null || true
}
