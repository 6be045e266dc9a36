"""HTTP core: error contract, CORS, the web UI (embedded and from a directory), limits, actuator."""

import gzip
import http.client
import json
import os
import socket
import time
import unittest

from harness import Aswg, AswgTestCase


class ErrorContractTest(AswgTestCase):
    def test_unknown_api_route_is_404_json(self):
        for path in ("/api/v1/nope", "/api/v1/users/1/nope", "/api", "/apifoo"):
            self.assertError(self.aswg.request("GET", path, token=self.token), 404, "NOT_FOUND")

    def test_wrong_method_is_405_with_allow(self):
        r = self.aswg.request("DELETE", "/api/v1/auth/myself", token=self.token)
        self.assertError(r, 405, "METHOD_NOT_ALLOWED")
        self.assertEqual(r.header("Allow"), "GET")
        r = self.aswg.request("POST", "/index.html", raw=b"x")
        self.assertError(r, 405, "METHOD_NOT_ALLOWED")

    def test_json_body_over_limit_is_413(self):
        big = b'{"username":"' + b"a" * (2 * 1024 * 1024) + b'","password":"x"}'
        try:
            r = self.aswg.request("POST", "/api/v1/auth", raw=big, headers={"Content-Type": "application/json"})
            self.assertError(r, 413, "PAYLOAD_TOO_LARGE")
        except (ConnectionResetError, BrokenPipeError):
            self.fail("aswg closed the connection without answering 413")
        self.assertEqual(self.aswg.request("GET", "/api/v1/actuator/health").status, 200)

    def test_chunked_body_over_limit_is_413(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.aswg.port, timeout=10)
        def chunks():
            for _ in range(40):
                yield b"a" * 65536
        try:
            conn.request("POST", "/api/v1/auth", body=chunks(), encode_chunked=True,
                         headers={"Transfer-Encoding": "chunked"})
            r = conn.getresponse()
            self.assertEqual(r.status, 413)
            self.assertEqual(json.loads(r.read())["code"], "PAYLOAD_TOO_LARGE")
        except (ConnectionResetError, BrokenPipeError):
            pass  # aswg answered 413 and closed while we were still sending: acceptable
        finally:
            conn.close()

    def test_request_id_and_security_headers(self):
        r = self.aswg.request("GET", "/api/v1/actuator/health")
        self.assertRegex(r.header("X-Request-Id"), r"^[0-9a-f]{8}-\d+$")
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(r.header("Cache-Control"), "no-store")

    def test_garbage_never_crashes_the_server(self):
        payloads = [b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                    b"\x00\x01\x02garbage\r\n\r\n",
                    b"POST /api/v1/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n{\"a",
                    b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
                    b"GET /api/v1/users/%00 HTTP/1.1\r\nHost: x\r\n\r\n"]
        for p in payloads:
            with socket.create_connection(("127.0.0.1", self.aswg.port), timeout=2) as s:
                try:
                    s.sendall(p)
                    data = s.recv(65536)
                except OSError:
                    continue  # closed or no answer to garbage: fine, as long as it is not a 5xx
                if data.startswith(b"HTTP/1.1 5"):
                    self.fail("5xx for %r: %r" % (p, data[:200]))
        self.assertEqual(self.aswg.request("GET", "/api/v1/actuator/health").status, 200)


