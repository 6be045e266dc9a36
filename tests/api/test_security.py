"""Security matrix: every route of `aswg --routes` (the table the server itself dispatches from)
against every kind of bad credential, so a new route cannot skip its check unnoticed."""

import base64
import hashlib
import hmac
import json
import subprocess
import time
import unittest

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


if __name__ == "__main__":
    unittest.main(verbosity=2)
