"""Mod settings, CBA settings files (ASWG-API.md §6 /api/v1/mods/settings, §4.8 ModSettingsScanJob with
DECISIONS.md 11, §5.8 -filePatching): rows and their files in <server dir>/userconfig, the active one
always cba_settings.sqf."""

import os
import time
import unittest

from harness import AswgTestCase
from test_server import free_udp_port_pair, install_fake, wait_run

SETTINGS = "/api/v1/mods/settings"
JOBS = "/api/v1/settings/jobs"
CONTENT_MAX = 1024 * 1024


class ModSettingsTestBase(AswgTestCase):
    config = {"aswg.server-directory-path": "arma", "aswg.profiles-directory-path": "profiles",
              "aswg.job.mod-settings-scanner.enabled": "false"}

    def userconfig(self, *parts):
        return self.aswg.path("arma", "userconfig", *parts)

    def files(self):
        """userconfig's entries and their contents (None for directories)."""
        d = self.userconfig()
        if not os.path.isdir(d):
            return {}
        found = {}
        for name in os.listdir(d):
            path = os.path.join(d, name)
            if os.path.isdir(path):
                found[name] = None
            else:
                with open(path, "rb") as f:
                    found[name] = f.read().decode()
        return found

    def write(self, name, text):
        os.makedirs(self.userconfig(), exist_ok=True)
        with open(self.userconfig(name), "wb") as f:
            f.write(text.encode())

    def rows(self):
        r = self.aswg.request("GET", SETTINGS, token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def row(self, name):
        return next((s for s in self.rows() if s["name"] == name), None)

    def content(self, sid):
        r = self.aswg.request("GET", "%s/%d/content" % (SETTINGS, sid), token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json), {"content"})
        return r.json["content"]

    def post(self, body, token=None):
        return self.aswg.request("POST", SETTINGS, body, token=token or self.token)

    def put(self, sid, body):
        return self.aswg.request("PUT", "%s/%d" % (SETTINGS, sid), body, token=self.token)

    def delete(self, sid):
        return self.aswg.request("DELETE", "%s/%d" % (SETTINGS, sid), token=self.token)

    def saved(self, r, name, active):
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["name"], r.json["active"]), (name, active))
        self.assertEqual(set(r.json), {"id", "name", "active"})
        return r.json["id"]

    def delete_all(self):
        for s in self.rows():
            self.assertEqual(self.delete(s["id"]).status, 200)


