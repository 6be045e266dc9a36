"""Command line, configuration file, start-up checks and clean shutdown."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
import unittest

from harness import BINARY, Aswg


def run(args, cwd=None, env=None):
    return subprocess.run([BINARY] + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=30)


class CommandLineTest(unittest.TestCase):
    def test_help_and_version(self):
        r = run(["--help"])
        self.assertEqual(r.returncode, 0)
        for option in ("--config-dir", "--port", "--bind", "--version"):
            self.assertIn(option, r.stdout)
        r = run(["--version"])
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^aswg \d+\.\d+\.\d+")

    def test_unknown_option_fails(self):
        r = run(["--frobnicate"])
        self.assertNotEqual(r.returncode, 0)
        r = run(["stray"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("stray", r.stderr)


class ConfigFileTest(unittest.TestCase):
    def setUp(self):
        self.aswg = Aswg(config=False)

    def tearDown(self):
        self.aswg.cleanup()

    def test_first_start_writes_commented_default_file_with_every_key(self):
        self.aswg.start()
        text = self.aswg.read("aswg-config.properties")
        for key in ("server.port=8085", "aswg.server-directory-path=arma-server", "aswg.mods-directory-path=mods",
                    "aswg.default-user.username=user", "aswg.server-port=2302", "aswg.server.branch=public",
                    "aswg.security.cors.allowed-origins=*", "aswg.security.jwt.expiration-time=PT2H",
                    "aswg.job.mod-update.cron=0 0 1 * * *", "aswg.job.missions-scanner.cron=0 0/15 * * * *",
                    "aswg.job.jwt-cleaner.enabled=true", "aswg.discord.message.server-updating=Updating server...",
                    "aswg.steamcmd.path=", "aswg.vanilla-missions-importer.enabled=false",
                    "aswg.missions.max-upload-size=15GB", "aswg.security.rate-limit.requests-per-minute=1200"):
            self.assertIn("\n" + key + "\n", text)
        self.assertGreater(text.count("\n# "), 20)
        self.assertEqual(os.stat(self.aswg.path("aswg-config.properties")).st_mode & 0o777, 0o600)
        self.aswg.stop()
        self.aswg.start()  # an existing file is not rewritten
        self.assertEqual(self.aswg.read("aswg-config.properties"), text)

    def test_bad_values_stop_start_with_message_naming_key_and_file(self):
        for key, value in (("server.port", "eighty"), ("aswg.server-port", "70000"),
                           ("aswg.server.branch", "beta"), ("aswg.default-user.reset", "maybe"),
                           ("aswg.job.missions-scanner.cron", "every day"),
                           ("aswg.security.jwt.expiration-time", "soon")):
            with open(self.aswg.path("aswg-config.properties"), "w") as f:
                f.write("# hand-written\n%s=%s\n" % (key, value))
            r = run(["--port", "0"], cwd=self.aswg.workdir)
            self.assertNotEqual(r.returncode, 0, key)
            self.assertIn(key, r.stderr)
            self.assertIn("aswg-config.properties", r.stderr)
            self.assertFalse(os.path.exists(self.aswg.path("data", "aswg.db")), "nothing created for a bad config")

    def test_unknown_keys_are_kept_and_warned_about(self):
        original = "# my notes\ncustom.thing=1\nserver.port=8085\n"
        with open(self.aswg.path("aswg-config.properties"), "w") as f:
            f.write(original)
        self.aswg.start()
        self.assertEqual(self.aswg.log().count("custom.thing"), 1)
        self.assertEqual(self.aswg.read("aswg-config.properties"), original)

    def test_environment_overrides_file(self):
        self.aswg.write_config({"aswg.default-user.password": "from-file"})
        self.aswg.env["ASWG_DEFAULT_USER_PASSWORD"] = "from-env"
        self.aswg.configured_password = "from-env"
        self.aswg.start()
        self.aswg.login("user", "from-env")
        self.assertEqual(self.aswg.request("POST", "/api/v1/auth",
                                           {"username": "user", "password": "from-file"}).status, 400)

    def test_config_dir_option_and_env(self):
        os.makedirs(self.aswg.path("conf"))
        with open(self.aswg.path("conf", "aswg-config.properties"), "w") as f:
            f.write("aswg.default-user.username=admin\naswg.default-user.password=conf-dir-pass\n")
        self.aswg.args = ["--config-dir", "conf"]
        self.aswg.start()
        self.aswg.login("admin", "conf-dir-pass")
        self.assertFalse(os.path.exists(self.aswg.path("aswg-config.properties")))
        self.aswg.stop()
        self.aswg.args = []
        self.aswg.env["ASWG_CONFIG_DIR"] = "conf"
        self.aswg.start()
        self.aswg.login("admin", "conf-dir-pass")


class JsonLogTest(unittest.TestCase):
    def test_json_lines_with_request_fields_and_no_secrets(self):
        aswg = Aswg(config={"aswg.logging.format": "json", "aswg.default-user.password": "json-log-pass"}).start()
        try:
            token = aswg.login()
            aswg.request("GET", "/api/v1/users", token=token)
            aswg.stop()
            lines = [json.loads(l) for l in aswg.read("logs", "aswg.log").splitlines()]
            self.assertTrue(all({"ts", "level", "msg"} <= set(l) for l in lines))
            access = [l for l in lines if l["msg"] == "request" and l.get("path") == "/api/v1/users"]
            self.assertEqual(len(access), 1)
            a = access[0]
            self.assertEqual((a["method"], a["status"], a["user"], a["ip"]), ("GET", 200, "user", "127.0.0.1"))
            self.assertRegex(a["requestId"], r"^[0-9a-f]{8}-\d+$")
            self.assertIsInstance(a["durationMs"], float)
            text = aswg.read("logs", "aswg.log")
            self.assertNotIn("json-log-pass", text)
            self.assertNotIn(token, text)
        finally:
            aswg.cleanup()


class DatabaseStartTest(unittest.TestCase):
    def test_newer_database_is_refused(self):
        aswg = Aswg().start()
        try:
            aswg.stop()
            db = sqlite3.connect(aswg.path("data", "aswg.db"))
            db.execute("PRAGMA user_version=999")
            db.commit()
            db.close()
            r = run(["--port", "0"], cwd=aswg.workdir)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("newer", r.stderr)
        finally:
            aswg.cleanup()

    def test_restart_keeps_data_and_integrity(self):
        aswg = Aswg().start()
        try:
            token = aswg.login()
            aswg.request("POST", "/api/v1/users", {"username": "kept", "password": "kept-pass"}, token=token)
            aswg.stop()
            db = sqlite3.connect(aswg.path("data", "aswg.db"))
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            self.assertEqual(db.execute("SELECT count(*) FROM aswg_authority").fetchone()[0], 42)
            self.assertEqual(db.execute("SELECT count(*) FROM cdlc").fetchone()[0], 7)
            db.close()
            aswg.start()
            aswg.login("kept", "kept-pass")
        finally:
            aswg.cleanup()


class ShutdownTest(unittest.TestCase):
    def test_sigterm_finishes_in_flight_request_then_exits_0(self):
        aswg = Aswg().start()
        try:
            body = b'{"username":"user","password":"wrong-password"}'
            s = socket.create_connection(("127.0.0.1", aswg.port), timeout=10)
            s.sendall(b"POST /api/v1/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body) + body[:10])
            time.sleep(0.2)
            aswg.proc.send_signal(signal.SIGTERM)
            time.sleep(0.2)
            self.assertIsNone(aswg.proc.poll(), "aswg must wait for the request in progress")
            s.sendall(body[10:])
            answer = s.recv(65536)
            s.close()
            self.assertTrue(answer.startswith(b"HTTP/1.1 400"), answer[:100])
            self.assertIn(b"BAD_CREDENTIALS", answer)
            aswg.proc.wait(10)
            self.assertEqual(aswg.proc.returncode, 0)
            self.assertIn("shutting down", aswg.log())
            # new connections are refused once shutdown started
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", aswg.port), timeout=2).close()
        finally:
            aswg.cleanup()

    def test_sigint_exits_0(self):
        aswg = Aswg().start()
        try:
            self.assertEqual(aswg.stop(signal.SIGINT), 0)
        finally:
            aswg.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
