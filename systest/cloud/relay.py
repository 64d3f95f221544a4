#!/usr/bin/env python3
"""One guest connection to one host service: QEMU's user network runs this per TCP connection the guest
opens to a guestfwd address (-nic user,restrict=on,guestfwd=tcp:10.0.2.100:PORT-cmd:relay.py HOSTPORT),
with the connection on stdin/stdout; it connects to 127.0.0.1:HOSTPORT and copies both ways until both
sides have closed. Only the host's loopback is ever reached."""
import os
import select
import socket
import sys

port = int(sys.argv[1])
try:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
except OSError as e:
    sys.stderr.write(f"relay: 127.0.0.1:{port}: {e}\n")
    sys.exit(1)
s.settimeout(None)
guest_open = host_open = True
while guest_open or host_open:
    r, _, _ = select.select(([0] if guest_open else []) + ([s] if host_open else []), [], [])
    if 0 in r:
        data = os.read(0, 65536)
        if data:
            s.sendall(data)
        else:
            guest_open = False
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                break
    if s in r:
        try:
            data = s.recv(65536)
        except OSError:
            data = b""
        if data:
            view = memoryview(data)
            while view:
                view = view[os.write(1, view):]
        else:
            host_open = False
            if not guest_open:
                break
            # the service closed: so does the guest's connection
            break
