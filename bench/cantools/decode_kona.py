#!/usr/bin/env python3
"""cantools' side of the DBC decode benchmark (docs/benchmarks.md, "DBC decode").

Decodes the same real Kona EV recording as DbcDecodeBenchmark with cantools, single thread, the frames
pre-parsed into (bus, id, bytes) so that only decoding is timed. cantools needs its compat copies of the
two DBCs (see ../shared/data/PROVENANCE.md). Frames cantools refuses (unknown id, wrong length) count
as refused, as in vgate. Needs cantools (pip install cantools); usage:

    python3 bench/cantools/decode_kona.py [../shared/data] [rounds, default 5]
"""
import sys
import time

import cantools

LOG = "logs/kona_ev_2019_pcan_ccan/kona_ev_2019_pcan_ccan.candump.log"
PCAN = "dbc/cantools-compat/kona_pcan.cantools-compat.dbc"
CCAN = "dbc/cantools-compat/hyundai_can_generated.cantools-compat.dbc"


def load_frames(path):
    frames = []
    with open(path, encoding="ascii") as f:
        for line in f:
            _, bus, frame = line.split()
            frame_id, data = frame.split("#")
            frames.append((bus, int(frame_id, 16), bytes.fromhex(data)))
    return frames


def decode_all(frames, dbs):
    ok = 0
    signals = 0
    for bus, frame_id, data in frames:
        try:
            signals += len(dbs[bus].decode_message(frame_id, data))
            ok += 1
        except Exception:  # KeyError (unknown id) or DecodeError (wrong data size)
            pass
    return ok, signals


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    dbs = {"can0": cantools.database.load_file(f"{shared}/{PCAN}", strict=False),
           "can1": cantools.database.load_file(f"{shared}/{CCAN}", strict=False)}
    frames = load_frames(f"{shared}/{LOG}")
    decode_all(frames, dbs)  # warm-up: cantools builds its codecs lazily
    for r in range(rounds):
        cpu0, wall0 = time.thread_time(), time.perf_counter()
        ok, signals = decode_all(frames, dbs)
        cpu, wall = time.thread_time() - cpu0, time.perf_counter() - wall0
        print(f"round {r}: {len(frames):,} frames ({ok:,} decoded, {signals:,} signal values): "
              f"{len(frames) / cpu / 1e6:.3f} M frames/CPU-s ({cpu / len(frames) * 1e9:.0f} ns/frame CPU), "
              f"{len(frames) / wall / 1e6:.3f} M frames/s wall, cantools {cantools.__version__}")


if __name__ == "__main__":
    main()
