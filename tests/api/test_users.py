"""Users API (ASWG-API.md §5.2) with the DECISIONS.md fixes."""

import time
import unittest

from harness import AswgTestCase


class UsersTest(AswgTestCase):
    def users(self):
        r = self.aswg.request("GET", "/api/v1/users", token=self.token)
        self.assertEqual(r.status, 200, r)
        return {u["username"]: u for u in r.json}

    def create(self, username, password="secret-pass", authorities=("MISSIONS_VIEW",)):
        return self.aswg.request("POST", "/api/v1/users", {"username": username, "password": password,
                                                           "authorities": list(authorities)}, token=self.token)

    def test_list_items_have_every_key_the_front_end_reads(self):
        user = self.users()["user"]
        self.assertEqual(set(user), {"id", "username", "authorities", "createdDate", "locked",
                                     "lastLoginDate", "password", "name"})
        self.assertIsNone(user["password"])
        self.assertEqual(user["name"], "user")
        self.assertFalse(user["locked"])
        self.assertIsNotNone(user["lastLoginDate"])

    def test_create_login_update_and_delete(self):
        r = self.create("alice", "alice-pass", ["MISSIONS_VIEW", "USERS_VIEW"])
        self.assertEqual((r.status, r.body), (200, ""))
        alice = self.users()["alice"]
        self.assertEqual(sorted(alice["authorities"]), ["MISSIONS_VIEW", "USERS_VIEW"])
        self.assertIsNone(alice["lastLoginDate"])
        token = self.aswg.login("alice", "alice-pass")
        self.assertEqual(self.aswg.request("GET", "/api/v1/users", token=token).status, 200)

        # an authority change applies to live tokens at once
        r = self.aswg.request("PUT", "/api/v1/users/%d" % alice["id"],
                              {"username": "alice", "authorities": ["MISSIONS_VIEW"], "locked": False},
                              token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertError(self.aswg.request("GET", "/api/v1/users", token=token), 403, "ACCESS_DENIED")

        # renaming keeps the session and the password
        r = self.aswg.request("PUT", "/api/v1/users/%d" % alice["id"],
                              {"username": "alicia", "authorities": ["USERS_VIEW"], "locked": False},
                              token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.aswg.request("GET", "/api/v1/users", token=token).status, 200)
        self.aswg.login("alicia", "alice-pass")

        time.sleep(1.1)     # token iat has second resolution
        r = self.aswg.request("POST", "/api/v1/users/%d/password-change" % alice["id"],
                              {"password": "new-alice-pass"}, token=self.token)
        self.assertEqual(r.status, 200, r)
        # the session opened with the old password ends with it
        self.assertError(self.aswg.request("GET", "/api/v1/users", token=token), 400, "BAD_AUTH_TOKEN")
        fresh = self.aswg.login("alicia", "new-alice-pass")
        self.assertEqual(self.aswg.request("GET", "/api/v1/users", token=fresh).status, 200)
        self.assertEqual(self.aswg.request("POST", "/api/v1/auth",
                                           {"username": "alicia", "password": "alice-pass"}).status, 400)

        r = self.aswg.request("DELETE", "/api/v1/users/%d" % alice["id"], token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("alicia", self.users())
        self.assertError(self.aswg.request("GET", "/api/v1/auth/myself", token=token), 400, "BAD_AUTH_TOKEN")

    def test_duplicate_username_is_409_and_changes_nothing(self):
        self.assertEqual(self.create("bob").status, 200)
        before = self.users()
        self.assertError(self.create("bob", "other-pass"), 409, "USER_ALREADY_EXISTS")
        self.assertEqual(self.users(), before)
        self.assertEqual(self.create("carol").status, 200)
        carol = self.users()["carol"]
        r = self.aswg.request("PUT", "/api/v1/users/%d" % carol["id"],
                              {"username": "bob", "authorities": [], "locked": False}, token=self.token)
        self.assertError(r, 409, "USER_ALREADY_EXISTS")
        self.assertIn("carol", self.users())

    def test_unknown_authority_is_400_naming_it_and_creates_nothing(self):
        r = self.create("dave", authorities=["MISSIONS_VIEW", "NOT_A_THING"])
        self.assertIn("NOT_A_THING", self.assertError(r, 400, "BAD_REQUEST")["message"])
        self.assertNotIn("dave", self.users())

    def test_bad_input_is_400_naming_the_field(self):
        cases = [
            ({"password": "x1234567"}, "username"),
            ({"username": "eve"}, "password"),
            ({"username": "eve", "password": ""}, "password"),
            ({"username": "eve", "password": "p" * 73}, "password"),
            ({"username": "x" * 37, "password": "secret"}, "username"),
            ({"username": " eve", "password": "secret"}, "username"),
            ({"username": "eve", "password": "secret", "authorities": "USERS_VIEW"}, "authorities"),
            ({"username": "eve", "password": "secret", "authorities": [1]}, "authorities"),
        ]
        for body, field in cases:
            r = self.aswg.request("POST", "/api/v1/users", body, token=self.token)
            self.assertIn(field, self.assertError(r, 400, "BAD_REQUEST")["message"], body)
        self.assertNotIn("eve", self.users())

    def test_unknown_or_bad_id(self):
        self.assertError(self.aswg.request("DELETE", "/api/v1/users/99999", token=self.token), 404, "USER_NOT_FOUND")
        self.assertError(self.aswg.request("PUT", "/api/v1/users/99999",
                                           {"username": "zed", "authorities": [], "locked": False},
                                           token=self.token), 404, "USER_NOT_FOUND")
        self.assertError(self.aswg.request("POST", "/api/v1/users/99999/password-change",
                                           {"password": "whatever"}, token=self.token), 404, "USER_NOT_FOUND")
        for bad in ("abc", "-1", "0", "1.5", "99999999999999999999999"):
            self.assertError(self.aswg.request("DELETE", "/api/v1/users/" + bad, token=self.token),
                             400, "BAD_REQUEST")

    def test_cannot_delete_or_lock_yourself(self):
        me = self.users()["user"]
        self.assertError(self.aswg.request("DELETE", "/api/v1/users/%d" % me["id"], token=self.token),
                         400, "CANNOT_MODIFY_SELF")
        r = self.aswg.request("PUT", "/api/v1/users/%d" % me["id"],
                              {"username": "user", "authorities": me["authorities"], "locked": True},
                              token=self.token)
        self.assertError(r, 400, "CANNOT_MODIFY_SELF")
        self.assertFalse(self.users()["user"]["locked"])
        # nor take away your own right to manage users (the last admin would lock everyone out)
        fewer = [a for a in me["authorities"] if a != "USERS_UPDATE"]
        r = self.aswg.request("PUT", "/api/v1/users/%d" % me["id"], {"authorities": fewer}, token=self.token)
        self.assertIn("USERS_UPDATE", self.assertError(r, 400, "CANNOT_MODIFY_SELF")["message"])
        self.assertIn("USERS_UPDATE", self.users()["user"]["authorities"])
        r = self.aswg.request("PUT", "/api/v1/users/%d" % me["id"], {"authorities": fewer + ["USERS_UPDATE"]},
                              token=self.token)
        self.assertEqual(r.status, 200, r)

    def test_lenient_booleans_as_the_original_front_end_sends_them(self):
        self.assertEqual(self.create("frank").status, 200)
        frank = self.users()["frank"]
        r = self.aswg.request("PUT", "/api/v1/users/%d" % frank["id"],
                              {"username": "frank", "authorities": [], "locked": "true", "extra": 1},
                              token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(self.users()["frank"]["locked"])

    def test_each_route_needs_its_authority(self):
        self.assertEqual(self.create("grace", "grace-pass", ["MISSIONS_VIEW"]).status, 200)
        grace = self.aswg.login("grace", "grace-pass")
        for method, path, body in [("GET", "/api/v1/users", None),
                                   ("POST", "/api/v1/users", {"username": "h", "password": "h"}),
                                   ("PUT", "/api/v1/users/1", {"username": "user"}),
                                   ("DELETE", "/api/v1/users/1", None),
                                   ("POST", "/api/v1/users/1/password-change", {"password": "pwned!"})]:
            self.assertError(self.aswg.request(method, path, body, token=grace), 403, "ACCESS_DENIED")
            self.assertError(self.aswg.request(method, path, body), 403, "AUTH_TOKEN_MISSING")
        self.aswg.login()  # the default user's password was not changed


if __name__ == "__main__":
    unittest.main(verbosity=2)
