#!/usr/bin/env python3
"""bench/use_cases.sh's measurements (see there): the three use cases end to
end against a real `atio serve`, with the local MISP and IRIS receivers of the
integration tests (HTTPS, checking those products' request contracts), real
corpus data, and an automated analyst that acknowledges every new case.

Every figure is read from the cases atio keeps (docs/cases.md): MTTD =
detected - occurred, MTTA = acknowledged - detected, MTTR = responded -
detected, per case; p50/p99 over all repetitions. Python 3 stdlib; 127.0.0.1
only.

Usage: use_cases_bench.py ATIO UC1_REPEATS UC2_REPEATS UC3_REPEATS
"""
import copy
import datetime
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
INTEGRATION = os.path.join(HERE, "..", "..", "tests", "integration")
sys.path.insert(0, INTEGRATION)
sys.path.insert(0, os.path.join(INTEGRATION, "receivers"))
from atio_process import AtioServer, make_cert  # noqa: E402
from iris_receiver import IrisReceiver  # noqa: E402
from misp_receiver import MispReceiver  # noqa: E402
import test_use_case_1  # noqa: E402  (its three-host corpus report)
import uc3_bench  # noqa: E402

CORPUS = os.environ.get("ATIO_CORPUS_DIR", "/work/shared/corpus")
PLAYBOOKS = os.path.join(HERE, "..", "..", "playbooks")
POLL = 0.002  # the automated analyst's and the waits' polling interval, seconds

# The reference system's figures on its testbed (the table).
REFERENCE = {
    "uc1": {"mttd": "10 min (scan)", "mtta": "< 1 min", "mttr": "< 2 s", "total": "< 12 min"},
    "uc2": {"mttd": "1.5 min (polling)", "mtta": "< 1 min", "mttr": "< 2 s", "total": "< 3 min"},
    "uc3": {"mttd": "15 s", "mtta": "9 s", "mttr": "-", "total": "22 s"},
}


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def iso_now(offset_s=0.0):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_s)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


class Analyst(threading.Thread):
    """Acknowledges every new case as soon as the API lists it (polling every POLL s)."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.stop, self.acknowledged = server, threading.Event(), set()

    def run(self):
        while not self.stop.is_set():
            st, _, page = self.server.request("GET", "/api/v1/cases?status=new&limit=200")
            if st == 200:
                for case in page.get("cases", []):
                    if case["id"] in self.acknowledged:
                        continue
                    st, _, body = self.server.request(
                        "POST", "/api/v1/cases/%s/acknowledge" % case["id"], {"note": "bench"})
                    if st == 200:
                        self.acknowledged.add(case["id"])
            time.sleep(POLL)


class Bench:
    def __init__(self, atio):
        self.data = tempfile.mkdtemp(prefix="atio-use-cases-")
        cert, key = make_cert(self.data)
        self.misp = MispReceiver().use_tls(cert, key).start()
        self.iris = IrisReceiver().use_tls(cert, key).start()
        self.server = AtioServer(atio, os.path.join(self.data, "atio"), ["--ca-file", cert]).start()
        for name, value in (("misp", {"oauth_header": self.misp.api_key}),
                            ("iris", self.iris.api_key)):
            st, _, body = self.req("PUT", "/api/v1/secrets/" + name, {"value": value})
            assert st == 200, body
        self.analyst = Analyst(self.server)
        self.analyst.start()

    def close(self):
        self.analyst.stop.set()
        self.analyst.join(timeout=5)
        self.server.kill()
        self.misp.stop()
        self.iris.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def req(self, method, path, body=None, **kw):
        return self.server.request(method, path, body, **kw)

    def install(self, file_name, hook_name):
        with open(os.path.join(PLAYBOOKS, file_name), encoding="utf-8") as f:
            doc = json.load(f)
        ports = {"MISP": self.misp.port, "DFIR-IRIS": self.iris.port}
        for target in doc.get("target_definitions", {}).values():
            target["address"] = {"ipv4": ["127.0.0.1"]}
            target["port"] = str(ports[target["name"]])
        st, _, body = self.req("POST", "/api/v1/playbooks", doc)
        assert st == 201, body
        st, _, hook = self.req("POST", "/api/v1/hooks",
                               {"playbook_id": doc["id"], "auth": "token", "name": hook_name})
        assert st == 201, hook
        return hook

    def send(self, hook, body=None, raw=None, content_type="application/json"):
        """Posts to the hook and waits for the execution's end; its detail."""
        st, _, answer = self.req(
            "POST", "/api/v1/hooks/%s?wait=120" % hook["hook_id"], body, raw=raw, auth=False,
            headers={"Authorization": "Bearer " + hook["token"], "Content-Type": content_type})
        assert st == 200, answer
        (execution,) = answer["executions"]
        assert execution["status"] == "succeeded", execution
        st, _, detail = self.req("GET", "/api/v1/executions/" + execution["id"])
        assert st == 200, detail
        return detail

    def finished_cases(self, ids, timeout=60):
        """The cases, once every one is acknowledged and responded."""
        deadline = time.time() + timeout
        done = {}
        while len(done) < len(ids):
            assert time.time() < deadline, "cases not acknowledged and responded: %s" % (
                sorted(set(ids) - set(done)))
            for cid in ids:
                if cid in done:
                    continue
                st, _, case = self.req("GET", "/api/v1/cases/" + cid)
                assert st == 200, case
                if case.get("mtta_ms") is not None and case.get("mttr_ms") is not None:
                    done[cid] = case
            if len(done) < len(ids):
                time.sleep(POLL)
        return [done[c] for c in ids]


