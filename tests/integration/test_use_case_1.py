#!/usr/bin/python3
"""Use case 1 end to end under a real `atio serve`: an OpenVAS/GVM scan report
(a corpus report, its findings spread over three hosts) arrives on a webhook
as XML, becomes STIX, is enriched, and goes to DFIR-IRIS (one alert per
affected host) and MISP (one event for the scan) in parallel, through local
receivers that check those products' request contracts. A rescan updates the
same alerts and event.

Usage: test_use_case_1.py PATH/TO/atio
"""
import os
import re

from use_case_support import CORPUS, UseCaseTest, main

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


class UseCase1(UseCaseTest):
    PLAYBOOK = "uc1-vulnerability-scan-to-iris-and-misp.json"

    def test_a_scan_reaches_iris_per_host_and_misp_and_a_rescan_updates_them(self):
        status, _, body = self.req("POST", "/api/v1/assets", [
            {"name": "billing-db", "ips": [HOSTS[0]], "tags": ["pci"], "criticality": 5}])
        self.assertEqual(status, 201, body)
        hook = self.install("openvas")
        report = three_host_report()

        execution = self.send(hook, raw=report, content_type="application/xml")
        detections = self.detections_of(execution)
        self.assertEqual({d["target"] for d in detections}, set(HOSTS))
        on_db = [d for d in detections if d["target"] == HOSTS[0]]
        self.assertTrue(all(d["asset"]["name"] == "billing-db" for d in on_db))
        # One IRIS alert per affected host, naming its host; one MISP event.
        self.assertEqual(len(self.iris.alerts), len(HOSTS))
        for alert in self.iris.alerts.values():
            ips = {a.get("asset_ip") for a in alert.get("assets", [])}
            self.assertEqual(len(ips & set(HOSTS)), 1, alert.get("assets"))
        self.assertEqual(len(self.misp.events), 1)
        (event,) = self.misp.events.values()
        cves = {a["value"] for a in event.get("Attribute", []) if a["type"] == "vulnerability"}
        self.assertIn("CVE-2013-7404", cves)  # a finding of the report

        # A rescan: the same host alerts and event are updated, none added.
        self.send(hook, raw=report, content_type="application/xml")
        self.assertEqual(len(self.iris.alerts), len(HOSTS))
        self.assertEqual(len(self.misp.events), 1)
        self.assertEqual(len(self.iris.requests_to(method="PUT", prefix="/api/v2/alerts/")), len(HOSTS))
        self.assertEqual(len(self.misp.requests_to(prefix="/events/edit/")), 1)
        self.assert_within_contracts()


if __name__ == "__main__":
    main()
