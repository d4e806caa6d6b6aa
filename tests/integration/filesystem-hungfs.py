#!/usr/bin/env python3
# A FUSE filesystem that answers INIT and then nothing ever again: any call that reaches it
# blocks, as on a dead hard-mounted NFS server. Usage: hungfs.py DIR READY_FILE.
# Ends (and the kernel aborts the connection) when killed.
import ctypes, os, struct, sys

target, ready = sys.argv[1], sys.argv[2]
fd = os.open("/dev/fuse", os.O_RDWR)
libc = ctypes.CDLL(None, use_errno=True)
opts = f"fd={fd},rootmode=40000,user_id=0,group_id=0".encode()
if libc.mount(b"hungfs", target.encode(), b"fuse", 0, opts) != 0:
    sys.exit(f"mount: {os.strerror(ctypes.get_errno())}")
FUSE_INIT = 26
while True:
    req = os.read(fd, 1 << 20)
    length, opcode, unique = struct.unpack_from("<IIQ", req)
    if opcode == FUSE_INIT:
        major, minor = struct.unpack_from("<II", req, 40)
        # fuse_init_out up to minor 22: major, minor, max_readahead, flags,
        # max_background, congestion_threshold, max_write, time_gran, 9 unused u32.
        body = struct.pack("<IIIIHHII", 7, 22, 65536, 0, 16, 12, 65536, 1) + b"\0" * 36
        os.write(fd, struct.pack("<IiQ", 16 + len(body), 0, unique) + body)
        open(ready, "w").close()
    # Everything else: never answered.
