"""Steam Workshop mods (ASWG-API.md §6 /workshop*, §4.8 MOD_UPDATE) against a fake SteamCMD that
creates workshop downloads and a fake Steam Web API on loopback."""

import base64
import hashlib
import http.server
import json
import os
import socket
import sys
import threading
import time
import unittest
import urllib.parse

from harness import AswgTestCase

CBA, ACE, RHS = 450814997, 463939057, 843577117
ITEMS = {
    CBA: {"title": "CBA_A3", "time_updated": 1700000000, "children": []},
    ACE: {"title": "ace", "time_updated": 1700000100, "children": [CBA, RHS]},
    RHS: {"title": "RHS: USAF", "time_updated": 1700000200, "children": []},
}

# Known to GetPublishedFileDetails but not found by searches.
DETAILS_ONLY = {111222333: {"title": "Socket Mod", "time_updated": 1700000300, "children": []},
                555666777: {"title": "Hand Mod", "time_updated": 1700000400, "children": []}}

# Lists of items in the working directory change what it does: fail-once.txt (one Timeout),
# fail-always.txt (every attempt fails) and grow-slowly.txt (the download grows in SteamCMD's
# staging folder for a few seconds, as a big one does).
FAKE_STEAMCMD = r'''
import json, os, shutil, sys, time
args = sys.argv[1:]
with open(os.environ.get("FAKE_LOG", "%(log)s"), "a") as f:
    f.write(json.dumps(args) + "\n")
content = "%(content)s"
fail_once = "%(fail_once)s"
def listed(name, item):
    path = os.path.join(os.path.dirname(fail_once), name)
    return os.path.exists(path) and item in open(path).read().split()
for i, a in enumerate(args):
    if a != "+workshop_download_item":
        continue
    item = args[i + 2]
    if listed("fail-always.txt", item):
        print("ERROR! Download item %%s failed (No subscription)." %% item, flush=True)
        continue
    if listed("grow-slowly.txt", item):
        staging = os.path.join(os.path.dirname(content), "downloads", "107410", item)
        os.makedirs(staging, exist_ok=True)
        for part in range(4):
            with open(os.path.join(staging, "part%%d" %% part), "w") as f:
                f.write("x" * 25)
            time.sleep(1.2)
        shutil.rmtree(staging)
    marker = os.path.join(os.path.dirname(fail_once), "failed-" + item)
    if os.path.exists(fail_once) and item in open(fail_once).read().split() and not os.path.exists(marker):
        open(marker, "w").close()
        print("ERROR! Download item %%s failed (Timeout)." %% item, flush=True)
        continue
    base = os.path.join(content, "107410", item)
    os.makedirs(os.path.join(base, "Addons"), exist_ok=True)
    with open(os.path.join(base, "meta.cpp"), "w") as f:
        f.write('publishedid = %%s;\nname = "item %%s";\n' %% (item, item))
    with open(os.path.join(base, "Addons", "Mod_File.pbo"), "w") as f:
        f.write("x" * 100)
    print("Success. Downloaded item %%s to \"%%s\" (100 bytes)" %% (item, base), flush=True)
'''


def export_placeholder(name):
    return ('<html><meta name="arma:PresetName" content="%s" /><tr data-type="ModContainer"><td data-type='
            '"DisplayName">CBA_A3</td><a href="https://steamcommunity.com/sharedfiles/filedetails/?id=450814997">x'
            '</a></tr></html>' % name)


