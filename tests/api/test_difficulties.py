"""Difficulty profiles (ASWG-API.md §6 /api/v1/difficulties, §4.8 DifficultyScanJob, §5.5, §5.7 end,
§5.8 -name=): rows and their .Arma3Profile files, one active profile, the scan job, -name= in argv."""

import os
import time
import unittest

from harness import Aswg, AswgTestCase
from test_server import free_udp_port_pair, install_fake, wait_run

DIFFICULTIES = "/api/v1/difficulties"
JOBS = "/api/v1/settings/jobs"

# (JSON key, key in class Options or elsewhere, default) in the order aswg writes them.
OPTIONS = [("reducedDamage", "reducedDamage", False), ("groupIndicators", "groupIndicators", 1),
           ("friendlyTags", "friendlyTags", 1), ("enemyTags", "enemyTags", 1), ("detectedMines", "detectedMines", 1),
           ("commands", "commands", 1), ("waypoints", "waypoints", 1), ("tacticalPing", "tacticalPing", 1),
           ("weaponInfo", "weaponInfo", 1), ("stanceIndicator", "stanceIndicator", 1),
           ("staminaBar", "staminaBar", True), ("weaponCrosshair", "weaponCrosshair", True),
           ("visionAid", "visionAid", True), ("thirdPersonView", "thirdPersonView", 1),
           ("cameraShake", "cameraShake", True), ("scoreTable", "scoreTable", True),
           ("deathMessages", "deathMessages", True), ("vonId", "vonID", True),
           ("mapContentFriendly", "mapContentFriendly", True), ("mapContentEnemy", "mapContentEnemy", True),
           ("mapContentMines", "mapContentMines", True), ("autoReport", "autoReport", True),
           ("multipleSaves", "multipleSaves", True)]
DEFAULTS = dict({j: d for j, _, d in OPTIONS}, aiLevelPreset=0, skillAI="0.5", precisionAI="0.5")

GAME_PROFILE = ("version=2;\n// written by the game\nblood=1;\nclass DifficultyPresets\n{\n\tdefaultPreset=\"Custom\";\n"
                "\tclass CustomDifficulty\n\t{\n\t\tclass Options\n\t\t{\n\t\t\treducedDamage=0;\n"
                "\t\t\tgroupIndicators=2;\n\t\t\tfutureOption=7;\n\t\t};\n\t\taiLevelPreset=3;\n\t};\n"
                "\tclass CustomAILevel\n\t{\n\t\tskillAI=0.7;\n\t\tprecisionAI=0.4;\n\t};\n};\nviewDistance=1600;\n")


def cfg_value(v):
    return "1" if v is True else "0" if v is False else str(v)


def completed_game_profile(reduced_damage_line="\t\t\treducedDamage=0;"):
    """GAME_PROFILE as aswg completes it: the options it lacks appended to class Options, the rest
    byte for byte."""
    missing = "".join("\t\t\t%s = %s;\n" % (key, cfg_value(d)) for j, key, d in OPTIONS
                      if j not in ("reducedDamage", "groupIndicators"))
    return (GAME_PROFILE.replace("\t\t\treducedDamage=0;", reduced_damage_line)
            .replace("\t\t\tfutureOption=7;\n", "\t\t\tfutureOption=7;\n" + missing))


def new_profile_text(**changes):
    """The exact file aswg writes for a profile that had no file."""
    o = dict(DEFAULTS, **changes)
    lines = ["class DifficultyPresets", "{", "\tclass CustomDifficulty", "\t{", "\t\tclass Options", "\t\t{"]
    lines += ["\t\t\t%s = %s;" % (key, cfg_value(o[j])) for j, key, _ in OPTIONS]
    lines += ["\t\t};", "\t\taiLevelPreset = %d;" % o["aiLevelPreset"], "\t};", "\tclass CustomAILevel", "\t{",
              "\t\tskillAI = %s;" % o["skillAI"], "\t\tprecisionAI = %s;" % o["precisionAI"], "\t};", "};"]
    return "\n".join(lines) + "\n"


