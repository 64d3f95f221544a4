#!/usr/bin/env python3
"""The rig's update server: HTTP/1.1 GET and HEAD with single-range requests (Range: bytes=N- and
bytes=N-M -> 206 with Content-Range; unsatisfiable -> 416), serving files under ROOT, on 127.0.0.1 only
(QEMU forwards the guest's 10.0.2.100:8080 here). python3's http.server does not do ranges.

One log line per request to LOG:  <path> range=<Range header or -> status=<code> sent=<first>-<last> of=<size> <how>
Fault injection for the scenarios, one-shot marker files in CTL (removed when used):
  drop   send the first half of the requested bytes, then close the connection (a dropped link)
  stall  send the first half, then hold the connection open, sending nothing (the device's power is cut)
Usage: update-server.py ROOT CTL LOG PORTFILE   (the chosen port is written to PORTFILE)"""
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT, CTL, LOG, PORTFILE = sys.argv[1:5]
log_lock = threading.Lock()


def log(line):
    with log_lock, open(LOG, "a") as f:
        f.write(f"{time.time():.3f} {line}\n")


def take(marker):
    """True once per marker file: atomically removes it."""
    try:
        os.remove(os.path.join(CTL, marker))
        return True
    except FileNotFoundError:
        return False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass  # our own log line per request

    def do_HEAD(self):
        self.serve(body=False)

    def do_GET(self):
        self.serve(body=True)

    def serve(self, body):
        rng = self.headers.get("Range")
        path = os.path.realpath(os.path.join(ROOT, self.path.split("?")[0].lstrip("/")))
        if not path.startswith(os.path.realpath(ROOT) + os.sep) or not os.path.isfile(path):
            self.send_error(404)
            log(f"{self.path} range={rng or '-'} status=404")
            return
        size = os.path.getsize(path)
        first, last, status = 0, size - 1, 200
        if rng:
            m = re.fullmatch(r"bytes=(\d+)-(\d*)", rng.strip())
            if not m or int(m.group(1)) >= size or (m.group(2) and int(m.group(2)) < int(m.group(1))):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                log(f"{self.path} range={rng} status=416 of={size}")
                return
            first = int(m.group(1))
            last = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
            status = 206
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(last - first + 1))
        if status == 206:
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.end_headers()
        if not body:
            log(f"{self.path} range={rng or '-'} status={status} HEAD of={size}")
            return
        with open(path, "rb") as f:
            f.seek(first)
            data = f.read(last - first + 1)
        how = "complete"
        if take("drop"):
            data, how = data[: len(data) // 2], "dropped-half-way"
        elif take("stall"):
            data, how = data[: len(data) // 2], "stalled-half-way"
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError as e:
            how = f"broken ({e})"
        log(f"{self.path} range={rng or '-'} status={status} sent={first}-{first + len(data) - 1} of={size} {how}")
        if how == "dropped-half-way":
            self.close_connection = True
        elif how == "stalled-half-way":
            # nothing more until the client goes away (its power is cut, or it gives up)
            try:
                while not self.rfile.read(1) == b"":
                    pass
            except OSError:
                pass
            self.close_connection = True


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.replace(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
