#!/usr/bin/env python3
"""Plays systemd's side of sd_notify for vgate's tests: binds an AF_UNIX datagram socket (a path, or an
abstract name starting with '@'), asks the kernel for the sender's credentials like systemd does
(SO_PASSCRED), and prints one line per datagram: <sender pid> <monotonic ms> <payload, newlines as '|'>."""
import socket
import struct
import sys
import time

name = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind("\0" + name[1:] if name.startswith("@") else name)
print("listening", flush=True)
while True:
    data, ancillary, _flags, _addr = s.recvmsg(4096, socket.CMSG_SPACE(12))
    pid = -1
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid, _uid, _gid = struct.unpack("iii", payload[:12])
    text = data.decode("utf-8", "replace").replace("\n", "|")
    print("%d %d %s" % (pid, int(time.monotonic() * 1000), text), flush=True)
