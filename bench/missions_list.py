#!/usr/bin/env python3
"""GET /api/v1/missions with 1,000 missions: aswg next to nginx serving the very same JSON as a
static file (the baseline), both under wrk (2 threads, 32 connections, keep-alive) in the same
run, 3 alternating rounds each; then again with Accept-Encoding: gzip (nginx serving a gzip copy
made beforehand with gzip_static, aswg its cached gzip copy). Needs nginx(-light) and wrk.

usage: bench/missions_list.py [path/to/aswg] [missions]   (defaults: build/aswg, 1000)
"""

import gzip
import http.client
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


def wrk(url, *headers):
    cmd = ["wrk", "-t2", "-c32", "-d5s", "--latency", url]
    for header in headers:
        cmd[1:1] = ["-H", header]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0


def answer_size(port, headers):
    """Bytes of body one answer carries with these headers (compressed when it is)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/api/v1/missions", headers=dict(h.split(": ", 1) for h in headers))
    size = len(c.getresponse().read())
    c.close()
    return size


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
            with gzip.open(os.path.join(work, "www", "api", "v1", "missions.gz"), "wb", compresslevel=6) as f:
                f.write(body)      # nginx's gzip_static serves this one to clients that take gzip
            conf = os.path.join(work, "nginx.conf")
            with open(conf, "w") as f:
                f.write("daemon off; user root; worker_processes 2; pid %s/nginx.pid; error_log /dev/null;\n"
                        "events { worker_connections 1024; }\n"
                        "http { access_log off; keepalive_requests 1000000; open_file_cache max=100;\n"
                        "  server { listen 127.0.0.1:%d; root %s/www; default_type application/json; gzip_static on;\n"
                        "    gzip_vary on; } }\n"
                        % (work, NGINX_PORT, work))
            nginx = subprocess.Popen(["nginx", "-c", conf, "-p", work], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            time.sleep(0.5)
            med = statistics.median
            print("GET /api/v1/missions, %d missions, %d bytes of JSON; wrk -t2 -c32 -d5s, median of 3"
                  % (COUNT, len(body)))
            auth = "Authorization: Bearer " + token
            for label, extra in (("plain", ()), ("gzip", ("Accept-Encoding: gzip",))):
                nginx_bytes = answer_size(NGINX_PORT, extra)
                aswg_bytes = answer_size(ASWG_PORT, extra + (auth,))
                results = {"nginx": [], "aswg": []}
                for _ in range(3):
                    results["nginx"].append(wrk("http://127.0.0.1:%d/api/v1/missions" % NGINX_PORT, *extra))
                    results["aswg"].append(wrk("http://127.0.0.1:%d/api/v1/missions" % ASWG_PORT, auth, *extra))
                base = med(r[0] for r in results["nginx"])
                for name, rows in results.items():
                    rps = med(r[0] for r in rows)
                    print("  %-5s %-22s %8.0f req/s (%.2fx nginx)  p99 %6.2f ms  non-2xx %d  %7d bytes/answer"
                          % (label, name if name == "aswg" else "baseline nginx static", rps, rps / base,
                             med(r[1] for r in rows), sum(r[2] for r in rows),
                             aswg_bytes if name == "aswg" else nginx_bytes))
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
