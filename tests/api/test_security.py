"""Security matrix: every route of `aswg --routes` (the table the server itself dispatches from)
against every kind of bad credential, so a new route cannot skip its check unnoticed."""

import base64
import hashlib
import hmac
import json
import os
import subprocess
import time
import unittest
import urllib.parse

from harness import BINARY, AswgTestCase


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def concrete(path):
    return path.replace("{id}", "1").replace("{name}", "x").replace("{missionId}", "1")


class SecurityMatrixTest(AswgTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        out = subprocess.run([BINARY, "--routes"], capture_output=True, text=True, check=True).stdout
        cls.routes = json.loads(out)
        a = cls.aswg
        a.request("POST", "/api/v1/users", {"username": "nobody", "password": "nobody-pass", "authorities": []},
                  token=cls.token)
        a.request("POST", "/api/v1/users", {"username": "locked", "password": "locked-pass",
                                            "authorities": [r["authority"] for r in cls.routes if r["authority"]]},
                  token=cls.token)
        cls.nobody = a.login("nobody", "nobody-pass")
        cls.locked = a.login("locked", "locked-pass")
        users = {u["username"]: u for u in a.request("GET", "/api/v1/users", token=cls.token).json}
        a.request("PUT", "/api/v1/users/%d" % users["locked"]["id"], {"locked": True}, token=cls.token)
        cls.revoked = a.login()
        a.request("POST", "/api/v1/auth/logout", token=cls.revoked)
        cls.expired = cls.mint({"sub": "user", "iss": "ASWG", "uid": 1, "iat": int(time.time()) - 7200,
                                "exp": int(time.time()) - 60})

    @classmethod
    def mint(cls, claims):
        with open(cls.aswg.path("data", "jwt-signing.key"), "rb") as f:
            key = f.read()
        head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = b64url(json.dumps(claims).encode())
        sig = b64url(hmac.new(key, (head + "." + body).encode(), hashlib.sha256).digest())
        return head + "." + body + "." + sig

    def call(self, route, token):
        body = {} if route["method"] in ("POST", "PUT", "DELETE") else None
        return self.aswg.request(route["method"], concrete(route["path"]), body, token=token)

    def test_route_table_is_complete(self):
        paths = {(r["method"], r["path"]) for r in self.routes}
        for expected in (("POST", "/api/v1/auth"), ("GET", "/api/v1/users"), ("GET", "/api/v1/actuator/health")):
            self.assertIn(expected, paths)
        for r in self.routes:
            self.assertIn(r["access"], ("public", "authenticated", "authority"))
            self.assertEqual(r["access"] == "authority", bool(r.get("authority")), r)

    def test_minted_token_with_real_key_works(self):
        # the matrix below relies on minting; make sure a fresh minted token is accepted
        fresh = self.mint({"sub": "user", "iss": "ASWG", "uid": 1, "iat": int(time.time()),
                           "exp": int(time.time()) + 600})
        self.assertEqual(self.aswg.request("GET", "/api/v1/auth/myself", token=fresh).status, 200)

    def test_every_protected_route_rejects_bad_credentials(self):
        cases = [(None, 403, "AUTH_TOKEN_MISSING"), ("garbage", 400, "BAD_AUTH_TOKEN"),
                 (self.expired, 401, "AUTH_TOKEN_EXPIRED"), (self.revoked, 400, "BAD_AUTH_TOKEN"),
                 (self.locked, 400, "BAD_AUTH_TOKEN")]
        for route in self.routes:
            if route["access"] == "public":
                continue
            for token, status, code in cases:
                with self.subTest(route=route["method"] + " " + route["path"], code=code):
                    self.assertError(self.call(route, token), status, code)

    def test_authority_routes_deny_users_without_it(self):
        for route in self.routes:
            if route["access"] == "public":
                continue  # (calling logout with this token would revoke it)
            with self.subTest(route=route["method"] + " " + route["path"]):
                r = self.call(route, self.nobody)
                if route["access"] == "authority":
                    self.assertError(r, 403, "ACCESS_DENIED")
                else:
                    self.assertNotIn(r.status, (401, 403), r)

    def test_public_routes_need_no_token(self):
        for route in self.routes:
            if route["access"] == "public":
                with self.subTest(route=route["method"] + " " + route["path"]):
                    self.assertNotIn(self.call(route, None).status, (401, 403, 500))


TRAVERSALS = ["../outside", "../../outside", "..", "/tmp/outside", "a/../../outside", "..%2Foutside",
              "..\\outside", "./../outside", "x/../../../outside", "\u2025/outside"]


class PathTraversalTest(AswgTestCase):
    """Every name a user sends that becomes a path: a sentinel beside the working directories must
    stay untouched and nothing may appear outside them, whatever the answer."""
    config = {"aswg.server-directory-path": "arma", "aswg.mods-directory-path": "mods",
              "aswg.security.rate-limit.requests-per-minute": "0"}

    def snapshot(self, root):
        seen = {}
        for d, dirs, files in os.walk(root):
            if os.path.abspath(d).startswith(os.path.abspath(self.aswg.path("data"))):
                continue                                   # the database changes, of course
            for name in files:
                p = os.path.join(d, name)
                with open(p, "rb") as f:
                    seen[os.path.relpath(p, root)] = hashlib.sha256(f.read()).hexdigest()
        return seen

    def test_no_user_name_reaches_outside(self):
        a, t = self.aswg, self.token
        sentinel = os.path.join(a.workdir, "outside")
        with open(sentinel, "w") as f:
            f.write("sentinel")
        for d in ("arma/mpmissions", "arma/keys", "arma/userconfig", "mods/@real", "profiles"):
            os.makedirs(a.path(d), exist_ok=True)
        # where a name that escaped its directory would land, outside the working directory
        bases = [a.path(d) for d in ("arma/mpmissions", "arma/keys", "arma/userconfig", "mods", "arma", "profiles")]
        escapes = {os.path.normpath(os.path.join(b, n + ext)) for b in bases for n in TRAVERSALS
                   for ext in ("", ".Altis.pbo", ".altis.pbo", ".zip", ".sqf", ".Arma3Profile")}
        escapes = {e for e in escapes if not e.startswith(a.workdir + os.sep) and not os.path.exists(e)}
        inside_before = self.snapshot(a.workdir)
        for name in TRAVERSALS:
            q = urllib.parse.quote(name, safe="")
            calls = [
                a.request("GET", "/api/v1/missions-files/%s/exists" % q, token=t),
                a.request("GET", "/api/v1/mods-files/%s/exists" % q, token=t),
                a.request("GET", "/api/v1/mods-presets/%s/export" % q, token=t),
                a.request("DELETE", "/api/v1/mods-presets/%s" % q, token=t),
                a.request("DELETE", "/api/v1/missions/template", {"template": name}, token=t),
                a.request("POST", "/api/v1/missions/template", {"template": name, "name": "x"}, token=t),
                a.request("POST", "/api/v1/difficulties", {"name": name}, token=t),
                a.request("POST", "/api/v1/mods/settings", {"name": name, "content": "x", "active": False}, token=t),
                a.request("POST", "/api/v1/mods/manage", {"name": name}, token=t),
                a.request("DELETE", "/api/v1/mods", {"name": name}, token=t),
                a.request("DELETE", "/api/v1/mods/not-managed", {"directoryName": name}, token=t),
                a.request("POST", "/api/v1/logging/properties", {"logFile": name}, token=t),
                a.upload("/api/v1/missions-files", [(name + ".Altis.pbo", b"\x00sreV" + b"\x00" * 64)], token=t),
                a.upload("/api/v1/mods-files", [(name + ".zip", b"PK\x05\x06" + b"\x00" * 18)], token=t),
            ]
            for r in calls:
                with self.subTest(name=name, status=r.status, body=r.body[:120]):
                    self.assertLess(r.status, 500)
                    self.assertNotIn("outside", r.json.get("path", "") if isinstance(r.json, dict) else "")
        with open(sentinel) as f:
            self.assertEqual(f.read(), "sentinel")
        log_file = a.request("GET", "/api/v1/logging/properties", token=t).json["logFile"]
        self.assertFalse(log_file.startswith("/") or ".." in log_file.split("/"), log_file)
        self.assertEqual([e for e in escapes if os.path.exists(e)], [])
        after = self.snapshot(a.workdir)
        changed = sorted(k for k in inside_before if after.get(k) != inside_before[k])
        # the logs grow, and "\u2025/outside" is a fine relative logFile name (written to server.cfg)
        self.assertEqual([k for k in changed if not k.endswith((".log", ".txt", "server.cfg"))], [])
        for new in set(after) - set(inside_before):
            # whatever was created stays in the directory it belongs to (names normalised)
            self.assertTrue(new.startswith(("arma" + os.sep, "mods" + os.sep, "logs" + os.sep)), new)


if __name__ == "__main__":
    unittest.main(verbosity=2)