def case_ids_of(execution):
    for step in execution["steps"]:
        ids = step.get("variables", {}).get("__case_ids__")
        if ids:
            # Two detections of one thing in one event share their case.
            return list(dict.fromkeys(ids))
    raise AssertionError("no step wrote __case_ids__")


def created_ms(execution):
    return execution["created_at_ms"] if "created_at_ms" in execution else int(
        datetime.datetime.fromisoformat(execution["created_at"].replace("Z", "+00:00"))
        .timestamp() * 1000)


def record(rows, cases, received_ms):
    """One row per case: the three durations, the total, and atio's own part."""
    for c in cases:
        opened = next(e for e in c["timeline"] if e["kind"] == "opened")
        rows.append({
            "mttd": c["mttd_ms"], "mtta": c["mtta_ms"], "mttr": c["mttr_ms"],
            "total": max(c["acknowledged_at_ms"], c["responded_at_ms"]) - c["occurred_at_ms"],
            "to_case": opened["time_ms"] - received_ms,
            "to_response": c["responded_at_ms"] - received_ms,
        })


def uc2(bench, repeats):
    """Use case 2: corpus Suricata alerts, each as the sensor's fresh alert on a target of its own."""
    path = os.path.join(CORPUS, "suricata-eve", "alerts", "frankhassanabad-wrccdc-2018.alerts-only.json")
    with open(path, encoding="utf-8") as f:
        alerts = json.load(f)
    hook = bench.install("uc2-suricata-threat-to-misp-and-iris.json", "suricata")
    rows = []
    for i in range(repeats):
        alert = copy.deepcopy(alerts[i % len(alerts)])
        # A target of its own, so each alert opens a case (the same signature
        # and target would update the open case: correlation).
        alert["dest_ip"] = "10.%d.%d.%d" % (100 + i // 62500, i // 250 % 250, i % 250 + 1)
        alert.get("alert", {}).pop("target", None)
        alert["timestamp"] = iso_now()  # the sensor saw it now
        execution = bench.send(hook, alert)
        record(rows, bench.finished_cases(case_ids_of(execution)), created_ms(execution))
    return rows


def uc1(bench, repeats):
    """Use case 1: the corpus GVM report (its findings over three hosts), each scan on hosts of its own."""
    hook = bench.install("uc1-vulnerability-scan-to-iris-and-misp.json", "openvas")
    template = test_use_case_1.three_host_report()
    rows = []
    for i in range(repeats):
        report = template
        for h, host in enumerate(test_use_case_1.HOSTS):
            report = report.replace(host, "10.%d.%d.%d" % (200 + h, i // 250 % 250, i % 250 + 1))
        # The scanner reached the hosts and finished the report now: the
        # scan's own duration (the reference's 10 minutes) is not atio's.
        # GVM writes whole seconds: the report goes out as a second begins,
        # so that its times are not up to a second earlier than the sending.
        time.sleep(1 - time.time() % 1)
        now = iso_now()[:19] + "Z"
        report = re.sub(r"<start>[^<]*</start>", "<start>%s</start>" % now, report)
        report = re.sub(r"<scan_end>[^<]*</scan_end>", "<scan_end>%s</scan_end>" % now, report)
        execution = bench.send(hook, raw=report, content_type="application/xml")
        record(rows, bench.finished_cases(case_ids_of(execution)), created_ms(execution))
    return rows


def row(name, values):
    if not values:
        return "%-8s %s" % (name, "-")
    return "%8.1f / %8.1f" % (pct(values, 50), pct(values, 99))


def main():
    atio, n1, n2, n3 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    results = {}
    bench = Bench(atio)
    try:
        results["uc1"] = uc1(bench, n1)
        results["uc2"] = uc2(bench, n2)
        results["uc3"] = uc3_bench.uc3(bench, n3, record)
        assert not bench.misp.violations and not bench.iris.violations, (
            bench.misp.violations, bench.iris.violations)
    finally:
        bench.close()
    print("== the three use cases end to end: atio's figures (ms, p50 / p99 over every case) "
          "beside the reference system's")
    print("%-4s %-6s %-21s %-21s %-21s %-21s" % ("", "cases", "MTTD", "MTTA", "MTTR", "total"))
    for uc in ("uc1", "uc2", "uc3"):
        rows = results[uc]
        ref = REFERENCE[uc]
        print("%-4s %-6s %-21s %-21s %-21s %-21s" % (
            uc, "ref", ref["mttd"], ref["mtta"], ref["mttr"], ref["total"]))
        print("%-4s %-6d %-21s %-21s %-21s %-21s" % (
            "", len(rows), row("mttd", [r["mttd"] for r in rows if r["mttd"] is not None]),
            row("mtta", [r["mtta"] for r in rows if r["mtta"] is not None]),
            row("mttr", [r["mttr"] for r in rows if r["mttr"] is not None]),
            row("total", [r["total"] for r in rows if r["total"] is not None])))
    print("== atio's own part (ms, p50 / p99): from the event's arrival to its case, and to the "
          "response delivered")
    for uc in ("uc1", "uc2"):
        rows = results[uc]
        print("%-4s to case %s   to response delivered (MISP and IRIS) %s" % (
            uc, row("", [r["to_case"] for r in rows]), row("", [r["to_response"] for r in rows])))
    print("   uc1/uc2 MTTD: the scanner's and the sensor's own times are set to the moment they "
          "send (their run and polling times are not atio's to shorten); MTTA: an automated "
          "analyst polling the case list every %d ms" % (POLL * 1000))


if __name__ == "__main__":
    main()
