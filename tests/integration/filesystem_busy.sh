#!/usr/bin/env bash
# Filesystem stop on a busy mount: users by cwd, open fd only, mmap only and exe are ended
# and the unmount succeeds; nested mounts go first (their users too); a process on the
# parent mount and one inside a bind mount of the same filesystem survive. force_unmount=no
# fails at its deadline with the mount still there; force_unmount=move beats a spawner; a
# hung unrelated filesystem (FUSE that never answers, like a dead NFS server) blocks nothing.
if ((EUID != 0)); then echo "SKIP: $(basename "$0") needs root"; exit 0; fi
if [[ -z "${T_MNTNS:-}" ]]; then
    exec unshare -m --propagation private env T_MNTNS=1 "$0" "$@"
fi
. "$(dirname "$0")/../lib/common.sh"
t_init

agent=$TAKEOVER_BUILD/resource.d/Filesystem
dev=$(t_loop 32 ext4)
t_on_exit t_loop_delete "$dev"  # t_loop ran in a subshell: its own t_on_exit is lost
inner_dev=$(t_loop 16 ext4)
t_on_exit t_loop_delete "$inner_dev"
mnt=$T_TMP/mnt
bind=$T_TMP/bind
t_on_exit umount -R "$mnt"
t_on_exit umount -R "$bind"

holder() {  # holder NAME CMD...: a background process, killed at exit whatever happens
    local name=$1
    shift
    "$@" &
    t_on_exit kill -9 $!
    printf -v "$name" %s $!
}
alive() { kill -0 "$1" 2>/dev/null && [[ "$(ps -o stat= -p "$1")" != Z* ]]; }
gone() { ! alive "$1"; }
ready() { [[ -e "$1" ]]; }
rc_of() { "$@" >/dev/null 2>&1 && echo 0 || echo $?; }

"$agent" "$dev" "$mnt" ext4 start
mkdir -p "$mnt/inner" "$mnt/sub" "$bind"
mount "$inner_dev" "$mnt/inner"
mount --bind "$mnt/sub" "$bind"  # same filesystem, another mount: not ours to stop
head -c 65536 /dev/zero >"$mnt/data"
cp /bin/sleep "$mnt/sleep"

holder cwd_user sh -c "cd '$mnt' && exec sleep 60"
holder fd_user sh -c "cd / && exec sleep 60 3<'$mnt/data'"
# Python's mmap module keeps a dup of the fd; libc's mmap through ctypes keeps none.
holder mmap_user python3 -c "
import ctypes, os, time
os.chdir('/')
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
fd = os.open('$mnt/data', os.O_RDONLY)
addr = libc.mmap(None, 4096, 1, 1, fd, 0)  # PROT_READ, MAP_SHARED
assert addr not in (None, ctypes.c_void_p(-1).value)
os.close(fd)
open('$T_TMP/mmap.ready', 'w').close()
time.sleep(60)"
holder exe_user sh -c "cd / && exec '$mnt/sleep' 60"
holder nested_user sh -c "cd '$mnt/inner' && exec sleep 60"
holder parent_user sh -c "cd '$T_TMP' && exec sleep 60"
holder bind_user sh -c "cd '$bind' && exec sleep 60"
t_wait 10 ready "$T_TMP/mmap.ready"
t_check "the mmap user holds no fd to the file" \
    bash -c "! ls -l /proc/$mmap_user/fd/ | grep -q '$mnt/'"
t_check "the mmap user maps it" grep -q "$mnt/data" "/proc/$mmap_user/maps"

t_check "stop succeeds on a busy mount" env OCF_RESKEY_device="$dev" OCF_RESKEY_directory="$mnt" \
    OCF_RESKEY_CRM_meta_timeout=10000 "$agent" stop
t_check_fails "the mount is gone" findmnt --mountpoint "$mnt"
t_check_fails "the nested mount is gone" findmnt --source "$inner_dev"
for user in cwd_user fd_user mmap_user exe_user nested_user; do
    t_check "$user was ended" t_wait 5 gone "${!user}"
