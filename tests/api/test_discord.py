"""Discord settings (ASWG-API.md §3.6 with DECISIONS.md 8) and the test message, against a fake
webhook on loopback that records what it gets and answers as told."""

import http.server
import json
import threading
import unittest

from harness import AswgTestCase

SETTINGS = "/api/v1/settings/discord"


class FakeWebhook(http.server.BaseHTTPRequestHandler):
    received = []
    answers = []        # statuses to answer with, first one first; then 204

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        FakeWebhook.received.append((self.path, self.headers.get("Content-Type"), json.loads(body)))
        status = FakeWebhook.answers.pop(0) if FakeWebhook.answers else 204
        self.send_response(status)
        payload = b'{"message":"You are being rate limited.","retry_after":0.5}' if status == 429 else b""
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class DiscordTest(AswgTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeWebhook)
        threading.Thread(target=cls.hook.serve_forever, daemon=True).start()
        cls.url = "http://127.0.0.1:%d/api/webhooks/1/secret-token" % cls.hook.server_address[1]

    @classmethod
    def tearDownClass(cls):
        cls.hook.shutdown()
        super().tearDownClass()

    def settings(self):
        r = self.aswg.request("GET", SETTINGS, token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def test_defaults(self):
        s = self.settings()
        self.assertEqual(s, {"enabled": False, "webhookUrl": "", "serverStartingMessage": "Starting server...",
                             "serverStartMessage": "Server started", "serverStopMessage": "Server stopped",
                             "serverUpdateMessage": "Updating server...", "serverCrashedMessage": "Server crashed",
                             "playerJoinedMessage": "{player} joined the server",
                             "playerLeftMessage": "{player} left the server"})

    def test_save_applies_and_persists_under_the_right_keys(self):
        body = {"enabled": True, "webhookUrl": self.url, "serverStartingMessage": "Booting",
                "serverStartMessage": "Up", "serverStopMessage": "Down", "serverUpdateMessage": "Patching",
                "serverCrashedMessage": "Boom", "playerJoinedMessage": "Hello {player}",
                "playerLeftMessage": "Bye {player}"}
        r = self.aswg.request("POST", SETTINGS, body, token=self.token)
        self.assertEqual((r.status, r.body), (200, ""), r)
        self.assertEqual(self.settings(), body)
        text = self.aswg.read("aswg-config.properties")
        self.assertIn("aswg.discord.message.server-updating=Patching\n", text)
        self.assertIn("aswg.discord.message.player-joined=Hello {player}\n", text)
        self.assertNotIn("server-update=", text)
        self.assertNotIn("secret-token", self.aswg.log())     # the URL is a secret

    def test_bad_values_change_nothing(self):
        before = self.settings()
        for body in ({"webhookUrl": "ftp://x"}, {"webhookUrl": "https://"}, {"webhookUrl": "https://a b"},
                     {"serverStartMessage": "x" * 257}, {"serverStopMessage": "line\nbreak"},
                     {"enabled": "maybe"}, {"webhookUrl": 5}):
            r = self.aswg.request("POST", SETTINGS, body, token=self.token)
            self.assertError(r, 400, "BAD_REQUEST")
        self.assertEqual(self.settings(), before)

    def test_test_message_reports_discords_answer(self):
        self.aswg.request("POST", SETTINGS, {"webhookUrl": self.url}, token=self.token)
        FakeWebhook.received.clear()
        r = self.aswg.request("POST", SETTINGS + "/test", {}, token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["delivered"], r.json["status"]), (True, 204))
        path, ctype, body = FakeWebhook.received[-1]
        self.assertEqual((path, ctype), ("/api/webhooks/1/secret-token", "application/json"))
        self.assertEqual(body["embeds"][0]["title"], "aswg test message")
        FakeWebhook.answers[:] = [500]
        r = self.aswg.request("POST", SETTINGS + "/test", {}, token=self.token)
        self.assertEqual((r.json["delivered"], r.json["status"]), (False, 500))

    def test_test_message_without_url_or_with_webhook_down(self):
        self.aswg.request("POST", SETTINGS, {"webhookUrl": ""}, token=self.token)
        self.assertError(self.aswg.request("POST", SETTINGS + "/test", {}, token=self.token), 400, "BAD_REQUEST")
        self.aswg.request("POST", SETTINGS, {"webhookUrl": "http://127.0.0.1:9/nothing"}, token=self.token)
        r = self.aswg.request("POST", SETTINGS + "/test", {}, token=self.token)
        self.assertEqual((r.status, r.json["delivered"], r.json["status"]), (200, False, 0))
        self.assertTrue(r.json["message"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
