#!/usr/bin/env bash
# kill -9 of memexpd under heavy traffic: 8 holder processes hold 100 locks each and churn
# them; the server is killed mid-traffic and started again (on the same state device when it
# has one). Afterwards every lock a holder was told it holds is held by that holder again,
# nobody holds another's lock, and nothing is left waiting. With a client library that
# reclaims: the same tokens (reclaimed, not granted anew). Durable mode: every new grant's
# token above every earlier one.
. "$(dirname "$0")/../lib/common.sh"
t_init
t_require_root
. "$(dirname "$0")/lockd/lib.sh"
. "$(dirname "$0")/../safety/lib.sh"
lockd_setup
safety_setup
safety_grace 3000
holders=8 count=100 total=$((8 * 100)) seconds=30
reclaims=$("$SAFETY_BIN/safety_holder" --reclaims)
echo "crash test: $holders holders x $count locks, $SAFETY_MODE mode, client reclaim: $reclaims"
safety_start_server
pids=()
for ((i = 0; i < holders; i++)); do
    ip netns exec "$LOCKD_NS" "$SAFETY_BIN/safety_holder" "127.0.0.1:$LOCKD_PORT" "$LOCKD_KEY" \
        "h$i" "$count" "$T_TMP/h$i" "$seconds" 2>> "$T_TMP/holders.err" &
    pids+=($!)
done
held_count() { lockctl locks 'h*' | awk '$3 == "granted"' | wc -l; }
all_held() { (($(held_count) >= total - holders)); }  # each may be between unlock and lock
t_check "the holders hold their locks before the crash" t_wait 15 all_held
sleep 1  # churn
kill -9 "$SAFETY_SERVER"
wait "$SAFETY_SERVER" 2>/dev/null || true
safety_start_server
# A holder writes h*.lost when it sees the connection go, or with a reclaiming library when
# it is back (its calls wait meanwhile).
all_lost() { local i; for ((i = 0; i < holders; i++)); do [[ -e "$T_TMP/h$i.lost" ]] || return 1; done; }
t_check "every holder noticed the crash" t_wait 10 all_lost
held_again() { (($(held_count) == total)); }
t_check "all $total locks are held again" t_wait 20 held_again

# What the server holds now, "NAME NODE TOKEN", against what each holder was told.
lockctl locks 'h*' | awk '$3 == "granted" { print $1, $6, $7 }' | sort > "$T_TMP/table"
missing=0 wrong_token=0 claimed=0
for ((i = 0; i < holders; i++)); do
    while read -r name token; do
        claimed=$((claimed + 1))
        row=$(awk -v n="$name" '$1 == n' "$T_TMP/table")
        [[ "$(cut -d' ' -f2 <<< "$row")" == "h$i" ]] || { missing=$((missing + 1)); continue; }
        [[ "$(cut -d' ' -f3 <<< "$row")" == "$token" ]] ||
            { wrong_token=$((wrong_token + 1)); echo "$name: claimed $token, now $row" >> "$T_TMP/wrong"; }
    done < "$T_TMP/h$i.lost"
done
echo "locks claimed at the crash: $claimed"
t_check "the holders claimed locks at the crash" test "$claimed" -ge $((total - holders))
t_check_eq "every claimed lock is held by its holder again" 0 "$missing"
if [[ -s "$T_TMP/wrong" ]]; then head -n 3 "$T_TMP/wrong"; tail -n 5 "$T_TMP/holders.err"; fi
foreign=$(awk '{ split($1, p, "-"); if (p[1] != $2) n++ } END { print n + 0 }' "$T_TMP/table")
t_check_eq "nobody holds another holder's lock" 0 "$foreign"
t_check_eq "nothing is left waiting" 0 "$(lockctl locks 'h*' | awk '$3 == "waiting"' | wc -l)"
before_max=$(cat "$T_TMP"/h*.grants | awk '$1 == "before" && $3 > m { m = $3 } END { print m + 0 }')
after_min=$(cat "$T_TMP"/h*.grants | awk '$1 == "after" && (m == "" || $3 < m) { m = $3 } END { print m + 0 }')
echo "tokens: highest before the crash $before_max, lowest granted after $after_min"
if [[ $reclaims == yes ]]; then
    t_check_eq "reclaimed locks keep their tokens" 0 "$wrong_token"
else
    # The holders locked again and got new grants.
    t_check "without reclaim the locks were granted anew" test "$after_min" -gt 0
fi
if [[ $SAFETY_MODE == durable ]]; then
    t_check "new grants' tokens are above every earlier one" test "$after_min" -gt "$before_max"
fi
for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
t_done
