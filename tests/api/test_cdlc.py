"""CDLC API (ASWG-API.md §2): list with fileExists looked up on disk, toggle."""

import os
import unittest

from harness import AswgTestCase

CDLC = "/api/v1/cdlc"


class CdlcTest(AswgTestCase):
    config = {"aswg.server-directory-path": "arma"}

    def cdlcs(self):
        r = self.aswg.request("GET", CDLC, token=self.token)
        self.assertEqual(r.status, 200, r)
        return {c["name"]: c for c in r.json["cdlcs"]}

    def test_seeded_list_and_file_exists_case_insensitive(self):
        c = self.cdlcs()
        self.assertEqual(len(c), 7)
        self.assertEqual(c["Global Mobilization"], {"id": 1, "name": "Global Mobilization", "enabled": False,
                                                    "fileExists": False})
        os.makedirs(self.aswg.path("arma", "GM"))         # on-disk spelling differs from the seed
        os.makedirs(self.aswg.path("arma", "vn"))
        c = self.cdlcs()
        self.assertTrue(c["Global Mobilization"]["fileExists"])
        self.assertTrue(c["S.O.G. Prairie Fire"]["fileExists"])
        self.assertFalse(c["Western Sahara"]["fileExists"])

    def test_toggle(self):
        before = self.cdlcs()["Reaction Forces"]
        r = self.aswg.request("POST", CDLC + "/%d/toggle" % before["id"], {}, token=self.token)
        self.assertEqual((r.status, r.body), (200, ""), r)
        self.assertTrue(self.cdlcs()["Reaction Forces"]["enabled"])
        self.aswg.request("POST", CDLC + "/%d/toggle" % before["id"], token=self.token)
        self.assertFalse(self.cdlcs()["Reaction Forces"]["enabled"])
        self.assertError(self.aswg.request("POST", CDLC + "/99/toggle", {}, token=self.token), 404, "CDLC_NOT_FOUND")
        self.assertError(self.aswg.request("POST", CDLC + "/gm/toggle", {}, token=self.token), 400, "BAD_REQUEST")


if __name__ == "__main__":
    unittest.main(verbosity=2)
