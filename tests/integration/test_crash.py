#!/usr/bin/env python3
"""Crash test: 1,000 executions of a playbook with several http-api steps,
`kill -9` of the server mid-way, restart. Every execution finishes, and the
receiver sees each (execution, step) once, or again only with the same
Idempotency-Key.

Usage: test_crash.py PATH/TO/atio
"""
import collections
import http.server
import json
import os
import sys
import tempfile
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer, run_sql  # noqa: E402

ATIO = "build/apps/atio/atio"  # the first argument (test_cluster_faults imports this module)
EXECUTIONS = 1000
STEPS = ("/s1", "/s2", "/s3")


class Receiver(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # A burst of resumed calls at the restart: with socketserver's default
    # listen backlog of 5 the kernel drops connections beyond it and a call
    # can sit until its timeout (a real web server listens with 511).
    request_queue_size = 128

    def __init__(self):
        self.lock = threading.Lock()
        self.seen = collections.defaultdict(list)  # (n, path) -> [idempotency keys]
        self.count = 0
        super().__init__(("127.0.0.1", 0), Handler)

    def handle_error(self, request, client_address):
        pass  # a caller killed with kill -9 resets its connection: expected here


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        path, _, query = self.path.partition("?")
        n = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("n", "?")
        with self.server.lock:
            self.server.seen[(n, path)].append(self.headers.get("Idempotency-Key", ""))
            self.server.count += 1
        time.sleep(0.002)  # a receiver that takes a little time
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        out = json.dumps({"ok": True, "len": len(body)}).encode()
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


def uid(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "atio/test/crash/" + name))


def playbook(base):
    agent = "individual--" + uid("soc")
    steps = {"start--" + uid("start"): {"type": "start", "on_completion": "action--" + uid("n")},
             "action--" + uid("n"): {
                 "type": "action", "agent": agent,
                 "commands": [{"type": "x-atio-lua", "command": "return { __n__ = tostring(args.__event__.n) }"}],
                 "in_args": ["__event__"], "out_args": ["__n__"],
                 "on_completion": "action--" + uid(STEPS[0])}}
    for i, path in enumerate(STEPS):
        nxt = "action--" + uid(STEPS[i + 1]) if i + 1 < len(STEPS) else "end--" + uid("end")
        steps["action--" + uid(path)] = {
            "type": "action", "agent": agent,
            "commands": [{"type": "http-api", "command": "POST %s%s?n=__n__:value HTTP/1.1" % (base, path),
                          "content": "{\"step\": \"%s\"}" % path}],
            "on_completion": nxt}
    steps["end--" + uid("end")] = {"type": "end"}
    return {"type": "playbook", "spec_version": "cacao-2.0", "id": "playbook--" + uid("pb"),
            "name": "crash test", "created_by": "identity--" + uid("me"),
            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
            "playbook_variables": {"__event__": {"type": "dictionary", "external": True},
                                   "__n__": {"type": "string", "value": ""}},
            "agent_definitions": {agent: {"type": "individual", "name": "soc"}},
            "workflow_start": "start--" + uid("start"), "workflow": steps}


class CrashTest(unittest.TestCase):
    def test_kill9_midway_then_resume(self):
        rx = Receiver()
        threading.Thread(target=rx.serve_forever, daemon=True).start()
        base = "http://127.0.0.1:%d" % rx.server_address[1]
        with tempfile.TemporaryDirectory() as data:
            srv = AtioServer(ATIO, data, synchronous="full").start()
            try:
                st, _, body = srv.request("POST", "/api/v1/playbooks", playbook(base))
                self.assertEqual(st, 201, body)
                st, _, hook = srv.request("POST", "/api/v1/hooks",
                                          {"playbook_id": "playbook--" + uid("pb"), "auth": "token", "name": "crash"})
                self.assertEqual(st, 201, hook)
                lines = "\n".join(json.dumps({"n": i}) for i in range(EXECUTIONS)) + "\n"
                st, _, started = srv.request(
                    "POST", "/api/v1/hooks/" + hook["hook_id"], raw=lines, auth=False,
                    headers={"Content-Type": "application/x-ndjson",
                             "Authorization": "Bearer " + hook["token"]})
                self.assertEqual(st, 202, started)
                ids = started["execution_ids"]
                self.assertEqual(len(ids), EXECUTIONS)
                # Kill it hard once about a third of the outside calls happened.
                deadline = time.time() + 60
                while rx.count < EXECUTIONS and time.time() < deadline:
                    time.sleep(0.01)
                self.assertGreater(rx.count, 0)
            finally:
                srv.kill()
            killed_at = rx.count
            self.assertLess(killed_at, EXECUTIONS * len(STEPS), "killed too late to test anything")

            srv = AtioServer(ATIO, data, synchronous="full").start()
            try:
                deadline = time.time() + 120
                while time.time() < deadline:
                    left = int(run_sql(data, "SELECT count(*) FROM executions"
                                             " WHERE status IN ('pending','running')")[0][0])
                    if left == 0:
                        break
                    time.sleep(0.2)
                self.assertEqual(left, 0, "executions still unfinished after the restart")
                statuses = collections.Counter(
                    r[0] for r in run_sql(data, "SELECT status FROM executions"))
                self.assertEqual(statuses, {"succeeded": EXECUTIONS})
            finally:
                self.assertEqual(srv.terminate(), 0)
        rx.shutdown()

        repeated = 0
        for n in range(EXECUTIONS):
            for path in STEPS:
                keys = rx.seen.get((str(n), path))
                self.assertTrue(keys, "execution %d never called %s" % (n, path))
                self.assertTrue(all(keys), "a call without Idempotency-Key")
                self.assertEqual(len(set(keys)), 1, "execution %d step %s repeated with another key: %s" % (n, path, keys))
                repeated += len(keys) - 1
        # Keys are unique per (execution, step).
        all_keys = [ks[0] for ks in rx.seen.values()]
        self.assertEqual(len(all_keys), len(set(all_keys)))
        print("\ncrash test: killed after %d of %d calls; %d calls repeated with their key after restart"
              % (killed_at, EXECUTIONS * len(STEPS), repeated))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        ATIO = sys.argv.pop(1)
    unittest.main(verbosity=2)
