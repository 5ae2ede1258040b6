#!/usr/bin/env python3
"""GET /metrics under a real `atio serve`: the test runs playbooks, posts
webhook events (accepted and rejected), waits on a manual step, then scrapes
/metrics and reads it with Debian's python3-prometheus-client parser (the
reference reader of the text format) as the oracle. Every count must be what
the test did, and the step histogram must hold exactly one observation per
step record that the executions' journals show. Scrapes without credentials,
or with a role that lacks metrics.read, are refused; the scrape token of
--metrics-token-file reads /metrics and nothing else.

Usage: test_metrics.py /path/to/atio [unittest options]
Needs python3-prometheus-client (scripts/install-deps.sh); 127.0.0.1 only;
every wait has a deadline.
"""
import collections
import os
import secrets
import shutil
import sys
import tempfile
import time
import unittest
import urllib.parse
import uuid

from prometheus_client.parser import text_string_to_metric_families

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from atio_process import AtioServer  # noqa: E402

ATIO = None
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def playbook(commands_per_step):
    """start -> one action per entry of `commands_per_step` (its commands) -> end."""
    agent = "individual--%s" % uuid.uuid4()
    start, end = "start--%s" % uuid.uuid4(), "end--%s" % uuid.uuid4()
    actions = ["action--%s" % uuid.uuid4() for _ in commands_per_step]
    chain = [start] + actions + [end]
    workflow = {start: {"type": "start", "on_completion": chain[1]}, end: {"type": "end"}}
    for i, (step, commands) in enumerate(zip(actions, commands_per_step)):
        workflow[step] = {"type": "action", "agent": agent, "commands": commands,
                          "on_success": chain[i + 2]}
    return {
        "type": "playbook", "spec_version": "cacao-2.0",
        "id": "playbook--%s" % uuid.uuid4(), "name": "metrics test",
        "created_by": "identity--%s" % uuid.uuid4(),
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "workflow_start": start,
        "agent_definitions": {agent: {"type": "individual", "name": "SOC"}},
        "workflow": workflow,
    }


LUA_OK = {"type": "x-atio-lua", "command": "return {}"}
LUA_FAIL = {"type": "x-atio-lua", "command": "error('refused')"}
MANUAL = {"type": "manual", "command": "Approve the block"}


def parse(text):
    """{sample name: [(labels, value)]} as the reference parser reads `text`."""
    samples = collections.defaultdict(list)
    types = {}
    for family in text_string_to_metric_families(text):
        types[family.name] = family.type
        for s in family.samples:
            samples[s.name].append((s.labels, s.value))
    return samples, types


def value(samples, name, **labels):
    """The value of the one sample `name` whose labels are exactly `labels`."""
    found = [v for l, v in samples.get(name, []) if l == labels]
    if len(found) != 1:
        raise AssertionError("%s%r: %d samples; have %r" % (name, labels, len(found),
                                                            samples.get(name)))
    return found[0]


class MetricsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-metrics-")
        cls.token = secrets.token_hex(32)
        cls.token_file = os.path.join(cls.tmp, "metrics-token")
        fd = os.open(cls.token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, (cls.token + "\n").encode())
        os.close(fd)
        cls.started_at = time.time()
        cls.server = AtioServer(ATIO, os.path.join(cls.tmp, "data"),
                                extra_args=["--metrics-token-file", cls.token_file]).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def req(self, method, path, body=None, **kw):
        return self.server.request(method, path, body, **kw)

    def scrape(self, bearer=None):
        status, headers, text = self.req("GET", "/metrics", auth=False,
                                         headers={"Authorization": "Bearer " + (bearer or self.token)})
        self.assertEqual(status, 200, text)
        self.assertEqual(headers.get("Content-Type"), CONTENT_TYPE)
        return parse(text)

    def scrape_when(self, ready):
        """Scrapes until `ready(samples)` holds (deadline 30 s); returns the last scrape."""
        deadline = time.time() + 30
        while True:
            samples, types = self.scrape()
            if ready(samples) or time.time() > deadline:
                return samples, types
            time.sleep(0.05)

    def create_playbook(self, doc):
        status, _, body = self.req("POST", "/api/v1/playbooks", doc)
        self.assertEqual(status, 201, body)
        return doc["id"]

    def wait_execution(self, eid, done=("succeeded", "failed", "aborted")):
        deadline = time.time() + 60
        while time.time() < deadline:
            status, _, body = self.req("GET", "/api/v1/executions/" + eid)
            if status == 200 and body["status"] in done:
                return body
            time.sleep(0.05)
        self.fail("execution %s did not end" % eid)

    def wait_manual(self, eid, present=True):
        deadline = time.time() + 60
        while time.time() < deadline:
            _, _, body = self.req("GET", "/api/v1/manual-steps?execution_id=" + eid)
            tasks = body["manual_steps"] if isinstance(body, dict) else body
            if bool(tasks) == present:
                return tasks[0] if tasks else None
            time.sleep(0.05)
        self.fail("manual step of %s: never %s" % (eid, "there" if present else "gone"))

    def test_counts_match_what_was_done(self):
        ok_pb = self.create_playbook(playbook([[LUA_OK], [LUA_OK, LUA_OK]]))
        fail_pb = self.create_playbook(playbook([[LUA_FAIL]]))
        status, _, hook = self.req("POST", "/api/v1/hooks",
                                   {"playbook_id": ok_pb, "auth": "token", "name": "ids"})
        self.assertEqual(status, 201, hook)
        hook_path = "/api/v1/hooks/" + hook["hook_id"]
        good = {"Authorization": "Bearer " + hook["token"]}

        executions = []
        # Accepted: 3 single events and one NDJSON body of 4.
        for i in range(3):
            status, _, body = self.req("POST", hook_path, {"n": i}, auth=False, headers=good)
            self.assertEqual(status, 202, body)
            executions += body["execution_ids"]
        lines = "".join('{"n": %d}\n' % i for i in range(4))
        status, _, body = self.req("POST", hook_path, raw=lines, auth=False,
                                   headers=dict(good, **{"Content-Type": "application/x-ndjson"}))
        self.assertEqual(status, 202, body)
        executions += body["execution_ids"]
        accepted = 7
        self.assertEqual(len(executions), accepted)
        # Rejected: two bad tokens, a body that is not JSON, an unknown hook.
        for headers in ({"Authorization": "Bearer wrong"}, {}):
            status, _, _ = self.req("POST", hook_path, {}, auth=False, headers=headers)
            self.assertEqual(status, 401)
        status, _, _ = self.req("POST", hook_path, raw="{not json", auth=False,
                                headers=dict(good, **{"Content-Type": "application/json"}))
        self.assertEqual(status, 400)
        status, _, _ = self.req("POST", "/api/v1/hooks/" + str(uuid.uuid4()), {}, auth=False,
                                headers=good)
        self.assertEqual(status, 404)
        # Two executions that fail, started through the API.
        for _ in range(2):
            status, _, body = self.req("POST", "/api/v1/playbooks/%s/executions" % fail_pb,
                                       {"variables": {}})
            self.assertEqual(status, 202, body)
            executions += body["execution_ids"]

        # What ran, from the journals.
        ended = collections.Counter()
        steps = collections.Counter()  # (step_type, command_type) -> records
        for eid in executions:
            e = self.wait_execution(eid)
            ended[(e["playbook_id"], e["status"])] += 1
            for s in e["steps"]:
                self.assertIn(s["status"], ("succeeded", "failed"), s)
                steps[(s["type"], "x-atio-lua" if s["type"] == "action" else "")] += 1
        self.assertEqual(ended, {(ok_pb, "succeeded"): 7, (fail_pb, "failed"): 2})

        # An execution's end is stored a moment before the engine lets it go
        # (and counts it): wait for the engine, as a scraper would see it settle.
        samples, types = self.scrape_when(lambda s: value(s, "atio_executions_active") == 0)
        self.assertEqual(types["atio_executions_started"], "counter")
        self.assertEqual(value(samples, "atio_executions_started_total", playbook=ok_pb), 7)
        self.assertEqual(value(samples, "atio_executions_started_total", playbook=fail_pb), 2)
        self.assertEqual(value(samples, "atio_executions_finished_total", playbook=ok_pb,
                               status="succeeded"), 7)
        self.assertEqual(value(samples, "atio_executions_finished_total", playbook=fail_pb,
                               status="failed"), 2)
        self.assertEqual(len([1 for l, _ in samples["atio_executions_finished_total"]
                              if l["playbook"] in (ok_pb, fail_pb)]), 2)

        # One observation per step record: 7 x (start, 2 actions, end) + 2 x (start, action).
        self.assertEqual(types["atio_step_duration_seconds"], "histogram")
        self.assertEqual(sum(steps.values()), 7 * 4 + 2 * 2)
        counts = {(l["step_type"], l["command_type"]): v
                  for l, v in samples["atio_step_duration_seconds_count"]}
        self.assertEqual(counts, dict(steps))
        for (step_type, command_type), n in steps.items():
            inf = value(samples, "atio_step_duration_seconds_bucket", step_type=step_type,
                        command_type=command_type, le="+Inf")
            self.assertEqual(inf, n)

        self.assertEqual(value(samples, "atio_webhook_events_accepted_total",
                               hook=hook["hook_id"]), accepted)
        rejected = {(l["hook"], l["reason"]): v
                    for l, v in samples["atio_webhook_requests_rejected_total"]}
        self.assertEqual(rejected, {(hook["hook_id"], "unauthenticated"): 2,
                                    (hook["hook_id"], "invalid"): 1,
                                    ("", "unknown_hook"): 1})
        self.assertEqual(value(samples, "atio_executions_queued"), 0)
        self.assertEqual(value(samples, "atio_executions_active"), 0)

    def test_manual_steps_waiting_and_active_executions_are_current(self):
        pb = self.create_playbook(playbook([[MANUAL]]))
        status, _, body = self.req("POST", "/api/v1/playbooks/%s/executions" % pb,
                                   {"variables": {}})
        self.assertEqual(status, 202, body)
        eid = body["execution_ids"][0]
        task = self.wait_manual(eid)
        samples, _ = self.scrape()
        self.assertEqual(value(samples, "atio_manual_steps_waiting"), 1)
        self.assertEqual(value(samples, "atio_executions_active"), 1)
        answer = "/api/v1/executions/%s/steps/%s/answer" % (
            eid, urllib.parse.quote(task["step_key"], safe=""))
        status, _, body = self.req("POST", answer, {"success": True, "response": "yes"})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.wait_execution(eid)["status"], "succeeded")
        samples, _ = self.scrape()
        self.assertEqual(value(samples, "atio_manual_steps_waiting"), 0)
        self.assertEqual(value(samples, "atio_step_duration_seconds_count",
                               step_type="action", command_type="manual"), 1)

    def test_audit_chain_build_and_process(self):
        for _ in range(3):  # audited changes: the chain grows
            self.create_playbook(playbook([[LUA_OK]]))
        _, _, head_before = self.req("GET", "/api/v1/audit/head")
        samples, _ = self.scrape()
        _, _, head_after = self.req("GET", "/api/v1/audit/head")
        # Nothing audited in between (reads are not), so both name the same record.
        self.assertEqual(head_before["seq"], head_after["seq"])
        self.assertGreaterEqual(head_before["seq"], 3)
        self.assertEqual(value(samples, "atio_audit_chain_length"), head_before["seq"])
        _, _, health = self.req("GET", "/healthz", auth=False)
        self.assertEqual(value(samples, "atio_build_info", version=health["version"]), 1)
        start = value(samples, "process_start_time_seconds")
        self.assertLessEqual(self.started_at - 1, start)
        self.assertLessEqual(start, time.time())
        self.assertGreater(value(samples, "process_resident_memory_bytes"), 0)

    def test_who_may_scrape(self):
        status, _, _ = self.req("GET", "/metrics", auth=False)
        self.assertEqual(status, 401)
        status, _, _ = self.req("GET", "/metrics", auth=False,
                                headers={"Authorization": "Bearer " + self.token + "0"})
        self.assertEqual(status, 401)
        # The admin key may; an auditor's may; a viewer's may not.
        status, _, _ = self.req("GET", "/metrics")
        self.assertEqual(status, 200)
        keys = {}
        for role in ("auditor", "viewer"):
            status, _, body = self.req("POST", "/api/v1/apikeys",
                                       {"name": "scrape-" + role, "role": role})
            self.assertEqual(status, 201, body)
            keys[role] = body["key"]
        self.scrape(bearer=keys["auditor"])
        status, _, body = self.req("GET", "/metrics", auth=False,
                                   headers={"Authorization": "Bearer " + keys["viewer"]})
        self.assertEqual(status, 403, body)
        self.assertIn("metrics.read", body["error"]["message"])
        # The scrape token reads /metrics and nothing else.
        for path in ("/api/v1/playbooks", "/api/v1/audit", "/api/v1/me"):
            status, _, _ = self.req("GET", path, auth=False,
                                    headers={"Authorization": "Bearer " + self.token})
            self.assertEqual(status, 403, path)


if __name__ == "__main__":
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
