#!/usr/bin/python3
"""Use case 1 end to end under a real `atio serve`: an OpenVAS/GVM scan report
(a corpus report, its findings spread over three hosts) arrives on a webhook
as XML, becomes STIX, is enriched, and goes to DFIR-IRIS (one alert per
affected host) and MISP (one event for the scan) in parallel, through local
receivers that check those products' request contracts. A rescan updates the
same alerts and event.

Usage: test_use_case_1.py PATH/TO/atio
"""
import json
import os
import re
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "receivers"))

from atio_process import AtioServer  # noqa: E402
from iris_receiver import IrisReceiver  # noqa: E402
from misp_receiver import MispReceiver  # noqa: E402

ATIO = None
CORPUS = os.environ.get("ATIO_CORPUS_DIR", "/work/shared/corpus")
PLAYBOOK = os.path.join(HERE, "..", "..", "playbooks", "uc1-vulnerability-scan-to-iris-and-misp.json")
HOSTS = ["10.20.0.11", "10.20.0.12", "10.20.0.13"]


def three_host_report():
    """many_vuln.xml (a GMP 9 export of one host) with its results dealt over HOSTS."""
    path = os.path.join(CORPUS, "openvas", "defectdojo", "many_vuln.xml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    n = [0]

    def deal(m):
        host = HOSTS[n[0] % len(HOSTS)]
        n[0] += 1
        return re.sub(r"(<host>\s*)[0-9a-fA-F:.]+", lambda h: h.group(1) + host, m.group(0), count=1)

    return re.sub(r"<result id=.*?</result>", deal, text, flags=re.S)


def configured_playbook(misp, iris):
    with open(PLAYBOOK, encoding="utf-8") as f:
        doc = json.load(f)
    v = doc["playbook_variables"]
    v["__misp_url__"]["value"], v["__misp_key__"]["value"] = misp.url, misp.api_key
    v["__iris_url__"]["value"], v["__iris_key__"]["value"] = iris.url, iris.api_key
    return doc


class UseCase1(unittest.TestCase):
    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="atio-uc1-")
        self.misp = MispReceiver().start()
        self.iris = IrisReceiver().start()
        self.server = AtioServer(ATIO, self.data).start()

    def tearDown(self):
        self.server.kill()
        self.misp.stop()
        self.iris.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def req(self, method, path, body=None, **kw):
        return self.server.request(method, path, body, **kw)

    def send(self, hook, xml):
        status, _, body = self.req("POST", "/api/v1/hooks/%s?wait=120" % hook["hook_id"], raw=xml,
                                   auth=False, headers={"Authorization": "Bearer " + hook["token"],
                                                        "Content-Type": "application/xml"})
        self.assertEqual(status, 200, body)
        (execution,) = body["executions"]
        _, _, detail = self.req("GET", "/api/v1/executions/" + execution["id"])
        if execution["status"] != "succeeded":
            failed = [(s.get("step_id"), s.get("error")) for s in detail.get("steps", [])
                      if s["status"] != "succeeded"]
            self.fail("execution %s: %s" % (execution["status"], json.dumps(failed)[:2000]))
        return detail

    def test_a_scan_reaches_iris_per_host_and_misp_and_a_rescan_updates_them(self):
        status, _, body = self.req("POST", "/api/v1/assets", [
            {"name": "billing-db", "ips": [HOSTS[0]], "tags": ["pci"], "criticality": 5}])
        self.assertEqual(status, 201, body)
        status, _, body = self.req("POST", "/api/v1/playbooks",
                                   configured_playbook(self.misp, self.iris))
        self.assertEqual(status, 201, body)
        with open(PLAYBOOK, encoding="utf-8") as f:
            pid = json.load(f)["id"]
        status, _, hook = self.req("POST", "/api/v1/hooks",
                                   {"playbook_id": pid, "auth": "token", "name": "openvas"})
        self.assertEqual(status, 201, hook)
        report = three_host_report()

        execution = self.send(hook, report)
        detections = next(s["variables"]["__detections__"] for s in execution["steps"]
                          if "__detections__" in s.get("variables", {}))
        self.assertEqual({d["target"] for d in detections}, set(HOSTS))
        on_db = [d for d in detections if d["target"] == HOSTS[0]]
        self.assertTrue(all(d["asset"]["name"] == "billing-db" for d in on_db))
        # One IRIS alert per affected host, naming its host; one MISP event.
        self.assertEqual(len(self.iris.alerts), len(HOSTS))
        for alert in self.iris.alerts.values():
            ips = {a.get("asset_ip") for a in alert.get("assets", [])}
            self.assertEqual(len(ips & set(HOSTS)), 1, json.dumps(alert.get("assets")))
        self.assertEqual(len(self.misp.events), 1)
        (event,) = self.misp.events.values()
        cves = {a["value"] for a in event.get("Attribute", []) if a["type"] == "vulnerability"}
        self.assertIn("CVE-2013-7404", cves)  # a finding of the report

        # A rescan: the same host alerts and event are updated, none added.
        self.send(hook, report)
        self.assertEqual(len(self.iris.alerts), len(HOSTS))
        self.assertEqual(len(self.misp.events), 1)
        self.assertEqual(len(self.iris.requests_to(method="PUT", prefix="/api/v2/alerts/")), len(HOSTS))
        self.assertEqual(len(self.misp.requests_to(prefix="/events/edit/")), 1)
        self.assertEqual(self.misp.dropped, [])
        self.assertEqual(self.misp.violations, [])
        self.assertEqual(self.iris.violations, [])


if __name__ == "__main__":
    ATIO = sys.argv.pop(1)
    unittest.main(verbosity=2)
