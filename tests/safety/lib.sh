# The safety run of memexpd (issue 6), shared by the short run (tests/integration/
# lockd_safety.sh) and the long one (tests/safety/lockd_safety_long.sh). Sourced after
# common.sh, t_init and tests/integration/lockd/lib.sh's lockd_setup.
#
# N safety_client processes loop lock(EX "L") -> fenced write -> unlock; safety_fencer
# fences expired sessions; the nemesis below injects one fault at a time, round-robin over
# the kinds so that a short run sees each of them, at random moments. Afterwards
# safety_check proves the records (tests/safety/checker.h).

SAFETY_BIN="$TAKEOVER_BUILD/safety"
SAFETY_LEASE_MS=1000
SAFETY_FAULTS=(failover pause client-kill client-pause cut)

# memexpd with a state device when it has one (durable mode), else memory mode;
# SAFETY_MODE=memory in the environment forces memory mode.
safety_detect_mode() {
    SAFETY_SERVER_ARGS=()
    SAFETY_STRICT=()
    if [[ ${SAFETY_MODE:-} != memory ]] &&
        "$LOCKD_BIN/memexpd" --help 2>/dev/null | grep -q -- --statedev; then
        SAFETY_SERVER_ARGS=(--statedev "$T_TMP/statedev")
        SAFETY_STRICT=(--strict-tokens)
        SAFETY_MODE=durable
    else
        SAFETY_MODE=memory
    fi
}

# safety_grace MS: the reclaim window after a start, for servers that have one (a 15 s
# default would stall every run; the keyword is looked up in the binary, as older servers
# refuse unknown keywords).
safety_grace() {
    if grep -qa grace_ms "$LOCKD_BIN/memexpd"; then echo "grace_ms $1" >> "$LOCKD_CONF"; fi
}

safety_start_server() {
    ip netns exec "$LOCKD_NS" "$LOCKD_BIN/memexpd" --config "$LOCKD_CONF" \
        "${SAFETY_SERVER_ARGS[@]}" >> "$T_TMP/server.log" 2>&1 &
    SAFETY_SERVER=$!
    t_wait 10 lockctl status || { tail -n 20 "$T_TMP/server.log"; return 1; }
}

# safety_start_client I SECONDS
safety_start_client() {
    ip netns exec "$LOCKD_NS" "$SAFETY_BIN/safety_client" "127.0.0.1:$LOCKD_PORT" "$LOCKD_KEY" \
        "c$1" "$T_TMP/store" "$T_TMP/history.c$1" "$2" "$SAFETY_LEASE_MS" \
        2>> "$T_TMP/client.c$1.err" &
    SAFETY_CLIENTS[$1]=$!
}

safety_fault() { echo "$(date +%s%N) $1" >> "$T_TMP/nemesis.log"; }

# safety_inject FAULT DEADLINE: one fault, undone before it returns.
safety_inject() {
    local fault=$1 deadline=$2 i
    i=$((RANDOM % ${#SAFETY_CLIENTS[@]}))
    safety_fault "$fault"
    case $fault in
    failover)  # kill -9 and a restart on the same state device
        kill -9 "$SAFETY_SERVER"
        wait "$SAFETY_SERVER" 2>/dev/null || true
        safety_start_server ;;
    pause)  # a paused server outlives every lease
        kill -STOP "$SAFETY_SERVER"
        sleep 1.6
        kill -CONT "$SAFETY_SERVER" ;;
    client-kill)
        kill -9 "${SAFETY_CLIENTS[i]}"
        wait "${SAFETY_CLIENTS[i]}" 2>/dev/null || true
        safety_start_client "$i" $((deadline - SECONDS)) ;;
    client-pause)  # its lease runs out, it is fenced; its late write must be refused
        kill -STOP "${SAFETY_CLIENTS[i]}"
        sleep 2
        kill -CONT "${SAFETY_CLIENTS[i]}" ;;
    cut)  # every connection to the server reset at once
        ip netns exec "$LOCKD_NS" ss -K "( sport = :$LOCKD_PORT or dport = :$LOCKD_PORT )" \
            > /dev/null 2>&1 ;;
    esac
}

# safety_run CLIENTS SECONDS: the run, then the checker; sets SAFETY_REPORT.
safety_run() {
    local clients=$1 seconds=$2 deadline i n=0 pid
    mkdir "$T_TMP/store"
    : > "$T_TMP/nemesis.log"
    safety_detect_mode
    safety_grace 1000
    echo "safety run: $clients clients, ${seconds}s, $SAFETY_MODE mode"
    safety_start_server
    deadline=$((SECONDS + seconds))
    SAFETY_CLIENTS=()
    for ((i = 0; i < clients; i++)); do safety_start_client "$i" "$seconds"; done
    ip netns exec "$LOCKD_NS" "$SAFETY_BIN/safety_fencer" "127.0.0.1:$LOCKD_PORT" "$LOCKD_KEY" \
        $((seconds + 15)) &
    local fencer=$!
    while ((SECONDS < deadline - 3)); do
        sleep "$((1 + RANDOM % 2)).$((RANDOM % 10))"
        safety_inject "${SAFETY_FAULTS[n++ % ${#SAFETY_FAULTS[@]}]}" "$deadline"
    done
    # Clients stop at the deadline; a call in flight may take its reply timeout longer.
    for pid in "${SAFETY_CLIENTS[@]}"; do
        t_wait 20 safety_gone "$pid" || kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    kill -9 "$fencer" 2>/dev/null || true
    wait "$fencer" 2>/dev/null || true
    SAFETY_REPORT="$T_TMP/report"
    "$SAFETY_BIN/safety_check" "${SAFETY_STRICT[@]}" "$T_TMP/store" "$T_TMP/nemesis.log" \
        "$T_TMP"/history.c* > "$SAFETY_REPORT" && SAFETY_CHECK_RC=0 || SAFETY_CHECK_RC=$?
    cat "$SAFETY_REPORT"
}

safety_gone() { ! kill -0 "$1" 2>/dev/null; }

# safety_count FIELD: the first number after "FIELD:" in the report.
safety_count() { sed -n "s/^$1: *\([0-9]*\).*/\1/p" "$SAFETY_REPORT"; }

# The assertions common to both runs.
safety_assert() {
    local min_ops=$1
    t_check_eq "the checker finds no violation" 0 "$SAFETY_CHECK_RC"
    t_check_eq "violations: 0" 0 "$(safety_count violations)"
    t_check "at least $min_ops operations ran" test "$(safety_count operations)" -ge "$min_ops"
    t_check "writes were accepted" test "$(awk '/^store:/ { print $2 }' "$SAFETY_REPORT")" -gt 0
    t_check "the server failed over" test "$(safety_count failovers)" -ge 1
    t_check "the server was paused" test "$(safety_count 'server pauses')" -ge 1
    t_check "clients were killed" test "$(safety_count 'client kills')" -ge 1
    t_check "connections were cut" test "$(safety_count 'connection cuts')" -ge 1
    t_check "a server is up at the end" t_quiet lockctl status
}
