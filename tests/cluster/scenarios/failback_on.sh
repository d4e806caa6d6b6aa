#!/usr/bin/env bash
# node1 comes back after a crash with auto_failback on: the group moves back to it.
set -euo pipefail
C_AUTO_FAILBACK=on C_NET=10.77.66 C_VIP=10.77.66.100 C_CLIENT=10.77.66.50
. "$(dirname "$0")/comeback.inc"
