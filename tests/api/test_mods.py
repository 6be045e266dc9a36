"""Mods on disk (ASWG-API.md §6 /mods*, §4.8 INSTALL_DELETE_MODS): folders with meta.cpp in the
mods directory, registering them, enabling them in order, their keys, the command line."""

import os
import time
import unittest

from harness import AswgTestCase

MODS = "/api/v1/mods"
CBA, ACE = 450814997, 463939057


def write(path, text=""):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def tree_size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


class ModsTest(AswgTestCase):
    config = {"aswg.server-directory-path": "arma", "aswg.mods-directory-path": "mods",
              "aswg.job.mods-scanner.installation.enabled": "true",
              "aswg.job.mods-scanner.deletion.enabled": "true", "aswg.job.mods-scanner.enabled": "false"}

    def setUp(self):
        self.mods = self.aswg.path("arma", "mods")
        self.keys = self.aswg.path("arma", "keys")

    def make_mod(self, folder, meta=None, mod_cpp=None, files=()):
        base = os.path.join(self.mods, folder)
        os.makedirs(base, exist_ok=True)
        if meta is not None:
            write(os.path.join(base, "meta.cpp"), meta)
        if mod_cpp is not None:
            write(os.path.join(base, "mod.cpp"), mod_cpp)
        for name, text in files:
            write(os.path.join(base, name), text)
        return base

    def listing(self):
        r = self.aswg.request("GET", MODS, token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def call(self, method, path, body):
        return self.aswg.request(method, path, body, token=self.token)

    def run_job(self):
        r = self.call("POST", "/api/v1/settings/jobs/INSTALL_DELETE_MODS/run-now", None)
        self.assertEqual(r.status, 200, r)
        for _ in range(200):
            runs = self.call("GET", "/api/v1/settings/jobs/INSTALL_DELETE_MODS/executions?limit=1", None).json
            if runs and runs[0]["status"] != "STARTED":
                return runs[0]
            time.sleep(0.05)
        self.fail("job did not finish")

    def test_1_lifecycle(self):
        self.make_mod("@CBA_A3", 'protocol = 1;\npublishedid = 450814997;\nname = "CBA_A3";\n'
                      'timestamp = 5249945088134227457;\n', files=[("addons/cba_main.pbo", "x" * 1000),
                                                                    ("keys/cba_3.18.bikey", "cba key")])
        self.make_mod("@ACE", 'publishedid = 463939057;\nname = "ace";\n',
                      files=[("Addons/ACE_Common.pbo", "y" * 500), ("Keys/ace_3.bikey", "ace key")])
        self.make_mod("@local", mod_cpp='name = "My Local Mod";\n', files=[("addons/a.pbo", "z")])
        self.make_mod("@broken", meta="publishedid = ;; {{", files=[("addons/b.pbo", "b")])
        os.makedirs(os.path.join(self.mods, "not_a_mod"))
        write(self.aswg.path("arma", "keys", "a3.bikey"), "the game's own key")

        listing = self.listing()
        self.assertEqual((listing["enabledMods"], listing["disabledMods"]), ([], []))
        unmanaged = {m["directoryName"]: m for m in listing["notManagedMods"]}
        self.assertEqual(sorted(unmanaged), ["@ACE", "@CBA_A3", "@broken", "@local"])
        self.assertEqual(unmanaged["@CBA_A3"]["workshopFileId"], CBA)
        self.assertEqual(unmanaged["@CBA_A3"]["sizeBytes"], tree_size(os.path.join(self.mods, "@CBA_A3")))
        self.assertGreater(unmanaged["@CBA_A3"]["sizeBytes"], 1000)
        self.assertEqual(unmanaged["@CBA_A3"]["lastWorkshopUpdateDateTime"][:4], "2023")
        self.assertEqual(unmanaged["@local"]["name"], "My Local Mod")
        self.assertEqual(unmanaged["@broken"]["workshopFileId"], 0)

        self.assertError(self.call("POST", MODS + "/manage", {"name": "@local"}), 400, "MOD_ID_CANNOT_BE_ZERO")
        self.assertError(self.call("POST", MODS + "/manage", {"name": "../arma"}), 404, "MOD_NOT_FOUND")
        self.assertError(self.call("POST", MODS + "/manage", {}), 400, "BAD_REQUEST")
        r = self.call("POST", MODS + "/manage", {"name": "@ACE"})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(os.path.isfile(os.path.join(self.mods, "@ace", "addons", "ace_common.pbo")))
        self.assertFalse(os.path.exists(os.path.join(self.mods, "@ACE")))
        self.assertError(self.call("POST", MODS + "/manage", {"name": "@ace"}), 409, "MOD_ID_ALREADY_REGISTERED")

        run = self.run_job()
        self.assertEqual(run["status"], "SUCCESS", run)
        self.assertIn("1 mod(s) registered: CBA_A3", run["message"])
        listing = self.listing()
        disabled = {m["workshopFileId"]: m for m in listing["disabledMods"]}
        self.assertEqual(sorted(disabled), [CBA, ACE])
        self.assertEqual(disabled[CBA]["directoryName"], "@cba_a3")
        self.assertEqual(disabled[CBA]["status"], "READY")
        self.assertEqual(disabled[CBA]["workshopUrl"],
                         "https://steamcommunity.com/sharedfiles/filedetails/?id=450814997")
        self.assertIsNone(disabled[CBA]["dependenciesIds"])

        before = self.listing()
        self.assertError(self.call("POST", MODS + "/enabled", {"mods": [{"workshopFileId": 1}]}), 404,
                         "MOD_NOT_FOUND")
        self.assertError(self.call("POST", MODS + "/enabled", {"mods": [5]}), 400, "BAD_REQUEST")
        self.assertError(self.call("POST", MODS + "/enabled", {"mods": [{"serverMod": True}]}), 400, "BAD_REQUEST")
        self.assertEqual(self.listing(), before)

        r = self.call("POST", MODS + "/enabled", {"mods": [{"workshopFileId": ACE, "serverMod": False},
                                                           {"workshopFileId": CBA, "serverMod": False}]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual([m["workshopFileId"] for m in self.listing()["enabledMods"]], [ACE, CBA])
        self.assertEqual(sorted(os.listdir(self.keys)), [".aswg-keys", "a3.bikey", "ace_3.bikey", "cba_3.18.bikey"])
        params = self.call("GET", "/api/v1/general/properties", None).json["commandLineParams"]
        self.assertIn("-mod=mods/@ace;mods/@cba_a3", params)
        self.assertNotIn("-serverMod", params)

        r = self.call("POST", MODS + "/enabled", {"mods": [{"workshopFileId": CBA, "serverMod": True}]})
        self.assertEqual(r.status, 200, r)
        params = self.call("GET", "/api/v1/general/properties", None).json["commandLineParams"]
        self.assertIn("-serverMod=mods/@cba_a3", params)
        self.assertNotIn("-mod=", params)
        self.assertEqual(sorted(os.listdir(self.keys)), [".aswg-keys", "a3.bikey"])

        # A managed mod whose folder went away
        os.rename(os.path.join(self.mods, "@ace"), self.aswg.path("ace-elsewhere"))
        status = {m["workshopFileId"]: m["status"] for m in self.listing()["disabledMods"]}
        self.assertEqual(status[ACE], "MISSING_FILES")
        run = self.run_job()
        self.assertIn("1 forgotten: ace", run["message"])

        self.assertError(self.call("DELETE", MODS, {"name": "nope"}), 404, "MOD_NOT_FOUND")
        self.assertEqual(self.call("DELETE", MODS, {"name": "CBA_A3"}).status, 200)
        self.assertFalse(os.path.exists(os.path.join(self.mods, "@cba_a3")))
        self.assertEqual(self.listing()["enabledMods"], [])

        self.assertError(self.call("DELETE", MODS + "/not-managed", {"directoryName": ".."}), 404, "MOD_NOT_FOUND")
        self.assertError(self.call("DELETE", MODS + "/not-managed", {"directoryName": "not_a_mod"}), 404,
                         "MOD_NOT_FOUND")
        self.assertEqual(self.call("DELETE", MODS + "/not-managed", {"directoryName": "@local"}).status, 200)
        self.assertFalse(os.path.exists(os.path.join(self.mods, "@local")))
        self.assertTrue(os.path.isdir(os.path.join(self.mods, "not_a_mod")))
        self.assertTrue(os.path.isfile(self.aswg.path("ace-elsewhere", "addons", "ace_common.pbo")))

    def test_2_symlinked_mod_is_unlinked_not_emptied(self):
        target = self.aswg.path("workshop", "content", "107410", "843577117")
        write(os.path.join(target, "meta.cpp"), 'publishedid = 843577117;\nname = "RHS";\n')
        write(os.path.join(target, "addons", "rhs.pbo"), "r" * 300)
        os.makedirs(self.mods, exist_ok=True)
        os.symlink(target, os.path.join(self.mods, "@rhs"))
        self.assertEqual(self.call("POST", MODS + "/manage", {"name": "@rhs"}).status, 200)
        item = next(m for m in self.listing()["disabledMods"] if m["workshopFileId"] == 843577117)
        self.assertEqual(item["sizeBytes"], 300 + len('publishedid = 843577117;\nname = "RHS";\n'))
        self.assertEqual(self.call("DELETE", MODS, {"name": "RHS"}).status, 200)
        self.assertFalse(os.path.lexists(os.path.join(self.mods, "@rhs")))
        self.assertTrue(os.path.isfile(os.path.join(target, "addons", "rhs.pbo")))


if __name__ == "__main__":
    unittest.main()
