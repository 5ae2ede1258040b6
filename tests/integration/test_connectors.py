#!/usr/bin/env python3
"""Connectors under a real `atio serve`: one playbook sends, step by step, to the MISP and
DFIR-IRIS stand-ins (which check those products' documented request contracts) and to an
OpenSearch `_bulk` stand-in, with x-atio-misp, x-atio-iris and x-atio-opensearch commands
whose keys come from atio's secret store. MISP answers the first request with 503 and the
_bulk endpoint refuses one document with 429: both are retried, and the execution succeeds
with every object where the products keep it. A playbook whose connector commands break
their parameter rules is refused with errors naming each property.

Usage: test_connectors.py /path/to/atio [unittest options]
Python 3 standard library only (plus what the IRIS stand-in needs); 127.0.0.1 only.
"""
import base64
import json
import os
import shutil
import sys
import tempfile
import threading
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "receivers"))
from atio_process import AtioServer, make_cert  # noqa: E402
from iris_receiver import IrisReceiver  # noqa: E402
from misp_receiver import MispReceiver  # noqa: E402
from receiver_base import BaseReceiver, Reply  # noqa: E402
from test_audit_syslog import TcpCollector  # noqa: E402

ATIO = None
MISP_KEY = "k" * 20 + "0123456789" + "Z" * 10
IRIS_KEY = "iris-connector-test-key-0123456789"
BULK_PASSWORD = "bulk-pass-42"


class BulkReceiver(BaseReceiver):
    """POST /_bulk as OpenSearch documents it: HTTP basic, Content-Type application/x-ndjson,
    an action line and a source line per document, the body ending in a newline; 200 with one
    item per document. Documents whose "n" is in `busy` get 429 the first time."""

    def __init__(self, user, password, busy=()):
        super().__init__()
        import base64
        self.expected = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        self.busy = set(busy)
        self.indexed = {}   # (index, id) -> document
        self.route("POST", r"/_bulk", self._bulk)

    def authenticate(self, rec):
        if rec.headers.get("authorization") != self.expected:
            return Reply(401, {"error": {"type": "security_exception",
                                         "reason": "missing authentication credentials"},
                               "status": 401})
        return None

    def _bulk(self, rec):
        if rec.headers.get("content-type") != "application/x-ndjson":
            return Reply(406, {"error": "Content-Type header [%s] is not supported"
                               % rec.headers.get("content-type"), "status": 406})
        text = rec.raw.decode()
        if not text.endswith("\n"):
            return Reply(400, {"error": {"type": "illegal_argument_exception",
                                         "reason": "The bulk request must be terminated by a "
                                                   "newline [\\n]"}, "status": 400})
        lines = text.split("\n")[:-1]
        items, errors = [], False
        for action_line, source_line in zip(lines[0::2], lines[1::2]):
            (action, meta), = json.loads(action_line).items()
            doc = json.loads(source_line)
            key = (meta["_index"], meta.get("_id") or str(uuid.uuid4()))
            item = {"_index": key[0], "_id": key[1]}
            if doc.get("n") in self.busy:
                self.busy.discard(doc["n"])
                errors = True
                item.update(status=429, error={"type": "es_rejected_execution_exception",
                                               "reason": "rejected execution"})
            else:
                item.update(status=200 if key in self.indexed else 201,
                            result="updated" if key in self.indexed else "created")
                self.indexed[key] = doc
            items.append({action: item})
        return Reply(200, {"took": 1, "errors": errors, "items": items})


class OpenC2Consumer(BaseReceiver):
    """POST /.well-known/openc2 as the OpenC2 HTTPS transfer spec asks of a producer: the
    command media type, an OpenC2 command with action and target; answers with an OpenC2
    response (status 200 and results)."""

    def __init__(self):
        super().__init__()
        self.commands = []
        self.route("POST", r"/\.well-known/openc2", self._command)

    def _command(self, rec):
        if rec.headers.get("content-type") != "application/openc2-cmd+json;version=1.0":
            return Reply(400, {"status": 400, "status_text": "bad content type"})
        if not isinstance(rec.body, dict) or "action" not in rec.body or "target" not in rec.body:
            return Reply(400, {"status": 400, "status_text": "not an OpenC2 command"})
        self.commands.append(rec.body)
        return Reply(200, {"status": 200, "status_text": "rule added",
                           "results": {"slpf": {"rule_number": 7}}},
                     {"Content-Type": "application/openc2-rsp+json;version=1.0"})