class FakeSteamApi(http.server.BaseHTTPRequestHandler):
    calls = []

    def answer(self, payload):
        body = json.dumps({"response": payload}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    @staticmethod
    def details(ids, with_children=False):
        out = []
        for i in ids:
            item = ITEMS.get(int(i)) or DETAILS_ONLY.get(int(i))
            if not item:
                out.append({"publishedfileid": str(i), "result": 9})
                continue
            d = {"publishedfileid": str(i), "result": 1, "consumer_app_id": 107410, "title": item["title"],
                 "time_updated": item["time_updated"], "file_size": "100", "preview_url": "https://p/%s.jpg" % i,
                 "description": "about " + item["title"]}
            if with_children:
                d["children"] = [{"publishedfileid": str(c), "sortorder": 0, "file_type": 0} for c in item["children"]]
            out.append(d)
        return out

    def do_POST(self):
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        FakeSteamApi.calls.append(("POST", self.path, form))
        ids = [form["publishedfileids[%d]" % i][0] for i in range(int(form["itemcount"][0]))]
        self.answer({"result": 1, "resultcount": len(ids), "publishedfiledetails": self.details(ids)})

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query)
        FakeSteamApi.calls.append(("GET", url.path, q))
        if url.path.endswith("/GetDetails/v1/"):
            self.answer({"publishedfiledetails": self.details([q["publishedfileids[0]"][0]], True)})
        else:
            found = [i for i, it in ITEMS.items() if q.get("search_text", [""])[0].lower() in it["title"].lower()]
            self.answer({"total": len(found), "next_cursor": "AoJ-next",
                         "publishedfiledetails": self.details(found, True)})

    def log_message(self, *args):
        pass


