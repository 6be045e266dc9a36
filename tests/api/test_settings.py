"""Logging properties (server.cfg logFile) and Steam settings (aswg-config.properties)."""

import os
import unittest

from harness import AswgTestCase

LOGGING = "/api/v1/logging/properties"
STEAM = "/api/v1/settings/steam"


class LoggingPropertiesTest(AswgTestCase):
    config = {"aswg.server-directory-path": "arma"}

    def test_log_file_round_trip_keeps_the_rest_of_server_cfg(self):
        os.makedirs(self.aswg.path("arma"), exist_ok=True)
        original = '// admin notes\r\nhostname = "My ""Server""";\r\n#include "extra.cfg"\r\nlogFile = "old.log";\r\n'
        with open(self.aswg.path("arma", "server.cfg"), "w", newline="") as f:
            f.write(original)
        self.assertEqual(self.aswg.request("GET", LOGGING, token=self.token).json, {"logFile": "old.log"})
        r = self.aswg.request("POST", LOGGING, {"logFile": 'server "console".log'}, token=self.token)
        self.assertEqual((r.status, r.body), (200, ""), r)
        self.assertEqual(self.aswg.request("GET", LOGGING, token=self.token).json, {"logFile": 'server "console".log'})
        with open(self.aswg.path("arma", "server.cfg"), newline="") as f:
            text = f.read()
        self.assertEqual(text, original.replace('"old.log"', '"server ""console"".log"'))

    def test_bad_input_changes_nothing(self):
        before = self.aswg.request("GET", LOGGING, token=self.token).json
        for body in ({}, {"logFile": 5}, {"logFile": "a\nb"}, {"logFile": "x" * 2000}):
            self.assertError(self.aswg.request("POST", LOGGING, body, token=self.token), 400, "BAD_REQUEST")
        self.assertEqual(self.aswg.request("GET", LOGGING, token=self.token).json, before)

    def test_log_file_stays_inside_the_server_directory(self):
        # any signed-in user may set it, and the game appends player chat to it
        before = self.aswg.request("GET", LOGGING, token=self.token).json
        for bad in ("/home/aswg/.ssh/authorized_keys", "../.bashrc", "logs/../../x.log", "..", "a\\b.log", "/"):
            r = self.aswg.request("POST", LOGGING, {"logFile": bad}, token=self.token)
            self.assertIn("logFile", self.assertError(r, 400, "BAD_REQUEST")["message"], bad)
        self.assertEqual(self.aswg.request("GET", LOGGING, token=self.token).json, before)
        r = self.aswg.request("POST", LOGGING, {"logFile": "logs/./console.log"}, token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.aswg.request("GET", LOGGING, token=self.token).json, {"logFile": "logs/console.log"})
        self.assertEqual(self.aswg.request("POST", LOGGING, {"logFile": ""}, token=self.token).status, 200)
        self.assertEqual(self.aswg.request("GET", LOGGING, token=self.token).json, {"logFile": ""})

    def test_broken_server_cfg_is_left_alone(self):
        os.makedirs(self.aswg.path("arma"), exist_ok=True)
        with open(self.aswg.path("arma", "server.cfg"), "w") as f:
            f.write("class Broken {\n")
        r = self.aswg.request("POST", LOGGING, {"logFile": "x.log"}, token=self.token)
        self.assertError(r, 409, "SERVER_CONFIG_INVALID")
        self.assertEqual(self.aswg.read("arma", "server.cfg"), "class Broken {\n")
        os.unlink(self.aswg.path("arma", "server.cfg"))


class SteamSettingsTest(AswgTestCase):
    def test_round_trip_password_write_only(self):
        s = self.aswg.request("GET", STEAM, token=self.token).json
        self.assertEqual(s, {"steamCmdPath": "", "steamCmdUsername": "", "steamCmdPassword": None,
                             "steamCmdWorkshopContentPath": "", "steamWebApiToken": ""})
        body = {"steamCmdPath": "/opt/steamcmd/steamcmd.sh", "steamCmdUsername": "arma_admin",
                "steamCmdPassword": "ignored-here", "steamCmdWorkshopContentPath": "/srv/workshop",
                "steamWebApiToken": "ABCDEF123"}
        self.assertEqual(self.aswg.request("POST", STEAM, body, token=self.token).status, 200)
        s = self.aswg.request("GET", STEAM, token=self.token).json
        self.assertEqual(s, dict(body, steamCmdPassword=None))
        text = self.aswg.read("aswg-config.properties")
        self.assertIn("aswg.steamcmd.path=/opt/steamcmd/steamcmd.sh\n", text)
        self.assertNotIn("ignored-here", text)
        r = self.aswg.request("POST", STEAM + "/password-change", {"password": "steam-secret"}, token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertIn("aswg.steamcmd.password=steam-secret\n", self.aswg.read("aswg-config.properties"))
        self.assertIsNone(self.aswg.request("GET", STEAM, token=self.token).json["steamCmdPassword"])
        self.assertNotIn("steam-secret", self.aswg.log())

    def test_bad_input(self):
        for body in ({"steamCmdPath": 7}, {"steamCmdUsername": "a\tb"}, {"steamWebApiToken": "x" * 2000}):
            self.assertError(self.aswg.request("POST", STEAM, body, token=self.token), 400, "BAD_REQUEST")
        self.assertError(self.aswg.request("POST", STEAM + "/password-change", {}, token=self.token),
                         400, "BAD_REQUEST")


if __name__ == "__main__":
    unittest.main(verbosity=2)
