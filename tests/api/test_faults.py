"""Crashes at bad moments (kill -9 of aswg mid-upload, mid-config-save, mid-rotation-save): after a
restart there is no partial file, no orphan row, the config file and server.cfg are intact and
the database passes PRAGMA integrity_check."""

import os
import random
import re
import signal
import socket
import sqlite3
import threading
import time
import unittest

from harness import Aswg
import pbo

CONFIG = {"aswg.server-directory-path": "arma", "aswg.mods-directory-path": "mods",
          "aswg.security.rate-limit.requests-per-minute": "0"}


def integrity(aswg):
    db = sqlite3.connect(aswg.path("data", "aswg.db"))
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


class CrashTest(unittest.TestCase):
    def setUp(self):
        self.aswg = Aswg(config=CONFIG).start()
        self.token = self.aswg.login()

    def tearDown(self):
        self.aswg.cleanup()

    def crash_and_restart(self):
        self.aswg.stop(sig=signal.SIGKILL, check=False)
        self.aswg.start()
        self.token = self.aswg.login()
        self.assertEqual(integrity(self.aswg), "ok")

    def half_upload(self, path, filename, total):
        """Sends the headers and part of a multipart body, then leaves the connection open."""
        boundary = "----crash"
        head = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n" % (boundary, filename)).encode()
        tail = ("\r\n--%s--\r\n" % boundary).encode()
        sock = socket.create_connection(("127.0.0.1", self.aswg.port))
        sock.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; "
                      "boundary=%s\r\nContent-Length: %d\r\n\r\n" % (path, self.token, boundary,
                                                                        len(head) + total + len(tail))).encode())
        sock.sendall(head + pbo.build_pbo([("mission.sqm", b"x")])[:64] + b"\0" * (total // 2))
        return sock

    def wait_for_temp(self, directory, prefix):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if os.path.isdir(directory) and any(n.startswith(prefix) for n in os.listdir(directory)):
                return
            time.sleep(0.02)
        self.fail("no temporary file appeared in %s" % directory)

    def test_kill_mid_mission_upload(self):
        mpmissions = self.aswg.path("arma", "mpmissions")
        sock = self.half_upload("/api/v1/missions-files", "big.Altis.pbo", 20 << 20)
        self.wait_for_temp(mpmissions, ".upload-")
        self.crash_and_restart()
        sock.close()
        self.assertEqual([n for n in os.listdir(mpmissions) if not n.endswith(".pbo") or "big" in n], [])
        missions = self.aswg.request("GET", "/api/v1/missions", token=self.token).json
        templates = [m["template"] for m in missions["disabledMissions"] + missions["enabledMissions"]]
        self.assertNotIn("big.altis", templates)

    def test_kill_mid_mod_upload(self):
        mods = self.aswg.path("arma", "mods")
        sock = self.half_upload("/api/v1/mods-files", "@big.zip", 20 << 20)
        self.wait_for_temp(mods, ".aswg-upload-")
        self.crash_and_restart()
        sock.close()
        self.assertEqual(os.listdir(mods), [])

    def hammer(self, method, path, bodies, stop):
        i = 0
        while not stop.is_set():
            try:
                self.aswg.request(method, path, bodies[i % len(bodies)], token=self.token, timeout=2)
            except OSError:
                return
            i += 1

    def test_kill_mid_config_save(self):
        texts = ["Text %d %s" % (i, "x" * i) for i in range(1, 8)]
        bodies = [{"serverStartMessage": t} for t in texts]
        rng = random.Random(7)
        for _ in range(4):
            stop = threading.Event()
            t = threading.Thread(target=self.hammer, args=("POST", "/api/v1/settings/discord", bodies, stop))
            t.start()
            time.sleep(rng.uniform(0.05, 0.3))
            self.aswg.stop(sig=signal.SIGKILL, check=False)
            stop.set()
            t.join()
            self.aswg.start()   # a torn config file would stop aswg at start
            self.token = self.aswg.login()
            s = self.aswg.request("GET", "/api/v1/settings/discord", token=self.token).json
            self.assertIn(s["serverStartMessage"], texts + ["Server started"])
            self.assertEqual([n for n in os.listdir(self.aswg.workdir) if n.startswith("aswg-config.properties.")], [])

    def test_kill_mid_rotation_save(self):
        names = ["m%d.Altis.pbo" % i for i in range(6)]
        r = self.aswg.upload("/api/v1/missions-files", [(n, pbo.build_pbo([("mission.sqm", b"x")])) for n in names],
                             token=self.token)
        self.assertEqual(r.status, 200, r)
        templates = [n[:-4].lower() for n in names]
        rng = random.Random(11)
        orders = [{"missionTemplates": rng.sample(templates, rng.randint(1, 6))} for _ in range(10)]
        stop = threading.Event()
        t = threading.Thread(target=self.hammer, args=("POST", "/api/v1/missions/enabled", orders, stop))
        t.start()
        time.sleep(0.4)
        self.aswg.stop(sig=signal.SIGKILL, check=False)
        stop.set()
        t.join()
        self.aswg.start()
        self.token = self.aswg.login()
        self.assertEqual(integrity(self.aswg), "ok")
        enabled = [m["template"] for m in
                   self.aswg.request("GET", "/api/v1/missions", token=self.token).json["enabledMissions"]]
        with open(self.aswg.path("arma", "server.cfg")) as f:
            in_cfg = re.findall(r'template\s*=\s*"([^"]+)"', f.read())
        self.assertEqual(in_cfg, enabled)       # the file and the database tell the same rotation
        self.assertIn({"missionTemplates": enabled}, orders)


if __name__ == "__main__":
    unittest.main()
