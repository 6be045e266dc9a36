"""General, security and network settings (ASWG-API.md §6 and §5.7, DECISIONS.md 9): server.cfg,
network.cfg and aswg-config.properties through /api/v1/general/properties, /api/v1/security and
/api/v1/network/properties."""

import os
import platform
import random
import shutil
import unittest

from harness import AswgTestCase

GENERAL = "/api/v1/general/properties"
SECURITY = "/api/v1/security"
NETWORK = "/api/v1/network/properties"

EXTENSIONS = ["hpp", "sqs", "sqf", "fsm", "cpp", "paa", "txt", "xml", "inc", "ext", "sqm", "ods", "fxy",
              "lip", "csv", "kb", "bik", "bikb", "html", "htm", "biedi"]

DEFAULT_GENERAL = {"hostname": "", "maxPlayers": 64, "motd": [], "motdInterval": 5, "persistent": False,
                   "drawingInMap": True, "headlessClients": [], "localClients": [], "forcedDifficulty": None,
                   "serverDirectory": "arma", "modsDirectory": "mods", "port": 2302, "branch": "public",
                   "canOverwriteCommandLineParams": False}
DEFAULT_SECURITY = {"serverPassword": "", "serverAdminPassword": "", "serverCommandPassword": "",
                    "battleEye": True, "verifySignatures": True, "allowedFilePatching": "NOT_ALLOWED",
                    "filePatchingIgnoredClients": [], "allowedLoadFileExtensions": EXTENSIONS,
                    "allowedPreprocessFileExtensions": EXTENSIONS,
                    "allowedHTMLLoadExtensions": ["htm", "html", "xml", "txt"], "adminUUIDs": [],
                    "allowedVoteCmds": [], "kickDuplicate": False, "voteThreshold": "0.5", "voteMissionPlayers": 1}
DEFAULT_NETWORK = {"upnp": False, "maxPing": 500, "loopback": False, "disconnectTimeout": 90, "maxDesync": 150,
                   "maxPacketLoss": 150, "enablePlayerDiag": False, "steamProtocolMaxDataSize": 1024,
                   "kickTimeouts": {"manualKickTimeoutSeconds": 60, "connectivityKickTimeoutSeconds": 60,
                                    "battlEyeKickTimeoutSeconds": 60, "harmlessKickTimeoutSeconds": 60},
                   "minBandwidth": 131072, "maxBandwidth": 10000000000, "maxMsgSend": 128,
                   "maxSizeGuaranteed": 512, "maxSizeNonGuaranteed": 256, "minErrorToSend": "0.001",
                   "minErrorToSendNear": "0.01", "maxCustomFileSize": 0, "maxPacketSize": 1400}

GENERAL_BODY = {"hostname": 'Bob\'s "Arma" server', "serverDirectory": "arma", "modsDirectory": "mods",
                "port": 2302, "maxPlayers": 40, "motd": ["Welcome", "Have fun // no comment"], "motdInterval": 10,
                "persistent": True, "drawingInMap": False, "headlessClients": ["127.0.0.1"],
                "localClients": ["127.0.0.1", "10.0.0.2"], "forcedDifficulty": "VETERAN", "branch": "public"}
GENERAL_LINES = ['hostname = "Bob\'s ""Arma"" server";', "maxPlayers = 40;",
                 'motd[] = {"Welcome", "Have fun // no comment"};', "motdInterval = 10;", "persistent = 1;",
                 "drawingInMap = false;", 'headlessClients[] = {"127.0.0.1"};',
                 'localClient[] = {"127.0.0.1", "10.0.0.2"};', 'forcedDifficulty = "veteran";']

SECURITY_BODY = {"serverPassword": "join-me", "serverAdminPassword": "admin-secret",
                 "serverCommandPassword": "command-secret", "battleEye": False, "verifySignatures": False,
                 "allowedFilePatching": "ALLOWED_FOR_HEADLESS_CLIENTS",
                 "filePatchingIgnoredClients": ["76561198000000001"], "allowedLoadFileExtensions": ["sqf", "hpp"],
                 "allowedPreprocessFileExtensions": ["sqf"], "allowedHTMLLoadExtensions": [],
                 "adminUUIDs": ["76561198000000002", "76561198000000003"],
                 "allowedVoteCmds": [{"name": "kick", "allowedPreMission": False, "allowedPostMission": True,
                                      "votingThreshold": 0.33, "percentageSideVotingThreshold": 0.5},
                                     {"name": "mission", "allowedPreMission": True, "allowedPostMission": False,
                                      "votingThreshold": 0.6, "percentageSideVotingThreshold": 0.25}],
                 "kickDuplicate": True, "voteThreshold": "0.33", "voteMissionPlayers": 3}
