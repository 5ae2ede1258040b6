#!/usr/bin/python3
"""Cases under a real `atio serve`: a playbook opens cases with x-atio-case,
repeats within the correlation window update the same case, analysts
acknowledge, assign, comment and move the status (refused moves name the
field and rule), a manual step's answer acknowledges the case of its
execution, and the MTTD/MTTA/MTTR aggregates of the API agree with the same
figures computed here from each case's own times.

Usage: test_cases.py PATH/TO/atio
"""
import collections
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import unittest
import uuid

from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer  # noqa: E402

ATIO = None
T0 = 1714557600000  # 2024-05-01T10:00:00Z, in ms


def playbook(with_manual_step=False):
    """start -> x-atio-case (open) [-> manual -> x-atio-case (respond)] -> end"""
    ids = {k: "%s--%s" % (k.split("_")[0], uuid.uuid4())
           for k in ("start", "action_open", "action_manual", "action_respond", "end")}
    agent = "individual--%s" % uuid.uuid4()
    after_open = ids["action_manual"] if with_manual_step else ids["end"]
    workflow = {
        ids["start"]: {"type": "start", "on_completion": ids["action_open"]},
        ids["action_open"]: {
            "type": "action", "agent": agent, "on_success": after_open,
            "commands": [{"type": "x-atio-case", "title": "__title__:value",
                          "severity": "__severity__:value",
                          "correlation_key": "__key__:value",
                          "occurred_at": "__occurred__:value",
                          "use_case": "use-case-test",
                          "stix_refs": ["indicator--%s" % uuid.uuid4()],
                          "external_ids": {"misp": "__misp_id__:value"}}],
            "out_args": ["__case_id__", "__new__"]},
        ids["end"]: {"type": "end"},
    }
    if with_manual_step:
        workflow[ids["action_manual"]] = {
            "type": "action", "agent": agent, "on_success": ids["action_respond"],
            "commands": [{"type": "manual", "command": "Look at the case"}]}
        workflow[ids["action_respond"]] = {
            "type": "action", "agent": agent, "on_success": ids["end"],
            "commands": [{"type": "x-atio-case", "action": "respond"}]}
    return {
        "type": "playbook", "spec_version": "cacao-2.0",
        "id": "playbook--%s" % uuid.uuid4(), "name": "cases test",
        "labels": ["use-case-test"],
        "created_by": "identity--%s" % uuid.uuid4(),
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "workflow_start": ids["start"],
        "agent_definitions": {agent: {"type": "individual", "name": "SOC"}},
        "playbook_variables": {
            "__title__": {"type": "string", "external": True},
            "__severity__": {"type": "string", "external": True, "value": "high"},
            "__key__": {"type": "string", "external": True, "value": ""},
            "__occurred__": {"type": "string", "external": True, "value": ""},
            "__misp_id__": {"type": "string", "external": True, "value": ""},
            "__case_id__": {"type": "string"},
            "__new__": {"type": "bool"},
        },
        "workflow": workflow,
    }


def p90(values):
    """Nearest rank: the ceil(0.9 n)-th smallest."""
    v = sorted(values)
    return v[math.ceil(0.9 * len(v)) - 1]


