"""The game server supervisor (ASWG-API.md §5.8, §5.9 with DECISIONS.md 8 and 10) against a fake
Arma 3 server (fake_arma.py), a fake SteamCMD and a fake Discord webhook on loopback."""

import datetime
import glob
import http.server
import json
import os
import shutil
import signal
import socket
import stat
import sys
import threading
import time
import unittest

from harness import Aswg, AswgTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
STATUS = "/api/v1/status"
TOGGLE = "/api/v1/status/toggle"


class FakeWebhook(http.server.BaseHTTPRequestHandler):
    received = []
    answers = {}        # title -> statuses to answer with, first one first; then 204
    delay = 0.0

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        time.sleep(FakeWebhook.delay)
        queue = FakeWebhook.answers.get(body["embeds"][0]["title"])
        status = queue.pop(0) if queue else 204
        FakeWebhook.received.append((time.monotonic(), status, body))
        self.send_response(status)
        payload = b'{"message":"You are being rate limited.","retry_after":0.7}' if status == 429 else b""
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def install_fake(server_dir, name="arma3server_x64", conf=None):
    os.makedirs(server_dir, exist_ok=True)
    path = os.path.join(server_dir, name)
    with open(os.path.join(HERE, "fake_arma.py")) as f:
        source = f.read()
    with open(path, "w") as f:
        f.write("#!%s\n%s" % (sys.executable, source))
    os.chmod(path, 0o755)
    write_conf(server_dir, conf or {})
    shutil.rmtree(os.path.join(server_dir, "runs"), ignore_errors=True)
    return path


def write_conf(server_dir, conf):
    with open(os.path.join(server_dir, "fake_arma.json"), "w") as f:
        json.dump(conf, f)


def runs(server_dir):
    found = []
    for path in sorted(glob.glob(os.path.join(server_dir, "runs", "run-*.json")),
                       key=lambda p: int(p.rsplit("-", 1)[1].split(".")[0])):
        with open(path) as f:
            found.append(json.load(f))
    return found


