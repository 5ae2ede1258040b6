"""Tests of the DFIR-IRIS stand-in (run by test_receivers.py).

Expected values come from the IRIS request and response examples and from IRIS's OpenAPI
files, read here with python3-yaml independently of the receiver.
"""
import glob
import json
import os
import unittest

import yaml  # Debian python3-yaml

import iris_contract
from http_call import call, iris_headers
from iris_receiver import IrisReceiver

IRIS = os.path.join(iris_contract.default_corpus_dir(), "iris")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class IrisTest(unittest.TestCase):
    def setUp(self):
        self.iris = IrisReceiver().start()
        self.addCleanup(self.iris.stop)
        self.requests = sorted(glob.glob(os.path.join(IRIS, "examples/alerts_add.request.*.json")))
        responses = glob.glob(os.path.join(IRIS, "examples/alerts_add.response.*.json"))
        self.response_keys = set.union(*(set(load(p)["data"]) for p in responses))
        with open(os.path.join(IRIS, "openapi/v2.1.0/resources/api_v2_alerts.yaml")) as f:
            op = yaml.safe_load(f)["post"]
        self.doc_required = op["requestBody"]["content"]["application/json"]["schema"]["required"]

    def send(self, method, path, body=None, key=None, raw=None, **headers):
        return call(self.iris.url, method, path, body,
                    iris_headers(key or self.iris.api_key, **headers), raw=raw)

    def test_request_examples_are_accepted_in_the_documented_shape(self):
        self.assertEqual(len(self.requests), 2)
        for path in self.requests:
            body = load(path)
            legacy = self.send("POST", "/alerts/add", body)
            self.assertEqual(legacy.status, 200, legacy.body)
            self.assertEqual((legacy.body["status"], legacy.body["message"]), ("success", ""))
            v2 = self.send("POST", "/api/v2/alerts", body)
            self.assertEqual(v2.status, 201, v2.body)
            for alert in (legacy.body["data"], v2.body):
                self.assertTrue(self.response_keys <= set(alert), self.response_keys - set(alert))
                self.assertIsInstance(alert["alert_id"], int)
                for field in ("alert_title", "alert_severity_id", "alert_status_id",
                              "alert_customer_id", "alert_source_content", "alert_tags"):
                    self.assertEqual(alert[field], body[field])
                self.assertEqual([i["ioc_value"] for i in alert["iocs"]],
                                 [i["ioc_value"] for i in body["alert_iocs"]])
                self.assertEqual(len(alert["assets"]), len(body["alert_assets"]))
            got = self.send("GET", "/api/v2/alerts/%d" % v2.body["alert_id"])
            self.assertEqual((got.status, got.body), (200, v2.body))
        self.assertEqual(len(self.iris.alerts), 2 * len(self.requests))

    def test_each_required_field_removed_is_refused_naming_it(self):
        self.assertTrue(set(self.doc_required) <= set(self.iris.required))
        self.assertIn("alert_status_id", self.iris.required)   # NOT NULL in the Alert model
        body = load(self.requests[0])
        for field in self.iris.required:
            with self.subTest(field=field):
                partial = {k: v for k, v in body.items() if k != field}
                v2 = self.send("POST", "/api/v2/alerts", partial)
                self.assertEqual(v2.status, 400)
                self.assertEqual(v2.body, {"message": "Data error", "data": {
                    field: ["Missing data for required field."]}})
                legacy = self.send("POST", "/alerts/add", partial)
                self.assertEqual((legacy.status, legacy.body["status"]), (400, "error"))
                self.assertIn(field, legacy.body["message"])
        self.assertEqual(self.iris.alerts, {})

    def test_wrong_types_and_unknown_references_are_refused(self):
        body = load(self.requests[0])
        cases = [({"alert_severity_id": "high"}, ["alert_severity_id"]),
                 ({"alert_title": 7}, ["alert_title"]),
                 ({"alert_tags": ["a", "b"]}, ["alert_tags"]),
                 ({"alert_iocs": [{"ioc_value": "x", "ioc_tlp_id": "amber"}]},
                  ["alert_iocs", "0", "ioc_tlp_id"]),
                 ({"alert_severity_id": 9}, ["alert_severity_id"]),
                 ({"alert_source_event_time": "yesterday"}, ["alert_source_event_time"])]
        for change, path in cases:
            with self.subTest(change=change):
                resp = self.send("POST", "/api/v2/alerts", dict(body, **change))
                self.assertEqual(resp.status, 400)
                node = resp.body["data"]
                for part in path:
                    node = node[part]
                self.assertTrue(node)
        other = self.send("POST", "/api/v2/alerts", dict(body, alert_customer_id=42))
        self.assertEqual(other.body, {"message": "User not entitled to create alerts for the "
                                                 "client"})

    def test_a_json_body_is_required(self):
        resp = call(self.iris.url, "POST", "/api/v2/alerts", None,
                    {"Authorization": "Bearer " + self.iris.api_key}, raw=b"{}")
        self.assertEqual(resp.status, 415)
        self.assertIn(("/api/v2/alerts", "Content-Type is not application/json"),
                      self.iris.violations)
        bad = self.send("POST", "/alerts/add", None, raw=b"{not json")
        self.assertEqual(bad.status, 400)
        empty = self.send("POST", "/alerts/add", {})
        self.assertEqual(empty.body["message"], "No JSON data provided")

    def test_a_wrong_key_is_refused(self):
        body = load(self.requests[0])
        for auth in ("Bearer wrong", "", self.iris.api_key):
            resp = call(self.iris.url, "POST", "/api/v2/alerts", body,
                        {"Authorization": auth, "Content-Type": "application/json"})
            self.assertEqual((resp.status, resp.body), (401, {
                "status": "error", "message": "Authentication required", "data": []}))
        self.assertIn(("/api/v2/alerts", "Authorization without Bearer"), self.iris.violations)
        with IrisReceiver(read_only_key="reader") as ro:
            resp = call(ro.url, "POST", "/alerts/add", body, iris_headers("reader"))
            self.assertEqual((resp.status, resp.body["message"]), (403, "Permission denied"))
        self.assertEqual(self.iris.alerts, {})

    def test_update(self):
        made = self.send("POST", "/api/v2/alerts", load(self.requests[0])).body
        self.assertEqual(self.send("PUT", "/api/v2/alerts/999", {"alert_title": "x"}).status, 404)
        self.assertEqual(self.send("GET", "/api/v2/alerts/999").status, 404)
        legacy = self.send("POST", "/alerts/update/999", {"alert_title": "x"})
        self.assertEqual((legacy.status, legacy.body["message"]), (400, "Alert not found"))
        update = load(os.path.join(IRIS, "examples/alerts_update_alert_id.request."
                                         "media-examples.example_1.json"))
        resp = self.send("PUT", "/api/v2/alerts/%d" % made["alert_id"],
                         dict(update, alert_title="renamed", alert_customer_id=99))
        self.assertEqual(resp.status, 200, resp.body)
        self.assertEqual(resp.body["alert_title"], "renamed")
        self.assertEqual(resp.body["alert_customer_id"], made["alert_customer_id"])  # read-only
        bad = self.send("PUT", "/api/v2/alerts/%d" % made["alert_id"], {"alert_status_id": "x"})
        self.assertIn("alert_status_id", bad.body["data"])
        esc = self.send("POST", "/alerts/escalate/%d" % made["alert_id"],
                        {"case_title": "case", "note": "n"})
        self.assertEqual(esc.body["data"]["case_name"], "#1 - case")
        self.assertEqual(self.iris.alerts[made["alert_id"]]["alert_status_id"], 8)
        case_id = esc.body["data"]["case_id"]
        ioc = self.send("POST", "/api/v2/cases/%d/iocs" % case_id,
                        {"ioc_value": "203.0.113.9", "ioc_type_id": 76, "ioc_tlp_id": 2})
        self.assertEqual(ioc.status, 201, ioc.body)
        self.assertEqual(self.iris.cases[case_id]["iocs"][0]["ioc_id"], ioc.body["ioc_id"])
        bad = self.send("POST", "/api/v2/cases/%d/iocs" % case_id,
                        {"ioc_value": "", "ioc_type_id": "76"})
        self.assertEqual(set(bad.body["data"]), {"ioc_value", "ioc_type_id", "ioc_tlp_id"})
        self.assertEqual(self.send("POST", "/api/v2/cases/999/iocs",
                                   {"ioc_value": "x", "ioc_type_id": 1, "ioc_tlp_id": 1}).status, 404)

    def test_idempotent_retry(self):
        body = load(self.requests[0])
        self.iris.inject_faults(1, status=503)    # refused before processing: nothing stored
        self.assertEqual(self.send("POST", "/api/v2/alerts", body,
                                   **{"Idempotency-Key": "a"}).status, 503)
        first = self.send("POST", "/api/v2/alerts", body, **{"Idempotency-Key": "a"})
        again = self.send("POST", "/api/v2/alerts", body, **{"Idempotency-Key": "a"})
        self.assertEqual((again.status, again.body), (first.status, first.body))
        self.assertEqual(len(self.iris.alerts), 1)
        changed = self.send("POST", "/api/v2/alerts", dict(body, alert_title="other"),
                            **{"Idempotency-Key": "a"})
        self.assertEqual(changed.body["alert_id"], first.body["alert_id"])
        self.assertEqual(self.iris.idempotency_conflicts, [("POST", "/api/v2/alerts", "a")])
        self.assertEqual(self.iris.counters["alerts_created"], 1)
