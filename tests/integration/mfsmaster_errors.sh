#!/usr/bin/env bash
# mfsmaster agent refusals and ocf-tester, with real MooseFS 3.0 daemons in a namespace:
# no metadata anywhere, truncated metadata, a changelog hole, a corrupt changelog, a missing
# metalogger directory, hostile arguments: a clear error, the right exit code, no master
# started, and not one byte of the data or backup directories changed.
. "$TAKEOVER_SRC/tests/lib/common.sh"
. "$TAKEOVER_SRC/tests/lib/mfs.sh"
t_require_root
t_init
mfs_tmp_open

IP=10.77.70.21
t_switch >/dev/null
mfs_node n1 $IP/24 $IP
D=$(mfs_dir n1)

# A fingerprint of every file (name, size, content) under the node's data directories.
# Lock files only hold a daemon's pid.
fingerprint() {
    (cd "$D" && find master ml -type f ! -name '.*.lock' -print0 | sort -z | xargs -0r md5sum)
}
no_master() { ! t_in n1 bash -c "exec 3<>/dev/tcp/127.0.0.1/9421" 2>/dev/null; }

# refuses WHAT EXPECTED_TEXT: start fails, says why, changes nothing, starts nothing.
refuses() {
    local what=$1 expected=$2 before after out
    before=$(fingerprint)
    out=$(mfs_agent n1 start 2>&1) && { t_check "$what: start fails" false; return; }
    after=$(fingerprint)
    t_check "$what: start fails" true
    grep -qF -- "$expected" <<<"$out" || echo "$out" | sed 's/^/# /'
    t_check "$what: says '$expected'" grep -qF -- "$expected" <<<"$out"
    t_check_eq "$what: data and backups unchanged" "$before" "$after"
    t_check "$what: no master listening" no_master
}

refuses "no metadata anywhere" "refusing to start an empty master"
t_check "a package template is not metadata" \
    install -o mfs -g mfs /var/lib/mfs/metadata.mfs.empty "$D/master/metadata.mfs.empty"
refuses "only the package template" "no usable metadata"

