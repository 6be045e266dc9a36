#!/usr/bin/env python3
"""The missions scanner over 10,000 .pbo files (first scan, then a rescan with no change), run
through the MISSIONS_SCANNER job's run-now, next to a baseline in the same run: `find` + `stat`
of the same files; and the scheduler's idle CPU over 10 s with six jobs scheduled.

usage: bench/scan.py [path/to/aswg] [files]   (defaults: build/aswg, 10000)
"""

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

from benchlib import aswg_binary, request, start_aswg

COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
PORT = 18781


def small_pbo():
    sqm = b'class Mission { class Intel { briefingName = "Bench"; }; };'
    header = b"\0" + struct.pack("<5I", 0x56657273, 0, 0, 0, 0) + b"prefix\0bench\0\0"
    header += b"mission.sqm\0" + struct.pack("<5I", 0, len(sqm), 0, 0, len(sqm))
    header += b"\0" + struct.pack("<5I", 0, 0, 0, 0, 0)
    return header + sqm + b"\0" + b"\xab" * 20


def run_scan(token):
    """Seconds from run-now to the run's SUCCESS, and its message."""
    t = time.perf_counter()
    status, _ = request(PORT, "POST", "/api/v1/settings/jobs/MISSIONS_SCANNER/run-now", {}, token)
    assert status == 200, status
    import json
    while True:
        _, body = request(PORT, "GET", "/api/v1/settings/jobs/MISSIONS_SCANNER/executions?limit=1", token=token)
        run = json.loads(body)[0]
        if run["status"] != "STARTED":
            return time.perf_counter() - t, run


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])   # utime + stime


def main():
    binary = aswg_binary()
    work = tempfile.mkdtemp(prefix="aswg-bench-scan-")
    try:
        d = os.path.join(work, "arma", "mpmissions")
        os.makedirs(d)
        data = small_pbo()
        for i in range(COUNT):
            with open(os.path.join(d, "scan_%05d.Altis.pbo" % i), "wb") as f:
                f.write(data)
        t = time.perf_counter()
        subprocess.run("find %s -name '*.pbo' -exec stat -c %%s {} + > /dev/null" % d, shell=True, check=True)
        baseline = time.perf_counter() - t
        proc, token = start_aswg(binary, work, PORT)
        try:
            first, run1 = run_scan(token)
            again, run2 = run_scan(token)
            print("missions scan of %d files (machine: %d cores)" % (COUNT, os.cpu_count()))
            print("  baseline find + stat      : %7.0f ms" % (baseline * 1000))
            print("  first scan (reads each PBO): %7.0f ms  job says %d ms: %s"
                  % (first * 1000, run1["durationMs"], run1["message"]))
            print("  rescan, nothing changed    : %7.0f ms  job says %d ms: %s"
                  % (again * 1000, run2["durationMs"], run2["message"]))
            before = cpu_ticks(proc.pid)
            time.sleep(10)
            ticks = cpu_ticks(proc.pid) - before
            hz = os.sysconf("SC_CLK_TCK")
            print("  idle CPU over 10 s with 6 jobs scheduled: %d ticks (%.2f%% of one core)"
                  % (ticks, 100.0 * ticks / hz / 10))
        finally:
            proc.terminate()
            proc.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