class GzipTest(AswgTestCase):
    """JSON answers a client accepts gzip for come compressed (the cached mission list once per
    change, other answers as they go); small ones and clients that do not ask get them plain."""

    def raw_get(self, path, encoding):
        c = http.client.HTTPConnection("127.0.0.1", self.aswg.port, timeout=10)
        headers = {"Authorization": "Bearer " + self.token}
        if encoding:
            headers["Accept-Encoding"] = encoding
        c.request("GET", path, headers=headers)
        resp = c.getresponse()
        body = resp.read()
        c.close()
        return resp, body

    def test_large_answers_are_gzipped_when_asked(self):
        for path in ("/api/v1/missions", "/api/v1/users", "/api/v1/settings/jobs"):
            plain_resp, plain = self.raw_get(path, None)
            self.assertIsNone(plain_resp.getheader("Content-Encoding"))
            resp, body = self.raw_get(path, "br, gzip;q=0.8, deflate")
            if len(plain) < 1400:
                self.assertIsNone(resp.getheader("Content-Encoding"), path)
                self.assertEqual(body, plain)
                continue
            self.assertEqual(resp.getheader("Content-Encoding"), "gzip", path)
            self.assertEqual(resp.getheader("Vary"), "Accept-Encoding")
            self.assertEqual(resp.getheader("Content-Type"), "application/json")
            self.assertEqual(int(resp.getheader("Content-Length")), len(body))
            self.assertLess(len(body), len(plain) / 3, path)
            self.assertEqual(json.loads(gzip.decompress(body)), json.loads(plain), path)
        missions = self.raw_get("/api/v1/missions", None)[1]
        self.assertGreater(len(missions), 1400)          # the 76 vanilla missions: compressed above

    def test_refused_or_small_answers_stay_plain(self):
        _, plain = self.raw_get("/api/v1/missions", None)
        for encoding in ("gzip;q=0", "identity", "*;q=0", "deflate"):
            resp, body = self.raw_get("/api/v1/missions", encoding)
            self.assertIsNone(resp.getheader("Content-Encoding"), encoding)
            self.assertEqual(body, plain)
        resp, body = self.raw_get("/api/v1/actuator/health", "gzip")
        self.assertIsNone(resp.getheader("Content-Encoding"))
        self.assertEqual(json.loads(body)["status"], "UP")
        resp, body = self.raw_get("/api/v1/missions", "*")
        self.assertEqual(resp.getheader("Content-Encoding"), "gzip")
        self.assertEqual(json.loads(gzip.decompress(body)), json.loads(plain))


class ActuatorTest(AswgTestCase):
    def test_health_reports_database(self):
        r = self.aswg.request("GET", "/api/v1/actuator/health")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["status"], "UP")
        self.assertEqual(r.json["components"]["db"]["status"], "UP")

    def test_info_has_what_the_ui_reads(self):
        app = self.aswg.request("GET", "/api/v1/actuator/info").json["application"]
        self.assertEqual(app["name"], "ASWG")
        self.assertTrue(app["version"])
        self.assertTrue(app["description"])

    def test_testing_endpoint(self):
        r = self.aswg.request("GET", "/api/v1/testing", token=self.token)
        self.assertEqual((r.status, r.body), (200, "test"))
        self.assertError(self.aswg.request("GET", "/api/v1/testing"), 403, "AUTH_TOKEN_MISSING")


