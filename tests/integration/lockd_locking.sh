#!/usr/bin/env bash
# memexpd with real processes and sockets: many clients contending on a few locks never hold
# incompatible modes at once (an observer records who held what when); blocking callbacks
# arrive; a killed client's locks stay held until fence-ack.
. "$(dirname "$0")/../lib/common.sh"
t_init
t_require_root
. "$(dirname "$0")/lockd/lib.sh"
lockd_setup
lockd_start_server

# --- contention: 8 workers x 15 rounds on 3 names in random modes ---
# The command run under the lock writes its interval (microseconds) to the observer's log;
# the interval lies inside the grant, so incompatible overlapping intervals would be a bug.
record="$T_TMP/intervals"
worker() {
    local id=$1 i name mode
    local modes=(EX EX PW PR PR CR CW NL)
    for ((i = 0; i < 15; i++)); do
        name="res$((RANDOM % 3))"
        mode=${modes[RANDOM % ${#modes[@]}]}
        lockctl lock "$name" --mode "$mode" --timeout 20 --node "w$id" -- \
            sh -c 's=$(date +%s%6N); sleep "$1"; e=$(date +%s%6N)
                   echo "$LOCK_NAME $LOCK_MODE $s $e $LOCK_TOKEN" >> "$0"' "$record" "0.0$((RANDOM % 4))" ||
            echo "worker $id round $i: lockctl failed" >> "$T_TMP/errors"
    done
}
pids=()
for w in 1 2 3 4 5 6 7 8; do
    worker "$w" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
t_check "no lock request failed" test ! -s "$T_TMP/errors"
t_check_eq "every round recorded an interval" 120 "$(wc -l < "$record")"
# Compatibility matrix (NL CR CW PR PW EX) and a pairwise overlap check.
violations=$(awk '
    BEGIN { split("NL CR CW PR PW EX", m, " "); for (i in m) idx[m[i]] = i
            split("111111 111110 111000 110100 110000 100000", row, " ") }
    { name[NR] = $1; mode[NR] = $2; s[NR] = $3; e[NR] = $4 }
    END { v = 0
          for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
              if (name[i] == name[j] && s[i] < e[j] && s[j] < e[i] &&
                  substr(row[idx[mode[i]]], idx[mode[j]], 1) == "0") {
                  print "overlap: " $0 > "/dev/stderr"; v++ }
          print v }' "$record")
t_check_eq "no two incompatible holders overlapped" 0 "$violations"
# Fencing tokens: exclusive holders of one name follow each other with rising tokens.
bad_tokens=$(sort -k3,3n "$record" | awk '$2 == "EX" { if ($1 in last && $5 <= last[$1]) b++; last[$1] = $5 }
                                          END { print b + 0 }')
t_check_eq "tokens rise from one EX holder to the next" 0 "$bad_tokens"
table_empty() { lockctl --json status | grep -q '"held": 0,'; }
t_check "the table is empty again" table_empty

# --- blocking callbacks ---
lockctl lock cache --mode PR --print-blocking --node holder -- sleep 1.5 2> "$T_TMP/holder.err" &
holder=$!
cache_granted() { lockctl locks cache | grep -q granted; }
t_wait 5 cache_granted
lockctl lock cache --mode EX --timeout 10 --node writer -- true &
writer=$!
t_wait 5 grep -q "blocking cache EX" "$T_TMP/holder.err" || true
t_check_eq "the PR holder is told an EX waits" "blocking cache EX" "$(head -1 "$T_TMP/holder.err")"
wait "$holder"
t_check "the writer gets the lock after the holder left" wait "$writer"

# --- a killed client: expired, held until fence-ack ---
lockctl lock journal --node victim --lease 1 -- sleep 60 &
victim=$!
victim_holds() { lockctl locks journal | grep -q victim; }
t_wait 5 victim_holds
lockd_kill_tree "$victim"
wait "$victim" 2>/dev/null || true
victim_expired() { lockctl sessions | grep victim | grep -q expired; }
t_wait 5 victim_expired || true
t_check "the dead client's session expires" victim_expired
t_check_fails "its lock is still held after expiry" lockctl lock journal -n -- true
lockctl lock journal -n -- true 2>/dev/null && rc=0 || rc=$?
t_check_eq "lock -n on a held lock exits 3" 3 "$rc"
victim_node() { lockctl nodes | grep victim | grep -q ' 1 '; }
t_check "nodes shows the expired node" victim_node
t_check_fails "fence-ack of a node without expired sessions is refused" lockctl fence-ack nobody
t_check_eq "fence-ack releases it" "node victim fenced: 1 lock(s) released" "$(lockctl fence-ack victim)"
t_check "the lock is free after fence-ack" lockctl lock journal -n -- true
t_check "the server logged the fence ack" grep -q "FENCE ACK for node victim" "$T_TMP/server.log"
t_check_eq "LOCK_TOKEN is the grant's token" 1 \
    "$(lockctl lock tok -- sh -c 'test "$LOCK_TOKEN" -gt 1099511627776 && echo 1')"
t_done
