# Turns Corosync and Pacemaker log lines (both stamped "Mon DD HH:MM:SS.mmm") into timeline
# events "ms-since-t0|node: event". Variables: t0 (epoch ms), node, year; with find set, only
# prints the epoch ms of the first line after t0 that contains find.
BEGIN {
    split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", names, " ")
    for (i = 1; i <= 12; i++) month[names[i]] = i
}
function stamp(    hms) {
    split($3, hms, /[:.]/)
    return mktime(year " " month[$1] " " $2 " " hms[1] " " hms[2] " " hms[3]) * 1000 + hms[4]
}
function emit(what) { printf "%d|%s: %s\n", t - t0, node, what }
{ t = stamp(); if (t < t0) next }
find != "" { if (index($0, find)) { print t; exit } next }
/corosync .*Token has not been received/ && !token++ { emit("corosync: token late (first warning)"); next }
/corosync .*A new membership .* was formed/ {
    m = $0; sub(/.*A new membership /, "", m); emit("corosync: membership " m); next
}
/pacemaker-controld.*Node [^ ]+ state is now lost/ {
    m = $0; sub(/.*Node /, "", m); sub(/ state is now lost.*/, "", m)
    emit("pacemaker: " m " lost"); next
}
/pacemaker-controld.*Result of [a-z]+ operation for / {
    m = $0; sub(/.*Result of /, "", m); sub(/ \|.*/, "", m); sub(/ operation for /, " ", m)
    emit(m); next
}
/pacemaker-controld.*Transition [0-9]+ .*: Complete/ {
    m = $0; sub(/.*Transition /, "", m); sub(/ .*/, "", m)
    emit("transition " m " complete"); next
}
