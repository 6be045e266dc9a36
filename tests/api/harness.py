"""Starts the real aswg binary in a temporary working directory on a free loopback port and talks
HTTP to it. Standard library only. The binary comes from $ASWG_BINARY (set by CTest)."""

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

# Tests log in often; the login limit gets its own test.
TEST_DEFAULTS = {"aswg.security.login-rate-limit.attempts-per-minute": "10000"}

BINARY = os.environ.get("ASWG_BINARY", os.path.join(os.path.dirname(__file__), "../../build/aswg"))
WRAPPED = bool(os.environ.get("ASWG_TEST_WRAPPER"))   # running under valgrind (or another wrapper)


def allow_core_dumps():
    """A crash leaves a core file in the working directory (kept, see Aswg.cleanup)."""
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body) if self.body else None

    def header(self, name):
        return self.headers.get(name)

    def __repr__(self):
        return "<Response %d %r>" % (self.status, self.body[:300])


class Aswg:
    """One aswg process in its own working directory. config entries (merged over TEST_DEFAULTS)
    are written to aswg-config.properties before start; config=False writes no file."""

    def __init__(self, workdir=None, config=None, env=None, args=None):
        self.owns_dir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix="aswg-test-")
        self.env = dict(os.environ)
        # Arma's profiles (difficulty profiles) default to $HOME/.local/share: never the real home.
        self.env["HOME"] = self.workdir
        self.env.update(env or {})
        self.args = args or []
        self.proc = None
        self.port = None
        if config is not False:
            merged = dict(TEST_DEFAULTS)
            merged.update(config or {})
            self.write_config(merged)
        self.configured_password = (config or {}).get("aswg.default-user.password")

    # ---- files ----
    def path(self, *parts):
        return os.path.join(self.workdir, *parts)

    def write_config(self, entries, text_prefix=""):
        self.configured_password = entries.get("aswg.default-user.password")
        lines = [text_prefix] if text_prefix else []
        lines += ["%s=%s" % (k, v) for k, v in entries.items()]
        with open(self.path("aswg-config.properties"), "w") as f:
            f.write("\n".join(lines) + "\n")

    def read(self, *parts):
        with open(self.path(*parts)) as f:
            return f.read()

    # ---- process ----
    def start(self, wait=True):
        """Starts aswg on port 0 (the kernel picks a free one; no race between parallel tests)
        and, with wait, returns once it answers its health check."""
        self.port = None
        self.stdout = open(self.path("stdout.txt"), "ab")
        self.stderr = open(self.path("stderr.txt"), "ab")
        self.log_offset = os.path.getsize(self.path("stderr.txt"))
        wrapper = os.environ.get("ASWG_TEST_WRAPPER", "").split()
        cmd = wrapper + [BINARY, "--port", "0", "--bind", "127.0.0.1"] + self.args
        self.proc = subprocess.Popen(cmd, cwd=self.workdir, env=self.env, stdout=self.stdout,
                                     stderr=self.stderr, stdin=subprocess.DEVNULL, preexec_fn=allow_core_dumps)
        if wait:
            self.wait_healthy()
        return self

    def wait_healthy(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("aswg exited with %s: %s" % (self.proc.returncode, self.log()))
            if self.port is None:
                m = re.search(r"listening on http://[^ ]*:(\d+)", self.log()[self.log_offset:])
                if not m:
                    time.sleep(0.01)
                    continue
                self.port = int(m.group(1))
            try:
                if self.request("GET", "/api/v1/actuator/health").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise AssertionError("aswg did not become healthy: " + self.log())

    def log(self):
        with open(self.path("stderr.txt"), errors="replace") as f:
            return f.read()

    def console(self):
        with open(self.path("stdout.txt"), errors="replace") as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM, timeout=15.0, check=True):
        """Stops aswg with sig and returns its exit code. With check, anything but a clean exit 0
        fails the test: under the sanitizers or valgrind a leak or a memory error turns into a
        non-zero exit code, so every test that stops aswg also checks for those."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("aswg did not stop on %s" % sig)
        code = self.proc.returncode if self.proc else None
        if self.proc:
            self.stdout.close()
            self.stderr.close()
        self.proc = None
        if check and code not in (0, None):
            raise AssertionError("aswg exited with %s:\n%s" % (code, self.log()[-4000:]))
        return code

    def cleanup(self):
        crashed = True
        try:
            self.stop()
            crashed = False
        finally:
            # After a crash the directory (log, database, core file) is kept for a post-mortem.
            if self.owns_dir and not crashed:
                shutil.rmtree(self.workdir, ignore_errors=True)
            elif crashed:
                print("aswg working directory kept: %s" % self.workdir)

    def initial_password(self):
        """The default user's password: configured, or generated on first start."""
        if self.configured_password:
            return self.configured_password
        return self.read("data", "initial-password").strip()

    # ---- HTTP ----
    def request(self, method, path, body=None, token=None, headers=None, raw=None, timeout=10):
        url = "http://127.0.0.1:%d%s" % (self.port, path)
        data = raw
        hdrs = dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        if token:
            hdrs["Authorization"] = "Bearer " + token
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return Response(r.status, r.headers, r.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read().decode("utf-8", "replace"))

    def upload(self, path, files, fields=None, token=None, timeout=60):
        """multipart/form-data POST: files is a list of (filename, bytes) sent as parts "file"."""
        boundary = "----aswgtest" + os.urandom(8).hex()
        parts = []
        for name, value in (fields or {}).items():
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                          % (boundary, name, value)).encode())
        for filename, data in files:
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                          "Content-Type: application/octet-stream\r\n\r\n" % (boundary, filename)).encode()
                         + data + b"\r\n")
        body = b"".join(parts) + ("--%s--\r\n" % boundary).encode()
        return self.request("POST", path, raw=body, token=token, timeout=timeout,
                            headers={"Content-Type": "multipart/form-data; boundary=" + boundary})

    def login(self, username="user", password=None):
        r = self.request("POST", "/api/v1/auth",
                         {"username": username, "password": password or self.initial_password()})
        if r.status != 200:
            raise AssertionError("login failed: %r" % r)
        return r.json["jwt"]


class AswgTestCase(unittest.TestCase):
    """A fresh aswg per test class (started in setUpClass) unless a test starts its own."""

    config = None

    @classmethod
    def setUpClass(cls):
        cls.aswg = Aswg(config=cls.config).start()
        cls.token = cls.aswg.login()

    @classmethod
    def tearDownClass(cls):
        cls.aswg.cleanup()

    def assertError(self, response, status, code):
        self.assertEqual(response.status, status, response)
        body = response.json
        self.assertEqual(body["code"], code, response)
        self.assertEqual(body["status"], status, response)
        self.assertIsInstance(body["message"], str)
        self.assertTrue(response.header("Content-Type").startswith("application/json"))
        return body
