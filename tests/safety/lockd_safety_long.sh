#!/usr/bin/env bash
# The long safety run (make test-long): 12 clients for 4 minutes, the same nemesis.
SAFETY_CLIENTS_N=${SAFETY_CLIENTS_N:-12} SAFETY_SECONDS=${SAFETY_SECONDS:-240} \
    SAFETY_MIN_OPS=${SAFETY_MIN_OPS:-1000} \
    exec "$(dirname "$0")/../integration/lockd_safety.sh"