def wait_run(server_dir, count=1, timeout=10.0):
    """The count-th run's record, once the fake has written it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = runs(server_dir)
        if len(found) >= count:
            return found[count - 1]
        time.sleep(0.02)
    raise AssertionError("the fake server did not start")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


class ServerTestBase(AswgTestCase):
    hook = None

    @classmethod
    def setUpClass(cls):
        FakeWebhook.received = []
        cls.hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeWebhook)
        threading.Thread(target=cls.hook.serve_forever, daemon=True).start()
        cls.hook_url = "http://127.0.0.1:%d/api/webhooks/1/secret" % cls.hook.server_address[1]
        cls.config = dict(cls.extra_config(), **{
            "aswg.server-directory-path": "arma",
            "aswg.server-port": str(free_udp_port_pair()),
            "aswg.discord.webhook.enabled": "true",
            "aswg.discord.webhook.url": cls.hook_url,
        })
        super().setUpClass()
        cls.server_dir = cls.aswg.path("arma")

    @classmethod
    def extra_config(cls):
        return {}

    @classmethod
    def tearDownClass(cls):
        for run in runs(cls.aswg.path("arma")):
            if alive(run["pid"]):
                os.kill(run["pid"], signal.SIGKILL)
        cls.hook.shutdown()
        cls.hook.server_close()
        super().tearDownClass()

    def setUp(self):
        FakeWebhook.received = []
        FakeWebhook.answers = {}
        FakeWebhook.delay = 0.0

    def tearDown(self):
        self.aswg.request("POST", TOGGLE, {"requestedStatus": "OFFLINE"}, token=self.token)

    def status(self):
        r = self.aswg.request("GET", STATUS, token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def wait_for(self, what, predicate, timeout=10.0):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = predicate()
            if last:
                return last
            time.sleep(0.05)
        self.fail("timed out waiting for %s (last: %r)" % (what, last))

    def wait_status(self, wanted, timeout=10.0):
        return self.wait_for("status " + wanted, lambda: (lambda s: s if s["status"]["status"] == wanted else None)(
            self.status()), timeout)

    def toggle(self, requested="ONLINE", update=False):
        return self.aswg.request("POST", TOGGLE, {"requestedStatus": requested, "performUpdate": update},
                                 token=self.token)

    def kinds(self):
        return [b["embeds"][0]["title"] for _, status, b in FakeWebhook.received if status == 204]

    def wait_kind(self, title, timeout=10.0):
        return self.wait_for("Discord " + title, lambda: title in self.kinds(), timeout)


def free_udp_port_pair():
    """A game port whose query port (+1) is free for UDP."""
    for _ in range(50):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        if port < 65000:
            t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                t.bind(("127.0.0.1", port + 1))
                return port
            except OSError:
                continue
            finally:
                t.close()
    raise RuntimeError("no free UDP port pair")


class StartStopTest(ServerTestBase):
    def test_not_installed_is_500_and_stays_offline(self):
        r = self.toggle()
        self.assertError(r, 500, "SERVER_NOT_INSTALLED")
        self.assertEqual(self.status()["status"], {"status": "OFFLINE", "statusText": "Offline"})

    def test_start_online_players_argv_and_stop(self):
        install_fake(self.server_dir, conf={"players": ["Bob", "Alice Smith"], "hostname": "My Server",
                                            "lines": [[0.3, "12:00:01 Player Bob connected (id=76561198000000001)."]]})
        os.makedirs(os.path.join(self.server_dir, "GM"), exist_ok=True)   # CDLC folder, upper case on disk
        cdlcs = self.aswg.request("GET", "/api/v1/cdlc", token=self.token).json["cdlcs"]
        gm = next(c for c in cdlcs if c["name"].startswith("Global Mobilization"))
        self.assertEqual(self.aswg.request("POST", "/api/v1/cdlc/%d/toggle" % gm["id"], token=self.token).status, 200)
        started = time.monotonic()
        r = self.toggle()
        self.assertEqual((r.status, r.body), (200, ""), r)
        self.assertLess(time.monotonic() - started, 3.0)
        self.assertError(self.toggle(), 400, "SERVER_ALREADY_RUNNING")
        s = self.wait_status("ONLINE")
        self.assertEqual(s["status"]["statusText"], "Online")
        self.assertEqual(sorted(p["name"] for p in s["playerList"]), ["Alice Smith", "Bob"])
        self.assertEqual(s["server"]["steam"]["name"], "My Server")
        run = wait_run(self.server_dir)
        self.assertEqual(s["server"]["pid"], run["pid"])
        argv = run["argv"]
        real_dir = os.path.realpath(self.server_dir)
        self.assertEqual(argv[0], os.path.join(real_dir, "arma3server_x64"))
        self.assertEqual(run["cwd"], real_dir)
        self.assertIn("-port=%s" % self.config["aswg.server-port"], argv)
        self.assertIn("-cfg=%s/network.cfg" % real_dir, argv)
        self.assertIn("-config=%s/server.cfg" % real_dir, argv)
        self.assertIn("-name=Player", argv)
        self.assertIn("-mod=GM", argv)
        for a in argv:
            self.assertNotIn('"', a)
            self.assertNotEqual(a, "&")
        self.assertNotIn("nohup", argv)
        self.assertTrue(run["sigpipe_ignored"])
        pid_file = os.path.join(self.server_dir, "arma_server.pid")
        with open(pid_file) as f:
            self.assertEqual(f.read().split()[0], str(run["pid"]))
        general_line = self.wait_for("console line", lambda: any(
            "Player Bob connected" in l for l in self.latest_logs()))
        self.assertTrue(general_line)
        self.assertTrue(any(l.endswith("Arma 3 Console version 2.18 (fake)") for l in self.latest_logs()))
        self.assertTrue(any(l.endswith("warning on stderr") for l in self.latest_logs()))
        r = self.toggle("OFFLINE")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.status()["status"]["status"], "OFFLINE")
        self.assertFalse(alive(run["pid"]))
        self.assertFalse(os.path.exists(pid_file))
        self.wait_kind("Server stopped")
        titles = self.kinds()
        # One sender, first in first out: what the previous test's stop sent comes before.
        titles = titles[titles.index("Starting server..."):]
        self.assertIn("Server started", titles)
        self.assertIn("Bob joined the server", titles)
        started = next(b for _, _, b in FakeWebhook.received if b["embeds"][0]["title"] == "Server started")
        fields = {f["name"]: f["value"] for f in started["embeds"][0]["fields"]}
        self.assertEqual(fields["Server"], "My Server")
        self.assertEqual(fields["Mission"], "Escape")
        self.assertEqual(fields["Players"], "2/64")
        self.assertEqual(self.aswg.request("POST", "/api/v1/cdlc/%d/toggle" % gm["id"], token=self.token).status, 200)

    def test_stop_when_nothing_runs_is_fine(self):
        self.assertEqual(self.toggle("OFFLINE").status, 200)
        self.assertEqual(self.status()["status"]["status"], "OFFLINE")

    def test_bad_toggle_bodies(self):
        for body in (None, {}, {"requestedStatus": 5}, {"requestedStatus": "ONLINE", "performUpdate": "maybe"}):
            r = self.aswg.request("POST", TOGGLE, body, token=self.token)
            self.assertError(r, 400, "BAD_REQUEST")
        self.assertEqual(self.status()["status"]["status"], "OFFLINE")

    def latest_logs(self, lines=None):
        path = "/api/v1/logging/latest-logs" + ("?lines=%d" % lines if lines else "")
        r = self.aswg.request("GET", path, token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json["logs"]

    def test_player_leaves_and_sse_stream(self):
        install_fake(self.server_dir, conf={"a2s": False, "tick": 0.1, "lines": [
            [0.5, "Player Bob connected (id=1)."], [0.8, "Player Bob disconnected."]]})
        sock = socket.create_connection(("127.0.0.1", self.aswg.port), timeout=10)
        sock.sendall(("GET /api/v1/logging/logs-sse HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n"
                      % self.token).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(4096)
        self.assertIn(b"200 OK", head.split(b"\r\n")[0])
        self.assertIn(b"text/event-stream", head.lower())
        self.assertEqual(self.toggle().status, 200)
        self.assertEqual(self.wait_status("RUNNING_BUT_NOT_DETECTED_BY_STEAM")["playerList"], [])
        data = head.split(b"\r\n\r\n", 1)[1]
        deadline = time.monotonic() + 10
        while b"tick 5" not in data and time.monotonic() < deadline:
            data += sock.recv(65536)
        sock.close()
        self.assertIn(b"data:", data)
        self.assertIn(b"Arma 3 Console version 2.18 (fake)", data)
        self.assertIn(b"tick 5", data)
        self.wait_kind("Bob left the server")
        joined = [b for _, _, b in FakeWebhook.received if b["embeds"][0]["title"] == "Bob joined the server"]
        self.assertEqual(len(joined), 1)
        self.assertEqual(self.latest_logs(2)[-1].split(" ", 2)[2][:5], "tick ")
        self.assertEqual(len(self.latest_logs(2)), 2)

    def test_sse_needs_token_and_authority(self):
        r = self.aswg.request("GET", "/api/v1/logging/logs-sse")
        self.assertError(r, 403, "AUTH_TOKEN_MISSING")


class CrashTest(ServerTestBase):
    @classmethod
    def extra_config(cls):
        return {"aswg.server.auto-restart.enabled": "true", "aswg.server.stop-timeout": "1s"}

    def test_crash_is_reported_and_restarted(self):
        install_fake(self.server_dir, conf={"exit_after": 0.5, "exit_code": 3, "a2s": False,
                                            "last_words": "Fatal error: out of memory"})
        self.assertEqual(self.toggle().status, 200)
        self.wait_kind("Server crashed")
        # what it said right before it died is in the console (read before the exit is handled)
        logs = self.aswg.request("GET", "/api/v1/logging/latest-logs", token=self.token).json["logs"]
        self.assertTrue(any(l.endswith("Fatal error: out of memory") for l in logs), logs[-5:])
        crash = next(b for _, _, b in FakeWebhook.received if b["embeds"][0]["title"] == "Server crashed")
        self.assertIn("exit code 3", crash["embeds"][0]["description"])
        self.assertIn("restarting in 5 s", crash["embeds"][0]["description"])
        s = self.wait_status("OFFLINE")
        self.assertEqual(s["server"]["lastExit"], "exit code 3")
        self.assertIsNotNone(s["server"]["restartAt"])
        write_conf(self.server_dir, {"a2s": False})     # the next run stays up
        self.wait_for("automatic restart", lambda: len(runs(self.server_dir)) == 2, timeout=10)
        self.wait_status("RUNNING_BUT_NOT_DETECTED_BY_STEAM")
        self.assertEqual(self.toggle("OFFLINE").status, 200)
        self.assertEqual(self.status()["status"]["status"], "OFFLINE")

    def test_sigterm_ignored_gets_killed_after_the_timeout(self):
        install_fake(self.server_dir, conf={"ignore_sigterm": True, "a2s": False})
        self.assertEqual(self.toggle().status, 200)
        pid = wait_run(self.server_dir)["pid"]
        started = time.monotonic()
        self.assertEqual(self.toggle("OFFLINE").status, 200)
        self.wait_status("OFFLINE")
        self.assertGreater(time.monotonic() - started, 0.9)
        self.assertFalse(alive(pid))


class DiscordDeliveryTest(ServerTestBase):
    def test_429_retry_after_is_honoured(self):
        install_fake(self.server_dir, conf={"a2s": False})
        FakeWebhook.answers = {"Starting server...": [429]}
        self.assertEqual(self.toggle().status, 200)
        self.wait_kind("Starting server...")
        (t0, s0), (t1, s1) = [(t, s) for t, s, b in FakeWebhook.received
                              if b["embeds"][0]["title"] == "Starting server..."]
        self.assertEqual((s0, s1), (429, 204))
        self.assertGreaterEqual(t1 - t0, 0.6)

    def test_slow_webhook_does_not_slow_start_or_stop(self):
        install_fake(self.server_dir, conf={"a2s": False})
        FakeWebhook.delay = 3.0
        started = time.monotonic()
        self.assertEqual(self.toggle().status, 200)
        self.wait_status("RUNNING_BUT_NOT_DETECTED_BY_STEAM")
        self.assertEqual(self.toggle("OFFLINE").status, 200)
        self.assertLess(time.monotonic() - started, 2.5)
        self.assertEqual(self.status()["status"]["status"], "OFFLINE")

    def test_5xx_is_retried_and_state_is_reported(self):
        install_fake(self.server_dir, conf={"a2s": False})
        FakeWebhook.answers = {"Starting server...": [500, 503]}
        self.assertEqual(self.toggle().status, 200)
        self.wait_kind("Starting server...")
        d = self.status()["discord"]
        self.assertGreaterEqual(d["sent"], 1)
        starting = [s for _, s, b in FakeWebhook.received if b["embeds"][0]["title"] == "Starting server..."]
        self.assertEqual(starting, [500, 503, 204])
        self.assertNotIn(self.hook_url, self.aswg.log())
        self.assertNotIn("secret", self.aswg.log())


class UpdateTest(ServerTestBase):
    @classmethod
    def extra_config(cls):
        return {"aswg.server.branch": "creatordlc", "aswg.steamcmd.username": "steamuser",
                "aswg.steamcmd.password": "steam-pass-123"}

    def test_update_then_start(self):
        steamcmd = os.path.join(self.aswg.workdir, "steamcmd.sh")
        with open(steamcmd, "w") as f:
            f.write("#!/bin/sh\necho \"$@\" > \"%s/steamcmd-args.txt\"\necho 'Update state (0x61) downloading'\n"
                    "sleep 0.5\necho \"Success! App '233780' fully installed.\"\n" % self.aswg.workdir)
        os.chmod(steamcmd, 0o755)
        r = self.aswg.request("POST", "/api/v1/settings/steam", {"steamCmdPath": steamcmd}, token=self.token)
        self.assertEqual(r.status, 200, r)
        install_fake(self.server_dir, conf={"a2s": False})
        self.assertEqual(self.toggle(update=True).status, 200)
        self.assertEqual(self.status()["status"]["status"], "UPDATING")
        self.wait_status("RUNNING_BUT_NOT_DETECTED_BY_STEAM")
        with open(os.path.join(self.aswg.workdir, "steamcmd-args.txt")) as f:
            args = f.read().split()
        self.assertEqual(args, ["+force_install_dir", os.path.realpath(self.server_dir), "+login", "steamuser",
                                "steam-pass-123", "+app_update", "233780", "-beta", "creatordlc", "validate",
                                "+quit"])
        logs = self.aswg.request("GET", "/api/v1/logging/latest-logs", token=self.token).json["logs"]
        self.assertTrue(any("[steamcmd] Success! App '233780' fully installed." in l for l in logs), logs)
        self.assertNotIn("steam-pass-123", "\n".join(logs))
        self.assertNotIn("steam-pass-123", self.aswg.log())
        self.wait_kind("Updating server...")


class AdoptionAndOverwriteTest(unittest.TestCase):
    def test_server_survives_an_aswg_restart_and_is_supervised_again(self):
        port = free_udp_port_pair()
        aswg = Aswg(config={"aswg.server-directory-path": "arma", "aswg.server-port": str(port)}).start()
        try:
            token = aswg.login()
            install_fake(aswg.path("arma"), conf={"players": ["Zed"]})
            asked = datetime.datetime.now(datetime.timezone.utc)
            self.assertEqual(aswg.request("POST", TOGGLE, {"requestedStatus": "ONLINE"}, token=token).status, 200)
            pid = wait_run(aswg.path("arma"))["pid"]
            stopped = datetime.datetime.now(datetime.timezone.utc)
            aswg.stop()
            self.assertTrue(alive(pid), "the game server must outlive aswg")
            time.sleep(1.2)
            aswg.start()
            token = aswg.login()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                s = aswg.request("GET", STATUS, token=token).json
                if s["status"]["status"] == "ONLINE":
                    break
                time.sleep(0.1)
            self.assertEqual(s["status"]["status"], "ONLINE")
            self.assertEqual(s["server"]["pid"], pid)
            self.assertTrue(s["server"]["adopted"])
            # when the game really started (from /proc), not when this aswg took it over
            started = datetime.datetime.fromisoformat(s["server"]["startedAt"])
            self.assertTrue(asked - datetime.timedelta(seconds=1) <= started <= stopped, (asked, started, stopped))
            self.assertEqual(s["playerList"], [{"name": "Zed"}])
            self.assertEqual(aswg.request("POST", TOGGLE, {"requestedStatus": "OFFLINE"}, token=token).status, 200)
            self.assertFalse(alive(pid))
            self.assertEqual(aswg.request("GET", STATUS, token=token).json["status"]["status"], "OFFLINE")
        finally:
            for run in runs(aswg.path("arma")):
                if alive(run["pid"]):
                    os.kill(run["pid"], signal.SIGKILL)
            aswg.cleanup()

    def test_aswg_stops_cleanly_with_live_console_viewers(self):
        aswg = Aswg().start()
        try:
            token = aswg.login()
            viewers = []
            for _ in range(3):
                sock = socket.create_connection(("127.0.0.1", aswg.port), timeout=10)
                sock.sendall(("GET /api/v1/logging/logs-sse HTTP/1.1\r\nHost: x\r\n"
                              "Authorization: Bearer %s\r\n\r\n" % token).encode())
                self.assertIn(b"200 OK", sock.recv(4096))
                viewers.append(sock)
            started = time.monotonic()
            self.assertEqual(aswg.stop(), 0)
            self.assertLess(time.monotonic() - started, 5)
            for sock in viewers:
                sock.settimeout(5)
                rest = b""
                while True:
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    rest += chunk
                sock.close()
                self.assertTrue(rest == b"" or rest.endswith(b"0\r\n\r\n"), rest)
        finally:
            aswg.cleanup()

    def test_stale_pid_file_is_not_trusted(self):
        aswg = Aswg(config={"aswg.server-directory-path": "arma"})
        os.makedirs(aswg.path("arma"))
        with open(aswg.path("arma", "arma_server.pid"), "w") as f:
            f.write(str(os.getpid()))     # alive, but not an Arma server
        aswg.start()
        try:
            token = aswg.login()
            self.assertEqual(aswg.request("GET", STATUS, token=token).json["status"]["status"], "OFFLINE")
            self.assertTrue(alive(os.getpid()))
        finally:
            aswg.cleanup()

    def test_unsafe_startup_params(self):
        aswg = Aswg(config={"aswg.server-directory-path": "arma"}).start()
        try:
            token = aswg.login()
            r = aswg.request("POST", "/api/v1/unsafe/startup-params", {"params": "x"}, token=token)
            self.assertError_(r, 404, "NOT_FOUND")
        finally:
            aswg.cleanup()
        port = free_udp_port_pair()
        aswg = Aswg(config={"aswg.server-directory-path": "arma", "aswg.server-port": str(port),
                            "aswg.server.unsafe.startup-params.overwrite.web-edit.enabled": "true"}).start()
        try:
            token = aswg.login()
            fake = install_fake(aswg.path("arma"), conf={"a2s": False})
            r = aswg.request("POST", "/api/v1/unsafe/startup-params", {"params": "\"%s\" -port=%d 'two words' -x\\ y"
                                                                        % (fake, port)}, token=token)
            self.assertEqual(r.status, 200, r)
            self.assertError_(aswg.request("POST", "/api/v1/unsafe/startup-params", {"params": "a 'b"}, token=token),
                              400, "BAD_REQUEST")
            general = aswg.read("aswg-config.properties")
            self.assertIn("aswg.server.unsafe.startup-params.overwrite.value=", general)
            self.assertEqual(aswg.request("POST", TOGGLE, {"requestedStatus": "ONLINE"}, token=token).status, 200)
            run = wait_run(aswg.path("arma"))
            self.assertEqual(run["argv"][1:], ["-port=%d" % port, "two words", "-x y"])
            self.assertEqual(aswg.request("POST", TOGGLE, {"requestedStatus": "OFFLINE"}, token=token).status, 200)
        finally:
            for run in runs(aswg.path("arma")):
                if alive(run["pid"]):
                    os.kill(run["pid"], signal.SIGKILL)
            aswg.cleanup()

    def assertError_(self, r, status, code):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.json["code"], code, r)


if __name__ == "__main__":
    unittest.main()
