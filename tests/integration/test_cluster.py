"""Several `atio serve` nodes on one PostgreSQL database, all working at once.

Each node serves the API and runs the executions it accepts; a node that dies with kill -9
is taken over once its lease runs out, and one that stops cleanly is taken over at once
(src/atio/server/takeover.h). The test checks what an operator would see: both nodes listed
alive and serving; an execution left waiting for a person on a killed node resumed by the
other, answered there and finished; a node stopped cleanly handing over long before its
lease would run out; a manual answer and an abort sent to the node that does not run the
execution applied by the one that does, and that execution listed and streamed live on both
(src/atio/server/signals.h).
"""
import collections
import http.client
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer, REPO, run_sql, share_store  # noqa: E402
from test_audit_syslog import TcpCollector, audit_seqs  # noqa: E402
from test_crash import Handler, Receiver, STEPS, playbook, uid  # noqa: E402

ATIO = None
CORPUS = os.environ.get("ATIO_CORPUS_DIR", os.path.join(REPO, "..", "shared", "corpus"))
CORPUS_MANUAL = os.path.join(CORPUS, "cacao2/playbooks/v2.0/soarca/examples/manual-playbook.json")


class ClusterTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="atio-cluster-it-")
        self.nodes = []
        # The nodes run on PostgreSQL whatever the test run's store.
        os.environ["ATIO_TEST_STORE"] = "postgresql"

    def tearDown(self):
        for n in self.nodes:
            n.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start_nodes(self, lease_ms, extra_args=()):
        args = ["--node-lease-ms", str(lease_ms)] + list(extra_args)
        a = AtioServer(ATIO, os.path.join(self.tmp, "a"), extra_args=args)
        self.nodes.append(a)
        a.start()
        share_store(os.path.join(self.tmp, "a"), os.path.join(self.tmp, "b"))
        b = AtioServer(ATIO, os.path.join(self.tmp, "b"), extra_args=args)
        b.admin_key = a.admin_key  # the store's key: B makes none
        self.nodes.append(b)
        b.start()
        return a, b

    def waiting_execution(self, node):
        """An execution of the corpus's manual playbook, waiting for a person on `node`."""
        with open(CORPUS_MANUAL, "rb") as f:
            status, _, body = node.request("POST", "/api/v1/playbooks/import", raw=f.read(),
                                           headers={"Content-Type": "application/json"})
        self.assertIn(status, (200, 201), body)  # 200: imported before, unchanged
        status, _, body = node.request("POST", "/api/v1/playbooks/%s/executions" % body["id"],
                                       {"variables": {}})
        self.assertEqual(status, 202, body)
        eid = body["execution_ids"][0]
        node.wait_manual(eid)
        return eid

    def answer_and_finish(self, node, eid):
        task = node.wait_manual(eid, timeout=60)
        answer = "/api/v1/executions/%s/steps/%s/answer" % (
            eid, urllib.parse.quote(task["step_key"], safe=""))
        status, _, body = node.request("POST", answer, {"success": True, "response": "true"})
        self.assertEqual(status, 200, body)
        self.assertEqual(node.wait_execution(eid)["status"], "succeeded")

    def answer_path(self, eid, step_key):
        return "/api/v1/executions/%s/steps/%s/answer" % (
            eid, urllib.parse.quote(step_key, safe=""))

    def node_id(self, node):
        status, _, body = node.request("GET", "/api/v1/nodes")
        self.assertEqual(status, 200, body)
        return [n["id"] for n in body["nodes"] if n["self"]][0]

    def test_a_killed_nodes_execution_is_taken_over_once_its_lease_runs_out(self):
        a, b = self.start_nodes(lease_ms=2000)
        status, _, body = b.request("GET", "/api/v1/nodes")
        self.assertEqual(status, 200, body)
        alive = [n for n in body["nodes"] if n["alive"]]
        self.assertEqual(len(alive), 2, body)
        eid = self.waiting_execution(a)
        # B serves meanwhile, and reads the execution A runs.
        status, _, body = b.request("GET", "/api/v1/executions/%s" % eid)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "running")
        self.assertEqual(body["node"], self.node_id(a))

        a.kill()  # kill -9: no goodbye, the lease must run out
        # Answered on B at once: the answer waits for whichever node takes the execution
        # over (B, once A's lease has run out) and applies there.
        task = b.wait_manual(eid)
        status, _, body = b.request("POST", self.answer_path(eid, task["step_key"]),
                                    {"success": True, "response": "true"})
        self.assertIn(status, (200, 202), body)
        self.assertEqual(b.wait_execution(eid, timeout=60)["status"], "succeeded")
        self.assertTrue(any("took over 1 executions" in l for l in b.output), "".join(b.output))
        status, _, body = b.request("GET", "/api/v1/executions/%s" % eid)
        self.assertEqual(body["node"], self.node_id(b))
        answered = [s for s in body["steps"] if s["step_key"] == task["step_key"]]
        self.assertEqual(answered[0]["status"], "succeeded", answered)
        self.assertIn("api-key:admin", answered[0]["outputs"]["answered_by"], answered)

    def test_requests_to_any_node_reach_the_node_that_runs_the_execution(self):
        a, b = self.start_nodes(lease_ms=600000)
        a_id = self.node_id(a)
        eid = self.waiting_execution(a)
        # Every node lists the step waiting on A, as A does (once A has stored the wait:
        # A's own list shows it a moment earlier).
        on_a = a.wait_manual(eid)
        b.wait_manual(eid)
        status, _, body = b.request("GET", "/api/v1/manual-steps")
        self.assertEqual(status, 200, body)
        self.assertEqual([(t["execution_id"], t["step_key"]) for t in body["manual_steps"]],
                         [(eid, on_a["step_key"])], body)
        on_b = body["manual_steps"][0]
        for field in ("step_id", "step_name", "playbook_id", "command", "description", "in_args"):
            self.assertEqual(on_b[field], on_a[field], field)
        status, _, detail = b.request("GET", "/api/v1/executions/%s" % eid)
        self.assertEqual(status, 200, detail)
        self.assertEqual([t["step_key"] for t in detail["manual_steps"]], [on_a["step_key"]])
        waiting = [s for s in detail["steps"] if s["step_key"] == on_a["step_key"]]
        self.assertEqual(waiting[0]["status"], "waiting", detail["steps"])

        # B's live view of the execution follows it although A runs it.
        events = []
        stream = threading.Thread(target=self.read_stream, args=(b, eid, events), daemon=True)
        stream.start()
        deadline = time.time() + 10
        while not events and time.time() < deadline:
            time.sleep(0.05)
        self.assertTrue(events, "B's stream sent nothing")
        self.assertEqual(events[0]["status"], "running")

        # A wrong step is refused on B as on A.
        status, _, body = b.request("POST", self.answer_path(eid, "no-such-step"), {"success": True})
        self.assertEqual(status, 404, body)
        # The answer on B is applied by A: B answers once it has been.
        status, _, body = b.request("POST", self.answer_path(eid, on_a["step_key"]),
                                    {"success": True, "response": "true"})
        self.assertEqual(status, 200, body)
        self.assertIn("api-key:admin", body["answered_by"])
        self.assertEqual(a.wait_execution(eid)["status"], "succeeded")
        stream.join(timeout=10)
        self.assertFalse(stream.is_alive(), "B's stream did not end with the execution")
        self.assertEqual(events[-1]["status"], "succeeded", events[-1])
        status, _, body = b.request("GET", "/api/v1/manual-steps")
        self.assertEqual(body["manual_steps"], [], body)
        # The answer counts once: a second one finds nothing waiting.
        status, _, body = b.request("POST", self.answer_path(eid, on_a["step_key"]),
                                    {"success": True})
        self.assertEqual(status, 404, body)

        # An abort on B is applied by A.
        eid2 = self.waiting_execution(a)
        status, _, body = b.request("POST", "/api/v1/executions/%s/abort" % eid2)
        self.assertEqual(status, 202, body)
        self.assertEqual(body["node"], a_id)
        self.assertEqual(a.wait_execution(eid2)["status"], "aborted")
        status, _, body = a.request("GET", "/api/v1/executions/%s" % eid2)
        self.assertIn("aborted by api-key:admin", body["error"])

    def read_stream(self, node, eid, events):
        """Appends each `event: execution` of the execution's live stream until `end`."""
        conn = http.client.HTTPConnection("127.0.0.1", node.port, timeout=30)
        conn.request("GET", "/api/v1/executions/%s/stream" % eid,
                     headers={"Authorization": "Bearer " + node.admin_key})
        resp = conn.getresponse()
        event = None
        for raw in resp:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[len("event: "):]
                if event == "end":
                    break
            elif line.startswith("data: ") and event == "execution":
                events.append(json.loads(line[len("data: "):]))
        conn.close()

    def test_a_node_stopped_cleanly_hands_over_at_once(self):
        # A lease far longer than the test may wait: only the stop's notice can hand over.
        a, b = self.start_nodes(lease_ms=600000)
        eid = self.waiting_execution(a)
        a.terminate()
        self.answer_and_finish(b, eid)
        status, _, body = b.request("GET", "/api/v1/nodes")
        states = {n["id"]: (n["state"], n["alive"]) for n in body["nodes"]}
        self.assertIn(("stopped", False), states.values(), body)

    def monitor_events(self, node, pid, kind):
        """The monitor's events of `kind` about playbook `pid`; "restoration" is a creation
        by atio itself."""
        status, _, listed = node.request("GET", "/api/v1/monitor/events?limit=1000")
        self.assertEqual(status, 200, listed)
        events = [e for n in listed["events"] for lst in n["notification"].values()
                  for e in lst if e["id"] == pid]
        if kind == "restoration":
            return [e for e in events if e["kind"] == "creation" and e["actor_kind"] == "system"]
        return [e for e in events if e["kind"] == kind]

    def test_the_monitor_acts_once_for_the_cluster_and_moves_with_its_node(self):
        a, b = self.start_nodes(lease_ms=2000)
        with open(CORPUS_MANUAL, "rb") as f:
            status, _, body = a.request("POST", "/api/v1/playbooks/import", raw=f.read(),
                                        headers={"Content-Type": "application/json"})
        self.assertEqual(status, 201, body)
        pid = body["id"]
        status, _, body = a.request("PUT", "/api/v1/playbooks/%s/protection" % pid)
        self.assertEqual(status, 200, body)

        def delete_and_see_it_back(node, restorations):
            run_sql(os.path.join(self.tmp, "a"), "DELETE FROM playbooks WHERE id = '%s';" % pid)
            deadline = time.time() + 30
            while time.time() < deadline:
                if len(self.monitor_events(node, pid, "restoration")) >= restorations:
                    break
                time.sleep(0.05)
            status, _, _ = node.request("GET", "/api/v1/playbooks/" + pid)
            self.assertEqual(status, 200, "the protected playbook did not come back")
            time.sleep(1.5)  # every node's watcher has seen it by now (20 ms polls, 2 s scans)

        delete_and_see_it_back(b, 1)
        # One deletion event and one restoration, not one per node.
        self.assertEqual(len(self.monitor_events(b, pid, "deletion")), 1)
        self.assertEqual(len(self.monitor_events(b, pid, "restoration")), 1)

        # A started first and holds the duty; once it is killed B takes the duty and acts.
        a.kill()
        time.sleep(1.0)  # PostgreSQL ends a killed node's session at once on loopback
        delete_and_see_it_back(b, 2)
        self.assertEqual(len(self.monitor_events(b, pid, "deletion")), 2)
        self.assertEqual(len(self.monitor_events(b, pid, "restoration")), 2)

    def test_the_audit_log_is_forwarded_once_by_the_cluster(self):
        collector = TcpCollector()
        self.addCleanup(collector.stop)
        a, b = self.start_nodes(
            lease_ms=2000, extra_args=["--audit-syslog", "tcp://127.0.0.1:%d" % collector.port])

        def audited_actions(nodes, n):
            for i in range(n):
                node = nodes[i % len(nodes)]
                status, _, body = node.request("PUT", "/api/v1/secrets/s-%s" % uuid.uuid4().hex,
                                               {"value": "x"})
                self.assertIn(status, (200, 201), body)

        def wait_forwarded(node):
            head = max(audit_seqs(node))
            deadline = time.time() + 30
            while time.time() < deadline and max(collector.seqs() or [0]) < head:
                time.sleep(0.05)
            return head

        audited_actions([a, b], 20)
        head = wait_forwarded(b)
        time.sleep(0.5)  # a second forwarder would have sent its copies by now
        seqs = collector.seqs()
        self.assertEqual(sorted(seqs), list(range(1, head + 1)), "each record exactly once")

        # The node that forwards (A, which took the duty first) dies: B goes on from there.
        a.kill()
        audited_actions([b], 10)
        head = wait_forwarded(b)
        self.assertEqual(set(collector.seqs()), set(range(1, head + 1)), "none missing")
        # Both nodes wrote the records: one chain.
        status, _, verdict = b.request("POST", "/api/v1/audit/verify")
        self.assertEqual(status, 200, verdict)
        self.assertTrue(verdict["ok"], verdict)

    def test_an_idle_node_takes_the_backlog_of_a_busy_one(self):
        rx = SlowReceiver()
        threading.Thread(target=rx.serve_forever, daemon=True).start()
        self.addCleanup(rx.shutdown)
        # One run slot each: A, which accepts every execution, has a backlog at once.
        a, b = self.start_nodes(lease_ms=600000, extra_args=["--max-running", "1"])
        b_id = self.node_id(b)
        status, _, body = a.request(
            "POST", "/api/v1/playbooks", playbook("http://127.0.0.1:%d" % rx.server_address[1]))
        self.assertEqual(status, 201, body)
        status, _, hook = a.request("POST", "/api/v1/hooks", {
            "playbook_id": "playbook--" + uid("pb"), "auth": "token", "name": "backlog"})
        self.assertEqual(status, 201, hook)
        n = 12  # about 0.5 s each: 6 s on A alone, far past B's 2 s wait before it helps
        lines = "\n".join(json.dumps({"n": i}) for i in range(n)) + "\n"
        status, _, started = a.request(
            "POST", "/api/v1/hooks/" + hook["hook_id"], raw=lines, auth=False,
            headers={"Content-Type": "application/x-ndjson",
                     "Authorization": "Bearer " + hook["token"]})
        self.assertEqual(status, 202, started)
        ran_on = {}
        for eid in started["execution_ids"]:
            done = a.wait_execution(eid, timeout=60)
            self.assertEqual(done["status"], "succeeded", done)
            ran_on[eid] = done["node"]
        self.assertIn(b_id, ran_on.values(), "B took none of A's backlog")
        # Each step of each execution reached the receiver with one key; a step started on
        # A just before B took its execution may repeat, with that same key.
        for i in range(n):
            for path in STEPS:
                keys = rx.seen[(str(i), path)]
                self.assertTrue(keys, (i, path))
                self.assertEqual(len(set(keys)), 1, (i, path, keys))


class SlowHandler(Handler):
    def do_POST(self):
        time.sleep(0.15)
        super().do_POST()


class SlowReceiver(Receiver):
    """The fault tests' receiver, taking 150 ms a call."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seen = collections.defaultdict(list)
        self.count = 0
        http.server.ThreadingHTTPServer.__init__(self, ("127.0.0.1", 0), SlowHandler)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_cluster.py /path/to/atio [unittest args]")
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
