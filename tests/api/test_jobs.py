"""Jobs API (ASWG-API.md §4 with DECISIONS.md 1, 2 and "Jobs"): settings, schedule, history."""

import os
import re
import signal
import sqlite3
import time
import unittest

from harness import Aswg, AswgTestCase
from pbo import mission_pbo

JOBS = "/api/v1/settings/jobs"
NAMES = {"MOD_UPDATE", "INSTALL_DELETE_MODS", "DIFFICULTY_SCAN", "MOD_SETTINGS_SCAN", "MISSIONS_SCANNER",
         "JWT_CLEANER"}
LOCAL_DATE = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"


def fill_missions(aswg, count):
    d = aswg.path("arma", "mpmissions")
    os.makedirs(d, exist_ok=True)
    data = mission_pbo()
    for i in range(count):
        with open(os.path.join(d, "bulk_%05d.Altis.pbo" % i), "wb") as f:
            f.write(data)


class JobsTest(AswgTestCase):
    # Jobs the tests count runs of are off, so no scheduled firing (e.g. at :00, :20, :40) adds one.
    config = {"aswg.server-directory-path": "arma", "aswg.job.jwt-cleaner.enabled": "false",
              "aswg.job.difficulty-scanner.enabled": "false"}

    def settings(self, name):
        r = self.aswg.request("GET", JOBS + "/" + name, token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def put(self, name, body):
        return self.aswg.request("PUT", JOBS + "/" + name, body, token=self.token)

    def executions(self, name, query=""):
        r = self.aswg.request("GET", JOBS + "/%s/executions%s" % (name, query), token=self.token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def wait_for(self, predicate, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.05)
        self.fail("condition not reached in %.0f s" % timeout)

    def test_names_and_settings(self):
        r = self.aswg.request("GET", JOBS, token=self.token)
        self.assertEqual(set(r.json), NAMES)
        s = self.settings("missions_scanner")
        self.assertEqual(s["name"], "MISSIONS_SCANNER")
        self.assertTrue(s["description"].startswith("Scans for new missions files"))
        self.assertEqual((s["enabled"], s["cron"], s["parameters"]), (True, "0 0/15 * * * *", []))
        self.assertRegex(s["nextExecutionDate"], LOCAL_DATE)
        self.assertEqual(len(s["nextExecutions"]), 5)
        minutes = [int(re.search(r":(\d\d):00$", t).group(1)) for t in s["nextExecutions"]]
        self.assertTrue(all(m % 15 == 0 for m in minutes), minutes)
        self.assertEqual(s["nextExecutions"][0], s["nextExecutionDate"])
        mods = self.settings("INSTALL_DELETE_MODS")
        self.assertEqual({p["name"]: p["value"] for p in mods["parameters"]},
                         {"DELETION_ENABLED": "false", "INSTALLATION_ENABLED": "false"})
        self.assertError(self.aswg.request("GET", JOBS + "/NOPE", token=self.token), 404, "JOB_NOT_FOUND")

    def test_invalid_cron_is_400_and_keeps_the_schedule(self):
        before = self.settings("MOD_UPDATE")   # enabled, daily at 01:00
        self.assertIsNotNone(before["nextExecutionDate"])
        config_before = self.aswg.read("aswg-config.properties")
        for cron, field in (("0 61 * * * *", "minute"), ("* * * * *  *  *", "fields"), ("0 0 25 * * *", "hour"),
                            ("0 0 0 32 * *", "day-of-month"), ("0 0 0 * 13 *", "month"), ("0 0 0 * * XYZ", "day-of-week")):
            r = self.put("MOD_UPDATE", {"enabled": True, "cron": cron})
            self.assertIn(field, self.assertError(r, 400, "INVALID_CRON")["message"], cron)
        after = self.settings("MOD_UPDATE")
        self.assertEqual((after["cron"], after["enabled"], after["nextExecutionDate"]),
                         (before["cron"], before["enabled"], before["nextExecutionDate"]))
        self.assertEqual(self.aswg.read("aswg-config.properties"), config_before)
        r = self.put("INSTALL_DELETE_MODS", {"parameters": {"INSTALLATION_ENABLED": "maybe"}})
        self.assertError(r, 400, "BAD_REQUEST")
        r = self.put("INSTALL_DELETE_MODS", {"parameters": {"NOPE": "true"}})
        self.assertError(r, 400, "BAD_REQUEST")
        self.assertError(self.put("NOPE", {"enabled": True}), 404, "JOB_NOT_FOUND")

    def test_settings_are_saved_keeping_the_file(self):
        r = self.put("MOD_SETTINGS_SCAN", {"enabled": False, "cron": "@daily"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["enabled"], r.json["cron"], r.json["nextExecutionDate"]), (False, "@daily", None))
        text = self.aswg.read("aswg-config.properties")
        self.assertIn("aswg.job.mod-settings-scanner.enabled=false\n", text)
        self.assertIn("aswg.job.mod-settings-scanner.cron=@daily\n", text)
        r = self.put("INSTALL_DELETE_MODS", {"enabled": False, "cron": "0 0/15 * * * *",
                                             "parameters": {"INSTALLATION_ENABLED": True, "DELETION_ENABLED": "false"}})
        self.assertEqual({p["name"]: p["value"] for p in r.json["parameters"]},
                         {"DELETION_ENABLED": "false", "INSTALLATION_ENABLED": "true"})
        self.assertIn("aswg.job.mods-scanner.installation.enabled=true\n", self.aswg.read("aswg-config.properties"))

    def test_every_second_fires_and_disable_stops_at_once(self):
        r = self.put("JWT_CLEANER", {"enabled": True, "cron": "* * * * * *"})
        self.assertEqual(r.status, 200, r)
        def finished():
            done = [e for e in self.executions("JWT_CLEANER") if e["status"] != "STARTED"]
            return done if len(done) >= 2 else None
        runs = self.wait_for(finished)
        self.assertEqual(runs[0]["status"], "SUCCESS")
        self.assertIn("expired revoked token", runs[0]["message"])
        self.assertRegex(runs[0]["startDate"], LOCAL_DATE)
        self.assertGreaterEqual(runs[0]["durationMs"], 0)
        self.assertGreater(runs[0]["id"], runs[1]["id"])
        self.put("JWT_CLEANER", {"enabled": False})
        time.sleep(0.3)
        count = len(self.executions("JWT_CLEANER", "?limit=100"))
        time.sleep(2.2)
        self.assertEqual(len(self.executions("JWT_CLEANER", "?limit=100")), count)
        s = self.settings("JWT_CLEANER")
        self.assertEqual((s["lastStatus"], s["nextExecutionDate"]), ("SUCCESS", None))
        self.assertRegex(s["lastExecutionFinishedDate"], LOCAL_DATE)

    def test_run_now_history_and_paging(self):
        for i in range(3):
            r = self.aswg.request("POST", JOBS + "/DIFFICULTY_SCAN/run-now", {}, token=self.token)
            self.assertEqual((r.status, r.body), (200, ""), r)
            self.assertEqual(len(self.executions("DIFFICULTY_SCAN")), i + 1)  # recorded at once
            self.wait_for(lambda: self.settings("DIFFICULTY_SCAN")["lastStatus"] != "STARTED")
        runs = self.executions("DIFFICULTY_SCAN")
        self.assertGreaterEqual(len(runs), 3)
        self.assertIn("nothing to do", runs[0]["message"])
        page = self.executions("DIFFICULTY_SCAN", "?limit=1")
        self.assertEqual(len(page), 1)
        older = self.executions("DIFFICULTY_SCAN", "?limit=100&before=%d" % page[0]["id"])
        self.assertTrue(all(e["id"] < page[0]["id"] for e in older))
        self.assertEqual(len(older), len(runs) - 1)
        for bad in ("?limit=0", "?limit=abc", "?limit=101", "?before=-1"):
            self.assertError(self.aswg.request("GET", JOBS + "/DIFFICULTY_SCAN/executions" + bad, token=self.token),
                             400, "BAD_REQUEST")
        self.assertError(self.aswg.request("POST", JOBS + "/NOPE/run-now", {}, token=self.token), 404, "JOB_NOT_FOUND")

    def test_missions_scanner_finds_files_and_overlap_is_409(self):
        fill_missions(self.aswg, 1500)
        r = self.aswg.request("POST", JOBS + "/MISSIONS_SCANNER/run-now", {}, token=self.token)
        self.assertEqual(r.status, 200, r)
        r = self.aswg.request("POST", JOBS + "/MISSIONS_SCANNER/run-now", {}, token=self.token)
        self.assertError(r, 409, "JOB_ALREADY_RUNNING")
        self.wait_for(lambda: self.settings("MISSIONS_SCANNER")["lastStatus"] == "SUCCESS", timeout=60)
        self.assertIn("1500 added", self.settings("MISSIONS_SCANNER")["lastMessage"])
        missions = self.aswg.request("GET", "/api/v1/missions", token=self.token).json
        self.assertIn("bulk_00042.Altis", {m["template"] for m in missions["disabledMissions"]})


class OverlapAndOrphanTest(unittest.TestCase):
    def test_overlapping_firing_is_skipped_and_killed_run_is_failed_on_restart(self):
        aswg = Aswg(config={"aswg.server-directory-path": "arma", "aswg.job.missions-scanner.cron": "* * * * * *"})
        fill_missions(aswg, 20000)  # a first scan of several seconds: firings every second overlap it
        aswg.start()
        try:
            token = aswg.login()

            def runs():
                return aswg.request("GET", JOBS + "/MISSIONS_SCANNER/executions?limit=100", token=token).json
            deadline = time.time() + 60
            while time.time() < deadline and not any(e["status"] == "SKIPPED" for e in runs()):
                time.sleep(0.1)
            self.assertTrue(any(e["status"] == "SKIPPED" for e in runs()), runs()[:5])
            skipped = [e for e in runs() if e["status"] == "SKIPPED"][0]
            self.assertIn("still in progress", skipped["message"])
            # touch every file so the next run has real work, then kill -9 while it runs
            for name in os.listdir(aswg.path("arma", "mpmissions")):
                os.utime(aswg.path("arma", "mpmissions", name), (time.time() + 5, time.time() + 5))
            def started():
                return [e["id"] for e in runs() if e["status"] == "STARTED"]
            deadline = time.time() + 60
            while time.time() < deadline and not started():
                time.sleep(0.02)
            self.assertTrue(started(), runs()[:5])
            started_id = started()[0]
            aswg.stop(signal.SIGKILL, check=False)
            db = sqlite3.connect(aswg.path("data", "aswg.db"))
            self.assertEqual(db.execute("SELECT status FROM job_execution WHERE id=?", (started_id,)).fetchone()[0],
                             "STARTED")
            db.close()
            aswg.write_config({"aswg.server-directory-path": "arma", "aswg.job.missions-scanner.enabled": "false"})
            aswg.start()
            token = aswg.login()
            row = [e for e in runs() if e["id"] == started_id][0]
            self.assertEqual((row["status"], row["message"]), ("FAILURE", "aswg stopped while running"))
        finally:
            aswg.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