# Real metadata: a new filesystem started and stopped cleanly (metadata.mfs, 2.0 format).
mfs_new_filesystem n1
t_check "start a new filesystem" t_quiet mfs_agent n1 start
t_check "clean stop" t_quiet mfs_agent n1 stop
version=$(od -An -tx1 -j8 -N8 "$D/master/metadata.mfs" | tr -d ' \n')
version=$((16#$version))
t_check "clean stop wrote a 2.0 metadata file" test "$(head -c 8 "$D/master/metadata.mfs")" = "MFSM 2.0"
t_check "stop started the metalogger" t_wait 5 test -s "$D/ml/.mfsmetalogger.lock"
t_quiet t_in n1 mfsmetalogger -c "$D/ml.cfg" stop
cp -p "$D/master/metadata.mfs" "$T_TMP/good.mfs"
# Only metadata.mfs stays: the older metadata + changelogs would (rightly) restore the rest.
mkdir "$T_TMP/aside"
mv "$D/master/metadata.mfs.back.1" "$D"/master/changelog.*.mfs "$T_TMP/aside/"

# Truncated metadata (the end marker is gone), nothing else usable.
truncate -s -20 "$D/master/metadata.mfs"
refuses "truncated metadata" "metadata.mfs: truncated (no end marker)"

# The metalogger holds metadata + a changelog with a hole (ids jump past the version).
rm "$D/master/metadata.mfs"
install -o mfs -g mfs -m 640 "$T_TMP/good.mfs" "$D/ml/metadata_ml.mfs.back"
change() { for id in "$@"; do echo "$id: 1795631648|ACCESS(1)"; done; }
change $((version + 5)) $((version + 6)) >"$D/ml/changelog_ml.0.mfs"
chown mfs:mfs "$D/ml/changelog_ml.0.mfs"
refuses "changelog starts past the metadata" "changelog_ml.0.mfs:$((version + 5)): version mismatch"
change $version $((version + 1)) >"$D/ml/changelog_ml_back.0.mfs"
chown mfs:mfs "$D/ml/changelog_ml_back.0.mfs"
refuses "changelog hole" "hole in change files"
rm "$D/ml/changelog_ml_back.0.mfs"

# A changelog that continues the history with garbage MooseFS cannot apply.
printf '%d: 1795631648|NOSUCHOP(1,2,3)\n' "$version" >"$D/ml/changelog_ml.0.mfs"
refuses "corrupt changelog" "failed"

# A successful restore makes a backup generation; a later refusal leaves it alone.
change "$version" >"$D/ml/changelog_ml.0.mfs"
install -o mfs -g mfs -m 640 "$T_TMP/good.mfs" "$D/master/metadata.mfs.back"
t_check "restore from the metalogger copy" t_quiet mfs_agent n1 start
t_check_eq "it reached the changelog's end" $((version + 1)) "$(mfs_master_version n1)"
t_check "v1 stop" t_quiet mfs_agent n1 stop
t_check "v1 stop archived the metalogger's old copy before restarting it" \
    sh -c "ls '$D'/master/.takeover-backup/metalogger/gen-*/metadata_ml.mfs.back >/dev/null"
t_quiet t_in n1 mfsmetalogger -c "$D/ml.cfg" stop
change $((version + 50)) >"$D/master/changelog.5.mfs"
refuses "refusal after a backup generation" "mfsmaster -a restore"
t_check "the backup generation is still there" \
    sh -c "ls '$D'/master/.takeover-backup/gen-*/metadata.mfs.back >/dev/null"
rm "$D/master/changelog.5.mfs"

# Missing metalogger directory; hostile arguments.
sed -i "s|^DATA_PATH = .*/ml$|DATA_PATH = $D/no-such-ml|" "$D/ml.cfg"
out=$(mfs_agent n1 validate-all 2>&1) || true
t_check_eq "missing metalogger dir: validate-all exit code (not installed)" 5 "$(mfs_agent n1 validate-all >/dev/null 2>&1; echo $?)"
t_check "missing metalogger dir: says which" grep -qF "metalogger DATA_PATH $D/no-such-ml does not exist" <<<"$out"
rc=0
out=$(t_in n1 "$MFS_AGENT" '/etc/mfs/x.cfg;reboot' start 2>&1) || rc=$?
t_check_eq "hostile config path: not installed here" 5 $rc
t_check "hostile config path: one clear line" grep -qF "cannot read /etc/mfs/x.cfg;reboot" <<<"$out"
rc=0
t_in n1 "$MFS_AGENT" "$D/master.cfg" "$D/ml.cfg" startle >/dev/null 2>&1 || rc=$?
t_check_eq "unknown action: usage error" 1 $rc
t_check "nothing started by all that" no_master

# Another program on the client port: validate-all (and so start) says so.
ip netns exec "$(t_ns n1)" python3 -c 'import socket, time
s = socket.socket(); s.bind(("0.0.0.0", 9421)); s.listen(); time.sleep(30)' &
squatter=$!
t_on_exit kill $squatter
t_wait 5 t_in n1 bash -c "exec 3<>/dev/tcp/127.0.0.1/9421"
rc=0
out=$(mfs_agent n1 validate-all 2>&1) || rc=$?
t_check_eq "port held by another program: validate-all fails" 1 $rc
t_check "port held by another program: says which" grep -qF "port 9421 is held by another program" <<<"$out"
kill $squatter && wait $squatter 2>/dev/null || true

# ocf-tester: the promotable-clone action sequence against a runnable config.
sed -i "s|^DATA_PATH = .*no-such-ml$|DATA_PATH = $D/ml|" "$D/ml.cfg"
install -m 755 "$MFS_AGENT" "$T_TMP/mfsmaster"  # ocf-tester runs meta-data as nobody
out=$(t_in n1 ocf-tester -n mfs-test -o config="$D/master.cfg" -o metalogger_config="$D/ml.cfg" \
    "$T_TMP/mfsmaster" 2>&1) || true
grep -q "passed all tests" <<<"$out" || echo "$out" | sed 's/^/# /'
t_check "ocf-tester passes" grep -q "passed all tests" <<<"$out"
t_check "ocf-tester left nothing running" no_master
t_done