class CorsTest(AswgTestCase):
    config = {"aswg.security.cors.allowed-origins": "https://ok.example,https://also.example"}

    def preflight(self, origin):
        return self.aswg.request("OPTIONS", "/api/v1/auth", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type"})

    def test_allowed_origin_preflight(self):
        r = self.preflight("https://also.example")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://also.example")
        self.assertIn("PUT", r.header("Access-Control-Allow-Methods"))
        self.assertEqual(r.header("Access-Control-Allow-Headers"), "authorization,content-type")
        self.assertEqual(r.header("Access-Control-Max-Age"), "1800")

    def test_disallowed_origin_is_rejected(self):
        self.assertError(self.preflight("https://evil.example"), 403, "CORS_REJECTED")
        r = self.aswg.request("GET", "/api/v1/auth/myself", token=self.token, headers={"Origin": "https://evil.example"})
        self.assertError(r, 403, "CORS_REJECTED")

    def test_actual_request_from_allowed_origin_gets_header(self):
        r = self.aswg.request("GET", "/api/v1/auth/myself", token=self.token, headers={"Origin": "https://ok.example"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://ok.example")

    def test_same_origin_request_is_not_cors(self):
        origin = "http://127.0.0.1:%d" % self.aswg.port
        r = self.aswg.request("GET", "/api/v1/auth/myself", token=self.token, headers={"Origin": origin})
        self.assertEqual(r.status, 200)


class WildcardCorsTest(AswgTestCase):
    def test_default_allows_any_origin(self):
        r = self.aswg.request("OPTIONS", "/api/v1/users", headers={
            "Origin": "http://anything.example", "Access-Control-Request-Method": "GET"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "*")


class EmbeddedUiTest(AswgTestCase):
    def test_spa_paths_serve_index_with_security_headers(self):
        for path in ("/", "/login", "/missions", "/settings/users"):
            r = self.aswg.request("GET", path)
            self.assertEqual(r.status, 200, path)
            self.assertTrue(r.header("Content-Type").startswith("text/html"))
            self.assertIn("<html", r.body)
            csp = r.header("Content-Security-Policy")
            self.assertIn("frame-ancestors 'none'", csp)
            self.assertNotIn("unsafe-inline", csp)
            self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")

    def test_assets_have_types_and_etags(self):
        r = self.aswg.request("GET", "/app.css")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/css"))
        etag = r.header("ETag")
        self.assertTrue(etag.startswith('"'))
        r2 = self.aswg.request("GET", "/app.css", headers={"If-None-Match": etag})
        self.assertEqual(r2.status, 304)
        self.assertEqual(r2.body, "")

    def test_missing_asset_and_traversal_are_404(self):
        for path in ("/missing.js", "/assets/none.png", "/../aswg-config.properties", "/a/../../x.txt"):
            r = self.aswg.request("GET", path)
            self.assertEqual(r.status, 404, path)


class DirectoryUiTest(unittest.TestCase):
    def setUp(self):
        self.aswg = Aswg()
        ui = self.aswg.path("ui")
        os.makedirs(os.path.join(ui, "assets"))
        with open(os.path.join(ui, "index.html"), "w") as f:
            f.write("<html>custom front end</html>")
        with open(os.path.join(ui, "main-5JQ2HCKD.js"), "w") as f:
            f.write("console.log(1)")
        with open(os.path.join(ui, "assets", "logo.svg"), "w") as f:
            f.write("<svg/>")
        with open(self.aswg.path("secret.txt"), "w") as f:
            f.write("top secret")
        os.symlink(self.aswg.path("secret.txt"), os.path.join(ui, "link.txt"))
        self.aswg.write_config({"aswg.web-ui.path": ui})
        self.aswg.start()

    def tearDown(self):
        self.aswg.cleanup()

    def test_serves_directory_with_spa_rule_and_caching(self):
        self.assertIn("custom front end", self.aswg.request("GET", "/settings").body)
        r = self.aswg.request("GET", "/main-5JQ2HCKD.js")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/javascript"))
        self.assertIn("immutable", r.header("Cache-Control"))
        r = self.aswg.request("GET", "/assets/logo.svg")
        self.assertEqual((r.status, r.header("Content-Type")), (200, "image/svg+xml"))
        self.assertEqual(self.aswg.request("GET", "/assets/logo.svg",
                                           headers={"If-None-Match": r.header("ETag")}).status, 304)

    def test_nothing_outside_the_directory_is_served(self):
        for path in ("/../secret.txt", "/link.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt"):
            r = self.aswg.request("GET", path)
            self.assertEqual(r.status, 404, path)
            self.assertNotIn("top secret", r.body)


class RateLimitTest(AswgTestCase):
    config = {"aswg.security.rate-limit.requests-per-minute": "30"}

    def test_requests_over_the_limit_get_429(self):
        statuses = [self.aswg.request("GET", "/api/v1/actuator/info").status for _ in range(40)]
        self.assertIn(429, statuses)
        self.assertEqual(statuses[0], 200)
        r = self.aswg.request("GET", "/api/v1/actuator/info")
        self.assertError(r, 429, "TOO_MANY_REQUESTS")
        self.assertGreaterEqual(int(r.header("Retry-After")), 1)

    @classmethod
    def setUpClass(cls):
        cls.aswg = Aswg(config=cls.config).start()


if __name__ == "__main__":
    unittest.main(verbosity=2)
