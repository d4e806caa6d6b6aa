#!/usr/bin/env bash
# smb agent against real smbd: a node serving a share on a loop-mounted ext4 at its address,
# a client namespace using smbclient; failures leave nothing running; two instances on one
# node are independent; ocf-tester; hostile arguments.
. "$(dirname "$0")/../lib/common.sh"
t_require_root
t_init
. "$TAKEOVER_SRC/tests/lib/smb.sh"

t_switch >/dev/null
t_node node 10.77.7.1/24 10.77.7.2/24
t_node client 10.77.7.100/24
dev=$(t_loop 64 ext4)
# t_loop ran in a subshell, so the cleanup it registered was lost with it.
t_on_exit t_loop_delete "$dev"
mnt=$T_TMP/mnt
mkdir -p "$mnt"
mount "$dev" "$mnt"
mkdir -p "$mnt/a" "$mnt/b"

A=$(smb_conf "$T_TMP/a" 10.77.7.1 "$mnt/a")
B=$(smb_conf "$T_TMP/b" 10.77.7.2 "$mnt/b" "disable netbios = no")
t_on_exit t_in node "$SMB_AGENT" "$A" stop
t_on_exit t_in node "$SMB_AGENT" "$B" stop
agent() { t_in node "$SMB_AGENT" "$@"; }
client() { t_in client smbclient "//$1/share" -N -c "$2" 2>&1; }

t_check_eq "status before start says stopped" stopped "$(agent "$A" status)"
t_check "start A" agent "$A" share start
t_check_eq "status says running" running "$(agent "$A" status | cut -d' ' -f1)"
pid=$(cat "$T_TMP/a/run/smbd.pid")

echo "written through the cluster share" >"$T_TMP/in.txt"
t_check "client writes a file" client 10.77.7.1 "put $T_TMP/in.txt hello.txt"
t_check "the file is on the shared mount" cmp "$T_TMP/in.txt" "$mnt/a/hello.txt"
t_check "client reads it back" client 10.77.7.1 "get hello.txt $T_TMP/out.txt"
t_check "what it read is what it wrote" cmp "$T_TMP/in.txt" "$T_TMP/out.txt"

t_check "second start succeeds" agent "$A" share start
t_check_eq "second start kept the same smbd" "$pid" "$(cat "$T_TMP/a/run/smbd.pid")"

# A live smbd that cannot serve the share is a failure, not "running".
mv "$mnt/a" "$mnt/a.away"
t_check_eq "status with the share path gone says failed" failed "$(agent "$A" status 2>/dev/null)"
t_check "and says why" grep -q "runs but smb://10.77.7.1/share (port 445): no such share" \
    <<<"$(agent "$A" status 2>&1)"
mv "$mnt/a.away" "$mnt/a"
t_check_eq "status recovers with the path back" running "$(agent "$A" status | cut -d' ' -f1)"

# With credentials the check goes through libsmbclient (an unknown user maps to guest here).
printf 'username = nobody-here\npassword = x\n' >"$T_TMP/creds"
chmod 600 "$T_TMP/creds"
t_check "OCF monitor with a credentials file" t_in node env OCF_RESKEY_config="$A" \
    OCF_RESKEY_credentials="$T_TMP/creds" "$SMB_AGENT" monitor
printf 'passwd = hunter2\n' >"$T_TMP/badcreds"
rc=0; err=$(t_in node env OCF_RESKEY_config="$A" OCF_RESKEY_credentials="$T_TMP/badcreds" \
    "$SMB_AGENT" validate-all 2>&1) || rc=$?
t_check_eq "a malformed credentials file is OCF_ERR_CONFIGURED" 6 "$rc"
t_check_fails "and its text is not echoed" grep -q hunter2 <<<"$err"
detail=$(agent "$A" status)
t_check "status names the pid and the share it serves" grep -q "smbd pid $pid serves smb://10.77.7.1/share" <<<"$detail"

# Two instances on one node: different configs, different addresses.
t_check "start B on the second address" agent "$B" start
t_check "B serves" client 10.77.7.2 ls
t_check "stop A" agent "$A" stop
t_check_eq "status A says stopped" stopped "$(agent "$A" status)"
t_check_eq "no process of A is left" "" "$(smb_pids_of "$A")"
t_check "B still serves after A stopped" client 10.77.7.2 ls
t_check_eq "status B says running" running "$(agent "$B" status | cut -d' ' -f1)"
out=$(client 10.77.7.1 ls || true)
t_check "client connection to A is refused" grep -q NT_STATUS_CONNECTION_REFUSED <<<"$out"
t_check "second stop succeeds" agent "$A" stop

