"""Missions API (ASWG-API.md §1 with DECISIONS.md): uploads, rotation, server.cfg, downloads."""

import os
import socket
import subprocess
import time
import unittest

from harness import Aswg, AswgTestCase
from pbo import build_pbo, mission_pbo

MISSIONS = "/api/v1/missions"
FILES = "/api/v1/missions-files"


class MissionsTestCase(AswgTestCase):
    config = {"aswg.server-directory-path": "arma"}

    def mpmissions(self, *name):
        return self.aswg.path("arma", "mpmissions", *name)

    def dir_listing(self):
        d = self.mpmissions()
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def missions(self):
        r = self.aswg.request("GET", MISSIONS, token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def all_missions(self):
        j = self.missions()
        return {m["template"]: m for m in j["enabledMissions"] + j["disabledMissions"]}

    def server_cfg(self):
        with open(self.aswg.path("arma", "server.cfg")) as f:
            return f.read()

    def upload(self, files, **fields):
        return self.aswg.upload(FILES, files, fields, token=self.token)


class UploadTest(MissionsTestCase):
    def test_upload_normalises_name_and_reads_metadata(self):
        data = mission_pbo()
        r = self.upload([("My Mission.Altis.PBO", data)])
        self.assertEqual((r.status, r.body), (200, ""), r)
        self.assertIn("my_mission.altis.pbo", self.dir_listing())
        m = self.all_missions()["my_mission.altis"]
        self.assertEqual((m["sizeBytes"], m["difficulty"], m["enabled"], m["source"]),
                         (len(data), "REGULAR", False, "FILE"))
        self.assertEqual((m["worldName"], m["briefingName"], m["onLoadName"]), ("altis", "Operation Test", "Test Op"))
        param = m["availableParameters"][0]
        self.assertEqual((param["name"], param["title"], param["values"], param["default"]),
                         ("Daytime", "Time of day", [6, 12, 18], 12))
        self.assertEqual(m["parameters"], [])
        r = self.aswg.request("GET", FILES + "/My%20Mission.Altis.PBO/exists", token=self.token)
        self.assertEqual(r.json, {"exists": True})
        r = self.aswg.request("GET", FILES + "/other.pbo/exists", token=self.token)
        self.assertEqual(r.json, {"exists": False})

    def test_existing_file_is_409_unless_overwrite(self):
        self.assertEqual(self.upload([("dup.Stratis.pbo", mission_pbo())]).status, 200)
        self.assertError(self.upload([("dup.Stratis.pbo", mission_pbo(b"v2"))]), 409, "MISSION_ALREADY_EXISTS")
        bigger = mission_pbo(b"version two, longer")
        r = self.upload([("dup.Stratis.pbo", bigger)], overwrite="true")
        self.assertEqual(r.status, 200, r)
        with open(self.mpmissions("dup.stratis.pbo"), "rb") as f:
            self.assertEqual(f.read(), bigger)
        rows = [m for m in self.all_missions().values() if m["template"] == "dup.stratis"]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["sizeBytes"], len(bigger))

    def test_several_files_in_one_request(self):
        r = self.upload([("multi_a.VR.pbo", mission_pbo()), ("multi_b.VR.pbo", mission_pbo())])
        self.assertEqual(r.status, 200, r)
        self.assertTrue({"multi_a.vr", "multi_b.vr"} <= set(self.all_missions()))

    def test_rejected_uploads_leave_nothing(self):
        before_rows, before_files = self.all_missions(), self.dir_listing()
        self.assertError(self.upload([("notes.txt", b"hello")]), 400, "NOT_ALLOWED_FILE_TYPE")
        self.assertError(self.upload([("fake.Altis.pbo", b"this is not a pbo at all")]), 400, "NOT_A_PBO")
        self.assertError(self.upload([("empty.Altis.pbo", b"")]), 400, "NOT_A_PBO")
        truncated = mission_pbo()[:40]
        self.assertError(self.upload([("cut.Altis.pbo", truncated)]), 400, "NOT_A_PBO")
        # all or nothing: a good file next to a bad one is not kept either
        self.assertError(self.upload([("good.Altis.pbo", mission_pbo()), ("bad.Altis.pbo", b"junk")]),
                         400, "NOT_A_PBO")
        self.assertError(self.upload([("good.Altis.pbo", mission_pbo()), ("bad.txt", b"junk")]),
                         400, "NOT_ALLOWED_FILE_TYPE")
        self.assertError(self.upload([]), 400, "BAD_REQUEST")
        r = self.aswg.request("POST", FILES, raw=b"{}", token=self.token, headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 415, r)
        self.assertEqual(self.all_missions(), before_rows)
        self.assertEqual(self.dir_listing(), before_files)

    def test_traversal_names_stay_inside_mpmissions(self):
        for name in ("../../evil.Altis.pbo", "..\\..\\evil2.Altis.pbo", "/etc/evil3.Altis.pbo"):
            r = self.upload([(name, mission_pbo())])
            self.assertIn(r.status, (200, 400), r)
        self.assertFalse(os.path.exists(self.aswg.path("evil.Altis.pbo")))
        self.assertFalse(os.path.exists(self.aswg.path("arma", "evil.altis.pbo")))
        for f in self.dir_listing():
            self.assertNotIn("/", f)
        self.assertError(self.upload([("...pbo", mission_pbo())]), 400, "BAD_REQUEST")
        self.assertError(self.upload([(".upload-x.pbo", mission_pbo())]), 400, "BAD_REQUEST")
        r = self.aswg.request("GET", FILES + "/../exists", token=self.token)
        self.assertIn(r.status, (400, 404))

    def test_aborted_upload_leaves_no_file(self):
        data = mission_pbo() * 1
        s = socket.create_connection(("127.0.0.1", self.aswg.port), timeout=10)
        boundary = "abort"
        head = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"aborted.Altis.pbo\"\r\n\r\n" % boundary).encode()
        total = len(head) + 5_000_000
        s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   "Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n"
                   % (FILES, self.token, boundary, total)).encode() + head + data + b"x" * 100_000)
        time.sleep(0.3)
        self.assertTrue(any(f.startswith(".upload-") for f in self.dir_listing()), "upload should be in progress")
        s.close()
        deadline = time.time() + 5
        while time.time() < deadline and any(f.startswith(".upload-") for f in self.dir_listing()):
            time.sleep(0.05)
        self.assertFalse(any(f.startswith(".upload-") for f in self.dir_listing()))
        self.assertNotIn("aborted.altis.pbo", self.dir_listing())
        self.assertNotIn("aborted.altis", self.all_missions())

    def test_download(self):
        data = mission_pbo(b"download me")
        self.assertEqual(self.upload([("dl.Malden.pbo", data)]).status, 200)
        m = self.all_missions()["dl.malden"]
        r = self.aswg.request("GET", FILES + "/%d/download" % m["id"], token=self.token)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body.encode("latin-1", "replace")[:4], data[:4])
        self.assertEqual(int(r.header("Content-Length")), len(data))
        self.assertEqual(r.header("Content-Disposition"), 'attachment; filename="dl.malden.pbo"')
        self.assertError(self.aswg.request("GET", FILES + "/999999/download", token=self.token), 404, "MISSION_NOT_FOUND")
        self.assertError(self.aswg.request("GET", FILES + "/abc/download", token=self.token), 400, "BAD_REQUEST")
        vanilla = self.all_missions()["MP_COOP_m01.Stratis"]
        self.assertError(self.aswg.request("GET", FILES + "/%d/download" % vanilla["id"], token=self.token),
                         404, "MISSION_NOT_FOUND")