SECURITY_LINES = ['password = "join-me";', 'passwordAdmin = "admin-secret";',
                  'serverCommandPassword = "command-secret";', "BattlEye = 0;", "verifySignatures = 0;",
                  "allowedFilePatching = 1;", 'filePatchingExceptions[] = {"76561198000000001"};',
                  'allowedLoadFileExtensions[] = {"sqf", "hpp"};', 'allowedPreprocessFileExtensions[] = {"sqf"};',
                  "allowedHTMLLoadExtensions[] = {};", 'admins[] = {"76561198000000002", "76561198000000003"};',
                  'allowedVoteCmds[] = {{"kick", false, true, 0.33, 0.5}, {"mission", true, false, 0.6, 0.25}};',
                  "kickduplicate = 1;", "voteThreshold = 0.33;", "voteMissionPlayers = 3;"]

NETWORK_BODY = {"upnp": True, "maxPing": 300, "loopback": True, "disconnectTimeout": 30, "maxDesync": 100,
                "maxPacketLoss": 50, "enablePlayerDiag": True, "steamProtocolMaxDataSize": 2048,
                "kickTimeouts": {"manualKickTimeoutSeconds": -1, "connectivityKickTimeoutSeconds": 180,
                                 "battlEyeKickTimeoutSeconds": -2, "harmlessKickTimeoutSeconds": 0},
                "minBandwidth": 800000, "maxBandwidth": 25000000000, "maxMsgSend": 256, "maxSizeGuaranteed": 1024,
                "maxSizeNonGuaranteed": 512, "minErrorToSend": "0.0005", "minErrorToSendNear": "0.02",
                "maxCustomFileSize": 160000, "maxPacketSize": 1300}
NETWORK_SERVER_LINES = ["upnp = true;", "maxping = 300;", "loopback = true;", "disconnectTimeout = 30;",
                        "maxdesync = 100;", "maxpacketloss = 50;", "enablePlayerDiag = 1;",
                        "steamProtocolMaxDataSize = 2048;", "kickTimeout[] = {{0, -1}, {1, 180}, {2, -2}, {3, 0}};"]
NETWORK_FILE_LINES = ["MinBandwidth = 800000;", "MaxBandwidth = 25000000000;", "MaxMsgSend = 256;",
                      "MaxSizeGuaranteed = 1024;", "MaxSizeNonguaranteed = 512;", "MinErrorToSend = 0.0005;",
                      "MinErrorToSendNear = 0.02;", "MaxCustomFileSize = 160000;",
                      "class sockets", "{", "\tmaxPacketSize = 1300;", "};"]


def lines(items, eol="\n"):
    return "".join(line + eol for line in items)


