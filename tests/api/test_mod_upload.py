"""Mod archive uploads (POST /api/v1/mods-files): unpacked safely into the mods directory."""

import io
import os
import stat
import subprocess
import unittest
import zipfile

from harness import AswgTestCase

UPLOAD = "/api/v1/mods-files"


def make_zip(entries, symlinks=()):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
        for name, target in symlinks:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, target)
    return buf.getvalue()


class ModUploadTest(AswgTestCase):
    config = {"aswg.server-directory-path": "arma", "aswg.mods-directory-path": "mods",
              "aswg.mods.max-unpacked-size": "1MB"}

    def setUp(self):
        self.mods = self.aswg.path("arma", "mods")

    def upload(self, files, overwrite=None):
        fields = {"overwrite": overwrite} if overwrite is not None else None
        return self.aswg.upload(UPLOAD, files, fields=fields, token=self.token)

    def folders(self):
        return sorted(os.listdir(self.mods)) if os.path.isdir(self.mods) else []

    def unmanaged(self):
        return {m["directoryName"]: m for m in
                self.aswg.request("GET", "/api/v1/mods", token=self.token).json["notManagedMods"]}

    def test_archives_unpack_into_mod_folders(self):
        cba = make_zip([("@CBA_A3/meta.cpp", 'publishedid = 450814997;\nname = "CBA_A3";\n'),
                        ("@CBA_A3/Addons/CBA_Main.pbo", "x" * 500), ("@CBA_A3/Keys/cba.bikey", "k")])
        r = self.upload([("@CBA_A3.zip", cba)])
        self.assertEqual((r.status, r.body), (200, ""), r)
        self.assertEqual(self.folders(), ["@cba_a3"])
        self.assertTrue(os.path.isfile(os.path.join(self.mods, "@cba_a3", "addons", "cba_main.pbo")))
        self.assertEqual(self.unmanaged()["@cba_a3"]["workshopFileId"], 450814997)
        exists = self.aswg.request("GET", UPLOAD + "/@CBA_A3.zip/exists", token=self.token).json
        self.assertEqual(exists, {"exists": True})
        self.assertEqual(self.aswg.request("GET", UPLOAD + "/other.zip/exists", token=self.token).json,
                         {"exists": False})

        loose = make_zip([("mod.cpp", 'name = "Loose";\n'), ("addons/loose.pbo", "y")])
        self.assertEqual(self.upload([("My Mod.zip", loose)]).status, 200)
        self.assertIn("@my_mod", self.folders())
        self.assertEqual(self.unmanaged()["@my_mod"]["name"], "Loose")

        self.assertError(self.upload([("@CBA_A3.zip", cba)]), 409, "MOD_ALREADY_EXISTS")
        newer = make_zip([("@CBA_A3/meta.cpp", 'publishedid = 450814997;\nname = "CBA_A3 v2";\n'),
                          ("@CBA_A3/addons/cba_new.pbo", "z")])
        self.assertEqual(self.upload([("@CBA_A3.zip", newer)], overwrite="true").status, 200)
        self.assertEqual(sorted(os.listdir(os.path.join(self.mods, "@cba_a3", "addons"))), ["cba_new.pbo"])
        self.assertEqual(self.folders(), ["@cba_a3", "@my_mod"])

    def test_unsafe_or_broken_archives_leave_nothing(self):
        before = self.folders()
        cases = [
            ("slip.zip", make_zip([("ok/addons/a.pbo", "a"), ("../../evil.txt", "evil")]), 400, "BAD_REQUEST"),
            ("abs.zip", make_zip([("/etc/evil.txt", "evil")]), 400, "BAD_REQUEST"),
            ("link.zip", make_zip([("m/addons/a.pbo", "a")], symlinks=[("m/escape", "/etc")]), 400, "BAD_REQUEST"),
            ("junk.zip", os.urandom(3000), 400, "BAD_REQUEST"),
            ("bomb.zip", make_zip([("@bomb/addons/zeros.pbo", b"\0" * (3 << 20))]), 413, "PAYLOAD_TOO_LARGE"),
            ("mod.rar", b"Rar!", 400, "NOT_ALLOWED_FILE_TYPE"),
        ]
        for name, data, status, code in cases:
            with self.subTest(name=name):
                self.assertError(self.upload([(name, data)]), status, code)
                self.assertEqual(self.folders(), before)
        self.assertFalse(os.path.exists(self.aswg.path("evil.txt")))
        self.assertFalse(os.path.exists(self.aswg.path("arma", "evil.txt")))
        # All or nothing: a good archive and a bad one in one request.
        good = make_zip([("@good/addons/g.pbo", "g")])
        r = self.upload([("good.zip", good), ("slip.zip", make_zip([("../x", "x")]))])
        self.assertError(r, 400, "BAD_REQUEST")
        self.assertEqual(self.folders(), before)


class DiskFullTest(AswgTestCase):
    """The mods directory on a 2 MiB tmpfs (needs root): 507 and nothing left, whether the archive
    itself or what it unpacks to does not fit."""
    config = {"aswg.server-directory-path": "arma", "aswg.mods-directory-path": "mods"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mods = cls.aswg.path("arma", "mods")
        os.makedirs(cls.mods, exist_ok=True)
        cls.mounted = os.geteuid() == 0 and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", cls.mods], capture_output=True).returncode == 0

    @classmethod
    def tearDownClass(cls):
        if cls.mounted:
            subprocess.run(["umount", cls.mods])
        super().tearDownClass()

    def test_disk_full_is_507_and_leaves_nothing(self):
        if not self.mounted:
            self.skipTest("cannot mount a tmpfs here (needs root)")
        cases = [("big.zip", make_zip([("@big/addons/x.pbo", os.urandom(3 << 20))])),      # the archive
                 ("zeros.zip", make_zip([("@zeros/addons/z.pbo", b"\0" * (3 << 20))]))]   # what it unpacks to
        for name, data in cases:
            with self.subTest(name=name):
                r = self.aswg.upload(UPLOAD, [(name, data)], token=self.token)
                self.assertError(r, 507, "INSUFFICIENT_STORAGE")
                self.assertEqual(os.listdir(self.mods), [])
        r = self.aswg.upload(UPLOAD, [("small.zip", make_zip([("@small/addons/s.pbo", "s")]))], token=self.token)
        self.assertEqual(r.status, 200, r)


if __name__ == "__main__":
    unittest.main()