class SizeLimitTest(MissionsTestCase):
    config = {"aswg.server-directory-path": "arma", "aswg.missions.max-upload-size": "100KB"}

    def test_over_the_cap_is_413_and_leaves_nothing(self):
        big = build_pbo([("mission.sqm", b"x" * 200_000)])
        self.assertError(self.upload([("big.Altis.pbo", big)]), 413, "PAYLOAD_TOO_LARGE")
        self.assertEqual([f for f in self.dir_listing() if "big" in f or f.startswith(".upload")], [])
        self.assertNotIn("big.altis", self.all_missions())
        self.assertEqual(self.upload([("small.Altis.pbo", mission_pbo())]).status, 200)


class DiskFullTest(MissionsTestCase):
    """A small tmpfs as mpmissions (needs root to mount; skipped otherwise)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mounted = False
        target = cls.aswg.path("arma", "mpmissions")
        os.makedirs(target, exist_ok=True)
        if os.geteuid() == 0:
            cls.mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", target],
                                         capture_output=True).returncode == 0

    @classmethod
    def tearDownClass(cls):
        if cls.mounted:
            subprocess.run(["umount", cls.aswg.path("arma", "mpmissions")])
        super().tearDownClass()

    def test_disk_full_is_507_and_leaves_nothing(self):
        if not self.mounted:
            self.skipTest("cannot mount a tmpfs here (needs root)")
        big = build_pbo([("mission.sqm", os.urandom(3 * 1024 * 1024))])
        self.assertError(self.upload([("huge.Altis.pbo", big)]), 507, "INSUFFICIENT_STORAGE")
        self.assertEqual(self.dir_listing(), [])
        self.assertNotIn("huge.altis", self.all_missions())
        self.assertEqual(self.upload([("fits.Altis.pbo", mission_pbo())]).status, 200)


class RotationTest(MissionsTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        os.makedirs(cls.aswg.path("arma"), exist_ok=True)
        with open(cls.aswg.path("arma", "server.cfg"), "w") as f:
            f.write('// my server\nhostname = "My ""Best"" Server";\n#include "extra.cfg"\n'
                    'motd[] = {"Welcome", "https://example.com/rules"};\n'
                    'class AdvancedOptions { LogObjectNotFound = false; };\nunknownKey = 7;\n')
        for name in ("alpha.Altis.pbo", "bravo.Stratis.pbo", "charlie.Tanoa.pbo"):
            cls.aswg.upload(FILES, [(name, mission_pbo())], token=cls.token)

    def enable(self, templates):
        return self.aswg.request("POST", MISSIONS + "/enabled", {"missionTemplates": templates}, token=self.token)

    def test_order_of_the_request_is_the_rotation(self):
        self.assertEqual(self.enable(["charlie.tanoa", "alpha.altis", "MP_COOP_m01.Stratis"]).status, 200)
        enabled = [m["template"] for m in self.missions()["enabledMissions"]]
        self.assertEqual(enabled, ["charlie.tanoa", "alpha.altis", "MP_COOP_m01.Stratis"])
        cfg = self.server_cfg()
        positions = [cfg.index('template = "%s";' % t) for t in enabled]
        self.assertEqual(positions, sorted(positions))
        self.assertIn("class charlie_tanoa", cfg)
        self.assertIn('difficulty = "regular";', cfg)
        # everything the admin wrote is still there
        for kept in ('// my server', 'hostname = "My ""Best"" Server";', '#include "extra.cfg"',
                     'https://example.com/rules', 'class AdvancedOptions { LogObjectNotFound = false; };',
                     'unknownKey = 7;'):
            self.assertIn(kept, cfg)
        self.assertEqual(self.enable(["alpha.altis", "charlie.tanoa"]).status, 200)
        cfg = self.server_cfg()
        self.assertLess(cfg.index('"alpha.altis"'), cfg.index('"charlie.tanoa"'))
        self.assertNotIn("MP_COOP_m01.Stratis", cfg)

    def test_empty_list_clears_the_rotation(self):
        self.enable(["bravo.stratis"])
        self.assertIn("bravo.stratis", self.server_cfg())
        self.assertEqual(self.enable([]).status, 200)
        self.assertEqual(self.missions()["enabledMissions"], [])
        self.assertNotIn("template", self.server_cfg())
        self.assertIn("class Missions", self.server_cfg())

    def test_unknown_template_is_skipped(self):
        # ASWG ignores templates it does not know: a page opened before the scanner removed a
        # mission still saves the rest of the rotation.
        self.assertEqual(self.enable(["nope.Altis", "charlie.tanoa", "bravo.stratis"]).status, 200)
        self.assertEqual([m["template"] for m in self.missions()["enabledMissions"]], ["charlie.tanoa", "bravo.stratis"])
        cfg = self.server_cfg()
        self.assertNotIn("nope", cfg)
        self.assertLess(cfg.index('"charlie.tanoa"'), cfg.index('"bravo.stratis"'))

    def test_repeated_or_ill_typed_template_changes_nothing(self):
        self.enable(["alpha.altis"])
        before = self.server_cfg()
        self.assertError(self.enable(["alpha.altis", "alpha.altis"]), 400, "BAD_REQUEST")
        self.assertError(self.aswg.request("POST", MISSIONS + "/enabled", {"missionTemplates": [1]},
                                           token=self.token), 400, "BAD_REQUEST")
        self.assertError(self.aswg.request("POST", MISSIONS + "/enabled", {}, token=self.token), 400, "BAD_REQUEST")
        self.assertEqual(self.server_cfg(), before)
        self.assertEqual([m["template"] for m in self.missions()["enabledMissions"]], ["alpha.altis"])

    def test_missions_body_sets_difficulty_and_parameters(self):
        body = {"missions": [
            {"template": "bravo.stratis", "difficulty": "veteran",
             "parameters": [{"name": "Daytime", "value": "18"}, {"name": "Weather", "value": "rain"}]},
            {"template": "alpha.altis", "difficulty": "Custom"},
            {"template": "charlie.tanoa", "enabled": False}]}
        r = self.aswg.request("POST", MISSIONS + "/enabled", body, token=self.token)
        self.assertEqual(r.status, 200, r)
        enabled = self.missions()["enabledMissions"]
        self.assertEqual([m["template"] for m in enabled], ["bravo.stratis", "alpha.altis"])
        self.assertEqual((enabled[0]["difficulty"], enabled[1]["difficulty"]), ("VETERAN", "CUSTOM"))
        cfg = self.server_cfg()
        self.assertIn('difficulty = "veteran";', cfg)
        self.assertIn("Daytime = 18;", cfg)
        self.assertIn('Weather = "rain";', cfg)
        bad = {"missions": [{"template": "bravo.stratis", "difficulty": "impossible"}]}
        self.assertError(self.aswg.request("POST", MISSIONS + "/enabled", bad, token=self.token), 400, "BAD_REQUEST")
        self.assertEqual(self.server_cfg(), cfg)

    def test_put_updates_row_of_the_path_id(self):
        m = self.all_missions()["charlie.tanoa"]
        body = dict(m, id=123456, name="Charlie Op", difficulty="recruit", enabled="true",
                    parameters=[{"name": "Daytime", "value": "6"}])
        r = self.aswg.request("PUT", MISSIONS + "/id/%d" % m["id"], body, token=self.token)
        self.assertEqual(r.status, 200, r)
        after = self.all_missions()["charlie.tanoa"]
        self.assertEqual((after["id"], after["name"], after["difficulty"], after["enabled"]),
                         (m["id"], "Charlie Op", "RECRUIT", True))
        self.assertEqual(after["parameters"], [{"name": "Daytime", "value": "6"}])
        cfg = self.server_cfg()
        self.assertIn('difficulty = "recruit";', cfg)
        self.assertIn("Daytime = 6;", cfg)

    def test_parameters_without_a_name_are_dropped_and_quoted_strings_kept(self):
        m = self.all_missions()["charlie.tanoa"]
        params = [{"name": "", "value": "1"}, {"name": "  ", "value": "2"}, {"name": None, "value": "3"},
                  {"value": "4"}, {"name": "Daytime", "value": "6"}, {"name": "Side", "value": '"west"'},
                  {"name": "Evil", "value": '"a""'}, {"name": "Text", "value": 'say "hi"'}]
        r = self.aswg.request("PUT", MISSIONS + "/id/%d" % m["id"], dict(m, enabled=True, parameters=params),
                              token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.all_missions()["charlie.tanoa"]["parameters"],
                         [{"name": "Daytime", "value": "6"}, {"name": "Side", "value": '"west"'},
                          {"name": "Evil", "value": '"a""'}, {"name": "Text", "value": 'say "hi"'}])
        cfg = self.server_cfg()
        # ASWG stores string params with their quotes and writes them raw; anything else is quoted
        self.assertIn("Daytime = 6;", cfg)
        self.assertIn('Side = "west";', cfg)
        self.assertIn('Evil = """a""""";', cfg)
        self.assertIn('Text = "say ""hi""";', cfg)

    def test_put_bad_input(self):
        m = self.all_missions()["alpha.altis"]
        path = MISSIONS + "/id/%d" % m["id"]
        cases = [{"difficulty": "hard"}, {"parameters": [{"name": "B", "value": "1"}, {"value": "2"}, 5]},
                 {"parameters": [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]},
                 {"parameters": [{"name": "x; hostname", "value": "1"}]},
                 {"template": "has space"}, {"template": 'q"uote'}, {"template": "a/b"}, {"template": "x" * 256},
                 {"name": ""}, {"enabled": "maybe"}, {"parameters": "nope"}]
        for body in cases:
            self.assertError(self.aswg.request("PUT", path, body, token=self.token), 400, "BAD_REQUEST")
        self.assertEqual(self.all_missions()["alpha.altis"], m)
        self.assertError(self.aswg.request("PUT", MISSIONS + "/id/999999", {"name": "x"}, token=self.token),
                         404, "MISSION_NOT_FOUND")
        self.assertError(self.aswg.request("PUT", MISSIONS + "/id/x", {"name": "x"}, token=self.token),
                         400, "BAD_REQUEST")
        other = self.all_missions()["bravo.stratis"]
        self.assertError(self.aswg.request("PUT", path, {"template": other["template"]}, token=self.token),
                         409, "MISSION_ALREADY_EXISTS")