class ModSettingsApiTest(ModSettingsTestBase):
    def tearDown(self):
        self.delete_all()

    def test_crud_round_trip_and_activation_renames(self):
        self.assertEqual(self.rows(), [])
        ace_text = 'force ace_medical_level = 2;\r\n// "quoted", ümlaut\r\n'
        ace = self.saved(self.post({"name": "ace", "active": False, "content": ace_text}), "ace", False)
        self.assertEqual(self.files(), {"ace.sqf": ace_text})
        r = self.aswg.request("GET", "%s/%d" % (SETTINGS, ace), token=self.token)
        self.assertEqual((r.status, r.json), (200, {"id": ace, "name": "ace", "active": False}))
        self.assertEqual(self.content(ace), ace_text)

        main = self.saved(self.post({"name": "Main", "active": True, "content": "main = 1;\n"}), "Main", True)
        self.assertEqual(self.files(), {"ace.sqf": ace_text, "cba_settings.sqf": "main = 1;\n"})

        # activating ace: Main's file goes back to its own (normalised) name
        self.saved(self.put(ace, {"active": True}), "ace", True)
        self.assertEqual(self.files(), {"cba_settings.sqf": ace_text, "main.sqf": "main = 1;\n"})
        self.assertEqual([(s["name"], s["active"]) for s in self.rows()], [("ace", True), ("Main", False)])
        self.assertEqual(self.content(main), "main = 1;\n")

        # new name and content for the active one: still cba_settings.sqf
        self.saved(self.put(ace, {"name": "ACE3", "content": "b = 2;\n"}), "ACE3", True)
        self.assertEqual(self.files(), {"cba_settings.sqf": "b = 2;\n", "main.sqf": "main = 1;\n"})
        # deactivated: its own name, lower-cased
        self.saved(self.put(ace, {"active": "false"}), "ACE3", False)
        self.assertEqual(self.files(), {"ace3.sqf": "b = 2;\n", "main.sqf": "main = 1;\n"})
        # an inactive one renamed
        self.saved(self.put(main, {"name": "Renamed", "active": False}), "Renamed", False)
        self.assertEqual(self.files(), {"ace3.sqf": "b = 2;\n", "renamed.sqf": "main = 1;\n"})
        self.assertEqual(self.content(main), "main = 1;\n")

        self.assertEqual((self.delete(ace).status, self.delete(ace).status), (200, 404))
        self.assertEqual(self.files(), {"renamed.sqf": "main = 1;\n"})
        self.assertError(self.aswg.request("GET", "%s/%d" % (SETTINGS, ace), token=self.token), 404,
                         "MOD_SETTINGS_NOT_FOUND")
        self.assertEqual([s["name"] for s in self.rows()], ["Renamed"])

    def test_only_one_is_active(self):
        ids = [self.saved(self.post({"name": n, "active": True, "content": n}), n, True) for n in ("a", "b", "c")]
        self.assertEqual([(s["name"], s["active"]) for s in self.rows()], [("a", False), ("b", False), ("c", True)])
        self.assertEqual(self.files(), {"a.sqf": "a", "b.sqf": "b", "cba_settings.sqf": "c"})
        self.saved(self.put(ids[0], {"active": True}), "a", True)
        self.assertEqual([s["name"] for s in self.rows() if s["active"]], ["a"])
        self.assertEqual(self.files(), {"cba_settings.sqf": "a", "b.sqf": "b", "c.sqf": "c"})
        # deleting the active one removes cba_settings.sqf
        self.assertEqual(self.delete(ids[0]).status, 200)
        self.assertEqual(self.files(), {"b.sqf": "b", "c.sqf": "c"})
        self.assertEqual([s["name"] for s in self.rows() if s["active"]], [])

    def test_new_row_without_content_gets_an_empty_file(self):
        sid = self.saved(self.post({"name": "empty"}), "empty", False)
        self.assertEqual(self.files(), {"empty.sqf": ""})
        self.assertEqual(self.content(sid), "")
        # a file that went missing reads as empty, and a PUT without content keeps whatever is there
        os.remove(self.userconfig("empty.sqf"))
        self.assertEqual(self.content(sid), "")
        self.saved(self.put(sid, {"active": False}), "empty", False)
        self.assertEqual(self.files(), {})

    def test_unknown_ids_are_404(self):
        for method, suffix in (("GET", ""), ("GET", "/content"), ("PUT", ""), ("DELETE", "")):
            r = self.aswg.request(method, "%s/999999%s" % (SETTINGS, suffix), {} if method == "PUT" else None,
                                  token=self.token)
            self.assertError(r, 404, "MOD_SETTINGS_NOT_FOUND")
        for bad in ("abc", "0", "-1"):
            self.assertError(self.aswg.request("GET", SETTINGS + "/" + bad, token=self.token), 400, "BAD_REQUEST")

    def tree(self):
        found = set()
        for root, dirs, files in os.walk(self.aswg.workdir):
            rel = os.path.relpath(root, self.aswg.workdir)
            if rel.split(os.sep)[0] not in ("data", "logs"):
                found |= {os.path.join(rel, n) for n in dirs + files}
        return found - {"stdout.txt", "stderr.txt"}

    def test_bad_input_is_400_and_writes_nothing(self):
        sid = self.saved(self.post({"name": "keep", "content": "k"}), "keep", False)
        before = self.tree()
        for name in ("../x", "a/b", "", "x" * 300, "a b", "a.b", "cba_settings", "CBA_Settings", "a\\b", "a:b",
                     "a*b", "a?b", 'a"b', "a<b", "a>b", "a|b", "tab\there", ".."):
            for r in (self.post({"name": name, "content": "x"}), self.put(sid, {"name": name})):
                body = self.assertError(r, 400, "BAD_REQUEST")
                self.assertIn("name", body["message"])
        for body, field in (({"name": "ok", "content": 5}, "content"), ({"name": "ok", "active": "maybe"}, "active"),
                            ({"content": "x"}, "name"), ({"name": ["a"]}, "name")):
            self.assertIn(field, self.assertError(self.post(body), 400, "BAD_REQUEST")["message"])
        self.assertEqual(self.tree(), before)
        self.assertEqual(self.files(), {"keep.sqf": "k"})
        self.assertEqual([s["name"] for s in self.rows()], ["keep"])

    def test_content_size_cap(self):
        big = "x" * (CONTENT_MAX - 200)
        sid = self.saved(self.post({"name": "big", "content": big}), "big", False)
        self.assertEqual(self.content(sid), big)
        self.assertError(self.put(sid, {"content": "y" * (CONTENT_MAX + 1)}), 413, "PAYLOAD_TOO_LARGE")
        self.assertError(self.post({"name": "bigger", "content": "y" * (CONTENT_MAX + 1)}), 413, "PAYLOAD_TOO_LARGE")
        self.assertEqual(self.files(), {"big.sqf": big})
        # a file made larger by hand is not sent
        self.write("big.sqf", "z" * (CONTENT_MAX + 1))
        r = self.aswg.request("GET", "%s/%d/content" % (SETTINGS, sid), token=self.token)
        self.assertError(r, 413, "PAYLOAD_TOO_LARGE")

    def test_duplicates_and_files_in_the_way_are_409(self):
        ace = self.saved(self.post({"name": "ace", "content": "a"}), "ace", False)
        self.assertError(self.post({"name": "ace"}), 409, "MOD_SETTINGS_ALREADY_EXISTS")
        self.assertError(self.post({"name": "ACE"}), 409, "MOD_SETTINGS_ALREADY_EXISTS")  # same file
        other = self.saved(self.post({"name": "other", "content": "o"}), "other", False)
        self.assertError(self.put(other, {"name": "Ace"}), 409, "MOD_SETTINGS_ALREADY_EXISTS")
        # files nobody imported yet are never overwritten
        self.write("handmade.sqf", "mine")
        self.assertError(self.post({"name": "handmade", "content": "x"}), 409, "MOD_SETTINGS_ALREADY_EXISTS")
        self.assertError(self.put(other, {"name": "HandMade"}), 409, "MOD_SETTINGS_ALREADY_EXISTS")
        self.write("cba_settings.sqf", "unmanaged active settings")
        self.assertError(self.post({"name": "new", "active": True, "content": "x"}), 409,
                         "MOD_SETTINGS_ALREADY_EXISTS")
        self.assertError(self.put(ace, {"active": True}), 409, "MOD_SETTINGS_ALREADY_EXISTS")
        self.assertEqual(self.files(), {"ace.sqf": "a", "other.sqf": "o", "handmade.sqf": "mine",
                                        "cba_settings.sqf": "unmanaged active settings"})
        self.assertEqual([(s["name"], s["active"]) for s in self.rows()], [("ace", False), ("other", False)])
        os.remove(self.userconfig("handmade.sqf"))
        os.remove(self.userconfig("cba_settings.sqf"))

    def test_activation_cut_short_loses_no_file(self):
        """The state a crash between the two renames of an activation leaves: the active row's file still
        under its own name. It is found there, and the next change puts it in place."""
        sid = self.saved(self.post({"name": "x", "active": True, "content": "x = 1;"}), "x", True)
        os.rename(self.userconfig("cba_settings.sqf"), self.userconfig("x.sqf"))
        self.assertEqual(self.content(sid), "x = 1;")
        self.saved(self.put(sid, {"content": "x = 2;"}), "x", True)
        self.assertEqual(self.files(), {"cba_settings.sqf": "x = 2;"})

    def test_each_route_needs_its_authority(self):
        sid = self.saved(self.post({"name": "kept", "content": "k"}), "kept", False)
        r = self.aswg.request("POST", "/api/v1/users", {"username": "viewer", "password": "secret-pass",
                                                         "authorities": ["MOD_SETTINGS_VIEW"]}, token=self.token)
        self.assertEqual(r.status, 200, r)
        viewer = self.aswg.login("viewer", "secret-pass")
        for path in (SETTINGS, "%s/%d" % (SETTINGS, sid), "%s/%d/content" % (SETTINGS, sid)):
            self.assertEqual(self.aswg.request("GET", path, token=viewer).status, 200, path)
        for method, path, body in (("POST", SETTINGS, {"name": "x"}), ("PUT", "%s/%d" % (SETTINGS, sid), {}),
                                   ("DELETE", "%s/%d" % (SETTINGS, sid), None)):
            self.assertError(self.aswg.request(method, path, body, token=viewer), 403, "ACCESS_DENIED")
        self.assertEqual(self.files(), {"kept.sqf": "k"})


