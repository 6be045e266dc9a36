#!/usr/bin/env python3
"""8 parallel 200 MB mission uploads while a client keeps asking GET /api/v1/missions: the list's
latency during the uploads next to its latency with no upload (the baseline, same run), the time
the uploads take next to 8 parallel `cp` of the same files, and aswg's RSS.

usage: bench/parallel_uploads.py [path/to/aswg] [uploads] [MB each]   (defaults: build/aswg, 8, 200)
"""

import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

from benchlib import aswg_binary, request, rss_kib, start_aswg

UPLOADS = int(sys.argv[2]) if len(sys.argv) > 2 else 8
MB = int(sys.argv[3]) if len(sys.argv) > 3 else 200
PORT = 18782


def write_pbo(path, size):
    header = b"\0" + struct.pack("<5I", 0x56657273, 0, 0, 0, 0) + b"prefix\0bench\0\0"
    header += b"data.bin\0" + struct.pack("<5I", 0, size, 0, 0, size) + b"\0" + struct.pack("<5I", 0, 0, 0, 0, 0)
    chunk = os.urandom(1 << 20)
    with open(path, "wb") as f:
        f.write(header)
        for _ in range(size >> 20):
            f.write(chunk)
        f.write(b"\0" + b"\xab" * 20)


def latencies(token, seconds, stop=None):
    """GET /missions one after another for `seconds` (or until stop is set); ms per request."""
    out = []
    end = time.monotonic() + seconds
    while time.monotonic() < end and not (stop and stop.is_set()):
        t = time.perf_counter()
        status, _ = request(PORT, "GET", "/api/v1/missions", token=token)
        assert status == 200
        out.append((time.perf_counter() - t) * 1000)
    return out


def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def main():
    binary = aswg_binary()
    work = tempfile.mkdtemp(prefix="aswg-bench-uploads-")
    src = os.path.join(work, "src")
    os.makedirs(src)
    files = []
    for i in range(UPLOADS):
        path = os.path.join(src, "big%d.Altis.pbo" % i)
        write_pbo(path, MB << 20)
        files.append(path)
    proc, token = start_aswg(binary, work, PORT)
    try:
        idle = latencies(token, 5)
        peak = [rss_kib(proc.pid)]
        stop = threading.Event()

        def watch():
            while not stop.is_set():
                peak.append(rss_kib(proc.pid))
                time.sleep(0.05)

        threading.Thread(target=watch, daemon=True).start()
        t = time.perf_counter()
        curls = [subprocess.Popen(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                                   "Authorization: Bearer " + token, "-F", "file=@" + f,
                                   "http://127.0.0.1:%d/api/v1/missions-files" % PORT],
                                  stdout=subprocess.PIPE) for f in files]
        busy = []
        reader = threading.Thread(target=lambda: busy.extend(latencies(token, 3600, stop)))
        reader.start()
        codes = [c.communicate()[0].decode() for c in curls]
        upload_s = time.perf_counter() - t
        stop.set()
        reader.join()
        assert codes == ["200"] * UPLOADS, codes
        dst = os.path.join(work, "cp")
        os.makedirs(dst)
        t = time.perf_counter()
        cps = [subprocess.Popen(["cp", f, dst]) for f in files]
        for c in cps:
            c.wait()
        subprocess.run(["sync"])
        cp_s = time.perf_counter() - t
        print("| what | value |\n| --- | --- |")
        print("| GET /missions with no upload (baseline): p50 / p99 | %.2f / %.2f ms (%d requests) |"
              % (statistics.median(idle), p(idle, 0.99), len(idle)))
        print("| GET /missions during %d parallel %d MB uploads: p50 / p99 | %.2f / %.2f ms (%d requests) |"
              % (UPLOADS, MB, statistics.median(busy), p(busy, 0.99), len(busy)))
        print("| %d x %d MB: aswg uploads / baseline %d parallel cp + sync | %.2f s / %.2f s (%.2fx) |"
              % (UPLOADS, MB, UPLOADS, upload_s, cp_s, upload_s / cp_s))
        print("| aswg RSS before / peak during the uploads | %.1f / %.1f MiB |" % (peak[0] / 1024, max(peak) / 1024))
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
