#!/usr/bin/env python3
"""What the web UI stands on, under a real `atio serve`:
- GET /api/v1/executions/{id}/stream shows an execution live: its state on
  connecting, then each change (a manual step `waiting` for a person, the
  answer, every step `succeeded`), then `event: end`, and the stream closes;
- GET /api/v1/executions filters by creation time (since, until);
- the built UI is served at / with its content types and security headers,
  the UI's own routes answer index.html, and the API keeps its JSON 404s;
- the first start makes the `admin` user whose password it prints, and that
  user logs in.

Usage: test_live_views.py /path/to/atio [unittest options]
Python 3 standard library only; 127.0.0.1 only; every wait has a deadline.
"""
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer  # noqa: E402
from test_api import CORPUS_MANUAL, lua_playbook  # noqa: E402

ATIO = None


def read_events(resp, deadline):
    """Yields (event, data) of a server-sent-events response until it ends
    or the deadline passes."""
    event, data = None, []
    while time.time() < deadline:
        line = resp.readline()
        if not line:
            return
        line = line.decode().rstrip("\n")
        if line == "":
            if event is not None:
                yield event, "\n".join(data)
            event, data = None, []
        elif line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: "):
            data.append(line[6:])


class LiveViewsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-live-it-")
        cls.ui = os.path.join(cls.tmp, "ui")
        os.makedirs(os.path.join(cls.ui, "assets"))
        with open(os.path.join(cls.ui, "index.html"), "w") as f:
            f.write("<!doctype html><title>atio test UI</title>")
        with open(os.path.join(cls.ui, "assets", "app-0123abcd.js"), "w") as f:
            f.write("export {};")
        cls.data = os.path.join(cls.tmp, "data")
        cls.server = AtioServer(ATIO, cls.data, ["--ui-dir", cls.ui]).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def req(self, method, path, body=None, **kw):
        return self.server.request(method, path, body, **kw)

    def start_manual_execution(self):
        with open(CORPUS_MANUAL, "rb") as f:
            st, _, pb = self.req("POST", "/api/v1/playbooks/import", raw=f.read(),
                                 headers={"Content-Type": "application/json"})
        self.assertIn(st, (200, 201), pb)
        st, _, body = self.req("POST", "/api/v1/playbooks/%s/executions" % pb["id"], {})
        self.assertEqual(st, 202, body)
        return body["execution_ids"][0]

    def test_an_execution_is_streamed_live_to_its_end(self):
        eid = self.start_manual_execution()
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.request("GET", "/api/v1/executions/%s/stream" % eid,
                     headers={"Authorization": "Bearer " + self.server.admin_key})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "text/event-stream")
        deadline = time.time() + 60
        seen = []  # the execution states received
        answered = False
        ended = False
        for event, data in read_events(resp, deadline):
            if event == "end":
                ended = True
                continue
            self.assertEqual(event, "execution")
            state = json.loads(data)
            self.assertEqual(state["id"], eid)
            seen.append(state)
            waiting = [s for s in state["steps"] if s["status"] == "waiting"]
            if waiting and not answered:
                # The manual step waits for a person; it is also in manual_steps.
                self.assertEqual([m["step_key"] for m in state["manual_steps"]],
                                 [waiting[0]["step_key"]])
                answer = "/api/v1/executions/%s/steps/%s/answer" % (
                    eid, urllib.parse.quote(waiting[0]["step_key"], safe=""))
                st, _, body = self.req("POST", answer, {"success": True, "response": "go"})
                self.assertEqual(st, 200, body)
                answered = True
        conn.close()
        self.assertTrue(answered, "no state showed the manual step waiting: %s" % seen)
        self.assertTrue(ended, "the stream did not end")
        last = seen[-1]
        self.assertEqual(last["status"], "succeeded")
        self.assertTrue(all(s["status"] == "succeeded" for s in last["steps"]), last["steps"])
        # What the stream showed last is what GET shows.
        st, _, got = self.req("GET", "/api/v1/executions/" + eid)
        self.assertEqual(got, last)
        # Every state sent differs from the one before it.
        for a, b in zip(seen, seen[1:]):
            self.assertNotEqual(a, b)

    def test_an_ended_execution_streams_once_then_ends(self):
        doc = lua_playbook()
        self.req("POST", "/api/v1/playbooks", doc)
        st, _, body = self.req("POST", "/api/v1/playbooks/%s/executions" % doc["id"], {})
        eid = body["execution_ids"][0]
        deadline = time.time() + 30
        while time.time() < deadline:
            _, _, e = self.req("GET", "/api/v1/executions/" + eid)
            if e["status"] not in ("pending", "running"):
                break
            time.sleep(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.request("GET", "/api/v1/executions/%s/stream" % eid,
                     headers={"Authorization": "Bearer " + self.server.admin_key})
        events = list(read_events(conn.getresponse(), time.time() + 30))
        conn.close()
        self.assertEqual([e for e, _ in events], ["execution", "end"])
        self.assertEqual(json.loads(events[0][1])["status"], "succeeded")

    def test_stream_of_an_unknown_execution_is_404_and_needs_a_key(self):
        st, _, body = self.req("GET", "/api/v1/executions/nope/stream")
        self.assertEqual(st, 404)
        self.assertIn("nope", body["error"]["message"])
        st, _, _ = self.req("GET", "/api/v1/executions/nope/stream", auth=False)
        self.assertEqual(st, 401)

    def test_executions_filter_by_creation_time(self):
        doc = lua_playbook()
        self.req("POST", "/api/v1/playbooks", doc)
        before = int(time.time() * 1000)
        time.sleep(0.01)
        st, _, body = self.req("POST", "/api/v1/playbooks/%s/executions" % doc["id"], {})
        eid = body["execution_ids"][0]
        time.sleep(0.01)
        after = int(time.time() * 1000)
        path = "/api/v1/executions?playbook_id=%s" % doc["id"]
        _, _, inside = self.req("GET", path + "&since=%d&until=%d" % (before, after))
        self.assertEqual([e["id"] for e in inside["executions"]], [eid])
        _, _, later = self.req("GET", path + "&since=%d" % after)
        self.assertEqual(later["executions"], [])
        _, _, earlier = self.req("GET", path + "&until=%d" % before)
        self.assertEqual(earlier["executions"], [])
        st, _, bad = self.req("GET", "/api/v1/executions?since=yesterday")
        self.assertEqual(st, 400)
        self.assertEqual(bad["error"]["errors"][0]["pointer"], "/query/since")

    def test_the_ui_is_served_with_its_headers(self):
        for path in ("/", "/executions/42", "/cases"):
            st, headers, body = self.req("GET", path, auth=False)
            self.assertEqual(st, 200, path)
            self.assertEqual(body, "<!doctype html><title>atio test UI</title>")
            self.assertTrue(headers["Content-Type"].startswith("text/html"))
            self.assertIn("script-src 'self'", headers["Content-Security-Policy"])
            self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        st, headers, _ = self.req("GET", "/assets/app-0123abcd.js", auth=False)
        self.assertEqual(st, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/javascript"))
        self.assertIn("immutable", headers["Cache-Control"])
        st, _, _ = self.req("GET", "/assets/gone.js", auth=False)
        self.assertEqual(st, 404)
        st, headers, body = self.req("GET", "/api/v1/nothing-here")
        self.assertEqual(st, 404)
        self.assertEqual(body["error"]["code"], "not_found")

    def test_the_first_start_made_the_admin_user(self):
        with open(os.path.join(self.data, "admin-password")) as f:
            password = f.read().strip()
        self.assertEqual(os.stat(os.path.join(self.data, "admin-password")).st_mode & 0o777, 0o600)
        self.assertTrue(any(password in line for line in self.server.output))
        st, headers, body = self.req("POST", "/api/v1/session",
                                     {"name": "admin", "password": password}, auth=False)
        self.assertEqual(st, 200, body)
        self.assertEqual(body["user"]["role"], "admin")
        st, _, _ = self.req("POST", "/api/v1/session",
                            {"name": "admin", "password": password + "x"}, auth=False)
        self.assertEqual(st, 401)

    def test_a_ui_dir_without_index_is_refused_at_start(self):
        empty = os.path.join(self.tmp, "empty-ui")
        os.makedirs(empty, exist_ok=True)
        data = os.path.join(self.tmp, "data-refused")
        r = subprocess.run([ATIO, "serve", "--listen", "127.0.0.1:0", "--data", data,
                            "--ui-dir", empty], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("--ui-dir", r.stderr)
        self.assertIn("index.html", r.stderr)


if __name__ == "__main__":
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
