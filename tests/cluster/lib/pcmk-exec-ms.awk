# Prints the ms of "(execution time Nms)" or "(execution time N.NNNs)" for each pacemaker-execd line stamped at or after t0
# (epoch ms). Variables: t0, year.
BEGIN {
    split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", names, " ")
    for (i = 1; i <= 12; i++) month[names[i]] = i
}
{
    split($3, hms, /[:.]/)
    t = mktime(year " " month[$1] " " $2 " " hms[1] " " hms[2] " " hms[3]) * 1000 + hms[4]
    if (t < t0) next
    # pacemaker-execd writes "execution time 87ms" below a second, "execution time 5.080s" above.
    if (match($0, /execution time [0-9]+ms/)) print substr($0, RSTART + 15, RLENGTH - 17)
    else if (match($0, /execution time [0-9]+\.[0-9]+s/)) print int(substr($0, RSTART + 15, RLENGTH - 16) * 1000 + 0.5)
}
