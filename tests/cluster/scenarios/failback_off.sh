#!/usr/bin/env bash
# node1 comes back after a crash with auto_failback off: the group stays on node2.
set -euo pipefail
C_AUTO_FAILBACK=off C_NET=10.77.67 C_VIP=10.77.67.100 C_CLIENT=10.77.67.50
. "$(dirname "$0")/comeback.inc"