class TemplateTest(MissionsTestCase):
    def test_add_and_delete_template(self):
        r = self.aswg.request("POST", MISSIONS + "/template", {"name": "Custom", "template": "co10_Custom.Altis"},
                              token=self.token)
        self.assertEqual(r.status, 200, r)
        m = self.all_missions()["co10_Custom.Altis"]
        self.assertEqual((m["name"], m["source"], m["sizeBytes"], m["worldName"]), ("Custom", "TEMPLATE", 0, "Altis"))
        self.assertError(self.aswg.request("POST", MISSIONS + "/template", {"name": "Again", "template": "co10_Custom.Altis"},
                                           token=self.token), 409, "MISSION_ALREADY_EXISTS")
        self.aswg.request("POST", MISSIONS + "/enabled", {"missionTemplates": ["co10_Custom.Altis"]}, token=self.token)
        self.assertIn("co10_Custom.Altis", self.server_cfg())
        r = self.aswg.request("DELETE", MISSIONS + "/template", {"template": "co10_Custom.Altis"}, token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("co10_Custom.Altis", self.all_missions())
        self.assertNotIn("co10_Custom.Altis", self.server_cfg())
        self.assertError(self.aswg.request("DELETE", MISSIONS + "/template", {"template": "co10_Custom.Altis"},
                                           token=self.token), 404, "MISSION_NOT_FOUND")

    def test_delete_removes_the_file(self):
        self.assertEqual(self.upload([("gone.Altis.pbo", mission_pbo())]).status, 200)
        self.assertIn("gone.altis.pbo", self.dir_listing())
        r = self.aswg.request("DELETE", MISSIONS + "/template", {"template": "gone.altis"}, token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("gone.altis.pbo", self.dir_listing())

    def test_bad_templates(self):
        before = self.all_missions()
        for tpl in ("has space", "tab\there", 'q"uote', "s'quote", "a/b", "a\\b", "ctl\x01", "x" * 256, "", ".."):
            r = self.aswg.request("POST", MISSIONS + "/template", {"name": "n", "template": tpl}, token=self.token)
            self.assertError(r, 400, "BAD_REQUEST")
        self.assertError(self.aswg.request("POST", MISSIONS + "/template", {"name": "n"}, token=self.token),
                         400, "BAD_REQUEST")
        self.assertEqual(self.all_missions(), before)


class VanillaAndRestartTest(unittest.TestCase):
    def test_vanilla_imported_once_and_state_survives_restart(self):
        aswg = Aswg(config={"aswg.server-directory-path": "arma"}).start()
        try:
            token = aswg.login()
            j = aswg.request("GET", MISSIONS, token=token).json
            vanilla = [m for m in j["disabledMissions"] if m["source"] == "VANILLA"]
            self.assertEqual(len(vanilla), 76)
            self.assertEqual(vanilla[0]["name"], "ZGM 4+1 Bootcamp")
            aswg.upload(FILES, [("keep.Altis.pbo", mission_pbo())], token=token)
            aswg.request("POST", MISSIONS + "/enabled", {"missionTemplates": ["keep.altis", "EXP_m01.Tanoa"]}, token=token)
            aswg.stop()
            aswg.write_config({"aswg.server-directory-path": "arma", "aswg.vanilla-missions-importer.enabled": "true"})
            aswg.start()
            token = aswg.login()
            j = aswg.request("GET", MISSIONS, token=token).json
            self.assertEqual(len(j["disabledMissions"]) + len(j["enabledMissions"]), 77)
            self.assertEqual([m["template"] for m in j["enabledMissions"]], ["keep.altis", "EXP_m01.Tanoa"])
        finally:
            aswg.cleanup()

    def test_stale_upload_temp_files_removed_at_start(self):
        aswg = Aswg(config={"aswg.server-directory-path": "arma"})
        os.makedirs(aswg.path("arma", "mpmissions"))
        with open(aswg.path("arma", "mpmissions", ".upload-abc123"), "wb") as f:
            f.write(b"partial")
        try:
            aswg.start()
            self.assertFalse(os.path.exists(aswg.path("arma", "mpmissions", ".upload-abc123")))
        finally:
            aswg.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
