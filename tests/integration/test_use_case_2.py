#!/usr/bin/python3
"""Use case 2 end to end under a real `atio serve`: Suricata alerts from the
corpus arrive on a webhook, become STIX, are enriched with an asset and
policies, and go to MISP and DFIR-IRIS (local receivers that check those
products' request contracts) in parallel. A repeated alert updates the same
MISP event and IRIS alert; what atio knows about the detection survives a
kill -9. Each alert opens its case, a repeat within the correlation window
updates it; the case occurred at the alert's own time, was detected when atio
received it (Suricata gives no report time) and responded once MISP and IRIS
had it.

Usage: test_use_case_2.py PATH/TO/atio
"""
import calendar
import json
import os
from datetime import datetime

from use_case_support import CORPUS, UseCaseTest, main


def corpus_alerts():
    path = os.path.join(CORPUS, "suricata-eve", "alerts",
                        "frankhassanabad-wrccdc-2018.alerts-only.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def eve_ms(stamp):
    """An EVE timestamp ("2018-03-23T13:59:41.964828-0600") in ms since the epoch."""
    t = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z")
    return calendar.timegm(t.utctimetuple()) * 1000 + t.microsecond // 1000


class UseCase2(UseCaseTest):
    PLAYBOOK = "uc2-suricata-threat-to-misp-and-iris.json"

    def test_alerts_reach_misp_and_iris_enriched_and_repeats_update_them(self):
        alerts = corpus_alerts()
        first = alerts[1]
        # The target of the first alert is a known, critical asset under a policy.
        status, _, body = self.req("POST", "/api/v1/assets", [
            {"name": "ssh-gateway", "ips": [first["dest_ip"]], "owner": "network team",
             "tags": ["pci"], "criticality": 5}])
        self.assertEqual(status, 201, body)
        status, _, body = self.req("PUT", "/api/v1/policies", [
            {"name": "PCI: contain", "match": {"asset_tags": ["pci"]},
             "response": ["isolate-host", "open-case"], "priority": "high"}])
        self.assertEqual(status, 200, body)
        hook = self.install("suricata")

        execution = self.send(hook, first)
        (detection,) = self.detections_of(execution)
        self.assertEqual(detection["asset"]["name"], "ssh-gateway")
        self.assertEqual([p["name"] for p in detection["policies"]], ["PCI: contain"])
        self.assertEqual(detection["count"], 1)
        self.assertEqual(len(self.misp.events), 1)
        self.assertEqual(len(self.iris.alerts), 1)
        (misp_id,) = self.misp.events.keys()
        (iris_id,) = self.iris.alerts.keys()
        event = self.misp.events[misp_id]
        values = {a["value"] for a in event.get("Attribute", [])}
        self.assertIn(first["src_ip"], values)
        self.assertIn(first["dest_ip"], values)
        alert = self.iris.alerts[iris_id]
        self.assertIn(first["alert"]["signature"], json.dumps(alert))
        status, _, known = self.req("GET", "/api/v1/detections/" + detection["detection_id"])
        self.assertEqual(status, 200, known)
        self.assertEqual(known["external_ids"], {"misp": str(misp_id), "iris": str(iris_id)})
        # The alert's case, with the sensor's and atio's times.
        (case,) = self.cases()
        self.assertEqual(case["status"], "new")
        self.assertEqual(case["use_case"], "use-case-2")
        self.assertEqual(case["detection_count"], 1)
        self.assertEqual(case["occurred_at_ms"], eve_ms(first["timestamp"]))
        self.assertEqual(case["detected_at_ms"], self.created_ms(execution))
        self.assertEqual(case["mttd_ms"], case["detected_at_ms"] - case["occurred_at_ms"])
        self.assertGreaterEqual(case["responded_at_ms"], case["detected_at_ms"])
        self.assertEqual(case["mttr_ms"], case["responded_at_ms"] - case["detected_at_ms"])
        links = [(l["kind"], l.get("tool"), l["ref"]) for l in self.case(case["id"])["links"]]
        for link in (("external", "misp", str(misp_id)), ("external", "iris", str(iris_id)),
                     ("execution", None, execution["id"])):
            self.assertIn(link, links)

        # The sensor reports the same alert again: the same event and alert
        # are updated, nothing new is created.
        again = self.send(hook, first)
        (d2,) = self.detections_of(again)
        self.assertEqual(d2["detection_id"], detection["detection_id"])
        self.assertEqual(d2["count"], 2)
        self.assertEqual(d2["misp_id"], str(misp_id))
        self.assertEqual(len(self.misp.events), 1)
        self.assertEqual(len(self.iris.alerts), 1)
        self.assertEqual(len(self.misp.requests_to(path="/events/edit/%s" % misp_id)), 1)
        self.assertEqual(len(self.iris.requests_to(path="/api/v2/alerts/%s" % iris_id, method="PUT")), 1)
        # ...and the same case: counted twice, its first times kept.
        (repeat,) = self.cases()
        self.assertEqual(repeat["id"], case["id"])
        self.assertEqual(repeat["detection_count"], 2)
        self.assertEqual(repeat["detected_at_ms"], case["detected_at_ms"])
        self.assertEqual(repeat["responded_at_ms"], case["responded_at_ms"])
        timeline = [t["kind"] for t in self.case(case["id"])["timeline"]]
        self.assertEqual(timeline, ["opened", "responded", "detection", "responded"])

        # What atio knows survives kill -9.
        self.restart()
        status, _, known = self.req("GET", "/api/v1/detections/" + detection["detection_id"])
        self.assertEqual(status, 200, known)
        self.assertEqual(known["count"], 2)
        self.assertEqual(known["external_ids"]["misp"], str(misp_id))

        # More corpus alerts: each distinct detection is one MISP event and one
        # IRIS alert, every request within the products' contracts.
        for a in alerts[2:12]:
            self.send(hook, a)
        self.assertEqual(len(self.misp.events), 11)
        self.assertEqual(len(self.iris.alerts), 11)
        # One case per signature and target.
        distinct = {(a["alert"]["gid"], a["alert"]["signature_id"], a["dest_ip"]) for a in alerts[1:12]}
        self.assertEqual(len(self.cases()), len(distinct))
        # The feed of detections, newest first (what a dashboard shows).
        status, _, feed = self.req("GET", "/api/v1/detections?limit=100")
        self.assertEqual(status, 200, feed)
        self.assertEqual(len(feed["detections"]), 11)
        seen = [d["last_seen"] for d in feed["detections"]]
        self.assertEqual(seen, sorted(seen, reverse=True))
        self.assertIn(detection["detection_id"], [d["detection_id"] for d in feed["detections"]])
        status, _, feed = self.req("GET", "/api/v1/detections?limit=2")
        self.assertEqual(len(feed["detections"]), 2)
        status, _, body = self.req("GET", "/api/v1/detections?since=yesterday")
        self.assertEqual(status, 400, body)
        self.assertEqual(body["error"]["errors"][0]["pointer"], "/query/since")
        self.assert_within_contracts()

    def test_asset_and_policy_input_errors_name_the_field(self):
        status, _, body = self.req("POST", "/api/v1/assets", [{"name": "x", "ips": ["10.0.0.300"]}])
        self.assertEqual(status, 422, body)
        self.assertEqual(body["error"]["errors"][0]["pointer"], "/0/ips/0")
        status, _, body = self.req("POST", "/api/v1/assets", raw="name,ips\nweb,10.1.1.1\n",
                                   headers={"Content-Type": "text/csv"})
        self.assertEqual(status, 201, body)
        status, _, body = self.req("GET", "/api/v1/assets")
        self.assertEqual([a["name"] for a in body["assets"]], ["web"])
        status, _, body = self.req("PUT", "/api/v1/policies", [{"name": "p", "response": []}])
        self.assertEqual(status, 422, body)
        self.assertEqual(body["error"]["errors"][0]["pointer"], "/0/response")
        status, _, body = self.req("PUT", "/api/v1/risk-model", {"criticality_weight": {"9": 1}})
        self.assertEqual(status, 422, body)
        self.assertEqual(body["error"]["errors"][0]["pointer"], "/criticality_weight/9")
        status, _, body = self.req("GET", "/api/v1/detections/00000000-0000-4000-8000-000000000000")
        self.assertEqual(status, 404, body)


if __name__ == "__main__":
    main()
