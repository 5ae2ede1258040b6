#!/usr/bin/python3
"""What atio's converters produce for MISP and IRIS is what those products accept.

Runs the real `atio convert` on the whole corpus (Suricata alerts, GVM reports,
Windows logs and MISP events, each through STIX), then sends every MISP event
and IRIS alert it made to the local stand-ins that check the products'
documented request contracts (tests/integration/receivers). Every document
must be accepted, and MISP must drop none of its attributes.

Usage: test_convert_contracts.py PATH/TO/atio
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "receivers"))

import http_call  # noqa: E402
from iris_receiver import IrisReceiver  # noqa: E402
from misp_receiver import MispReceiver  # noqa: E402

ATIO = None
CORPUS = os.environ.get("ATIO_CORPUS_DIR", "/work/shared/corpus")


def corpus_files(folder, *patterns):
    out = []
    for p in patterns:
        out += glob.glob(os.path.join(CORPUS, folder, "**", p), recursive=True)
    return sorted(f for f in out if "/schema/" not in f)


def convert(src, dst, files, work):
    """Runs `atio convert`; returns the documents (one per line) and the report."""
    out = os.path.join(work, "out.ndjson")
    report = os.path.join(work, "report.json")
    proc = subprocess.run([ATIO, "convert", "--from", src, "--to", dst, "-q", "-o", out,
                           "--report", report] + list(files),
                          capture_output=True, text=True, timeout=300)
    if proc.returncode == 2:
        raise AssertionError("atio convert %s -> %s failed: %s" % (src, dst, proc.stderr))
    with open(out, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    with open(report, encoding="utf-8") as f:
        return docs, json.load(f)


def through_stix(src, dst, files, work):
    """src -> stix -> dst; the STIX step's documents are the next step's input."""
    bundles, first = convert(src, "stix", files, work)
    stix_file = os.path.join(work, "bundles.ndjson")
    with open(stix_file, "w", encoding="utf-8") as f:
        for b in bundles:
            f.write(json.dumps(b) + "\n")
    docs, second = convert("stix", dst, [stix_file], work)
    return bundles, docs, first, second


def dropped_values(receiver, events):
    """(type, value) of every attribute the receiver dropped from `events`."""
    by_uuid = {e.get("Event", e)["uuid"]: e.get("Event", e) for e in events}
    out = set()
    for d in receiver.dropped:
        event = by_uuid[d["event_uuid"]]
        for index, detail in d["errors"].get("Attribute", {}).items():
            a = event["Attribute"][int(index)]
            out.add((a["type"], a["value"]))
        for index, detail in d["errors"].get("Object", {}).items():
            obj = event["Object"][int(index)]
            for j in detail.get("Attribute", {}):
                a = obj["Attribute"][int(j)]
                out.add((a["type"], a["value"]))
    return out


SOURCES = [
    ("suricata", lambda: corpus_files("suricata-eve", "*.json", "*.ndjson")),
    ("gvm", lambda: corpus_files("openvas", "*.xml", "*.csv")),
    ("winlog", lambda: corpus_files("windows-logs", "*.json", "*.ndjson")),
    ("misp", lambda: corpus_files("misp/events", "*.json")),
]


class ConvertContracts(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="atio-contracts-")

    def test_every_misp_event_atio_makes_is_accepted_by_misp(self):
        # MISP drops a few values of the corpus events themselves (an ssdeep
        # hash with a line break); the same values may be dropped after the
        # round trip, and nothing else.
        with MispReceiver() as original:
            sent = []
            for path in corpus_files("misp/events", "*.json"):
                with open(path, encoding="utf-8") as f:
                    sent.append(json.load(f))
                http_call.call(original.url, "POST", "/events/add", sent[-1],
                               http_call.misp_headers(original.api_key))
            dropped_at_source = dropped_values(original, sent)
            self.assertTrue(dropped_at_source, "the corpus carries values MISP drops")
        with MispReceiver() as misp:
            for src, files in SOURCES:
                bundles, events, _, report = through_stix(src, "misp", files(), self.work)
                self.assertGreater(len(events), 0, src)
                self.assertEqual(report["failed"], 0, (src, report["problems"][:3]))
                for i, event in enumerate(events):
                    r = http_call.call(misp.url, "POST", "/events/add", event,
                                       http_call.misp_headers(misp.api_key))
                    self.assertEqual(r.status, 200, (src, i, r.body))
                    self.assertTrue(r.body["Event"]["id"])
                allowed = dropped_at_source if src == "misp" else set()
                self.assertLessEqual(dropped_values(misp, events), allowed, src)
                misp.dropped.clear()
            self.assertEqual(misp.violations, [])

    def test_every_iris_alert_atio_makes_is_accepted_by_iris(self):
        with IrisReceiver() as iris:
            total = 0
            for src, files in SOURCES:
                bundles, alerts, _, report = through_stix(src, "iris", files(), self.work)
                self.assertEqual(len(alerts), len(bundles), src)
                self.assertEqual(report["failed"], 0, (src, report["problems"][:3]))
                for i, alert in enumerate(alerts):
                    r = http_call.call(iris.url, "POST", "/api/v2/alerts", alert,
                                       http_call.iris_headers(iris.api_key))
                    self.assertIn(r.status, (200, 201), (src, i, r.body))
                    total += 1
            self.assertEqual(len(iris.alerts), total)
            self.assertEqual(iris.violations, [])


if __name__ == "__main__":
    ATIO = sys.argv.pop(1)
    unittest.main(verbosity=2)