class WorkshopTest(AswgTestCase):
    @classmethod
    def setUpClass(cls):
        cls.api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeSteamApi)
        threading.Thread(target=cls.api.serve_forever, daemon=True).start()
        cls.config = {"aswg.server-directory-path": "arma", "aswg.mods-directory-path": "mods",
                      "aswg.steam.web-api-url": "http://127.0.0.1:%d" % cls.api.server_address[1],
                      "aswg.steamcmd.retry-delay": "300ms", "aswg.steamcmd.username": "steamuser",
                      "aswg.steamcmd.password": "s3cret-pass", "aswg.job.mod-update.enabled": "false"}
        super().setUpClass()
        w = cls.aswg.workdir
        cls.content = os.path.join(w, "workshop")
        cls.log = os.path.join(w, "steamcmd-calls.txt")
        cls.fail_once = os.path.join(w, "fail-once.txt")
        cls.steamcmd = os.path.join(w, "steamcmd", "steamcmd.sh")
        os.makedirs(os.path.dirname(cls.steamcmd))
        with open(cls.steamcmd, "w") as f:
            f.write("#!%s\n" % sys.executable + FAKE_STEAMCMD % {"log": cls.log, "content": cls.content,
                                                                  "fail_once": cls.fail_once})
        os.chmod(cls.steamcmd, 0o755)

    @classmethod
    def tearDownClass(cls):
        cls.api.shutdown()
        cls.api.server_close()
        super().tearDownClass()

    def call(self, method, path, body=None):
        return self.aswg.request(method, path, body, token=self.token)

    def steam_settings(self, **values):
        r = self.call("POST", "/api/v1/settings/steam", values)
        self.assertEqual(r.status, 200, r)

    def steamcmd_calls(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [json.loads(line) for line in f]

    def wait_queue_empty(self, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            q = self.call("GET", "/api/v1/workshop/download-queue").json["mods"]
            if not q:
                return
            time.sleep(0.1)
        self.fail("queue not empty: %r" % q)

    def mods(self):
        listing = self.call("GET", "/api/v1/mods").json
        return {m["workshopFileId"]: m for m in listing["enabledMods"] + listing["disabledMods"]}

    def run_job(self, name):
        self.assertEqual(self.call("POST", "/api/v1/settings/jobs/%s/run-now" % name).status, 200)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            runs = self.call("GET", "/api/v1/settings/jobs/%s/executions?limit=1" % name).json
            if runs and runs[0]["status"] != "STARTED":
                return runs[0]
            time.sleep(0.1)
        self.fail("job did not finish")

    def test_1_install_update_and_retry(self):
        self.assertEqual(self.call("GET", "/api/v1/workshop/active").json, {"active": False})
        r = self.call("POST", "/api/v1/workshop/install", {"fileId": CBA, "modName": "CBA_A3"})
        self.assertError(r, 500, "STEAM_CMD_NOT_INSTALLED")
        self.assertEqual(self.run_job("MOD_UPDATE")["message"],
                         "nothing to do: steamcmd is not configured (aswg.steamcmd.path)")

        self.steam_settings(steamCmdPath=self.steamcmd, steamCmdWorkshopContentPath=self.content)
        self.assertEqual(self.call("GET", "/api/v1/workshop/active").json, {"active": True})
        for bad in ({}, {"fileId": 0}, {"fileId": "abc"}, {"fileId": 5, "modName": "x" * 300}):
            self.assertError(self.call("POST", "/api/v1/workshop/install", bad), 400, "BAD_REQUEST")
        r = self.call("POST", "/api/v1/workshop/install", {"fileId": CBA, "modName": "CBA_A3",
                                                           "installDependencies": False})
        self.assertEqual((r.status, r.json), (200, {"fileId": CBA}), r)
        self.wait_queue_empty()
        cba = self.mods()[CBA]
        self.assertEqual(cba["status"], "READY")
        self.assertEqual(cba["directoryName"], "@cba_a3")
        self.assertEqual(cba["previewUrl"], "https://p/%d.jpg" % CBA)
        self.assertEqual(cba["lastWorkshopUpdateDateTime"],
                         time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(1700000000)))
        link = self.aswg.path("arma", "mods", "@cba_a3")
        self.assertTrue(os.path.islink(link))
        self.assertEqual(os.path.realpath(link), os.path.realpath(os.path.join(self.content, "107410", str(CBA))))
        self.assertTrue(os.path.isfile(os.path.join(link, "addons", "mod_file.pbo")))    # lower-cased for Linux
        calls = self.steamcmd_calls()
        self.assertEqual(calls[-1], ["+login", "steamuser", "s3cret-pass", "+workshop_download_item", "107410",
                                     str(CBA), "+quit"])
        logs = self.call("GET", "/api/v1/logging/latest-logs").json["logs"]
        self.assertTrue(any("[steamcmd] Success. Downloaded item %d" % CBA in l for l in logs), logs)
        self.assertNotIn("s3cret-pass", self.aswg.log())

        # With dependencies: ACE needs CBA (installed) and RHS (not): RHS is queued too.
        deps = self.call("GET", "/api/v1/workshop/mod/%d/dependencies" % ACE)
        self.assertError(deps, 400, "STEAM_API_KEY_MISSING")
        self.steam_settings(steamWebApiToken="KEY123")
        deps = self.call("GET", "/api/v1/workshop/mod/%d/dependencies" % ACE).json
        self.assertEqual(deps, {"modId": ACE, "dependencies": [
            {"modId": CBA, "modName": "CBA_A3", "status": "INSTALLED"},
            {"modId": RHS, "modName": "RHS: USAF", "status": "NOT_INSTALLED"}]})
        with open(self.fail_once, "w") as f:
            f.write(str(RHS))
        r = self.call("POST", "/api/v1/workshop/install", {"fileId": ACE, "modName": "ace",
                                                           "installDependencies": True})
        self.assertEqual(r.status, 200, r)
        self.wait_queue_empty()
        mods = self.mods()
        self.assertEqual(sorted(mods), sorted([CBA, ACE, RHS]))
        self.assertEqual(mods[RHS]["directoryName"], "@rhs__usaf")
        rhs_calls = [c for c in self.steamcmd_calls() if str(RHS) in c]
        self.assertGreaterEqual(len(rhs_calls), 2)      # failed once (Timeout), then retried

        installed = self.call("GET", "/api/v1/workshop/installed-items").json
        self.assertEqual(sorted(m["fileId"] for m in installed["mods"]), sorted([CBA, ACE, RHS]))
        self.assertEqual(installed["modsUnderInstallation"], [])

        # MOD_UPDATE: only what changed on the workshop, in one SteamCMD session.
        before = len(self.steamcmd_calls())
        self.assertEqual(self.run_job("MOD_UPDATE")["message"], "all 3 mod(s) are up to date")
        self.assertEqual(len(self.steamcmd_calls()), before)
        ITEMS[CBA]["time_updated"] += 1000
        ITEMS[RHS]["time_updated"] += 1000
        run = self.run_job("MOD_UPDATE")
        self.assertEqual(run["status"], "SUCCESS", run)
        self.assertEqual(run["message"], "2 mod(s) queued for update: @cba_a3, @rhs__usaf")
        calls = self.steamcmd_calls()[before:]
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual([calls[0][i + 2] for i, a in enumerate(calls[0]) if a == "+workshop_download_item"],
                         [str(CBA), str(RHS)])
        self.assertEqual(self.mods()[CBA]["lastWorkshopUpdateDateTime"],
                         time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(1700001000)))

    def test_2_query(self):
        self.steam_settings(steamWebApiToken="")
        r = self.call("POST", "/api/v1/workshop/query", {"searchText": "ace"})
        self.assertError(r, 400, "STEAM_API_KEY_MISSING")
        self.steam_settings(steamWebApiToken="KEY123")
        r = self.call("POST", "/api/v1/workshop/query", {"cursor": "*", "searchText": "ace", "searchByModId": False,
                                                         "sortingType": "MOST_SUBSCRIBERS", "daysPeriod": 7})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["nextCursor"], "AoJ-next")
        self.assertEqual([(m["fileId"], m["title"]) for m in r.json["mods"]], [(ACE, "ace")])
        self.assertEqual(r.json["mods"][0]["dependencies"], [CBA, RHS])
        self.assertEqual(r.json["mods"][0]["modWorkshopUrl"],
                         "https://steamcommunity.com/sharedfiles/filedetails/?id=%d" % ACE)
        _, path, q = FakeSteamApi.calls[-1]
        self.assertEqual((q["key"], q["appid"], q["query_type"], q["days"]), (["KEY123"], ["107410"], ["9"], ["7"]))
        r = self.call("POST", "/api/v1/workshop/query", {"searchText": str(RHS), "searchByModId": True})
        self.assertEqual([m["title"] for m in r.json["mods"]], ["RHS: USAF"])
        for bad in ({"sortingType": "BEST"}, {"daysPeriod": -1}, {"searchText": "x", "searchByModId": True}):
            self.assertError(self.call("POST", "/api/v1/workshop/query", bad), 400, "BAD_REQUEST")
        self.assertNotIn("KEY123", self.aswg.log())

    def test_3_presets(self):
        self.steam_settings(steamCmdPath=self.steamcmd, steamCmdWorkshopContentPath=self.content)
        base = "/api/v1/mods-presets"
        self.assertEqual(self.call("GET", base).json, {"presets": []})
        r = self.call("PUT", base + "/Main%20Ops", {"modNames": ["ace", "CBA_A3"]})
        self.assertEqual((r.status, r.json), (200, {"saved": True}), r)
        self.assertError(self.call("PUT", base + "/Bad", {"modNames": ["nope"]}), 404, "MOD_NOT_FOUND")
        self.assertError(self.call("PUT", base + "/Bad", {"modNames": "ace"}), 400, "BAD_REQUEST")
        self.assertError(self.call("PUT", base + "/123", {"modNames": ["ace"]}), 400, "BAD_REQUEST")  # ids are numbers
        self.assertError(self.call("POST", base + "/import-html", {"html": export_placeholder("a/b")}), 400,
                         "BAD_REQUEST")
        self.assertEqual(self.call("GET", base).json, {"presets": ["Main Ops"]})
        preset = self.call("GET", base + "/Main%20Ops").json
        self.assertEqual([(e["modId"], e["name"]) for e in preset["entries"]], [(ACE, "ace"), (CBA, "CBA_A3")])
        self.assertEqual(self.call("GET", base + "/%d" % preset["id"]).json, preset)
        self.assertError(self.call("GET", base + "/nothing"), 404, "PRESET_NOT_FOUND")

        self.assertEqual(self.call("POST", base + "/select", {"name": "Main Ops"}).status, 200)
        enabled = self.call("GET", "/api/v1/mods").json["enabledMods"]
        self.assertEqual([m["workshopFileId"] for m in enabled], [ACE, CBA])
        self.assertError(self.call("POST", base + "/select", {"name": "nothing"}), 404, "PRESET_NOT_FOUND")

        export = self.call("GET", base + "/Main%20Ops/export")
        self.assertEqual(export.status, 200)
        self.assertTrue(export.header("Content-Type").startswith("text/html"))
        self.assertIn('content="Main Ops"', export.body)
        self.assertIn("filedetails/?id=%d" % CBA, export.body)
        r = self.call("POST", base + "/import-html", {"html": export.body, "name": "Copy"})
        self.assertEqual((r.status, r.json), (200, {"queued": 0}), r)
        copy = self.call("GET", base + "/Copy").json
        self.assertEqual([e["modId"] for e in copy["entries"]], [ACE, CBA])

        launcher = ('<?xml version="1.0" encoding="utf-8"?><html><head><meta name="arma:Type" content="preset" />'
                    '<meta name="arma:PresetName" content="Friday &amp; Co" /></head><body><div class="mod-list"><table>'
                    '<tr data-type="ModContainer"><td data-type="DisplayName">CBA_A3</td><td><span class="from-steam">'
                    'Steam</span></td><td><a href="https://steamcommunity.com/sharedfiles/filedetails/?id=450814997" '
                    'data-type="Link">x</a></td></tr>'
                    '<tr data-type="ModContainer"><td data-type="DisplayName">Task Force &lt;Radio&gt;</td><td>'
                    '<span class="from-steam">Steam</span></td><td><a href="https://steamcommunity.com/sharedfiles/'
                    'filedetails/?id=894678801" data-type="Link">x</a></td></tr>'
                    '<tr data-type="ModContainer"><td data-type="DisplayName">My local mod</td><td>'
                    '<span class="from-local">Local</span></td><td></td></tr></table></div></body></html>')
        r = self.call("POST", base + "/import-html", {"html": launcher})
        self.assertEqual((r.status, r.json), (200, {"queued": 1}), r)
        friday = self.call("GET", base + "/Friday%20%26%20Co").json
        self.assertEqual([(e["modId"], e["name"]) for e in friday["entries"]],
                         [(CBA, "CBA_A3"), (894678801, "Task Force <Radio>")])
        self.wait_queue_empty()
        self.assertIn(894678801, self.mods())

        r = self.call("POST", base + "/import", {"name": "Json", "modParams": [{"id": str(RHS), "title": "RHS"}]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual([e["modId"] for e in self.call("GET", base + "/Json").json["entries"]], [RHS])
        for bad in ({"name": "X", "modParams": [{"id": 0}]}, {"name": "X", "modParams": [7]}, {"name": "X"},
                    {"name": "", "modParams": []}):
            self.assertError(self.call("POST", base + "/import", bad), 400, "BAD_REQUEST")
        self.assertError(self.call("POST", base + "/import-html", {"html": "<html>nothing</html>"}), 400,
                         "BAD_REQUEST")
        huge = self.aswg.request("POST", base + "/import-html", raw=json.dumps({"html": "x" * (2 << 20)}).encode(),
                                 token=self.token, headers={"Content-Type": "application/json"})
        self.assertError(huge, 413, "PAYLOAD_TOO_LARGE")

        r = self.call("DELETE", base + "/Copy")
        self.assertEqual((r.status, r.json), (200, {"deleted": True}))
        self.assertError(self.call("DELETE", base + "/Copy"), 404, "PRESET_NOT_FOUND")

    def open_socket(self):
        sock = socket.create_connection(("127.0.0.1", self.aswg.port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(("GET /api/v1/ws/workshop-mod-install-progress HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % key).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(4096)
        head, rest = head.split(b"\r\n\r\n", 1)
        self.assertIn(b" 101 ", head.split(b"\r\n")[0])
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
        self.assertIn(b"Sec-WebSocket-Accept: " + accept, head)
        return sock, rest

    def read_frames(self, sock, data, until, timeout=15):
        """Frames until until(frames) holds; returns (frames, unread bytes)."""
        frames = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while len(data) >= 2 and len(data) >= 2 + (data[1] & 0x7F):
                self.assertEqual(data[0], 0x81)          # one unmasked text frame per message
                n = data[1] & 0x7F
                frames.append(json.loads(data[2:2 + n]))
                data = data[2 + n:]
            if until(frames):
                return frames, data
            data += sock.recv(4096)
        self.fail("frames so far: %r" % frames)

    def test_4_websocket_progress(self):
        self.steam_settings(steamCmdPath=self.steamcmd, steamCmdWorkshopContentPath=self.content)
        with open(os.path.join(self.aswg.workdir, "grow-slowly.txt"), "w") as f:
            f.write("111222333")
        sock, data = self.open_socket()
        r = self.call("POST", "/api/v1/workshop/install", {"fileId": 111222333, "modName": "Socket Mod"})
        self.assertEqual(r.status, 200, r)

        # A second socket, opened while the download runs, first hears where it stands.
        growing = lambda fs: any(f["fileId"] == 111222333 and 0 < f["status"] < 50 for f in fs)
        frames, data = self.read_frames(sock, data, growing)
        late, _ = self.open_socket()
        greeting, _ = self.read_frames(late, _, lambda fs: len(fs) >= 1)
        self.assertEqual(greeting[0]["fileId"], 111222333)
        self.assertGreater(greeting[0]["status"], 0)
        late.close()

        done = lambda fs: any(f["fileId"] == 111222333 and f["status"] == 100 for f in fs)
        more, data = self.read_frames(sock, data, done)
        sock.sendall(b"\x88\x80\x00\x00\x00\x00")      # masked close frame
        sock.close()
        statuses = [f["status"] for f in frames + more if f["fileId"] == 111222333]
        # 0 (queued) comes from the broadcast or, when the install beat the socket's registration,
        # from the greeting (possibly both); then the download's growth, 50, 75, 100, in order.
        steps = [s for i, s in enumerate(statuses) if i == 0 or s != statuses[i - 1]]
        self.assertEqual(steps[0], 0, statuses)
        self.assertEqual(steps[-3:], [50, 75, 100], statuses)
        growth = steps[1:-3]
        self.assertTrue(growth and all(0 < g < 50 for g in growth), statuses)
        self.assertEqual(growth, sorted(growth), statuses)
        queued = self.call("GET", "/api/v1/workshop/download-queue").json["mods"]
        self.assertEqual(queued, [])
        bad = self.aswg.request("GET", "/api/v1/ws/workshop-mod-install-progress")
        self.assertError(bad, 400, "BAD_REQUEST")

    def test_4b_failed_download_stays_listed(self):
        self.steam_settings(steamCmdPath=self.steamcmd, steamCmdWorkshopContentPath=self.content)
        with open(os.path.join(self.aswg.workdir, "fail-always.txt"), "w") as f:
            f.write("222333444")
        r = self.call("POST", "/api/v1/workshop/install", {"fileId": 222333444, "modName": "Broken"})
        self.assertEqual(r.status, 200, r)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            queue = self.call("GET", "/api/v1/workshop/download-queue").json["mods"]
            if queue and queue[0]["failed"]:
                break
            time.sleep(0.1)
        self.assertEqual(len(queue), 1, queue)
        item = queue[0]
        self.assertEqual((item["fileId"], item["title"], item["installAttemptCount"], item["failed"]),
                         (222333444, "Broken", 3, True), item)
        self.assertEqual(item["lastError"], "SteamCMD: ERROR! Download item 222333444 failed (No subscription).")
        calls = [c for c in self.steamcmd_calls() if "222333444" in c]
        self.assertEqual(len(calls), 3)
        time.sleep(1.5)                                  # given up: no further attempt
        self.assertEqual(len([c for c in self.steamcmd_calls() if "222333444" in c]), 3)
        installed = self.call("GET", "/api/v1/workshop/installed-items").json
        self.assertEqual(installed["modsUnderInstallation"], [])
        self.assertNotIn(222333444, self.mods())
        for m in installed["mods"]:                      # the WorkshopMod keys, unset ones null
            self.assertEqual(set(m), {"fileId", "title", "description", "previewUrl", "modWorkshopUrl",
                                      "lastUpdate", "dependencies"})

        # Installing again starts over; removing takes it off the queue.
        os.remove(os.path.join(self.aswg.workdir, "fail-always.txt"))
        self.steam_settings(steamCmdPath="/nonexistent/steamcmd.sh")      # hold the worker back
        r = self.call("POST", "/api/v1/workshop/install", {"fileId": 222333444, "modName": "Broken"})
        self.assertError(r, 500, "STEAM_CMD_NOT_INSTALLED")
        self.steam_settings(steamCmdPath=self.steamcmd)
        r = self.call("POST", "/api/v1/workshop/install", {"fileId": 222333444, "modName": "Broken"})
        self.assertEqual(r.status, 200, r)
        self.wait_queue_empty()
        self.assertIn(222333444, self.mods())
        with open(os.path.join(self.aswg.workdir, "fail-always.txt"), "w") as f:
            f.write("333444555")
        r = self.call("POST", "/api/v1/workshop/install", {"fileId": 333444555, "modName": "Gone"})
        self.assertEqual(r.status, 200, r)
        r = self.call("DELETE", "/api/v1/workshop/download-queue/333444555")
        self.assertEqual((r.status, r.json), (200, {"fileId": 333444555}))
        self.assertEqual(self.call("GET", "/api/v1/workshop/download-queue").json["mods"], [])
        self.assertError(self.call("DELETE", "/api/v1/workshop/download-queue/333444555"), 404, "NOT_FOUND")
        self.assertError(self.call("DELETE", "/api/v1/workshop/download-queue/abc"), 400, "BAD_REQUEST")

    def test_5_queue_survives_a_restart(self):
        slow = os.path.join(self.aswg.workdir, "steamcmd", "slow.sh")
        started = os.path.join(self.aswg.workdir, "slow-started")
        with open(slow, "w") as f:
            f.write("#!/bin/sh\ntouch '%s'\nexec sleep 60\n" % started)
        os.chmod(slow, 0o755)
        self.steam_settings(steamCmdPath=slow, steamCmdWorkshopContentPath=self.content)
        r = self.call("POST", "/api/v1/workshop/install", {"fileId": 777888999, "modName": "Durable"})
        self.assertEqual(r.status, 200, r)
        deadline = time.monotonic() + 10
        while not os.path.exists(started) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(os.path.exists(started))
        t0 = time.monotonic()
        self.assertEqual(self.aswg.stop(), 0)
        self.assertLess(time.monotonic() - t0, 8)
        with open(self.steamcmd) as src, open(slow, "w") as dst:     # the next session succeeds
            dst.write(src.read())
        self.aswg.start()
        type(self).token = self.aswg.login()
        self.wait_queue_empty()
        self.assertIn(777888999, self.mods())

    def test_6_an_update_goes_into_the_folder_the_mod_is_registered_under(self):
        self.steam_settings(steamCmdPath=self.steamcmd, steamCmdWorkshopContentPath=self.content)
        folder = self.aswg.path("arma", "mods", "@handmade")
        os.makedirs(os.path.join(folder, "addons"))
        with open(os.path.join(folder, "meta.cpp"), "w") as f:
            f.write('publishedid = 555666777;\nname = "Hand Mod";\n')
        with open(os.path.join(folder, "addons", "old.pbo"), "w") as f:
            f.write("old")
        self.assertEqual(self.call("POST", "/api/v1/mods/manage", {"name": "@handmade"}).status, 200)
        r = self.call("POST", "/api/v1/workshop/install", {"fileId": 555666777, "modName": "Hand Mod"})
        self.assertEqual(r.status, 200, r)
        self.wait_queue_empty()
        self.assertEqual(self.mods()[555666777]["directoryName"], "@handmade")
        self.assertTrue(os.path.islink(folder))                       # now the download
        self.assertFalse(os.path.exists(self.aswg.path("arma", "mods", "@hand_mod")))
        names = [m["directoryName"] for m in self.call("GET", "/api/v1/mods").json["notManagedMods"]]
        self.assertNotIn("@hand_mod", names)


if __name__ == "__main__":
    unittest.main()