class ServerSettingsTestCase(AswgTestCase):
    config = {"aswg.server-directory-path": "arma"}

    def setUp(self):
        shutil.rmtree(self.aswg.path("arma"), ignore_errors=True)

    def get(self, path, token=None):
        r = self.aswg.request("GET", path, token=token or self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def post(self, path, body):
        r = self.aswg.request("POST", path, body, token=self.token)
        self.assertEqual((r.status, r.body), (200, ""), r)

    def write(self, name, text):
        os.makedirs(self.aswg.path("arma"), exist_ok=True)
        with open(self.aswg.path("arma", name), "w", newline="") as f:
            f.write(text)

    def read(self, name):
        with open(self.aswg.path("arma", name), newline="") as f:
            return f.read()

    def snapshot(self):
        """The bytes of every file a save could touch (None when missing)."""
        out = {}
        for path in (("arma", "server.cfg"), ("arma", "network.cfg"), ("aswg-config.properties",)):
            try:
                with open(self.aswg.path(*path), "rb") as f:
                    out[path] = f.read()
            except FileNotFoundError:
                out[path] = None
        out["dirs"] = sorted(os.listdir(self.aswg.workdir))
        return out


class ServerSettingsFilesTest(ServerSettingsTestCase):
    def test_defaults_when_the_files_are_missing(self):
        general = self.get(GENERAL)
        self.assertEqual({k: general[k] for k in DEFAULT_GENERAL}, DEFAULT_GENERAL)
        self.assertEqual(self.get(SECURITY), DEFAULT_SECURITY)
        self.assertEqual(self.get(NETWORK), DEFAULT_NETWORK)
        self.assertFalse(os.path.exists(self.aswg.path("arma")), "a GET must not create anything")
        # an empty body changes nothing, and so creates nothing either
        for path in (GENERAL, SECURITY, NETWORK):
            self.post(path, {})
        self.assertFalse(os.path.exists(self.aswg.path("arma")))

    def test_every_field_round_trips_into_new_files(self):
        self.post(GENERAL, GENERAL_BODY)
        self.assertEqual(self.read("server.cfg"), lines(GENERAL_LINES))
        self.post(SECURITY, SECURITY_BODY)
        self.post(NETWORK, NETWORK_BODY)
        self.assertEqual(self.read("server.cfg"),
                         lines(GENERAL_LINES + SECURITY_LINES + NETWORK_SERVER_LINES))
        self.assertEqual(self.read("network.cfg"), lines(NETWORK_FILE_LINES))
        general = self.get(GENERAL)
        self.assertEqual({k: general[k] for k in GENERAL_BODY}, GENERAL_BODY)
        self.assertEqual(self.get(SECURITY), SECURITY_BODY)
        self.assertEqual(self.get(NETWORK), NETWORK_BODY)
        # saving what GET answers changes nothing
        before = self.snapshot()
        for path in (SECURITY, NETWORK):
            self.post(path, self.get(path))
        self.assertEqual(self.snapshot(), before)

    def test_passwords_are_returned_but_never_logged(self):
        self.post(SECURITY, SECURITY_BODY)
        s = self.get(SECURITY)
        self.assertEqual((s["serverPassword"], s["serverAdminPassword"], s["serverCommandPassword"]),
                         ("join-me", "admin-secret", "command-secret"))
        log = self.aswg.log()
        self.assertIn("Security settings saved to arma/server.cfg", log)
        for secret in ("join-me", "admin-secret", "command-secret"):
            self.assertNotIn(secret, log)

    def test_hand_edited_files_keep_everything_aswg_does_not_model(self):
        server_cfg = ("\ufeff// Hand-written server.cfg\r\n"
                      '#include "admins.hpp"\r\n'
                      'hostname = "Old ""quoted"" name"; // shown in the server browser\r\n'
                      'password = "old-pass";\r\n'
                      "/* voting */\r\n"
                      "voteThreshold = 0.25;\r\n"
                      "class Missions\r\n{\r\n\tclass Mission_1\r\n\t{\r\n"
                      '\t\ttemplate = "co10_Escape.Altis";\r\n\t\tdifficulty = "regular";\r\n\t};\r\n};\r\n'
                      'customKey = "keep me // too";\r\n'
                      "class AdvancedOptions\r\n{\r\n\tLogObjectNotFound = false;\r\n};\r\n"
                      "maxPlayers = 10;\r\n")
        network_cfg = ("// tuned for our host\n"
                       "MaxMsgSend = 64;\n"
                       "class sockets\n{\n\tmaxPacketSize = 1400; // router limit\n\tinitBandwidth = 5000;\n};\n"
                       "MinBandwidth = 1000;\n")
        self.write("server.cfg", server_cfg)
        self.write("network.cfg", network_cfg)
        self.assertEqual(self.get(GENERAL)["hostname"], 'Old "quoted" name')
        self.assertEqual(self.get(GENERAL)["maxPlayers"], 10)
        self.assertEqual((self.get(SECURITY)["serverPassword"], self.get(SECURITY)["voteThreshold"]),
                         ("old-pass", "0.25"))
        self.assertEqual(self.get(NETWORK)["maxMsgSend"], 64)

        self.post(GENERAL, GENERAL_BODY)
        self.post(SECURITY, SECURITY_BODY)
        self.post(NETWORK, NETWORK_BODY)

        kept = (server_cfg
                .replace('"Old ""quoted"" name"', '"Bob\'s ""Arma"" server"')
                .replace('"old-pass"', '"join-me"')
                .replace("0.25", "0.33")
                .replace("maxPlayers = 10;", "maxPlayers = 40;"))
        appended = ([line for line in GENERAL_LINES if not line.startswith(("hostname", "maxPlayers"))] +
                    [line for line in SECURITY_LINES if not line.startswith(("password ", "voteThreshold"))] +
                    NETWORK_SERVER_LINES)
        self.assertEqual(self.read("server.cfg"), kept + lines(appended, "\r\n"))
        self.assertEqual(self.read("network.cfg"),
                         "// tuned for our host\n"
                         "MaxMsgSend = 256;\n"
                         "class sockets\n{\n\tmaxPacketSize = 1300; // router limit\n\tinitBandwidth = 5000;\n};\n"
                         "MinBandwidth = 800000;\n" +
                         lines(["MaxBandwidth = 25000000000;", "MaxSizeGuaranteed = 1024;",
                                "MaxSizeNonguaranteed = 512;", "MinErrorToSend = 0.0005;",
                                "MinErrorToSendNear = 0.02;", "MaxCustomFileSize = 160000;"]))
        # the rotation in class Missions is still what the missions API reads and writes
        self.assertIn('\t\ttemplate = "co10_Escape.Altis";\r\n', self.read("server.cfg"))

    def test_absent_keys_keep_their_values(self):
        original = ('hostname = "Mine";\nmaxPlayers = 12;\nmotd[] = {"hi"};\n'
                    "kickTimeout[] = {{0, 30}, {1, 90}};\nunknown = 1;\n")
        self.write("server.cfg", original)
        self.post(GENERAL, {"maxPlayers": 20, "hostname": None})
        self.assertEqual(self.read("server.cfg"), original.replace("12", "20"))
        # ids the body leaves out keep the file's value (or the default when the file has none)
        self.post(NETWORK, {"kickTimeouts": {"battlEyeKickTimeoutSeconds": 5}})
        self.assertEqual(self.read("server.cfg"), original.replace("12", "20").replace(
            "{{0, 30}, {1, 90}}", "{{0, 30}, {1, 90}, {2, 5}, {3, 60}}"))
        self.assertFalse(os.path.exists(self.aswg.path("arma", "network.cfg")))

    def test_forced_difficulty_null_or_empty_removes_the_key(self):
        self.write("server.cfg", 'hostname = "x";\nforcedDifficulty = "Regular"; // fixed\nmaxPlayers = 8;\n')
        self.assertEqual(self.get(GENERAL)["forcedDifficulty"], "REGULAR")
        self.post(GENERAL, {"forcedDifficulty": None})
        self.assertEqual(self.read("server.cfg"), 'hostname = "x";\nmaxPlayers = 8;\n')
        self.assertIsNone(self.get(GENERAL)["forcedDifficulty"])
        self.post(GENERAL, {"forcedDifficulty": "CUSTOM"})
        self.assertEqual(self.read("server.cfg"), 'hostname = "x";\nmaxPlayers = 8;\nforcedDifficulty = "custom";\n')
        self.post(GENERAL, {"forcedDifficulty": ""})
        self.assertEqual(self.read("server.cfg"), 'hostname = "x";\nmaxPlayers = 8;\n')

    def test_invalid_values_are_rejected_without_touching_any_file(self):
        self.write("server.cfg", 'hostname = "Keep";\nmaxPlayers = 12;\n')
        self.write("network.cfg", "MaxMsgSend = 64;\n")
        cases = [
            (GENERAL, {"maxPlayers": 0}, "maxPlayers"),
            (GENERAL, {"maxPlayers": "lots"}, "maxPlayers"),
            (GENERAL, {"maxPlayers": 2.5}, "maxPlayers"),
            (GENERAL, {"motd": "hello"}, "motd"),
            (GENERAL, {"motd": ["ok", 1]}, "motd[1]"),
            (GENERAL, {"motdInterval": -1}, "motdInterval"),
            (GENERAL, {"persistent": "maybe"}, "persistent"),
            (GENERAL, {"drawingInMap": 1}, "drawingInMap"),
            (GENERAL, {"forcedDifficulty": "HARD"}, "forcedDifficulty"),
            (GENERAL, {"hostname": 7}, "hostname"),
            (GENERAL, {"hostname": "two\nlines"}, "hostname"),
            (GENERAL, {"headlessClients": [None]}, "headlessClients[0]"),
            (GENERAL, {"headlessClients": ["127.0.0.1", "not-an-ip"]}, "headlessClients[1]"),
            (GENERAL, {"localClients": ["hc.example.org"]}, "localClients[0]"),
            (GENERAL, {"port": 0}, "port"),
            (GENERAL, {"port": 65532}, "port"),
            (GENERAL, {"port": "high"}, "port"),
            (GENERAL, {"serverDirectory": ""}, "serverDirectory"),
            (GENERAL, {"serverDirectory": 3}, "serverDirectory"),
            (GENERAL, {"modsDirectory": ["mods"]}, "modsDirectory"),
            (GENERAL, {"branch": 1}, "branch"),
            (GENERAL, {"hostname": "Changed", "maxPlayers": 0}, "maxPlayers"),
            (GENERAL, {"serverDirectory": "elsewhere", "port": 70000}, "port"),
            (GENERAL, {"serverDirectory": "elsewhere", "motdInterval": "soon"}, "motdInterval"),
            (SECURITY, {"voteThreshold": "abc"}, "voteThreshold"),
            (SECURITY, {"voteThreshold": "5"}, "voteThreshold"),
            (SECURITY, {"voteThreshold": -0.5}, "voteThreshold"),
            (SECURITY, {"voteThreshold": "1,5"}, "voteThreshold"),
            (SECURITY, {"voteThreshold": "-1"}, "voteThreshold"),
            (SECURITY, {"voteThreshold": "0.5; kickduplicate = 1"}, "voteThreshold"),
            (SECURITY, {"allowedFilePatching": "SOMETIMES"}, "allowedFilePatching"),
            (SECURITY, {"verifySignatures": 2}, "verifySignatures"),
            (SECURITY, {"battleEye": None, "kickDuplicate": []}, "kickDuplicate"),
            (SECURITY, {"voteMissionPlayers": -1}, "voteMissionPlayers"),
            (SECURITY, {"serverPassword": 1234}, "serverPassword"),
            (SECURITY, {"serverAdminPassword": "x" * 2000}, "serverAdminPassword"),
            (SECURITY, {"adminUUIDs": "76561198000000002"}, "adminUUIDs"),
            (SECURITY, {"allowedVoteCmds": {"name": "kick"}}, "allowedVoteCmds"),
            (SECURITY, {"allowedVoteCmds": [{"allowedPreMission": True}]}, "allowedVoteCmds[0].name"),
            (SECURITY, {"allowedVoteCmds": [{"name": "kick"}, {"name": "x", "votingThreshold": "high"}]},
             "allowedVoteCmds[1].votingThreshold"),
            (NETWORK, {"maxPing": -1}, "maxPing"),
            (NETWORK, {"disconnectTimeout": 1.5}, "disconnectTimeout"),
            (NETWORK, {"upnp": 1}, "upnp"),
            (NETWORK, {"maxPacketSize": 100}, "maxPacketSize"),
            (NETWORK, {"maxPacketSize": 9000}, "maxPacketSize"),
            (NETWORK, {"minBandwidth": -5}, "minBandwidth"),
            (NETWORK, {"maxMsgSend": 0}, "maxMsgSend"),
            (NETWORK, {"minErrorToSend": "0.0.1"}, "minErrorToSend"),
            (NETWORK, {"minErrorToSendNear": "near"}, "minErrorToSendNear"),
            (NETWORK, {"kickTimeouts": 60}, "kickTimeouts"),
            (NETWORK, {"kickTimeouts": {"manualKickTimeoutSeconds": -3}}, "kickTimeouts.manualKickTimeoutSeconds"),
            (NETWORK, {"upnp": True, "maxPacketSize": 100}, "maxPacketSize"),
            (NETWORK, {"maxPing": 10, "minBandwidth": "fast"}, "minBandwidth"),
        ]
        before = self.snapshot()
        for path, body, field in cases:
            with self.subTest(path=path, body=body):
                err = self.assertError(self.aswg.request("POST", path, body, token=self.token), 400, "BAD_REQUEST")
                self.assertIn("'%s'" % field, err["message"])
        for path in (GENERAL, SECURITY, NETWORK):
            self.assertError(self.aswg.request("POST", path, [1], token=self.token), 400, "BAD_REQUEST")
            self.assertError(self.aswg.request("POST", path, raw=b"{", token=self.token,
                                               headers={"Content-Type": "application/json"}), 400, "BAD_REQUEST")
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.get(GENERAL)["port"], 2302)

    def test_syntax_error_gives_409_and_leaves_the_files_alone(self):
        self.write("server.cfg", 'hostname = "x";\nclass Broken {\n')
        self.write("network.cfg", "MaxMsgSend = 64;\n")
        before = self.snapshot()
        for path, body in ((GENERAL, dict(GENERAL_BODY, port=2402)), (SECURITY, SECURITY_BODY), (NETWORK, NETWORK_BODY)):
            with self.subTest(path=path):
                err = self.assertError(self.aswg.request("GET", path, token=self.token), 409, "SERVER_CONFIG_INVALID")
                self.assertIn("server.cfg", err["message"])
                self.assertError(self.aswg.request("POST", path, body, token=self.token), 409, "SERVER_CONFIG_INVALID")
        self.assertEqual(self.snapshot(), before)
        self.assertNotIn("2402", self.aswg.read("aswg-config.properties"))

        # a broken network.cfg stops a network save before server.cfg changes
        self.write("server.cfg", 'hostname = "x";\n')
        self.write("network.cfg", "class sockets { maxPacketSize = ; };\n")
        before = self.snapshot()
        err = self.assertError(self.aswg.request("POST", NETWORK, NETWORK_BODY, token=self.token),
                               409, "SERVER_CONFIG_INVALID")
        self.assertIn("network.cfg", err["message"])
        self.assertError(self.aswg.request("GET", NETWORK, token=self.token), 409, "SERVER_CONFIG_INVALID")
        self.assertEqual(self.snapshot(), before)
        self.post(SECURITY, SECURITY_BODY)  # server.cfg itself is fine

    def test_view_and_save_are_separate_authorities(self):
        a = self.aswg
        viewer_authorities = ["GENERAL_SETTINGS_VIEW", "SECURITY_SETTINGS_VIEW", "NETWORK_SETTINGS_VIEW"]
        saver_authorities = ["GENERAL_SETTINGS_SAVE", "SECURITY_SETTINGS_SAVE", "NETWORK_SETTINGS_SAVE"]
        for name, authorities in (("viewer", viewer_authorities), ("saver", saver_authorities)):
            r = a.request("POST", "/api/v1/users", {"username": name, "password": name + "-password",
                                                    "authorities": authorities}, token=self.token)
            self.assertEqual(r.status, 200, r)
        viewer, saver = a.login("viewer", "viewer-password"), a.login("saver", "saver-password")
        for path in (GENERAL, SECURITY, NETWORK):
            with self.subTest(path=path):
                self.assertEqual(a.request("GET", path, token=viewer).status, 200)
                self.assertError(a.request("POST", path, {}, token=viewer), 403, "ACCESS_DENIED")
                self.assertError(a.request("GET", path, token=saver), 403, "ACCESS_DENIED")
                self.assertEqual(a.request("POST", path, {}, token=saver).status, 200)


