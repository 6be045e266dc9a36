#!/usr/bin/env python3
"""GET /api/v1/missions with 1,000 missions: aswg next to nginx serving the very same JSON as a
static file (the baseline), both under wrk (2 threads, 32 connections, keep-alive) in the same
run, 3 alternating rounds each. Needs the Debian packages nginx(-light) and wrk.

usage: bench/missions_list.py [path/to/aswg] [missions]   (defaults: build/aswg, 1000)
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import aswg_binary, request, start_aswg

COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
ASWG_PORT, NGINX_PORT = 18779, 18780


def call(method, path, body=None, token=None):
    return request(ASWG_PORT, method, path, body, token)


def wrk(url, header=None):
    cmd = ["wrk", "-t2", "-c32", "-d5s", "--latency", url]
    if header:
        cmd[1:1] = ["-H", header]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0


def main():
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            sys.exit("install %s first: apt-get install wrk nginx-light" % tool)
    work = tempfile.mkdtemp(prefix="aswg-bench-list-")
    try:
        aswg, token = start_aswg(aswg_binary(), work, ASWG_PORT)
        nginx = None
        try:
            existing = len(json.loads(call("GET", "/api/v1/missions", token=token)[1])["disabledMissions"])
            for i in range(COUNT - existing):
                call("POST", "/api/v1/missions/template", {"name": "Mission %d" % i,
                                                           "template": "bench_mission_%04d.Altis" % i}, token)
            body = call("GET", "/api/v1/missions", token=token)[1]
            os.makedirs(os.path.join(work, "www", "api", "v1"))
            with open(os.path.join(work, "www", "api", "v1", "missions"), "wb") as f:
                f.write(body)
            conf = os.path.join(work, "nginx.conf")
            with open(conf, "w") as f:
                f.write("daemon off; user root; worker_processes 2; pid %s/nginx.pid; error_log /dev/null;\n"
                        "events { worker_connections 1024; }\n"
                        "http { access_log off; keepalive_requests 1000000; open_file_cache max=100;\n"
                        "  server { listen 127.0.0.1:%d; root %s/www; default_type application/json; } }\n"
                        % (work, NGINX_PORT, work))
            nginx = subprocess.Popen(["nginx", "-c", conf, "-p", work], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            time.sleep(0.5)
            results = {"nginx": [], "aswg": []}
            for _ in range(3):
                results["nginx"].append(wrk("http://127.0.0.1:%d/api/v1/missions" % NGINX_PORT))
                results["aswg"].append(wrk("http://127.0.0.1:%d/api/v1/missions" % ASWG_PORT,
                                           "Authorization: Bearer " + token))
            med = statistics.median
            print("GET /api/v1/missions, %d missions, %d bytes of JSON; wrk -t2 -c32 -d5s, median of 3"
                  % (COUNT, len(body)))
            base = med(r[0] for r in results["nginx"])
            for name, rows in results.items():
                rps = med(r[0] for r in rows)
                print("  %-22s %8.0f req/s (%.2fx nginx)  p99 %6.2f ms  non-2xx %d"
                      % (name if name == "aswg" else "baseline nginx static", rps, rps / base,
                         med(r[1] for r in rows), sum(r[2] for r in rows)))
        finally:
            if nginx:
                nginx.terminate()
                nginx.wait()
            aswg.terminate()
            aswg.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
