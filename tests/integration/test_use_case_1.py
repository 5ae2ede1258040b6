#!/usr/bin/python3
"""Use case 1 end to end under a real `atio serve`: an OpenVAS/GVM scan report
(a corpus report, its findings spread over three hosts) arrives on a webhook
as XML, becomes STIX, is enriched, and goes to DFIR-IRIS (one alert per
affected host) and MISP (one event for the scan) in parallel, through local
receivers that check those products' request contracts. A rescan updates the
same alerts and event. Every finding opens a case (one per vulnerability and
asset) whose times are the scanner's: it occurred when the scanner reached
the host and was detected when the report was made (the scan's end); the
case is responded once IRIS and MISP have it, and a rescan updates it.

Usage: test_use_case_1.py PATH/TO/atio
"""
import calendar
import collections
import os
import re
import time

from use_case_support import CORPUS, UseCaseTest, main

HOSTS = ["10.20.0.11", "10.20.0.12", "10.20.0.13"]
# When the scanner reached each host (the report's host details); the scan
# ends at the report's own scan_end.
HOST_START = {HOSTS[0]: "2023-09-26T10:50:34Z", HOSTS[1]: "2023-09-26T11:30:00Z",
              HOSTS[2]: "2023-09-26T12:15:00Z"}


def ms(rfc3339):
    return calendar.timegm(time.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ")) * 1000


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

    text = re.sub(r"<result id=.*?</result>", deal, text, flags=re.S)
    # The report's details of its one host become details of each of HOSTS.
    block = re.search(r"\n\s*<host>\s*<ip>192\.168\.1\.1001</ip>.*?</host>", text, flags=re.S)
    hosts = "".join(re.sub(r"<start>[^<]*</start>", "<start>%s</start>" % HOST_START[h],
                           block.group(0).replace("192.168.1.1001", h)) for h in HOSTS)
    return text[:block.start()] + hosts + text[block.end():]


def scan_end(report):
    return re.search(r"<scan_end>([^<]+)</scan_end>", report).group(1)


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

        # One case per vulnerability and asset, with the scanner's times.
        # The documented key: "vulnerability:<signature>|<asset id, else address>"; a
        # finding reported on several ports of a host is one case seen several times.
        per_key = collections.Counter(
            "vulnerability:%s|%s" % (d["signature"], d["asset"]["id"] if d["asset"] else d["target"])
            for d in detections)
        cases = self.cases()
        self.assertEqual(sorted(c["correlation_key"] for c in cases), sorted(per_key))
        for c in cases:
            self.assertEqual(c["detection_count"], per_key[c["correlation_key"]])
            self.assertEqual(c["status"], "new")
            self.assertEqual(c["use_case"], "use-case-1")
            self.assertEqual(c["detected_at_ms"], ms(scan_end(report)))
            target = c["correlation_key"].rsplit("|", 1)[1]
            host = HOSTS[0] if target not in HOSTS else target
            self.assertEqual(c["occurred_at_ms"], ms(HOST_START[host]), c["correlation_key"])
            self.assertEqual(c["mttd_ms"], ms(scan_end(report)) - ms(HOST_START[host]))
            # Responded once MISP and IRIS had it: after atio received the report.
            self.assertGreaterEqual(c["responded_at_ms"], self.created_ms(execution))
            self.assertEqual(c["mttr_ms"], c["responded_at_ms"] - c["detected_at_ms"])
        detail = self.case(cases[0]["id"])
        (misp_id,) = self.misp.events.keys()
        self.assertIn(("external", "misp", str(misp_id)),
                      [(l["kind"], l.get("tool"), l["ref"]) for l in detail["links"]])
        self.assertIn(("execution", None, execution["id"]),
                      [(l["kind"], l.get("tool"), l["ref"]) for l in detail["links"]])
        # Each case links the IRIS alert of its own host (IRIS has an alert per host).
        iris_of = {}
        for iris_id, alert in self.iris.alerts.items():
            for a in alert.get("assets", []):
                if a.get("asset_ip") in HOSTS:
                    iris_of[a["asset_ip"]] = str(iris_id)
        self.assertEqual(set(iris_of), set(HOSTS))
        for c in cases:
            target = c["correlation_key"].rsplit("|", 1)[1]
            host = HOSTS[0] if target not in HOSTS else target
            links = [l["ref"] for l in self.case(c["id"])["links"]
                     if l["kind"] == "external" and l.get("tool") == "iris"]
            self.assertEqual(links, [iris_of[host]], c["correlation_key"])

        # A rescan: the same host alerts and event are updated, none added.
        self.send(hook, raw=report, content_type="application/xml")
        self.assertEqual(len(self.iris.alerts), len(HOSTS))
        self.assertEqual(len(self.misp.events), 1)
        self.assertEqual(len(self.iris.requests_to(method="PUT", prefix="/api/v2/alerts/")), len(HOSTS))
        self.assertEqual(len(self.misp.requests_to(prefix="/events/edit/")), 1)
        # The rescan found the same things: the same cases, each seen twice.
        again = self.cases()
        self.assertEqual(sorted(c["id"] for c in again), sorted(c["id"] for c in cases))
        for c in again:
            self.assertEqual(c["detection_count"], 2 * per_key[c["correlation_key"]])
        self.assert_within_contracts()


if __name__ == "__main__":
    main()
