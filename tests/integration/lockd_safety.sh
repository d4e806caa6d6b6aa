#!/usr/bin/env bash
# The Jepsen-style safety run of memexpd, short version (~35 s): 4 client processes write
# through a fenced store while a nemesis kills -9 and restarts the server, pauses it past
# the lease, kills and pauses clients and cuts connections; the checker must find no
# overlapping holders, no accepted stale write and no lost acknowledged write.
# The long run is tests/safety/lockd_safety_long.sh (make test-long).
. "$(dirname "$0")/../lib/common.sh"
t_init
t_require_root
. "$(dirname "$0")/lockd/lib.sh"
. "$(dirname "$0")/../safety/lib.sh"
lockd_setup
safety_run "${SAFETY_CLIENTS_N:-4}" "${SAFETY_SECONDS:-30}"
safety_assert "${SAFETY_MIN_OPS:-100}"
t_done
