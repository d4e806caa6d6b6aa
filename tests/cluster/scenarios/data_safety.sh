#!/usr/bin/env bash
# Data safety through a crash: the group VIP + shared ext4 + smb (our agents); a client
# writes numbered files to the share through the VIP; node1 crashes in the middle; after the
# failover every write smbclient acknowledged is on the share, with its content.
set -euo pipefail
. "$(dirname "$0")/../lib/cluster.sh"
. "$(dirname "$0")/../lib/group.sh"
t_require_root
t_init
if ! our_agent smb; then
    echo "SKIP: $TAKEOVER_BUILD/resource.d/smb is not built"
    exit 0
fi
C_NET=10.77.69 C_VIP=10.77.69.100 C_CLIENT=10.77.69.50
cluster_disk 64
group_seed_disk
group_compose ours ip fs smb

t_check "cluster comes up with the group on node1" cluster_up
t_check "client reads a file through the VIP" client_smb_read
writer_start
t_check "the client's writes are acknowledged" cluster_within 10000 test -s "$T_TMP/acked"
sleep 1
node_crash node1 >/dev/null
t_check "node2 runs the group within 20 s" cluster_within 20000 group_up node2
t_check "client reads through the VIP again" cluster_within 20000 client_smb_read
before=$(wc -l <"$T_TMP/acked")
t_check "writes are acknowledged again after the failover" \
    cluster_within 10000 bash -c '(($(wc -l <"$1") > $2))' _ "$T_TMP/acked" "$before"
writer_stop
t_check "every acknowledged file is on the share with its content" writer_check
t_done
