"""Helpers shared by the benchmark scripts: one aswg process on a fixed loopback port."""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# aswg keeps Arma profiles under $HOME: every aswg a benchmark starts gets a scratch home.
os.environ["HOME"] = tempfile.mkdtemp(prefix="aswg-bench-home-")
BENCH_CONFIG = ("aswg.default-user.password=bench-pass\naswg.server-directory-path=arma\n"
                "aswg.security.rate-limit.requests-per-minute=0\n"
                "aswg.security.login-rate-limit.attempts-per-minute=0\n")


def aswg_binary():
    """The binary given as first argument, or build/aswg."""
    path = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "aswg")
    if not os.path.exists(path):
        sys.exit("build aswg first: bash scripts/build.sh")
    return path


def memory_kib(pid):
    """(Pss, anonymous) from smaps_rollup: the process's share of its file pages (shared libraries
    count once across the processes mapping them) and the memory that is its own."""
    pss = anon = 0
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Anonymous:"):
                anon = int(line.split()[1])
    return pss, anon


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def request(port, method, path, body=None, token=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    c.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def start_aswg(binary, work, port):
    """Starts aswg in work (writing the bench config) and returns (process, token)."""
    with open(os.path.join(work, "aswg-config.properties"), "w") as f:
        f.write(BENCH_CONFIG)
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1"], cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(1000):
        try:
            if request(port, "GET", "/api/v1/actuator/health")[0] == 200:
                break
        except OSError:
            time.sleep(0.01)
    status, body = request(port, "POST", "/api/v1/auth", {"username": "user", "password": "bench-pass"})
    return proc, json.loads(body)["jwt"]