class ModSettingsScanTest(ModSettingsTestBase):
    def run_scan(self):
        count = len(self.executions())
        r = self.aswg.request("POST", JOBS + "/MOD_SETTINGS_SCAN/run-now", {}, token=self.token)
        self.assertEqual((r.status, r.body), (200, ""), r)
        deadline = time.time() + 10
        while time.time() < deadline:
            runs = self.executions()
            if len(runs) > count and runs[0]["status"] != "STARTED":
                self.assertEqual(runs[0]["status"], "SUCCESS", runs[0])
                return runs[0]["message"]
            time.sleep(0.05)
        self.fail("MOD_SETTINGS_SCAN did not finish")

    def executions(self):
        r = self.aswg.request("GET", JOBS + "/MOD_SETTINGS_SCAN/executions", token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def test_scan_imports_settings_files(self):
        self.assertRegex(self.run_scan(), r"^nothing to do: .*arma/userconfig does not exist$")
        self.saved(self.post({"name": "known", "content": "k"}), "known", False)  # creates userconfig
        files = {"cba_settings.sqf": "cba", "Foo.SQF": "foo", "noext": "dotless", "notes.txt": "not settings",
                 "a.b.sqf": "dotted", ".hidden.sqf": "hidden", "known.sqf": "k"}
        for name, text in files.items():
            self.write(name, text)
        os.makedirs(self.userconfig("folder.sqf"))
        message = self.run_scan()
        self.assertTrue(message.startswith("3 settings files imported: foo, default (active), noext; 1 skipped: "
                                           "a.b.sqf (the name must not contain"), message)
        self.assertEqual([(s["name"], s["active"]) for s in self.rows()],
                         [("known", False), ("foo", False), ("default", True), ("noext", False)])
        # files spelt otherwise now carry their row's file name; the rest is as it was
        self.assertEqual(self.files(), {"cba_settings.sqf": "cba", "foo.sqf": "foo", "noext.sqf": "dotless",
                                        "notes.txt": "not settings", "a.b.sqf": "dotted", ".hidden.sqf": "hidden",
                                        "known.sqf": "k", "folder.sqf": None})
        self.assertEqual(self.content(self.row("foo")["id"]), "foo")
        self.assertEqual(self.content(self.row("default")["id"]), "cba")

        again = self.run_scan()
        self.assertTrue(again.startswith("nothing to do: no new settings files in "), again)
        self.assertIn("1 skipped: a.b.sqf", again)
        self.assertEqual(len(self.rows()), 4)


class ModSettingsArgvTest(ModSettingsTestBase):
    @classmethod
    def setUpClass(cls):
        cls.config = dict(ModSettingsTestBase.config, **{"aswg.server-port": str(free_udp_port_pair())})
        super().setUpClass()
        cls.server_dir = cls.aswg.path("arma")
        install_fake(cls.server_dir, conf={"a2s": False})

    def start_and_stop(self, run_number):
        r = self.aswg.request("POST", "/api/v1/status/toggle", {"requestedStatus": "ONLINE"}, token=self.token)
        self.assertEqual(r.status, 200, r)
        run = wait_run(self.server_dir, run_number)
        r = self.aswg.request("POST", "/api/v1/status/toggle", {"requestedStatus": "OFFLINE"}, token=self.token)
        self.assertEqual(r.status, 200, r)
        return run["argv"]

    def test_file_patching_while_settings_are_active(self):
        self.assertNotIn("-filePatching", self.start_and_stop(1))
        sid = self.saved(self.post({"name": "inactive", "content": "x"}), "inactive", False)
        self.assertNotIn("-filePatching", self.start_and_stop(2))
        self.saved(self.put(sid, {"active": True}), "inactive", True)
        argv = self.start_and_stop(3)
        self.assertEqual(argv[1], "-filePatching")   # right after the executable
        self.assertEqual(argv.count("-filePatching"), 1)
        self.assertIn("-name=Player", argv)
        self.saved(self.put(sid, {"active": False}), "inactive", False)
        self.assertNotIn("-filePatching", self.start_and_stop(4))
        self.delete_all()


if __name__ == "__main__":
    unittest.main(verbosity=2)