class CasesTest(unittest.TestCase):
    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="atio-cases-")
        self.server = AtioServer(ATIO, os.path.join(self.data, "atio"),
                                 ["--case-window", "600"]).start()
        self.pb = playbook()
        self.install(self.pb)
        self.analyst = self.key("analyst")
        self.viewer = self.key("viewer")

    def tearDown(self):
        self.server.kill()
        shutil.rmtree(self.data, ignore_errors=True)

    def req(self, method, path, body=None, key=None):
        headers = {"Authorization": "Bearer " + key} if key else None
        return self.server.request(method, path, body, headers=headers)

    def install(self, doc):
        status, _, body = self.req("POST", "/api/v1/playbooks", doc)
        self.assertEqual(status, 201, body)

    def key(self, role):
        status, _, body = self.req("POST", "/api/v1/apikeys", {"name": role + "-1", "role": role})
        self.assertEqual(status, 201, body)
        return body["key"]

    def run_playbook(self, doc, wait=("succeeded",), **variables):
        status, _, body = self.req("POST", "/api/v1/playbooks/%s/executions" % doc["id"],
                                   {"variables": variables})
        self.assertEqual(status, 202, body)
        (eid,) = body["execution_ids"]
        return eid, self.wait(eid, wait)

    def wait(self, eid, statuses, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            _, _, e = self.req("GET", "/api/v1/executions/" + eid)
            if e["status"] in statuses:
                return e
            if e["status"] in ("failed", "aborted"):
                self.fail("execution %s %s: %s" % (eid, e["status"], e.get("steps")))
            time.sleep(0.05)
        self.fail("execution %s did not reach %s" % (eid, statuses))

    def detect(self, title, occurred_ms, key="", severity="high", misp_id=""):
        """Runs the playbook; the case id and whether it was new (x-atio-case's out_args)."""
        _, e = self.run_playbook(self.pb, __title__=title, __occurred__=str(occurred_ms),
                                 __key__=key, __severity__=severity, __misp_id__=misp_id)
        (step,) = [s for s in e["steps"] if s["type"] == "action"]
        return step["variables"]["__case_id__"], step["variables"]["__new__"], e

    def case(self, case_id, key=None):
        status, _, body = self.req("GET", "/api/v1/cases/" + case_id, key=key)
        self.assertEqual(status, 200, body)
        return body

    def test_repeats_within_the_window_update_one_case(self):
        first, new, execution = self.detect("SSH scan on 10.0.0.5", T0 + 60000, key="alert:ssh|10.0.0.5",
                                            misp_id="41")
        self.assertTrue(new)
        c = self.case(first)
        self.assertEqual(c["status"], "new")
        self.assertEqual(c["occurred_at_ms"], T0 + 60000)
        # No report time from the detector: detected when atio received the event.
        _, _, e = self.req("GET", "/api/v1/executions/" + execution["id"])
        self.assertEqual(c["detected_at"], e["created_at"])
        self.assertEqual(c["mttd_ms"], c["detected_at_ms"] - c["occurred_at_ms"])
        self.assertEqual(c["use_case"], "use-case-test")
        self.assertEqual(c["playbook_id"], self.pb["id"])
        self.assertIn({"kind": "external", "tool": "misp", "ref": "41"},
                      [{k: l[k] for k in ("kind", "tool", "ref") if k in l} for l in c["links"]])

        # The same thing 2 minutes later, then once more with an earlier event time.
        again, new, _ = self.detect("SSH scan on 10.0.0.5", T0 + 180000, key="alert:ssh|10.0.0.5")
        self.assertEqual(again, first)
        self.assertFalse(new)
        again, new, _ = self.detect("SSH scan on 10.0.0.5", T0, key="alert:ssh|10.0.0.5")
        self.assertEqual(again, first)
        c = self.case(first)
        self.assertEqual(c["detection_count"], 3)
        self.assertEqual(c["occurred_at_ms"], T0)  # the earliest
        self.assertEqual([t["kind"] for t in c["timeline"]], ["opened", "detection", "detection"])
        self.assertEqual(len([l for l in c["links"] if l["kind"] == "execution"]), 3)

        # Outside the window (600 s after the last occurrence): a case of its own.
        later, new, _ = self.detect("SSH scan on 10.0.0.5", T0 + 180000 + 600001,
                                    key="alert:ssh|10.0.0.5")
        self.assertTrue(new)
        self.assertNotEqual(later, first)
        # A different target: another case.
        other, new, _ = self.detect("SSH scan on 10.0.0.6", T0, key="alert:ssh|10.0.0.6")
        self.assertTrue(new)
        # Every change to a case is in the audit log.
        status, _, audit = self.req("GET", "/api/v1/audit?object_type=case&object_id=" + first)
        self.assertEqual(status, 200, audit)
        self.assertEqual([r["action"] for r in audit["records"]],
                         ["case.open", "case.update", "case.update"])

    def test_analysts_move_cases_along_the_status_machine_only(self):
        case_id, _, _ = self.detect("Malware beacon", T0)
        # A viewer reads but cannot change.
        self.case(case_id, key=self.viewer)
        status, _, body = self.req("POST", "/api/v1/cases/%s/acknowledge" % case_id, {},
                                   key=self.viewer)
        self.assertEqual(status, 403, body)
        # new -> responding skips acknowledgement: refused, naming the field and rule.
        status, _, body = self.req("POST", "/api/v1/cases/%s/status" % case_id,
                                   {"status": "responding"}, key=self.analyst)
        self.assertEqual(status, 409, body)
        self.assertEqual(body["error"]["errors"][0]["pointer"], "/status")
        self.assertIn("new -> responding is not allowed", body["error"]["message"])
        self.assertIn("one step at a time", body["error"]["message"])

        status, _, body = self.req("POST", "/api/v1/cases/%s/acknowledge" % case_id, {},
                                   key=self.analyst)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "acknowledged")
        self.assertEqual(body["acknowledged_by"], "analyst-1")
        self.assertEqual(body["mtta_ms"], body["acknowledged_at_ms"] - body["detected_at_ms"])
        status, _, body = self.req("POST", "/api/v1/cases/%s/acknowledge" % case_id, {},
                                   key=self.analyst)
        self.assertEqual(status, 409, body)
        self.assertEqual(body["error"]["errors"][0]["pointer"], "/status")

        status, _, body = self.req("POST", "/api/v1/cases/%s/status" % case_id,
                                   {"status": "closed"}, key=self.analyst)
        self.assertEqual(status, 422, body)
        self.assertEqual(body["error"]["errors"][0]["pointer"], "/status")
        status, _, body = self.req("POST", "/api/v1/cases/%s/assign" % case_id,
                                   {"assignee": "carol"}, key=self.analyst)
        self.assertEqual((status, body["assignee"]), (200, "carol"), body)
        status, _, body = self.req("POST", "/api/v1/cases/%s/comments" % case_id,
                                   {"text": "beacon to a sinkhole"}, key=self.analyst)
        self.assertEqual(status, 200, body)
        status, _, body = self.req("POST", "/api/v1/cases/%s/comments" % case_id, {"text": ""},
                                   key=self.analyst)
        self.assertEqual(status, 422, body)
        self.assertEqual(body["error"]["errors"][0]["pointer"], "/text")
        for to in ("responding", "resolved"):
            status, _, body = self.req("POST", "/api/v1/cases/%s/status" % case_id,
                                       {"status": to, "note": "done"}, key=self.analyst)
            self.assertEqual(status, 200, body)
        status, _, body = self.req("POST", "/api/v1/cases/%s/status" % case_id,
                                   {"status": "false_positive"}, key=self.analyst)
        self.assertEqual(status, 409, body)

        c = self.case(case_id)
        self.assertEqual(c["status"], "resolved")
        self.assertIsNotNone(c["resolved_at_ms"])
        self.assertEqual([t["kind"] for t in c["timeline"]],
                         ["opened", "acknowledged", "assigned", "comment", "status", "status"])
        self.assertEqual(c["timeline"][3]["detail"]["text"], "beacon to a sinkhole")
        # Each change is audited with the analyst as actor; the refused ones as failures.
        status, _, audit = self.req("GET", "/api/v1/audit?object_type=case&object_id=" + case_id)
        done = [(r["action"], r["actor_name"]) for r in audit["records"] if r["outcome"] == "success"]
        self.assertEqual(done, [("case.open", "x-atio-case"), ("case.acknowledge", "analyst-1"),
                                ("case.assign", "analyst-1"), ("case.comment", "analyst-1"),
                                ("case.status", "analyst-1"), ("case.status", "analyst-1")])
        self.assertIn("failure", [r["outcome"] for r in audit["records"]])
        status, _, body = self.req("GET", "/api/v1/cases/no-such-case")
        self.assertEqual(status, 404, body)

    def test_answering_a_manual_step_acknowledges_the_case_of_its_execution(self):
        doc = playbook(with_manual_step=True)
        self.install(doc)
        eid, _ = self.run_playbook(doc, wait=("running",), __title__="Phishing reported",
                                   __occurred__=str(T0))
        deadline = time.time() + 30
        while time.time() < deadline:
            _, _, waiting = self.req("GET", "/api/v1/manual-steps?execution_id=" + eid)
            if waiting["manual_steps"]:
                break
            time.sleep(0.05)
        (task,) = waiting["manual_steps"]
        status, _, body = self.req("GET", "/api/v1/cases?playbook_id=" + doc["id"])
        (c,) = body["cases"]
        self.assertEqual(c["status"], "new")
        status, _, body = self.req(
            "POST", "/api/v1/executions/%s/steps/%s/answer" % (eid, task["step_key"]),
            {"success": True}, key=self.analyst)
        self.assertEqual(status, 200, body)
        self.wait(eid, ("succeeded",))
        c = self.case(c["id"])
        self.assertEqual(c["status"], "acknowledged")
        self.assertEqual(c["acknowledged_by"], "analyst-1")
        # The respond step after the manual step marked the response.
        self.assertIsNotNone(c["responded_at_ms"])
        self.assertEqual(c["mttr_ms"], c["responded_at_ms"] - c["detected_at_ms"])
        self.assertEqual([t["kind"] for t in c["timeline"]], ["opened", "acknowledged", "responded"])
        self.assertEqual(c["timeline"][1]["detail"]["via"], "manual_step")

    def test_lists_filter_and_page(self):
        ids = [self.detect("case %d" % i, T0 + i, severity=("low" if i % 2 else "high"))[0]
               for i in range(5)]
        status, _, body = self.req("GET", "/api/v1/cases?severity=low")
        self.assertEqual(sorted(c["id"] for c in body["cases"]), sorted(ids[1::2]))
        status, _, page = self.req("GET", "/api/v1/cases?limit=2")
        self.assertEqual([c["id"] for c in page["cases"]], ids[::-1][:2])
        status, _, page2 = self.req("GET", "/api/v1/cases?limit=2&after=" + page["next"])
        self.assertEqual([c["id"] for c in page2["cases"]], ids[::-1][2:4])
        status, _, body = self.req("GET", "/api/v1/cases?status=new&assignee=nobody")
        self.assertEqual(body["cases"], [])
        status, _, body = self.req("GET", "/api/v1/cases?status=open")
        self.assertEqual(status, 400, body)
        self.assertEqual(body["error"]["errors"][0]["pointer"], "/query/status")
        status, _, body = self.req("GET", "/api/v1/cases?since=2200-01-01T00:00:00Z")
        self.assertEqual(body["cases"], [])
        # A time the clock cannot hold is refused, not wrapped into another century.
        status, _, body = self.req("GET", "/api/v1/cases?since=9999-01-01T00:00:00Z")
        self.assertEqual(status, 400, body)
        self.assertEqual(body["error"]["errors"][0]["pointer"], "/query/since")

    def test_aggregates_agree_with_the_times_of_each_case(self):
        for i in range(7):
            case_id, _, _ = self.detect("finding %d" % i, T0 + 1000 * i,
                                        severity=("critical" if i < 3 else "medium"))
            if i % 2 == 0:
                self.req("POST", "/api/v1/cases/%s/acknowledge" % case_id, {}, key=self.analyst)
            if i % 3 == 0:
                for to in ("acknowledged", "responding", "resolved"):
                    self.req("POST", "/api/v1/cases/%s/status" % case_id, {"status": to},
                             key=self.analyst)
        _, _, listed = self.req("GET", "/api/v1/cases?limit=500")
        cases = listed["cases"]
        self.assertEqual(len(cases), 7)

        def expected(group, end):
            out = {}
            for name, start, stop in (("mttd", "occurred_at_ms", "detected_at_ms"),
                                      ("mtta", "detected_at_ms", "acknowledged_at_ms"),
                                      ("mttr", "detected_at_ms", end)):
                v = [c[stop] - c[start] for c in group if c[start] and c[stop]]
                out[name] = {"count": len(v)} if not v else {
                    "count": len(v), "mean_ms": statistics.mean(v),
                    "median_ms": statistics.median(v), "p90_ms": p90(v)}
            return out

        def check(got, group, end):
            self.assertEqual(got["cases"], len(group))
            for name, want in expected(group, end).items():
                for k, v in want.items():
                    self.assertAlmostEqual(got[name][k], v, places=3, msg="%s %s" % (name, k))

        status, _, m = self.req("GET", "/api/v1/cases/metrics?group_by=severity", key=self.viewer)
        self.assertEqual(status, 200, m)
        self.assertEqual(m["mttr_end"], "responded")
        check(m["overall"], cases, "responded_at_ms")
        self.assertEqual([g["key"] for g in m["groups"]], ["critical", "medium"])
        for g in m["groups"]:
            check(g, [c for c in cases if c["severity"] == g["key"]], "responded_at_ms")
        status, _, m = self.req("GET", "/api/v1/cases/metrics?group_by=use_case&mttr_end=resolved")
        self.assertEqual(m["groups"][0]["key"], "use-case-test")
        check(m["groups"][0], cases, "resolved_at_ms")
        self.assertEqual(m["overall"]["mttr"]["count"], 3)
        # A window that holds none of them.
        status, _, m = self.req("GET", "/api/v1/cases/metrics?until=%d" % T0)
        self.assertEqual(m["overall"]["cases"], 0)
        status, _, m = self.req("GET", "/api/v1/cases/metrics?group_by=team")
        self.assertEqual(status, 400, m)

        # /metrics says the same: cases by status, and a histogram of every
        # case's durations (seconds), read with Debian's Prometheus parser.
        status, _, text = self.req("GET", "/metrics")
        self.assertEqual(status, 200, text)
        families = {f.name: f for f in text_string_to_metric_families(text)}
        by_status = {s.labels["status"]: s.value for s in families["atio_cases"].samples}
        self.assertEqual(by_status, dict(collections.Counter(c["status"] for c in cases)))
        for name, want in expected(cases, "responded_at_ms").items():
            family = families["atio_case_%s_seconds" % name]
            count = [s.value for s in family.samples if s.name.endswith("_count")]
            self.assertEqual(count, [want["count"]], name)
            total = [s.value for s in family.samples if s.name.endswith("_sum")][0]
            self.assertAlmostEqual(total, want["count"] and want["mean_ms"] * want["count"] / 1000,
                                   places=3, msg=name)

        # The organisation measures MTTR to resolution: atio serve --mttr-end resolved.
        self.server.kill()
        self.server = AtioServer(ATIO, os.path.join(self.data, "atio"),
                                 ["--mttr-end", "resolved"]).start()
        resolved = [c for c in cases if c["status"] == "resolved"]
        c = self.case(resolved[0]["id"])
        self.assertEqual(c["mttr_ms"], c["resolved_at_ms"] - c["detected_at_ms"])
        status, _, m = self.req("GET", "/api/v1/cases/metrics")
        self.assertEqual(m["mttr_end"], "resolved")
        check(m["overall"], cases, "resolved_at_ms")


if __name__ == "__main__":
    ATIO = sys.argv.pop(1)
    unittest.main(verbosity=2)
