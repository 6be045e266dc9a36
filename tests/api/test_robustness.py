"""No input a client sends yields a 5xx: random JSON bodies, odd path parameters and query
strings against every route of `aswg --routes`, as the administrator (so every handler runs)."""

import json
import random
import subprocess
import unittest

from harness import BINARY, AswgTestCase

FIELDS = ["username", "password", "authorities", "locked", "name", "template", "missionTemplates", "missions",
          "difficulty", "enabled", "parameters", "cron", "id", "value", "overwrite", "requestedStatus",
          "performUpdate", "params", "logFile", "webhookUrl", "fileId", "modName", "modNames", "modParams", "html",
          "directoryName", "workshopFileId", "serverMod", "searchText", "sortingType", "installDependencies",
          "active", "options", "content"]
PATH_VALUES = ["1", "999999", "0", "-1", "abc", "%20", "..", "x" * 300, "MISSIONS_SCANNER", "jwt_cleaner",
               "%C3%A9", "1e3"]


def random_value(rng, depth=0):
    kind = rng.randrange(9 if depth < 2 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 1, 2**63 - 1, -2**63, 3.5, 1e308])
    if kind == 3:
        return rng.choice(["", "true", "false", "REGULAR", "veteran", "* * * * * *", "0 61 * * * *", "a b",
                           'q"uote', "../x", "\u0000", "é" * 40, "x" * 5000, "MISSIONS_VIEW"])
    if kind == 4:
        return "".join(chr(rng.randrange(1, 0x250)) for _ in range(rng.randrange(12)))
    if kind == 5:
        return rng.randrange(-10, 10)
    if kind == 6:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(FIELDS): random_value(rng, depth + 1) for _ in range(rng.randrange(4))}


def random_body(rng):
    choice = rng.randrange(10)
    if choice == 0:
        return b"{not json"
    if choice == 1:
        return json.dumps(random_value(rng)).encode()
    return json.dumps({rng.choice(FIELDS): random_value(rng) for _ in range(rng.randrange(6))}).encode()


class RandomInputTest(AswgTestCase):
    config = {"aswg.server-directory-path": "arma", "aswg.security.rate-limit.requests-per-minute": "0"}

    def test_json_after_a_byte_order_mark_is_read(self):
        body = b"\xef\xbb\xbf" + json.dumps({"username": "user", "password": self.aswg.initial_password()}).encode()
        r = self.aswg.request("POST", "/api/v1/auth", raw=body, headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["jwt"])
        r = self.aswg.request("POST", "/api/v1/auth", raw=b"\xef\xbb", headers={"Content-Type": "application/json"})
        self.assertError(r, 400, "BAD_REQUEST")

    def test_no_route_answers_5xx(self):
        routes = json.loads(subprocess.run([BINARY, "--routes"], capture_output=True, text=True, check=True).stdout)
        rng = random.Random(20261203)
        for route in routes:
            if route["path"] in ("/api/v1/auth/logout", "/api/v1/logging/logs-sse"):
                continue  # would revoke the token the test runs with / an endless stream
            for _ in range(40):
                path = route["path"]
                for param in ("{id}", "{name}", "{missionId}"):
                    value = rng.choice(PATH_VALUES)
                    if route["method"] in ("PUT", "DELETE") and "users" in path and value == "1":
                        value = "999999"  # keep the administrator
                    path = path.replace(param, value)
                if rng.random() < 0.3:
                    path += "?limit=%s&before=%s&lines=%s" % tuple(rng.choice(PATH_VALUES) for _ in range(3))
                body = random_body(rng) if route["method"] in ("POST", "PUT", "DELETE") else None
                r = self.aswg.request(route["method"], path, raw=body, token=self.token,
                                      headers={"Content-Type": "application/json"})
                if r.status == 500 and r.json["code"] in ("SERVER_NOT_INSTALLED", "STEAM_CMD_NOT_INSTALLED"):
                    continue  # documented 500s (ASWG-API.md §5.3): the server has no game / no SteamCMD
                self.assertLess(r.status, 500, "%s %s %r -> %r" % (route["method"], path, body, r))
                if r.status >= 400 and r.body:
                    self.assertEqual(r.json["status"], r.status)
        self.assertEqual(self.aswg.request("GET", "/api/v1/actuator/health").status, 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
