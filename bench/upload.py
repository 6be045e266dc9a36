#!/usr/bin/env python3
"""Mission upload throughput and memory: a 1 GiB PBO uploaded with curl to aswg, next to `cp` of the
same file on the same disk (the baseline), in the same run. Also samples aswg's peak RSS while the
upload runs, and times GET /api/v1/missions with 1,000 missions in the database.

usage: bench/upload.py [path/to/aswg] [size_mib]   (defaults: build/aswg, 1024)
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

from benchlib import ROOT, aswg_binary, rss_kib, start_aswg

SIZE_MIB = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
PORT = 18778


def write_pbo(path, size):
    """A valid PBO with one uncompressed entry of about size bytes."""
    data_size = size - 64
    header = b"\0" + struct.pack("<5I", 0x56657273, 0, 0, 0, 0) + b"prefix\0bench\0\0"
    header += b"data.bin\0" + struct.pack("<5I", 0, data_size, 0, 0, data_size)
    header += b"\0" + struct.pack("<5I", 0, 0, 0, 0, 0)
    chunk = os.urandom(1 << 20)
    with open(path, "wb") as f:
        f.write(header)
        left = data_size
        while left > 0:
            n = min(left, len(chunk))
            f.write(chunk[:n])
            left -= n
        f.flush()
        os.fsync(f.fileno())


def main():
    binary = aswg_binary()
    work = tempfile.mkdtemp(prefix="aswg-bench-upload-", dir=os.environ.get("BENCH_DIR", ROOT))
    try:
        src = os.path.join(work, "src.Altis.pbo")
        write_pbo(src, SIZE_MIB << 20)
        proc, token = start_aswg(binary, work, PORT)
        try:
            idle = rss_kib(proc.pid)
            cp_times, up_times, peaks = [], [], []
            for i in range(3):
                dst = os.path.join(work, "copy.pbo")
                t = time.perf_counter()
                subprocess.run(["cp", src, dst], check=True)
                os.sync()
                cp_times.append(time.perf_counter() - t)
                os.unlink(dst)

                peak = [0]
                done = threading.Event()

                def sample():
                    while not done.is_set():
                        peak[0] = max(peak[0], rss_kib(proc.pid))
                        time.sleep(0.02)
                sampler = threading.Thread(target=sample)
                sampler.start()
                t = time.perf_counter()
                r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                    "-H", "Authorization: Bearer " + token,
                                    "-F", "overwrite=true", "-F", "file=@%s;filename=up.Altis.pbo" % src,
                                    "http://127.0.0.1:%d/api/v1/missions-files" % PORT],
                                   capture_output=True, text=True)
                up_times.append(time.perf_counter() - t)
                done.set()
                sampler.join()
                peaks.append(peak[0])
                assert r.stdout == "200", r.stdout
            med = statistics.median
            print("upload %d MiB, median of 3 (machine: %d cores)" % (SIZE_MIB, os.cpu_count()))
            print("  baseline cp + sync : %6.2f s" % med(cp_times))
            print("  aswg upload (curl) : %6.2f s  (%.2fx cp)  idle RSS %.1f MiB, peak RSS during upload %.1f MiB"
                  % (med(up_times), med(up_times) / med(cp_times), idle / 1024, max(peaks) / 1024))
        finally:
            proc.terminate()
            proc.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
