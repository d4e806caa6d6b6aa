# Ports for the benchmarks' servers on loopback (sourced by bench/bench-lockd*).

# free_port: a port nothing listens on, below the kernel's ephemeral range, so that no
# client connection of the run (hundreds linger in TIME_WAIT after a 64-client run) can hold
# the port the next server binds.
free_port() {
    local p low span
    low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
    span=$((low > 21000 ? low - 20000 : 10000))
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % span))
        listening "$p" || { echo "$p"; return; }
    done
    return 1
}

listening() { ss -ltnH "sport = :$1" | grep -q .; }

# wait_listening PORT: polls every 10 ms, up to 10 s.
wait_listening() {
    for _ in $(seq 1000); do listening "$1" && return; sleep 0.01; done
    echo "nothing listens on $1" >&2
    return 1
}
