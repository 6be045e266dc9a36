"""Login, logout, myself and every token error of ASWG-API.md §5.1 with the DECISIONS.md fixes."""

import base64
import hashlib
import hmac
import json
import os
import stat
import time
import unittest

from harness import Aswg, AswgTestCase


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class LoginTest(AswgTestCase):
    def test_login_returns_token_and_all_authorities_of_default_user(self):
        r = self.aswg.request("POST", "/api/v1/auth",
                              {"username": "user", "password": self.aswg.initial_password()})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["jwt"].count("."), 2)
        self.assertEqual(len(r.json["authorities"]), 42)
        self.assertIn("MISSIONS_DOWNLOAD", r.json["authorities"])

    def test_wrong_password_unknown_user_are_bad_credentials(self):
        for body in ({"username": "user", "password": "wrong"},
                     {"username": "nobody", "password": "whatever"}):
            r = self.aswg.request("POST", "/api/v1/auth", body)
            err = self.assertError(r, 400, "BAD_CREDENTIALS")
            self.assertEqual(err["message"], "Provided credentials are wrong.")

    def test_missing_or_ill_typed_field_is_bad_request_naming_it(self):
        r = self.aswg.request("POST", "/api/v1/auth", {"username": "user"})
        self.assertIn("password", self.assertError(r, 400, "BAD_REQUEST")["message"])
        r = self.aswg.request("POST", "/api/v1/auth", {"username": 5, "password": "x"})
        self.assertIn("username", self.assertError(r, 400, "BAD_REQUEST")["message"])
        r = self.aswg.request("POST", "/api/v1/auth", raw=b"{not json", headers={"Content-Type": "application/json"})
        self.assertIn("JSON", self.assertError(r, 400, "BAD_REQUEST")["message"])
        r = self.aswg.request("POST", "/api/v1/auth", raw=b"[1,2]")
        self.assertError(r, 400, "BAD_REQUEST")
        r = self.aswg.request("POST", "/api/v1/auth")
        self.assertError(r, 400, "BAD_REQUEST")

    def test_stale_token_header_does_not_break_login(self):
        r = self.aswg.request("POST", "/api/v1/auth",
                              {"username": "user", "password": self.aswg.initial_password()},
                              token="garbage")
        self.assertEqual(r.status, 200)

    def test_myself(self):
        r = self.aswg.request("GET", "/api/v1/auth/myself", token=self.token)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["username"], "user")
        self.assertEqual(len(r.json["authorities"]), 42)
        self.assertRegex(r.json["createDate"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")

    def test_token_errors(self):
        self.assertError(self.aswg.request("GET", "/api/v1/auth/myself"), 403, "AUTH_TOKEN_MISSING")
        self.assertError(self.aswg.request("GET", "/api/v1/auth/myself", headers={"Authorization": "Basic abc"}),
                         403, "AUTH_TOKEN_MISSING")
        self.assertError(self.aswg.request("GET", "/api/v1/auth/myself", token="garbage"), 400, "BAD_AUTH_TOKEN")
        tampered = self.token[:-3] + ("AAA" if not self.token.endswith("AAA") else "BBB")
        self.assertError(self.aswg.request("GET", "/api/v1/auth/myself", token=tampered), 400, "BAD_AUTH_TOKEN")

    def test_alg_none_and_foreign_key_tokens_are_rejected(self):
        header, payload, _ = self.token.split(".")
        none_header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        for token in (none_header + "." + payload + ".", none_header + "." + payload + ".x"):
            self.assertError(self.aswg.request("GET", "/api/v1/auth/myself", token=token), 400, "BAD_AUTH_TOKEN")
        forged_sig = b64url(hmac.new(b"k" * 32, (header + "." + payload).encode(), hashlib.sha256).digest())
        forged = header + "." + payload + "." + forged_sig
        self.assertError(self.aswg.request("GET", "/api/v1/auth/myself", token=forged), 400, "BAD_AUTH_TOKEN")

    def test_logout_revokes_token(self):
        token = self.aswg.login()
        self.assertEqual(self.aswg.request("GET", "/api/v1/auth/myself", token=token).status, 200)
        r = self.aswg.request("POST", "/api/v1/auth/logout", token=token)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, "")
        self.assertError(self.aswg.request("GET", "/api/v1/auth/myself", token=token), 400, "BAD_AUTH_TOKEN")
        # other sessions are unaffected; logging out without or with a bad token still answers 200
        self.assertEqual(self.aswg.request("GET", "/api/v1/auth/myself", token=self.token).status, 200)
        self.assertEqual(self.aswg.request("POST", "/api/v1/auth/logout").status, 200)
        self.assertEqual(self.aswg.request("POST", "/api/v1/auth/logout", token="junk").status, 200)

    def test_authority_is_checked(self):
        r = self.aswg.request("POST", "/api/v1/users", {"username": "viewer", "password": "viewer-pass",
                                                        "authorities": ["MISSIONS_VIEW"]}, token=self.token)
        self.assertEqual(r.status, 200, r)
        viewer = self.aswg.login("viewer", "viewer-pass")
        self.assertError(self.aswg.request("GET", "/api/v1/users", token=viewer), 403, "ACCESS_DENIED")
        self.assertEqual(self.aswg.request("GET", "/api/v1/testing", token=viewer).body, "test")

    def test_locked_user_cannot_log_in_and_its_tokens_stop_working(self):
        self.aswg.request("POST", "/api/v1/users", {"username": "locky", "password": "locky-pass",
                                                    "authorities": ["USERS_VIEW"]}, token=self.token)
        token = self.aswg.login("locky", "locky-pass")
        uid = [u["id"] for u in self.aswg.request("GET", "/api/v1/users", token=self.token).json
               if u["username"] == "locky"][0]
        r = self.aswg.request("PUT", "/api/v1/users/%d" % uid,
                              {"username": "locky", "authorities": ["USERS_VIEW"], "locked": True}, token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertError(self.aswg.request("GET", "/api/v1/users", token=token), 400, "BAD_AUTH_TOKEN")
        r = self.aswg.request("POST", "/api/v1/auth", {"username": "locky", "password": "locky-pass"})
        self.assertError(r, 400, "BAD_CREDENTIALS")


class ExpiryTest(AswgTestCase):
    config = {"aswg.security.jwt.expiration-time": "PT1S"}

    def test_expired_token_is_401(self):
        token = self.aswg.login()
        time.sleep(2.1)
        err = self.assertError(self.aswg.request("GET", "/api/v1/auth/myself", token=token), 401, "AUTH_TOKEN_EXPIRED")
        self.assertEqual(err["message"], "Provided auth token has expired!")


class LoginRateLimitTest(AswgTestCase):
    config = {"aswg.security.login-rate-limit.attempts-per-minute": "10",
              "aswg.default-user.password": "rate-limit-pass"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

    def test_too_many_attempts_are_429_with_retry_after(self):
        statuses = [self.aswg.request("POST", "/api/v1/auth", {"username": "user", "password": "bad"}).status
                    for _ in range(12)]
        self.assertIn(429, statuses)
        self.assertTrue(all(s in (400, 429) for s in statuses), statuses)
        r = self.aswg.request("POST", "/api/v1/auth", {"username": "user", "password": "rate-limit-pass"})
        self.assertError(r, 429, "TOO_MANY_REQUESTS")
        self.assertGreaterEqual(int(r.header("Retry-After")), 1)
        # requests other than logins are not affected
        self.assertEqual(self.aswg.request("GET", "/api/v1/auth/myself", token=self.token).status, 200)


class PersistenceTest(unittest.TestCase):
    def test_tokens_survive_restart_and_secrets_are_private(self):
        aswg = Aswg().start()
        try:
            token = aswg.login()
            revoked = aswg.login()
            aswg.request("POST", "/api/v1/auth/logout", token=revoked)
            self.assertEqual(aswg.stop(), 0)
            for name in ("jwt-signing.key", "initial-password"):
                mode = stat.S_IMODE(os.stat(aswg.path("data", name)).st_mode)
                self.assertEqual(mode, 0o600, name)
            self.assertEqual(os.path.getsize(aswg.path("data", "jwt-signing.key")), 32)
            password = aswg.initial_password()
            self.assertIn(password, aswg.console())
            self.assertNotIn(password, aswg.log())
            self.assertNotIn(password, aswg.read("logs", "aswg.log"))
            self.assertNotIn(token, aswg.read("logs", "aswg.log"))
            aswg.start()
            self.assertEqual(aswg.request("GET", "/api/v1/auth/myself", token=token).status, 200)
            self.assertError_(aswg.request("GET", "/api/v1/auth/myself", token=revoked), 400)
            # the generated password is made once: a restart does not print a new one
            self.assertEqual(aswg.initial_password(), password)
            self.assertEqual(aswg.console().count("generated password"), 1)
        finally:
            aswg.cleanup()

    def assertError_(self, r, status):
        self.assertEqual(r.status, status, r)

    def test_configured_default_password_and_reset(self):
        aswg = Aswg(config={"aswg.default-user.password": "first-pass"}).start()
        try:
            aswg.login("user", "first-pass")
            self.assertFalse(os.path.exists(aswg.path("data", "initial-password")))
            aswg.stop()
            aswg.write_config({"aswg.default-user.password": "second-pass"})
            aswg.start()  # no reset: the stored password stays
            aswg.login("user", "first-pass")
            aswg.stop()
            aswg.write_config({"aswg.default-user.password": "second-pass", "aswg.default-user.reset": "true"})
            aswg.start()
            aswg.login("user", "second-pass")
            r = aswg.request("POST", "/api/v1/auth", {"username": "user", "password": "first-pass"})
            self.assertEqual(r.status, 400)
        finally:
            aswg.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