def random_value(rng, depth=0):
    kind = rng.randrange(8 if depth < 2 else 5)
    if kind == 0:
        return rng.choice([None, True, False, "", "true", "0.5", "-0", "1e3", "VETERAN", "ALLOWED_FOR_ALL_CLIENTS"])
    if kind == 1:
        return rng.choice([0, -1, -2, 1, 256, 1472, 65531, 2**31, 2**63 - 1, -2**63, 0.5, 1e308])
    if kind == 2:
        return rng.choice(['q"uote', "};\nclass X {", "// c", "/* c", "#include", "x" * 1100, "\u00e9\u4e2d"])
    if kind == 3:
        return "".join(chr(rng.randrange(1, 0x250)) for _ in range(rng.randrange(12)))
    if kind == 4:
        return rng.randrange(-10, 2000)
    if kind in (5, 6):
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["name", "allowedPreMission", "votingThreshold", "manualKickTimeoutSeconds", "harmlessKickTimeoutSeconds"]
    return {rng.choice(keys): random_value(rng, depth + 1) for _ in range(rng.randrange(4))}


class RandomBodiesTest(ServerSettingsTestCase):
    def test_random_values_give_200_or_400_and_always_a_readable_file(self):
        rng = random.Random(7)
        # (the directories stay out: a random path could point anywhere on this machine)
        valid = {GENERAL: {k: v for k, v in GENERAL_BODY.items() if k not in ("serverDirectory", "modsDirectory")},
                 SECURITY: SECURITY_BODY, NETWORK: NETWORK_BODY}
        accepted = 0
        for _ in range(200):
            path = rng.choice(list(valid))
            # one or two random values among good ones, so that many bodies get written
            body = dict(valid[path])
            for key in rng.sample(list(body), rng.randrange(1, 3)):
                body[key] = random_value(rng)
            r = self.aswg.request("POST", path, body, token=self.token)
            self.assertIn(r.status, (200, 400), "%s %r -> %r" % (path, body, r))
            accepted += r.status == 200
            for get_path in (GENERAL, SECURITY, NETWORK):
                self.assertEqual(self.aswg.request("GET", get_path, token=self.token).status, 200,
                                 "after %s %r" % (path, body))
        self.assertGreater(accepted, 10)