def ids(prefix):
    return "%s--%s" % (prefix, uuid.uuid4())


def playbook(misp_port, iris_port, bulk_port, commands_by_step):
    """A chain start -> one action step per (name, target, commands, out_args) -> end. The
    targets are 127.0.0.1 on the receivers' ports: HTTPS by CACAO's port rule."""
    targets, auths = {}, {}
    for name, port, auth in (("misp", misp_port, {"type": "oauth2", "kms": True,
                                                "kms_key_identifier": "misp",
                                                "oauth_header": "", "token": ""}),
                            ("iris", iris_port, {"type": "oauth2", "kms": True,
                                                "kms_key_identifier": "iris",
                                                "oauth_header": "", "token": ""}),
                            ("bulk", bulk_port, {"type": "http-basic", "kms": True,
                                                "kms_key_identifier": "opensearch",
                                                "user_id": "atio"})):
        auth_id = ids("oauth2" if auth["type"] == "oauth2" else "http-basic")
        auths[auth_id] = auth
        targets[name] = ids("http-api")
        targets[targets[name]] = {"type": "http-api", "name": name,
                                  "address": {"ipv4": ["127.0.0.1"]}, "port": str(port),
                                  "authentication_info": auth_id}
    start, end, agent = ids("start"), ids("end"), ids("individual")
    steps = [ids("action") for _ in commands_by_step]
    workflow = {start: {"type": "start", "on_completion": steps[0]}, end: {"type": "end"}}
    for i, (name, target, commands, out_args) in enumerate(commands_by_step):
        workflow[steps[i]] = {"type": "action", "name": name, "agent": agent,
                              "targets": [targets[target]], "commands": commands,
                              "on_completion": steps[i + 1] if i + 1 < len(steps) else end}
        if out_args:
            workflow[steps[i]]["out_args"] = out_args
    return {
        "type": "playbook", "spec_version": "cacao-2.0", "id": ids("playbook"),
        "name": "connectors", "created_by": ids("identity"),
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "workflow_start": start,
        "agent_definitions": {agent: {"type": "individual", "name": "SOC automation"}},
        "playbook_variables": {v: {"type": "string", "value": ""} for v in
                               ("__misp_id__", "__iris_id__", "__case_id__", "__indexed__")},
        "target_definitions": {k: v for k, v in targets.items() if isinstance(v, dict)},
        "authentication_info_definitions": auths,
        "workflow": workflow,
    }


class ConnectorsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-connectors-")
        cert, key = make_cert(cls.tmp)
        cls.cert, cls.key = cert, key
        cls.misp = MispReceiver(api_key=MISP_KEY).use_tls(cert, key).start()
        cls.iris = IrisReceiver(api_key=IRIS_KEY).use_tls(cert, key).start()
        cls.bulk = BulkReceiver("atio", BULK_PASSWORD, busy={2}).use_tls(cert, key).start()
        cls.server = AtioServer(ATIO, os.path.join(cls.tmp, "data"), ["--ca-file", cert]).start()
        for name, value in (("misp", {"oauth_header": MISP_KEY}), ("iris", IRIS_KEY),
                            ("opensearch", BULK_PASSWORD)):
            status, _, body = cls.server.request("PUT", "/api/v1/secrets/" + name,
                                                 {"value": value})
            assert status == 200, body

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        for r in (cls.misp, cls.iris, cls.bulk):
            r.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_playbook(self, pb):
        status, _, body = self.server.request("POST", "/api/v1/playbooks", pb)
        self.assertIn(status, (200, 201), body)
        status, _, body = self.server.request(
            "POST", "/api/v1/playbooks/%s/executions" % pb["id"], {})
        self.assertIn(status, (200, 201, 202), body)
        return self.server.wait_execution(body["execution_ids"][0], timeout=60)

    def test_playbook_reaches_misp_iris_and_opensearch_with_retries(self):
        alert = {"alert_title": "ET SCAN from 10.0.0.5", "alert_severity_id": 4,
                 "alert_status_id": 2, "alert_customer_id": 1, "alert_classification_id": 1,
                 "alert_description": "Suricata alert", "alert_source": "atio"}
        pb = playbook(self.misp.port, self.iris.port, self.bulk.port, [
            ("MISP event", "misp",
             [{"type": "x-atio-misp", "operation": "add_event",
               "event": {"info": "ET SCAN from 10.0.0.5", "distribution": "0",
                         "threat_level_id": "2", "analysis": "0"}}], ["__misp_id__"]),
            ("MISP attribute", "misp",
             [{"type": "x-atio-misp", "operation": "add_attribute", "event_id": "__misp_id__:value",
               "attribute": {"type": "ip-src", "category": "Network activity",
                             "value": "10.0.0.5", "to_ids": True}}], []),
            ("MISP object", "misp",
             [{"type": "x-atio-misp", "operation": "add_object", "event_id": "__misp_id__:value",
               "object": {"name": "domain-ip", "meta-category": "network",
                          "Attribute": [{"object_relation": "domain", "type": "domain",
                                         "value": "scanner.example.org"},
                                        {"object_relation": "ip", "type": "ip-dst",
                                         "value": "10.0.0.5"}]}}], []),
            ("MISP sighting", "misp",
             [{"type": "x-atio-misp", "operation": "add_sighting", "values": ["10.0.0.5"],
               "source": "atio"}], []),
            ("IRIS alert", "iris",
             [{"type": "x-atio-iris", "operation": "create_alert", "alert": alert}],
             ["__iris_id__"]),
            ("IRIS escalation", "iris",
             [{"type": "x-atio-iris", "operation": "escalate_alert",
               "alert_id": "__iris_id__:value", "case_title": "Scan from 10.0.0.5",
               "note": "escalated by atio"}], ["__case_id__"]),
            ("IRIS IOC", "iris",
             [{"type": "x-atio-iris", "operation": "add_ioc", "case_id": "__case_id__:value",
               "ioc": {"ioc_value": "10.0.0.5", "ioc_type_id": 76, "ioc_tlp_id": 2,
                       "ioc_description": "scanner"}}], []),
            ("OpenSearch", "bulk",
             [{"type": "x-atio-opensearch", "index": "atio-alerts", "id_field": "uid",
               "documents": [{"uid": "a", "n": 1}, {"uid": "b", "n": 2},
                             {"uid": "c", "n": 3}]}], ["__indexed__"]),
        ])
        self.misp.inject_faults(1, status=503)
        done = self.run_playbook(pb)
        self.assertEqual(done["status"], "succeeded", json.dumps(done, indent=1))

        # MISP: the event (after one 503), its attribute, object and sighting.
        event_posts = self.misp.requests_to(path="/events/add")
        self.assertEqual([r.status for r in event_posts], [503, 200])
        self.assertEqual(event_posts[0].idempotency_key, event_posts[1].idempotency_key)
        (event,) = self.misp.events.values()
        self.assertEqual(event["info"], "ET SCAN from 10.0.0.5")
        self.assertEqual([a["value"] for a in event["Attribute"]], ["10.0.0.5"])
        self.assertEqual([o["name"] for o in event["Object"]], ["domain-ip"])
        # A sighting by value sights every attribute with that value: the event's and the
        # object's.
        self.assertEqual(self.misp.counters["sightings_added"], 2)
        self.assertEqual(self.misp.violations, [])
        for r in self.misp.requests:
            self.assertEqual(r.headers.get("authorization"), MISP_KEY)

        # IRIS: the alert, escalated to a case whose id the playbook kept, with the IOC.
        (alert_stored,) = self.iris.alerts.values()
        self.assertEqual(alert_stored["alert_status_id"], 8)
        self.assertEqual(self.iris.violations, [])
        (case,) = self.iris.cases.values()
        self.assertEqual([i["ioc_value"] for i in case["iocs"]], ["10.0.0.5"])
        names = {sid: step.get("name") for sid, step in pb["workflow"].items()}
        steps = {names[s["step_id"]]: s for s in done["steps"] if s["type"] == "action"}
        self.assertEqual(steps["IRIS escalation"]["variables"]["__case_id__"], case["case_id"])

        # OpenSearch: three documents, the one refused with 429 sent again alone.
        self.assertEqual(sorted(k[1] for k in self.bulk.indexed), ["a", "b", "c"])
        bulk_posts = self.bulk.requests_to(path="/_bulk")
        self.assertEqual(len(bulk_posts), 2)
        self.assertEqual(bulk_posts[1].raw.decode().count("\n"), 2)  # one document
        self.assertEqual(steps["OpenSearch"]["outputs"]["indexed"], 3)
        self.assertEqual(steps["MISP event"]["outputs"]["attempts"], 2)

        # No credential in what atio shows of the execution.
        shown = json.dumps(done)
        for secret in (MISP_KEY, IRIS_KEY, BULK_PASSWORD):
            self.assertNotIn(secret, shown)

    def test_openc2_and_syslog_from_one_playbook(self):
        consumer = OpenC2Consumer().use_tls(self.cert, self.key).start()
        collector = TcpCollector()
        try:
            consumer.inject_faults(1, status=503)
            pb = playbook(consumer.port, self.iris.port, self.bulk.port, [
                ("block the source", "misp", [{
                    "type": "openc2-http", "command": "POST /.well-known/openc2 HTTP/1.1",
                    "content_b64": base64.b64encode(json.dumps(
                        {"action": "deny", "target": {"ipv4_net": "10.0.0.5"},
                         "actuator": {"slpf": {}}}).encode()).decode()}], []),
                ("tell the SIEM", "iris", [{
                    "type": "x-atio-syslog", "collector": "tcp://127.0.0.1:%d" % collector.port,
                    "severity": "warning", "msgid": "BLOCK", "message": "blocked 10.0.0.5",
                    "structured_data": {"alert@32473": {"ip": "10.0.0.5"}}}], []),
            ])
            execution = self.run_playbook(pb)
            self.assertEqual(execution["status"], "succeeded", json.dumps(execution)[:2000])
            self.assertEqual(consumer.commands[0]["action"], "deny")
            self.assertEqual(len(consumer.requests), 2)  # the 503, then the command
            for _ in range(100):
                if collector.messages:
                    break
                threading.Event().wait(0.1)
            self.assertEqual(len(collector.messages), 1)
            frame = collector.messages[0]
            self.assertRegex(frame, r'^<12>1 \S+ \S+ atio - BLOCK \[alert@32473 ip="10.0.0.5"\]'
                                    r'\[atio@32473 execution="[^"]+" step="action--[^"]+"\] '
                                    r'blocked 10.0.0.5$')
        finally:
            consumer.stop()
            collector.stop()

    def test_parameter_errors_are_refused_by_property(self):
        pb = playbook(self.misp.port, self.iris.port, self.bulk.port, [
            ("bad misp", "misp", [{"type": "x-atio-misp", "operation": "add_evnt"}], []),
            ("bad iris", "iris", [{"type": "x-atio-iris", "operation": "update_alert",
                                   "alert_id": [1], "alert": {}}], []),
            ("bad bulk", "bulk", [{"type": "x-atio-opensearch", "index": "x"}], []),
        ])
        status, _, body = self.server.request("POST", "/api/v1/playbooks", pb)
        self.assertEqual(status, 422, body)
        text = json.dumps(body)
        self.assertIn('unknown operation \\"add_evnt\\"', text)
        self.assertIn("/alert_id", text)
        self.assertIn("must be an id (a string or an integer)", text)
        self.assertIn("/documents", text)
        self.assertIn("is required for operation index", text)


if __name__ == "__main__":
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
