#!/usr/bin/env python3
"""Large step outputs under a real `atio serve` (docs/large-outputs.md):
- an http-api step fetches a report of about 630 KB from a local server; its
  body, over --large-output-bytes, is journaled as a reference whose
  preview is the output's first 4 KiB cut at a character boundary;
- GET /api/v1/executions/{id}/outputs/{output_id} pages through it: pages
  followed by next_offset join into the very text (a character cut by the
  limit starts the next page), a page that starts inside a character comes
  as base64, offset and limit are checked;
- .../download streams the whole output with its media type, as an
  attachment the browser never renders;
- an output is found only under its own execution, and only with a key.

Expected values are the report this test serves.

Usage: test_large_outputs.py /path/to/atio [unittest options]
Python 3 standard library only; 127.0.0.1 only; every wait has a deadline.
"""
import base64
import codecs
import http.client
import os
import shutil
import sys
import tempfile
import threading
import unittest
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer  # noqa: E402

ATIO = None
LINES = 30000
# Lines with 1-, 2-, 3- and 4-byte characters, so page limits cut characters.
EXPECTED = "".join("line %05d \u00e9\u20ac\U0001F600\n" % i for i in range(1, LINES + 1)).encode()


class Report(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(EXPECTED)))
        self.end_headers()
        self.wfile.write(EXPECTED)

    def log_message(self, *args):
        pass


def http_playbook(url):
    """A CACAO 2.0 playbook whose only action GETs `url` (http-api)."""
    start, action, end = ("start--%s" % uuid.uuid4(), "action--%s" % uuid.uuid4(),
                          "end--%s" % uuid.uuid4())
    agent = "individual--%s" % uuid.uuid4()
    return {
        "type": "playbook", "spec_version": "cacao-2.0",
        "id": "playbook--%s" % uuid.uuid4(), "name": "a large report",
        "created_by": "identity--%s" % uuid.uuid4(),
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "workflow_start": start,
        "agent_definitions": {agent: {"type": "individual", "name": "SOC"}},
        "workflow": {
            start: {"type": "start", "on_completion": action},
            action: {"type": "action", "agent": agent, "on_completion": end,
                     "commands": [{"type": "http-api", "command": "GET %s HTTP/1.1" % url}]},
            end: {"type": "end"},
        },
    }


class LargeOutputsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-large-it-")
        cls.receiver = ThreadingHTTPServer(("127.0.0.1", 0), Report)
        threading.Thread(target=cls.receiver.serve_forever, daemon=True).start()
        cls.server = AtioServer(ATIO, os.path.join(cls.tmp, "data"),
                                ["--large-output-bytes", "100000"]).start()
        playbook = http_playbook("http://127.0.0.1:%d/report" % cls.receiver.server_port)
        status, _, body = cls.server.request("POST", "/api/v1/playbooks/import", playbook)
        assert status in (200, 201), (status, body)
        status, _, body = cls.server.request(
            "POST", "/api/v1/playbooks/%s/executions" % playbook["id"], {})
        assert status == 202, (status, body)
        cls.execution_id = body["execution_ids"][0]
        execution = cls.server.wait_execution(cls.execution_id)
        assert execution["status"] == "succeeded", execution
        cls.step = [s for s in execution["steps"] if s["type"] == "action"][0]
        cls.outputs = cls.step["outputs"]
        cls.ref = cls.outputs["body"]["x_atio_large_output"]
        cls.base = "/api/v1/executions/%s/outputs/%s" % (cls.execution_id, cls.ref["id"])

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.receiver.shutdown()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def page(self, offset, limit, expect=200):
        status, _, body = self.server.request(
            "GET", self.base + "?" + urllib.parse.urlencode({"offset": offset, "limit": limit}))
        self.assertEqual(status, expect, body)
        return body

    def test_the_step_holds_a_reference_with_a_preview(self):
        self.assertEqual(list(self.outputs["body"].keys()), ["x_atio_large_output"])
        self.assertEqual(self.outputs["status_code"], 200)  # small outputs stay in the journal
        self.assertEqual(self.ref["bytes"], len(EXPECTED))
        self.assertEqual(self.ref["name"], "body")
        self.assertEqual(self.ref["media_type"], "text/plain; charset=utf-8")
        # The first 4096 bytes without a character they cut, as Python decodes them.
        head = codecs.getincrementaldecoder("utf-8")().decode(EXPECTED[:4096])
        self.assertEqual(self.ref["preview"], head)
        self.assertEqual(self.ref["preview_bytes"], len(head.encode()))

    def test_pages_followed_by_next_offset_join_into_the_text(self):
        text, offset, pages, cut = [], 0, 0, 0
        while offset is not None:
            p = self.page(offset, 7000)
            self.assertEqual(p["encoding"], "utf-8")
            self.assertEqual(p["offset"], offset)
            self.assertEqual(p["bytes"], len(EXPECTED))
            self.assertLessEqual(p["length"], 7000)
            self.assertEqual(len(p["data"].encode()), p["length"])
            cut += p["length"] < 7000 and p["next_offset"] is not None
            text.append(p["data"])
            offset = p["next_offset"]
            pages += 1
        self.assertEqual("".join(text).encode(), EXPECTED)
        self.assertGreater(cut, 0)  # some page ended before a character it would have cut

    def test_a_page_that_starts_inside_a_character_is_base64(self):
        inside = EXPECTED.index("\u00e9".encode()) + 1  # the second byte of é
        p = self.page(inside, 50)
        self.assertEqual(p["encoding"], "base64")
        self.assertEqual(base64.b64decode(p["data"]), EXPECTED[inside:inside + 50])
        self.assertEqual(p["next_offset"], inside + 50)

    def test_the_last_page_ends_the_output(self):
        p = self.page(len(EXPECTED) - 10, 1000)
        self.assertEqual(p["data"].encode(), EXPECTED[-10:])
        self.assertIsNone(p["next_offset"])
        p = self.page(len(EXPECTED), 1000)
        self.assertEqual((p["length"], p["data"], p["next_offset"]), (0, "", None))

    def test_offset_and_limit_are_checked(self):
        for query in ({"limit": 0}, {"limit": 1048577}, {"offset": -1},
                      {"offset": len(EXPECTED) + 1}, {"limit": "x"}):
            status, _, body = self.server.request(
                "GET", self.base + "?" + urllib.parse.urlencode(query))
            self.assertEqual(status, 400, (query, body))
        self.assertEqual(self.page(0, 1048576)["length"], len(EXPECTED))

    def test_the_download_streams_every_byte_as_an_attachment(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.request("GET", self.base + "/download",
                     headers={"Authorization": "Bearer " + self.server.admin_key})
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        self.assertEqual(resp.status, 200)
        self.assertEqual(data, EXPECTED)
        self.assertEqual(resp.getheader("Content-Type"), "text/plain; charset=utf-8")
        self.assertEqual(resp.getheader("Content-Disposition"), 'attachment; filename="body"')
        self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff")
        self.assertEqual(resp.getheader("Content-Security-Policy"), "sandbox")
        self.assertEqual(resp.getheader("X-Atio-Output-Bytes"), str(len(EXPECTED)))
        self.assertEqual(resp.getheader("Transfer-Encoding"), "chunked")

    def test_an_output_is_found_only_under_its_execution(self):
        status, _, _ = self.server.request("GET", "/api/v1/executions/%s/outputs/%s" % (
            "0190b5c4-0000-7000-8000-000000000000", self.ref["id"]))
        self.assertEqual(status, 404)
        status, _, _ = self.server.request(
            "GET", "/api/v1/executions/%s/outputs/nope/download" % self.execution_id)
        self.assertEqual(status, 404)

    def test_reading_needs_credentials(self):
        for path in (self.base, self.base + "/download"):
            status, _, _ = self.server.request("GET", path, auth=False)
            self.assertEqual(status, 401, path)

    def test_the_routes_are_in_the_openapi_document(self):
        status, _, doc = self.server.request("GET", "/api/v1/openapi.json")
        self.assertEqual(status, 200)
        paths = doc["paths"]
        self.assertIn("/api/v1/executions/{id}/outputs/{output_id}", paths)
        self.assertIn("/api/v1/executions/{id}/outputs/{output_id}/download", paths)


if __name__ == "__main__":
    ATIO = sys.argv.pop(1)
    unittest.main()