class GeneralSettingsConfigTest(ServerSettingsTestCase):
    def setUp(self):
        super().setUp()
        shutil.rmtree(self.aswg.path("srv2"), ignore_errors=True)

    def test_directories_port_and_branch_go_to_the_config_file(self):
        self.write("server.cfg", 'hostname = "old place";\n')
        body = dict(GENERAL_BODY, serverDirectory="srv2", modsDirectory="workshop", port=2402, branch="PROFILING")
        self.post(GENERAL, body)
        config = self.aswg.read("aswg-config.properties")
        for line in ("aswg.server-directory-path=srv2\n", "aswg.mods-directory-path=workshop\n",
                     "aswg.server-port=2402\n", "aswg.server.branch=profiling\n"):
            self.assertIn(line, config)
        self.assertIn("login-rate-limit", config, "the rest of the config file is kept")
        # server.cfg goes to the directory the next start uses; the old one is left alone
        with open(self.aswg.path("srv2", "server.cfg")) as f:
            self.assertEqual(f.read(), lines(GENERAL_LINES))
        self.assertEqual(self.read("server.cfg"), 'hostname = "old place";\n')

        general = self.get(GENERAL)
        self.assertEqual({k: general[k] for k in body}, dict(body, branch="profiling"))
        srv2 = os.path.realpath(self.aswg.path("srv2"))
        exe = "arma3serverprofiling_x64" if "64" in platform.machine() else "arma3server"
        self.assertEqual(general["commandLineParams"],
                         "%s/%s -port=2402 -cfg=%s/network.cfg -config=%s/server.cfg -name=Player"
                         % (srv2, exe, srv2, srv2))
        self.assertIn("General settings saved to srv2/server.cfg and ", self.aswg.log())

        # the next start reads the same settings
        self.aswg.stop()
        self.aswg.start()
        type(self).token = self.aswg.login()
        general = self.get(GENERAL)
        self.assertEqual({k: general[k] for k in body}, dict(body, branch="profiling"))

        self.post(GENERAL, {"serverDirectory": "arma", "port": 2302, "branch": "public"})
        self.assertEqual(self.get(GENERAL)["serverDirectory"], "arma")

    def test_unknown_branch_becomes_public(self):
        self.post(GENERAL, {"branch": "contact"})
        self.assertEqual(self.get(GENERAL)["branch"], "contact")
        self.post(GENERAL, {"branch": "experimental"})
        self.assertEqual(self.get(GENERAL)["branch"], "public")
        self.assertIn("aswg.server.branch=public\n", self.aswg.read("aswg-config.properties"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