class DifficultyTestBase(AswgTestCase):
    config = {"aswg.server-directory-path": "arma", "aswg.profiles-directory-path": "profiles",
              "aswg.job.difficulty-scanner.enabled": "false"}

    def profiles(self):
        r = self.aswg.request("GET", DIFFICULTIES, token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def profile(self, name):
        return next((p for p in self.profiles() if p["name"] == name), None)

    def profile_file(self, name):
        return self.aswg.path("profiles", name, name + ".Arma3Profile")

    def read_profile(self, name):
        with open(self.profile_file(name)) as f:
            return f.read()

    def write_profile(self, name, text):
        os.makedirs(self.aswg.path("profiles", name), exist_ok=True)
        with open(self.profile_file(name), "w") as f:
            f.write(text)

    def post(self, body, token=None):
        return self.aswg.request("POST", DIFFICULTIES, body, token=token or self.token)

    def put(self, pid, body):
        return self.aswg.request("PUT", "%s/%d" % (DIFFICULTIES, pid), body, token=self.token)

    def delete(self, pid):
        return self.aswg.request("DELETE", "%s/%d" % (DIFFICULTIES, pid), token=self.token)

    def ok(self, r):
        self.assertEqual((r.status, r.body), (200, ""), r)

    def cleanup_profiles(self, keep=("Player",)):
        for p in self.profiles():
            if p["name"] not in keep:
                self.ok(self.delete(p["id"]))
        player = self.profile("Player")
        self.ok(self.put(player["id"], {"active": True, "options": DEFAULTS}))


class DifficultyApiTest(DifficultyTestBase):
    def tearDown(self):
        self.cleanup_profiles()

    def test_player_profile_created_at_start(self):
        profiles = self.profiles()
        self.assertEqual([(p["name"], p["active"]) for p in profiles], [("Player", True)])
        self.assertEqual(profiles[0]["options"], DEFAULTS)
        self.assertEqual(set(profiles[0]), {"id", "name", "active", "options"})
        self.assertEqual(self.read_profile("Player"), new_profile_text())

    def test_crud_round_trip_with_the_file(self):
        self.ok(self.post({"name": "Hard", "active": False,
                           "options": {"reducedDamage": True, "thirdPersonView": 0, "skillAI": "0.9",
                                       "tacticalPing": "3", "vonId": "false"}}))
        hard = self.profile("Hard")
        self.assertFalse(hard["active"])
        wanted = dict(DEFAULTS, reducedDamage=True, thirdPersonView=0, skillAI="0.9", tacticalPing=3, vonId=False)
        self.assertEqual(hard["options"], wanted)
        text = self.read_profile("Hard")
        self.assertEqual(text, new_profile_text(reducedDamage=True, thirdPersonView=0, skillAI="0.9",
                                                tacticalPing=3, vonId=False))

        # PUT changes the options it names, only their lines; the path id names the row
        self.ok(self.put(hard["id"], {"id": 12345, "options": {"groupIndicators": 2, "precisionAI": 0.25}}))
        self.assertEqual(self.profile("Hard")["options"], dict(wanted, groupIndicators=2, precisionAI="0.25"))
        self.assertEqual(self.read_profile("Hard"), text.replace("groupIndicators = 1;", "groupIndicators = 2;")
                         .replace("precisionAI = 0.5;", "precisionAI = 0.25;"))

        # renaming moves the file; the game's other files in the directory stay where they are
        with open(self.aswg.path("profiles", "Hard", "Hard.vars.Arma3Profile"), "w") as f:
            f.write("saved vars")
        before = self.read_profile("Hard")
        self.ok(self.put(hard["id"], {"name": "Hardcore", "active": False}))
        self.assertIsNone(self.profile("Hard"))
        self.assertEqual(self.profile("Hardcore")["id"], hard["id"])
        self.assertEqual(self.read_profile("Hardcore"), before)
        self.assertFalse(os.path.exists(self.profile_file("Hard")))
        self.assertEqual(os.listdir(self.aswg.path("profiles", "Hard")), ["Hard.vars.Arma3Profile"])

        # delete by id: row, file and the directory once it is empty
        self.ok(self.delete(hard["id"]))
        self.assertIsNone(self.profile("Hardcore"))
        self.assertFalse(os.path.exists(self.aswg.path("profiles", "Hardcore")))
        self.assertTrue(os.path.exists(self.aswg.path("profiles", "Hard", "Hard.vars.Arma3Profile")))

        # delete by name
        self.ok(self.post({"name": "Casual", "options": {"reducedDamage": True}}))
        self.assertTrue(os.path.exists(self.profile_file("Casual")))
        self.ok(self.aswg.request("DELETE", DIFFICULTIES + "?name=Casual", token=self.token))
        self.assertIsNone(self.profile("Casual"))
        self.assertFalse(os.path.exists(self.aswg.path("profiles", "Casual")))

    def test_new_profile_without_options_gets_the_defaults(self):
        self.ok(self.post({"name": "Plain Name"}))
        p = self.profile("Plain Name")
        self.assertEqual((p["active"], p["options"]), (False, DEFAULTS))
        self.assertEqual(self.read_profile("Plain Name"), new_profile_text())

    def test_only_one_profile_is_active(self):
        self.ok(self.post({"name": "A", "active": True}))
        self.assertEqual([p["name"] for p in self.profiles() if p["active"]], ["A"])
        self.ok(self.post({"name": "B", "active": "false"}))
        b = self.profile("B")
        self.ok(self.put(b["id"], {"active": "true"}))
        self.assertEqual([p["name"] for p in self.profiles() if p["active"]], ["B"])
        # a PUT that leaves active out keeps it; making the active one inactive leaves none
        self.ok(self.put(b["id"], {"options": {"commands": 0}}))
        self.assertTrue(self.profile("B")["active"])
        self.ok(self.put(b["id"], {"active": False}))
        self.assertEqual([p["name"] for p in self.profiles() if p["active"]], [])
        # deleting the active one leaves none active either
        a = self.profile("A")
        self.ok(self.put(a["id"], {"active": True}))
        self.ok(self.delete(a["id"]))
        self.assertEqual([p["name"] for p in self.profiles() if p["active"]], [])

    def test_existing_game_profile_keeps_its_content(self):
        self.write_profile("Veteran", GAME_PROFILE)
        self.ok(self.post({"name": "Veteran", "options": {"reducedDamage": True}}))
        text = self.read_profile("Veteran")
        self.assertEqual(text, completed_game_profile("\t\t\treducedDamage = 1;"))
        p = self.profile("Veteran")
        self.assertEqual((p["options"]["groupIndicators"], p["options"]["aiLevelPreset"], p["options"]["skillAI"],
                          p["options"]["precisionAI"]), (2, 3, "0.7", "0.4"))
        # the same values again: the file stays byte for byte
        self.ok(self.put(p["id"], {"options": p["options"]}))
        self.assertEqual(self.read_profile("Veteran"), text)

    def test_unknown_ids_and_names_are_404_and_duplicates_409(self):
        self.assertError(self.put(999999, {"active": True}), 404, "DIFFICULTY_NOT_FOUND")
        self.assertError(self.delete(999999), 404, "DIFFICULTY_NOT_FOUND")
        self.assertError(self.aswg.request("DELETE", DIFFICULTIES + "?name=Nope", token=self.token), 404,
                         "DIFFICULTY_NOT_FOUND")
        self.assertError(self.post({"name": "Player"}), 409, "DIFFICULTY_ALREADY_EXISTS")
        self.ok(self.post({"name": "Other"}))
        other = self.profile("Other")
        self.assertError(self.put(other["id"], {"name": "Player"}), 409, "DIFFICULTY_ALREADY_EXISTS")
        self.assertEqual(self.read_profile("Player"), new_profile_text())
        for bad in ("abc", "0", "-1"):
            self.assertError(self.aswg.request("PUT", DIFFICULTIES + "/" + bad, {}, token=self.token), 400,
                             "BAD_REQUEST")

    def tree(self):
        found = set()
        for root, dirs, files in os.walk(self.aswg.workdir):
            rel = os.path.relpath(root, self.aswg.workdir)
            if rel.split(os.sep)[0] in ("data", "logs"):
                continue
            found |= {os.path.join(rel, n) for n in dirs + files}
        return found - {"stdout.txt", "stderr.txt"}

    def test_bad_names_and_options_are_400_and_write_nothing(self):
        before = self.tree()
        player = self.profile("Player")
        for name in ("../x", "a/b", "", "x" * 300, "..", ".", "a\\b", "a:b", "a*b", " lead", "trail ", "a..b",
                     ".hidden", "tab\there"):
            for r in (self.post({"name": name}), self.put(player["id"], {"name": name})):
                body = self.assertError(r, 400, "BAD_REQUEST")
                self.assertIn("name", body["message"])
        for options, field in (({"groupIndicators": 9}, "groupIndicators"), ({"skillAI": "abc"}, "skillAI"),
                               ({"precisionAI": "2"}, "precisionAI"), ({"reducedDamage": "maybe"}, "reducedDamage"),
                               ("not an object", "options")):
            body = self.assertError(self.post({"name": "Fine", "options": options}), 400, "BAD_REQUEST")
            self.assertIn(field, body["message"])
            body = self.assertError(self.put(player["id"], {"options": options}), 400, "BAD_REQUEST")
            self.assertIn(field, body["message"])
        self.assertError(self.post({"active": True}), 400, "BAD_REQUEST")
        self.assertError(self.post({"name": 5}), 400, "BAD_REQUEST")
        self.assertError(self.aswg.request("DELETE", DIFFICULTIES, token=self.token), 400, "BAD_REQUEST")
        self.assertError(self.aswg.request("DELETE", DIFFICULTIES + "?name=..%2Fx", token=self.token), 400,
                         "BAD_REQUEST")
        self.assertEqual(self.tree(), before)
        self.assertEqual([p["name"] for p in self.profiles()], ["Player"])
        self.assertEqual(self.read_profile("Player"), new_profile_text())

    def test_malformed_file_is_reported_and_left_alone(self):
        self.ok(self.post({"name": "Broken"}))
        self.write_profile("Broken", "class DifficultyPresets {\n")
        p = self.profile("Broken")
        self.assertEqual(p["options"], DEFAULTS)
        self.assertIn("Broken.Arma3Profile", p["fileError"])
        body = self.assertError(self.put(p["id"], {"options": {"reducedDamage": True}}), 409,
                                "DIFFICULTY_FILE_INVALID")
        self.assertIn("Broken.Arma3Profile", body["message"])
        self.assertEqual(self.read_profile("Broken"), "class DifficultyPresets {\n")
        self.assertIn("options", self.profile("Player"))  # the other profiles still list

    def test_each_route_needs_its_authority(self):
        r = self.aswg.request("POST", "/api/v1/users", {"username": "viewer", "password": "secret-pass",
                                                         "authorities": ["DIFFICULTY_VIEW"]}, token=self.token)
        self.assertEqual(r.status, 200, r)
        viewer = self.aswg.login("viewer", "secret-pass")
        self.assertEqual(self.aswg.request("GET", DIFFICULTIES, token=viewer).status, 200)
        player = self.profile("Player")
        for method, path, body in (("POST", DIFFICULTIES, {"name": "X"}),
                                   ("PUT", "%s/%d" % (DIFFICULTIES, player["id"]), {"active": False}),
                                   ("DELETE", "%s/%d" % (DIFFICULTIES, player["id"]), None),
                                   ("DELETE", DIFFICULTIES + "?name=Player", None)):
            self.assertError(self.aswg.request(method, path, body, token=viewer), 403, "ACCESS_DENIED")
        self.assertTrue(self.profile("Player")["active"])


class DifficultyScanTest(DifficultyTestBase):
    def run_scan(self):
        count = len(self.executions())
        r = self.aswg.request("POST", JOBS + "/DIFFICULTY_SCAN/run-now", {}, token=self.token)
        self.assertEqual((r.status, r.body), (200, ""), r)
        deadline = time.time() + 10
        while time.time() < deadline:
            runs = self.executions()
            if len(runs) > count and runs[0]["status"] != "STARTED":
                return runs[0]
            time.sleep(0.05)
        self.fail("DIFFICULTY_SCAN did not finish")

    def executions(self):
        r = self.aswg.request("GET", JOBS + "/DIFFICULTY_SCAN/executions", token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def test_scan_imports_new_profiles_without_touching_them(self):
        self.write_profile("Hardcore", GAME_PROFILE)
        self.write_profile("Casual", "version=2;\n")
        self.write_profile("Bad", "class {\n")
        self.write_profile("a:b", "version=2;\n")
        os.makedirs(self.aswg.path("profiles", "NoProfile"))
        with open(self.aswg.path("profiles", "NoProfile", "Other.Arma3Profile"), "w") as f:
            f.write("x=1;\n")
        stamps = {n: os.stat(self.profile_file(n)).st_mtime_ns for n in ("Hardcore", "Casual", "Player")}
        run = self.run_scan()
        self.assertEqual(run["status"], "SUCCESS", run)
        self.assertTrue(run["message"].startswith("2 profiles imported: Casual, Hardcore; 2 skipped: Bad ("),
                        run["message"])
        self.assertIn("a:b (the name must not contain", run["message"])
        profiles = {p["name"]: p for p in self.profiles()}
        self.assertEqual(set(profiles), {"Player", "Hardcore", "Casual"})
        self.assertFalse(profiles["Hardcore"]["active"] or profiles["Casual"]["active"])
        self.assertTrue(profiles["Player"]["active"])
        self.assertEqual((profiles["Hardcore"]["options"]["groupIndicators"],
                          profiles["Hardcore"]["options"]["skillAI"]), (2, "0.7"))
        self.assertEqual(profiles["Casual"]["options"], DEFAULTS)
        # imported, not rewritten
        self.assertEqual(self.read_profile("Hardcore"), GAME_PROFILE)
        self.assertEqual(self.read_profile("Casual"), "version=2;\n")
        self.assertEqual({n: os.stat(self.profile_file(n)).st_mtime_ns for n in stamps}, stamps)

        again = self.run_scan()
        self.assertEqual(again["status"], "SUCCESS", again)
        self.assertTrue(again["message"].startswith("nothing to do: no new profiles in "), again["message"])
        self.assertEqual(len(self.profiles()), 3)


class DifficultyProfileDirectoryTest(unittest.TestCase):
    def test_player_profile_of_the_game_is_kept_and_home_is_the_default(self):
        aswg = Aswg(config={"aswg.job.difficulty-scanner.enabled": "false"})
        try:
            home_profiles = aswg.path(".local", "share", "Arma 3 - Other Profiles")
            os.makedirs(os.path.join(home_profiles, "Player"))
            with open(os.path.join(home_profiles, "Player", "Player.Arma3Profile"), "w") as f:
                f.write(GAME_PROFILE)
            aswg.start()
            token = aswg.login()
            profiles = aswg.request("GET", DIFFICULTIES, token=token).json
            self.assertEqual([(p["name"], p["active"]) for p in profiles], [("Player", True)])
            self.assertEqual(profiles[0]["options"]["aiLevelPreset"], 3)
            with open(os.path.join(home_profiles, "Player", "Player.Arma3Profile")) as f:
                text = f.read()
            # completed with what it lacked, nothing of the game's lost or changed
            self.assertEqual(text, completed_game_profile())
            # an empty table is filled once: a deleted Player stays deleted after a restart
            r = aswg.request("POST", DIFFICULTIES, {"name": "Mine", "active": True}, token=token)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(aswg.request("DELETE", DIFFICULTIES + "?name=Player", token=token).status, 200)
            aswg.stop()
            aswg.start()
            token = aswg.login()
            profiles = aswg.request("GET", DIFFICULTIES, token=token).json
            self.assertEqual([(p["name"], p["active"]) for p in profiles], [("Mine", True)])
        finally:
            aswg.cleanup()


class DifficultyArgvTest(DifficultyTestBase):
    @classmethod
    def setUpClass(cls):
        cls.config = dict(DifficultyTestBase.config, **{"aswg.server-port": str(free_udp_port_pair())})
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

    def test_active_profile_name_reaches_argv(self):
        argv = self.start_and_stop(1)
        self.assertIn("-name=Player", argv)
        self.ok(self.post({"name": "Night Ops", "active": True}))
        argv = self.start_and_stop(2)
        self.assertIn("-name=Night Ops", argv)
        self.assertNotIn("-name=Player", argv)
        self.assertNotIn("-filePatching", argv)
        # none active: the game's default profile
        self.ok(self.put(self.profile("Night Ops")["id"], {"active": False}))
        self.assertIn("-name=Player", self.start_and_stop(3))
        self.cleanup_profiles()


if __name__ == "__main__":
    unittest.main(verbosity=2)
