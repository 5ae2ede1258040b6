#!/usr/bin/env python3
"""The workflow monitor under a real `atio serve`:
- a burst of creations, modifications and deletions through the API is
  reported to a local webhook receiver exactly, each by the key that made it;
- a protected playbook deleted with the sqlite3 command comes back by itself
  (and the deletion is a case, responded by the restore),
  the audit log records the restoration by atio, and the notifications say
  who deleted it (nobody atio knows) and how long recovery took;
- the live feed (server-sent events) carries the notifications;
- remote mode: the shipped use-case-3 playbook watches a local stand-in for
  Shuffle's workflow API; an internal save is not a modification.

Usage: test_monitor.py /path/to/atio [unittest options]
Python 3 standard library only; 127.0.0.1 only; every wait has a deadline.
"""
import http.client
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer, run_sql  # noqa: E402
from monitor_support import FakeShuffle, WebhookReceiver, shuffle_workflow  # noqa: E402
from test_api import lua_playbook  # noqa: E402

ATIO = None
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def event_ids(events):
    return sorted((kind, e["id"]) for kind, e in events)


class MonitorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-monitor-it-")
        cls.data = os.path.join(cls.tmp, "data")
        cls.hooks = WebhookReceiver()
        cls.server = AtioServer(ATIO, cls.data, ["--monitor-webhook", cls.hooks.url("/hook")]).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.hooks.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def create(self, doc):
        st, _, body = self.server.request("POST", "/api/v1/playbooks", doc)
        self.assertEqual(st, 201, body)
        return doc["id"]

    def settle(self, since, expected, timeout=10.0):
        """Waits until every expected (kind, id) arrived, then a moment more
        for anything that should not; returns what arrived after `since`."""
        def arrived():
            got = set(event_ids(self.hooks.events("/hook", since)))
            return all(e in got for e in expected)
        self.assertTrue(self.hooks.wait_for(arrived, timeout),
                        "missing: %s" % (set(expected) - set(event_ids(self.hooks.events("/hook", since)))))
        time.sleep(0.5)
        return self.hooks.events("/hook", since)

    def test_burst_through_the_api_is_reported_exactly(self):
        keep, gone = lua_playbook(), lua_playbook()
        t0 = time.time()
        self.create(keep)
        self.create(gone)
        self.settle(t0, [("creation", keep["id"]), ("creation", gone["id"])])

        t1 = time.time()
        new1, new2 = lua_playbook(), lua_playbook()
        changed = dict(keep, name="renamed in the burst", modified="2024-03-01T00:00:00.000Z")
        self.create(new1)
        st, _, body = self.server.request("PUT", "/api/v1/playbooks/" + keep["id"], changed)
        self.assertEqual(st, 200, body)
        st, _, body = self.server.request("DELETE", "/api/v1/playbooks/" + gone["id"])
        self.assertEqual(st, 204, body)
        self.create(new2)
        expected = [("creation", new1["id"]), ("creation", new2["id"]),
                    ("modification", keep["id"]), ("deletion", gone["id"])]
        events = self.settle(t1, expected)
        self.assertEqual(event_ids(events), sorted(expected))
        for kind, e in events:
            self.assertEqual(e["actor"], "admin", e)
            self.assertEqual(e["actor_kind"], "key", e)
            self.assertGreater(e["audit_seq"], 0)
        mod = [e for kind, e in events if kind == "modification"][0]
        self.assertIn({"op": "replace", "path": "/name", "value": "renamed in the burst"}, mod["changes"])
        # The same notifications are listed by the API.
        st, _, listed = self.server.request("GET", "/api/v1/monitor/events?limit=1000")
        self.assertEqual(st, 200)
        ids = {e["id"] for n in listed["events"] for lst in n["notification"].values() for e in lst}
        self.assertTrue({new1["id"], new2["id"], keep["id"], gone["id"]} <= ids)

    def test_protected_playbook_deleted_with_sqlite3_comes_back(self):
        doc = lua_playbook()
        t0 = time.time()
        pid = self.create(doc)
        st, _, body = self.server.request("PUT", "/api/v1/playbooks/%s/protection" % pid)
        self.assertEqual(st, 200, body)
        self.settle(t0, [("creation", pid)])

        t1 = time.time()
        run_sql(self.data, "DELETE FROM playbooks WHERE id = '%s';" % pid)
        deadline = time.time() + 10
        while time.time() < deadline:
            st, _, body = self.server.request("GET", "/api/v1/playbooks/" + pid)
            if st == 200:
                break
            time.sleep(0.01)
        self.assertEqual(st, 200, "the protected playbook did not come back")
        self.assertEqual(body, doc)

        events = self.settle(t1, [("deletion", pid), ("creation", pid)])
        deletion = [e for k, e in events if k == "deletion" and e["id"] == pid][0]
        self.assertEqual(deletion["actor"], "unknown (outside atio)")
        self.assertTrue(deletion["protected"])
        creation = [e for k, e in events if k == "creation" and e["id"] == pid][0]
        self.assertEqual(creation["actor_kind"], "system")
        self.assertGreaterEqual(creation["recovery"]["recovery_ms"], 0)
        self.assertEqual(creation["recovery"]["restored_version"], 1)

        # The deletion is a case of use case 3 with the monitor's own times:
        # occurred when the row went, detected when the monitor saw it, and
        # responded when atio restored it.
        deadline = time.time() + 10
        while time.time() < deadline:
            st, _, listed = self.server.request("GET", "/api/v1/cases?limit=500")
            (case,) = [c for c in listed["cases"] if c["correlation_key"] == "playbook:" + pid]
            if case["responded_at_ms"] is not None:
                break
            time.sleep(0.02)
        self.assertEqual(case["use_case"], "use-case-3")
        self.assertEqual(case["severity"], "critical")
        self.assertEqual(case["occurred_at_ms"], deletion["time_ms"])
        # detection_ms is how long the monitor took to see it: the case's MTTD.
        self.assertEqual(case["detected_at_ms"], deletion["time_ms"] + deletion["detection_ms"])
        self.assertEqual(case["mttd_ms"], deletion["detection_ms"])
        self.assertEqual(case["responded_at_ms"], creation["recovery"]["restored_at_ms"])
        self.assertEqual(case["mttr_ms"], case["responded_at_ms"] - case["detected_at_ms"])

        st, _, audit = self.server.request(
            "GET", "/api/v1/audit?action=playbook.recover&object_id=" + pid)
        self.assertEqual(st, 200)
        self.assertEqual(len(audit["records"]), 1)
        rec = audit["records"][0]
        self.assertEqual(rec["actor_kind"], "system")
        self.assertEqual(rec["detail"]["hash_before"], None)
        st, _, listed = self.server.request("GET", "/api/v1/playbooks")
        self.assertTrue([p for p in listed["playbooks"] if p["id"] == pid][0]["protected"])
        # And the audit chain still verifies.
        st, _, report = self.server.request("POST", "/api/v1/audit/verify")
        self.assertTrue(report["ok"], report)

    def test_live_feed_carries_notifications(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=15)
        conn.request("GET", "/api/v1/monitor/events/stream",
                     headers={"Authorization": "Bearer " + self.server.admin_key})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "text/event-stream")
        self.assertTrue(resp.readline().startswith(b":"))  # the feed's greeting
        pid = self.create(lua_playbook())
        deadline = time.time() + 10
        found = False
        while time.time() < deadline and not found:
            line = resp.readline()
            if line.startswith(b"data: "):
                n = json.loads(line[6:])
                found = any(e["id"] == pid for e in n["notification"]["CreationEvents"])
        conn.close()
        self.assertTrue(found)

    def test_remote_shuffle_through_the_shipped_playbook(self):
        key = "0123456789abcdef0123456789abcdef-remote"
        shuffle = FakeShuffle(key)
        try:
            shuffle.workflows = [shuffle_workflow("w1", "one"), shuffle_workflow("w2", "two"),
                                 shuffle_workflow("w3", "three")]
            with open(os.path.join(REPO, "playbooks", "uc3-workflow-monitor.json")) as f:
                uc3 = json.load(f)
            st, _, body = self.server.request("POST", "/api/v1/playbooks/import", uc3)
            self.assertIn(st, (200, 201), body)
            st, _, body = self.server.request("PUT", "/api/v1/secrets/monitor", {"value": key})
            self.assertEqual(st, 200, body)
            variables = {"monitor_url": shuffle.url(), "notify_url": self.hooks.url("/remote")}

            def run():
                st, _, started = self.server.request(
                    "POST", "/api/v1/playbooks/%s/executions" % uc3["id"], {"variables": variables})
                self.assertEqual(st, 202, started)
                xid = started["execution_ids"][0]
                deadline = time.time() + 20
                while time.time() < deadline:
                    st, _, x = self.server.request("GET", "/api/v1/executions/" + xid)
                    if x["status"] in ("succeeded", "failed", "aborted"):
                        return x
                    time.sleep(0.05)
                self.fail("the monitor playbook did not finish")

            t0 = time.time()
            self.assertEqual(run()["status"], "succeeded")  # the baseline: nothing to report
            self.assertEqual(self.hooks.events("/remote", t0), [])
            self.assertEqual(shuffle.requests[-1][1]["Authorization"], "Bearer " + key)

            saved = shuffle_workflow("w1", "one")
            saved["edited"] = 1800000000                    # an internal save by Shuffle
            saved["triggers"][0]["status"] = "running"
            edited = shuffle_workflow("w2", "two", user="bob@example.org")
            edited["actions"][0]["parameters"][0]["value"] = "https://evil.example"
            shuffle.workflows = [saved, edited, shuffle_workflow("w4", "four")]
            t1 = time.time()
            x = run()
            self.assertEqual(x["status"], "succeeded", x)
            self.assertTrue(self.hooks.wait_for(lambda: self.hooks.events("/remote", t1), 10))
            events = self.hooks.events("/remote", t1)
            self.assertEqual(event_ids(events), [("creation", "w4"), ("deletion", "w3"),
                                                 ("modification", "w2")])
            mod = [e for k, e in events if k == "modification"][0]
            self.assertEqual(mod["actor"], "bob@example.org")
            self.assertIn("https://evil.example", json.dumps(mod["changes"]))
            # The key is not journaled with the step (the command shows it redacted).
            st, _, full = self.server.request("GET", "/api/v1/executions/" + x["id"])
            self.assertNotIn(key, json.dumps([s.get("inputs") for s in full["steps"]]))
        finally:
            shuffle.close()

    def test_atio_answers_shuffles_workflow_list(self):
        pid = self.create(lua_playbook())
        st, _, workflows = self.server.request("GET", "/api/v1/workflows")
        self.assertEqual(st, 200)
        self.assertIsInstance(workflows, list)
        w = [w for w in workflows if w["id"] == pid][0]
        self.assertEqual(w["updated_by"], "admin")
        self.assertIsInstance(w["edited"], int)
        self.assertTrue(w["actions"])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_monitor.py /path/to/atio [unittest options]")
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