done
t_check "the process on the parent mount survived" alive "$parent_user"
t_check "the process in the bind mount survived" alive "$bind_user"
t_check "the bind mount is still there" findmnt --mountpoint "$bind"
kill -9 "$bind_user"; wait "$bind_user" 2>/dev/null || true; umount "$bind"

echo "# force_unmount=no: never signals, fails at the deadline, mount still there"
"$agent" "$dev" "$mnt" ext4 start
holder stubborn sh -c "cd '$mnt' && exec sleep 60"
t_check_fails "stop fails" env OCF_RESKEY_device="$dev" OCF_RESKEY_directory="$mnt" \
    OCF_RESKEY_force_unmount=no OCF_RESKEY_CRM_meta_timeout=2000 "$agent" stop
t_check "the mount is still there" findmnt --mountpoint "$mnt"
t_check "its user was not signalled" alive "$stubborn"
t_check "status still says running" bash -c "'$agent' '$dev' '$mnt' status | grep -q ^running"

echo "# a user that ignores TERM is killed"
holder deaf sh -c "trap '' TERM; cd '$mnt' && while :; do sleep 0.2; done"
t_check "stop succeeds" env OCF_RESKEY_device="$dev" OCF_RESKEY_directory="$mnt" \
    OCF_RESKEY_CRM_meta_timeout=8000 "$agent" stop
t_check "the TERM-deaf user was killed" t_wait 5 gone "$deaf"
t_check "the stubborn one too" t_wait 5 gone "$stubborn"
t_check_fails "the mount is gone" findmnt --mountpoint "$mnt"

echo "# force_unmount=move against a spawner"
"$agent" "$dev" "$mnt" ext4 start
# Starts a new user every 10 ms (bounded: at most 3000, i.e. 30 s).
holder spawner bash -c "for ((i = 0; i < 3000; i++)); do (cd '$mnt' 2>/dev/null && exec sleep 30) & sleep 0.01; done"
sleep 0.3
t_check "stop with force_unmount=move succeeds" env OCF_RESKEY_device="$dev" \
    OCF_RESKEY_directory="$mnt" OCF_RESKEY_force_unmount=move OCF_RESKEY_CRM_meta_timeout=10000 \
    "$agent" stop
t_check_fails "the mount is gone" findmnt --source "$dev"
t_check "the spawner itself (cwd elsewhere) survived" alive "$spawner"
kill -STOP "$spawner"; pkill -9 -P "$spawner"; kill -9 "$spawner"

echo "# a hung unrelated filesystem does not block the scan"
hung=$T_TMP/hung
mkdir -p "$hung"
holder hungfs python3 "$(dirname "$0")/filesystem-hungfs.py" "$hung" "$T_TMP/hung.ready"
t_on_exit umount -l "$hung"
t_wait 10 ready "$T_TMP/hung.ready"
# Kill the server first at exit: that aborts the connection and unblocks everything.
holder hung_user sh -c "cd '$hung' && exec sleep 60"
t_wait 5 test -e "/proc/$hung_user/cwd"
t_check_eq "the hung filesystem hangs a lookup (killed: 137)" 137 "$(rc_of timeout -s KILL 1 stat "$hung/x")"
"$agent" "$dev" "$mnt" ext4 start
holder busy_user sh -c "cd '$mnt' && exec sleep 60"
t_check "stop of a busy mount still succeeds" timeout -s KILL 10 env OCF_RESKEY_device="$dev" \
    OCF_RESKEY_directory="$mnt" OCF_RESKEY_CRM_meta_timeout=8000 "$agent" stop
t_check "its user was ended" t_wait 5 gone "$busy_user"
t_check "the user of the hung filesystem was left alone" alive "$hung_user"
kill -9 "$hungfs"

t_done
