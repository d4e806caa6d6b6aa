#!/usr/bin/env bash
# The checker must be able to fail on a real run, not only on made-up histories: the same
# safety run with a store that does not check tokens (safety_client --unfenced-store). The
# nemesis pauses clients while they hold the lock, their late writes get in, and the checker
# has to find them (exit non-zero, "stale write accepted"). Labelled long (make test-long).
. "$(dirname "$0")/../lib/common.sh"
t_init
t_require_root
. "$(dirname "$0")/../integration/lockd/lib.sh"
. "$(dirname "$0")/lib.sh"
lockd_setup
SAFETY_UNFENCED_STORE=1
# Client pauses only: each one catches a holder in its critical section.
SAFETY_FAULTS=(client-pause)
safety_run 4 "${SAFETY_SECONDS:-30}"
t_check_fails "the checker fails the run" test "$SAFETY_CHECK_RC" -eq 0
t_check "it finds violations" test "$(safety_count violations)" -gt 0
t_check "among them accepted stale writes" grep -q "^VIOLATION: stale write accepted" "$SAFETY_REPORT"
t_done
