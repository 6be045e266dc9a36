"""Load and slow clients: many mixed requests over 32 keep-alive connections with zero errors, no
memory growth after warm-up and no file descriptor leak; slow-header clients do not starve
others. (Figures for speed live in bench/, not here.)"""

import http.client
import os
import random
import socket
import threading
import time
import unittest

from harness import BINARY, WRAPPED, AswgTestCase

# Fewer under the sanitizers, and only a token amount under valgrind: the point there is
# correctness, the full count runs in the normal build.
REQUESTS = 3000 if WRAPPED else 20000 if "asan" in BINARY else 100000
CONNECTIONS = 32


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


class LoadTest(AswgTestCase):
    config = {"aswg.server-directory-path": "arma", "aswg.security.rate-limit.requests-per-minute": "0"}

    def mixed(self, count, errors, seed):
        rng = random.Random(seed)
        auth = {"Authorization": "Bearer " + self.token}
        paths = [("GET", "/api/v1/missions", auth, 200), ("GET", "/api/v1/status", auth, 200),
                 ("GET", "/api/v1/settings/jobs", auth, 200), ("GET", "/api/v1/cdlc", auth, 200),
                 ("GET", "/api/v1/mods", auth, 200), ("GET", "/", {}, 200), ("GET", "/app.css", {}, 200),
                 ("GET", "/api/v1/actuator/health", {}, 200), ("GET", "/api/v1/nope", auth, 404),
                 ("GET", "/api/v1/missions", {"Authorization": "Bearer garbage"}, 400),
                 ("GET", "/api/v1/users", {}, 403), ("DELETE", "/api/v1/status", auth, 405)]
        conn = http.client.HTTPConnection("127.0.0.1", self.aswg.port, timeout=30)
        for _ in range(count):
            method, path, headers, want = rng.choice(paths)
            try:
                conn.request(method, path, headers=headers)
                r = conn.getresponse()
                r.read()
                if r.status != want:
                    errors.append("%s %s -> %d" % (method, path, r.status))
            except (OSError, http.client.HTTPException) as e:
                errors.append("%s %s: %r" % (method, path, e))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.aswg.port, timeout=30)
        conn.close()

    def run_wave(self, total, seed):
        errors = []
        threads = [threading.Thread(target=self.mixed, args=(total // CONNECTIONS, errors, seed + i))
                   for i in range(CONNECTIONS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return errors

    def test_mixed_requests_no_errors_no_growth_no_fd_leak(self):
        pid = self.aswg.proc.pid
        warm = self.run_wave(max(REQUESTS // 10, CONNECTIONS), 1)
        self.assertEqual(warm, [])
        time.sleep(0.3)
        rss_before, fds_before = rss_kib(pid), fd_count(pid)
        started = time.monotonic()
        errors = self.run_wave(REQUESTS, 100)
        elapsed = time.monotonic() - started
        self.assertEqual(errors[:10], [])
        time.sleep(0.5)     # let the closed connections go
        rss_after, fds_after = rss_kib(pid), fd_count(pid)
        print("\n%d requests in %.1f s; RSS %d -> %d KiB; fds %d -> %d" %
              (REQUESTS, elapsed, rss_before, rss_after, fds_before, fds_after))
        if not WRAPPED and "asan" not in BINARY:    # valgrind and ASan's quarantine keep freed memory
            self.assertLess(rss_after - rss_before, 2048)
        self.assertLessEqual(fds_after, fds_before)

    def test_slow_clients_do_not_starve_others(self):
        slow = []
        for _ in range(48):
            s = socket.create_connection(("127.0.0.1", self.aswg.port))
            s.sendall(b"GET /api/v1/actuator/health HTTP/1.1\r\nHo")
            slow.append(s)
        try:
            for _ in range(20):
                started = time.monotonic()
                r = self.aswg.request("GET", "/api/v1/missions", token=self.token)
                self.assertEqual(r.status, 200)
                self.assertLess(time.monotonic() - started, 2.0)
                for s in slow:
                    s.sendall(b"s")   # a byte now and then keeps them from timing out
        finally:
            for s in slow:
                s.close()


if __name__ == "__main__":
    unittest.main()
