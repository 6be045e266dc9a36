#!/usr/bin/env python3
"""Start-up time and memory of aswg, next to a baseline measured the same way in the same run.

For each server: spawn it in a fresh temp directory, poll until its health URL answers 200
(time-to-healthy, first start and restart), then sample VmRSS idle, after 2,000 keep-alive API
requests, and after 20 logins (bcrypt). The baseline is Python's http.server, a typical runtime
for small admin tools.

usage: bench/startup.py [path/to/aswg]   (default build/aswg; build it with scripts/build.sh)
"""

import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import BENCH_CONFIG, aswg_binary, memory_kib, rss_kib

PORT = 18777
ROUNDS = 5


def wait_healthy(path, deadline=10.0):
    start = time.perf_counter()
    while time.perf_counter() - start < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            c.request("GET", path)
            if c.getresponse().status == 200:
                c.close()
                return time.perf_counter() - start
        except OSError:
            time.sleep(0.001)
    raise RuntimeError("not healthy")


def hammer(path, n):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
    t = time.perf_counter()
    for _ in range(n):
        c.request("GET", path)
        c.getresponse().read()
    c.close()
    return n / (time.perf_counter() - t)


def logins(n, password):
    body = '{"username":"user","password":"%s"}' % password
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    t = time.perf_counter()
    for _ in range(n):
        c.request("POST", "/api/v1/auth", body, {"Content-Type": "application/json"})
        assert c.getresponse().read().startswith(b'{"jwt"')
    c.close()
    return n / (time.perf_counter() - t)


def measure(name, cmd, health_path, cwd, api=False):
    firsts, restarts, idle, loaded, reqs, login_rate, pss, anon = [], [], [], [], [], [], [], []
    for i in range(ROUNDS):
        work = tempfile.mkdtemp(dir=cwd)
        with open(os.path.join(work, "aswg-config.properties"), "w") as f:
            f.write(BENCH_CONFIG)
        for attempt in ("first", "restart"):
            p = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                (firsts if attempt == "first" else restarts).append(wait_healthy(health_path) * 1000)
                if attempt == "restart":
                    time.sleep(1.0)
                    idle.append(rss_kib(p.pid) / 1024)
                    share, own = memory_kib(p.pid)
                    pss.append(share / 1024)
                    anon.append(own / 1024)
                    reqs.append(hammer(health_path if not api else "/api/v1/actuator/info", 2000))
                    if api:
                        login_rate.append(logins(20, "bench-pass"))
                    loaded.append(rss_kib(p.pid) / 1024)
            finally:
                p.terminate()
                p.wait()
        shutil.rmtree(work, ignore_errors=True)
    med = statistics.median
    print("%-22s first start %6.1f ms  restart %6.1f ms  idle RSS %5.1f MiB (PSS %4.1f, anonymous %4.1f)  "
          "after load %5.1f MiB  %6.0f req/s (1 conn)%s"
          % (name, med(firsts), med(restarts), med(idle), med(pss), med(anon), med(loaded), med(reqs),
             "  %5.1f logins/s" % med(login_rate) if login_rate else ""))


def main():
    binary = aswg_binary()
    base = tempfile.mkdtemp(prefix="aswg-bench-")
    try:
        print("median of %d rounds; machine: %d cores, %s" % (ROUNDS, os.cpu_count(), os.uname().release))
        measure("baseline python http", [sys.executable, "-m", "http.server", str(PORT), "--bind", "127.0.0.1"],
                "/", base)
        measure("aswg", [binary, "--port", str(PORT), "--bind", "127.0.0.1"], "/api/v1/actuator/health", base,
                api=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