# OCF: nmbd too; a daemon that does not react to TERM is killed after stop_timeout.
ocf() { t_in node env OCF_RESKEY_config="$B" OCF_RESKEY_nmbd=yes OCF_RESKEY_stop_timeout=1 "$@"; }
t_check "stop B" agent "$B" stop
t_check "OCF start B with nmbd" ocf "$SMB_AGENT" start
t_check "nmbd of B runs" pgrep -f -x "nmbd -D -s $B"
t_check "OCF monitor B" ocf "$SMB_AGENT" monitor
kill -STOP "$(cat "$T_TMP/b/run/smbd.pid")"
t_check "OCF stop B with smbd frozen (TERM, then KILL)" ocf "$SMB_AGENT" stop
t_check_eq "no process of B is left" "" "$(smb_pids_of "$B")"
rc=0; ocf "$SMB_AGENT" monitor || rc=$?
t_check_eq "OCF monitor B says not running" 7 "$rc"

# Configs that cannot work: a clear reason, and nothing left running.
C=$(smb_conf "$T_TMP/c" 10.77.7.1 "$mnt/missing")
rc=0; err=$(agent "$C" start 2>&1) || rc=$?
t_check_eq "share path missing: not installed here (5)" 5 "$rc"
t_check "and says so" grep -q "path $mnt/missing does not exist" <<<"$err"
t_check_eq "and nothing of it runs" "" "$(smb_pids_of "$C")"
D=$(smb_conf "$T_TMP/d" 10.77.7.1 "$mnt/a" "security = bogus")
rc=0; err=$(agent "$D" start 2>&1) || rc=$?
t_check_eq "config Samba refuses: not configured (6)" 6 "$rc"
t_check "and testparm's reason is given" grep -q "invalid value 'bogus' for parameter 'security'" <<<"$err"
t_check_eq "and nothing of it runs" "" "$(smb_pids_of "$D")"
E=$(smb_conf "$T_TMP/e" 10.77.7.1 "$mnt/a" "[broken")
rc=0; err=$(agent "$E" start 2>&1) || rc=$?
t_check_eq "config that does not parse: not configured (6)" 6 "$rc"
t_check "and the file and line are given" grep -q "$E:17: section header without" <<<"$err"
t_check_eq "and nothing of it runs" "" "$(smb_pids_of "$E")"
rc=0; t_in node env OCF_RESKEY_config="$D" "$SMB_AGENT" start 2>/dev/null || rc=$?
t_check_eq "OCF: unparsable config is OCF_ERR_CONFIGURED" 6 "$rc"

# Hostile arguments: a clear error, the right code, nothing started.
rc=0; agent "$A" 'x;reboot' start 2>/dev/null || rc=$?
t_check_eq "share with shell metacharacters: not configured" 6 "$rc"
rc=0; agent "$T_TMP/a/\$(reboot).conf" start 2>/dev/null || rc=$?
t_check_eq "config that does not exist: not installed" 5 "$rc"
rc=0; agent "relative.conf" start 2>/dev/null || rc=$?
t_check_eq "relative config path: not configured" 6 "$rc"
rc=0; agent "$A" $'share\nx' start 2>/dev/null || rc=$?
t_check_eq "newline in an argument: usage error" 1 "$rc"
rc=0; agent "$A" share extra start 2>/dev/null || rc=$?
t_check_eq "too many arguments: usage error" 1 "$rc"
rc=0; agent "$A" startle 2>/dev/null || rc=$?
t_check_eq "unknown action: usage error" 1 "$rc"
rc=0; t_in node env OCF_RESKEY_config="$A" OCF_RESKEY_start_timeout=soon "$SMB_AGENT" start \
    2>/dev/null || rc=$?
t_check_eq "OCF: non-numeric start_timeout is OCF_ERR_CONFIGURED" 6 "$rc"
t_check_eq "nothing of A was started by any of them" "" "$(smb_pids_of "$A")"

# The OCF contract, checked by the cluster stack's own tool.
out=$(t_in node ocf-tester -n smb-a -o config="$A" -o share=share "$SMB_AGENT" 2>&1) || true
grep -q "passed all tests" <<<"$out" || echo "$out" | tail -20
t_check "ocf-tester passes" grep -q "passed all tests" <<<"$out"
t_check_eq "no process of A is left after ocf-tester" "" "$(smb_pids_of "$A")"

t_done
