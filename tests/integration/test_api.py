#!/usr/bin/env python3
"""Integration tests of the HTTP API: a real `atio serve` on 127.0.0.1:0.

Usage: test_api.py /path/to/atio [unittest options]

Python 3 standard library only. Every wait has a deadline, and only
127.0.0.1 is used.
"""
import hashlib
import hmac
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import store_args, store_bytes, wait_execution, wait_manual  # noqa: E402

ATIO = None
CORPUS_MANUAL = os.path.join(
    os.environ.get("ATIO_CORPUS_DIR", "/work/shared/corpus"),
    "cacao2/playbooks/v2.0/soarca/examples/manual-playbook.json")
if not os.path.exists(CORPUS_MANUAL):
    CORPUS_MANUAL = os.path.join(os.path.dirname(__file__), "../../../shared/corpus",
                                 "cacao2/playbooks/v2.0/soarca/examples/manual-playbook.json")


def lua_playbook(script="return { __result__ = 'done' }"):
    """A valid CACAO 2.0 playbook whose only action is an x-atio-lua transform."""
    start, action, end = ("start--%s" % uuid.uuid4(), "action--%s" % uuid.uuid4(),
                          "end--%s" % uuid.uuid4())
    agent = "individual--%s" % uuid.uuid4()
    return {
        "type": "playbook", "spec_version": "cacao-2.0",
        "id": "playbook--%s" % uuid.uuid4(), "name": "integration lua",
        "created_by": "identity--%s" % uuid.uuid4(),
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "workflow_start": start,
        "agent_definitions": {agent: {"type": "individual", "name": "SOC"}},
        "playbook_variables": {"__result__": {"type": "string"}},
        "workflow": {
            start: {"type": "start", "on_completion": action},
            action: {"type": "action", "agent": agent, "on_completion": end,
                     "commands": [{"type": "x-atio-lua", "command": script}],
                     "out_args": ["__result__"]},
            end: {"type": "end"},
        },
    }


class Server:
    """One `atio serve` process and an HTTP client for it."""

    def __init__(self, data_dir, *extra):
        self.data_dir = data_dir
        self.stderr = open(os.path.join(data_dir + ".stderr"), "wb")
        self.proc = subprocess.Popen(
            [ATIO, "serve", "--listen", "127.0.0.1:0", "--data", data_dir,
             *store_args(data_dir), *extra],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        self.lines = []
        self.port = None
        self.admin_key = None
        ready = threading.Event()

        def read():
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                if line.startswith("atio: admin API key: "):
                    self.admin_key = line.split(": ", 2)[2].strip()
                if line.startswith("atio: listening on http://127.0.0.1:"):
                    self.port = int(line.rsplit(":", 1)[1])
                    ready.set()
            ready.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        if not ready.wait(60) or self.port is None:
            self.kill()
            raise RuntimeError("atio serve did not start: %r" % self.lines)
        if self.admin_key is None:
            with open(os.path.join(data_dir, "admin-key")) as f:
                self.admin_key = f.read().strip()

    def request(self, method, path, body=None, headers=None, key=True, raw=False):
        """Returns (status, headers, parsed JSON or text)."""
        headers = dict(headers or {})
        if key and "Authorization" not in headers:
            headers["Authorization"] = "Bearer " + self.admin_key
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        if raw:
            return resp.status, hdrs, data
        text = data.decode()
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = text
        return resp.status, hdrs, parsed

    def wait_execution(self, execution_id, statuses=("succeeded", "failed", "aborted"), timeout=30):
        return wait_execution(self, execution_id, statuses, timeout)

    def wait_manual(self, execution_id, timeout=30):
        return wait_manual(self, execution_id, timeout)

    def stop(self, timeout=30):
        """SIGTERM; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        finally:
            self.reader.join(10)
            self.proc.stdout.close()
            self.stderr.close()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


class ApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-it-")
        cls.server = Server(os.path.join(cls.tmp, "data"), "--max-body-bytes", str(1 << 20))

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if code != 0:
            raise AssertionError("atio serve exited with %s" % code)

    def req(self, *args, **kwargs):
        return self.server.request(*args, **kwargs)

    def create_lua_playbook(self, script="return { __result__ = 'done' }"):
        doc = lua_playbook(script)
        status, _, body = self.req("POST", "/api/v1/playbooks", doc)
        self.assertEqual(status, 201, body)
        return doc["id"]

    def create_hook(self, playbook_id, auth):
        status, _, body = self.req("POST", "/api/v1/hooks",
                                   {"playbook_id": playbook_id, "auth": auth, "name": "it"})
        self.assertEqual(status, 201, body)
        return body

    def test_first_start_prints_admin_key_and_stores_only_hash(self):
        self.assertTrue(any(l.startswith("atio: admin API key: atio_") for l in self.server.lines))
        key_file = os.path.join(self.server.data_dir, "admin-key")
        self.assertEqual(os.stat(key_file).st_mode & 0o777, 0o600)
        held = store_bytes(self.server.data_dir)
        self.assertIn(b"api_keys", held)  # the store was read
        self.assertNotIn(self.server.admin_key.encode(), held)

    def test_nodes_lists_this_node_alive_with_its_version(self):
        status, _, health = self.req("GET", "/healthz", key=False)
        status, _, body = self.req("GET", "/api/v1/nodes")
        self.assertEqual(status, 200, body)
        [node] = body["nodes"]
        self.assertTrue(node["self"], node)
        self.assertTrue(node["alive"], node)
        self.assertEqual(node["state"], "active")
        self.assertEqual(node["version"], health["version"])
        self.assertIsInstance(node["executions_running"], int)

    def test_healthz(self):
        status, _, body = self.req("GET", "/healthz", key=False)
        self.assertEqual(status, 200)
        self.assertEqual(body["status"], "ok")

    def test_readyz_checks_the_store_and_the_engine_without_a_key(self):
        status, hdrs, body = self.req("GET", "/readyz", key=False)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "ready")
        self.assertEqual(body["checks"]["store"]["status"], "ok")
        self.assertEqual(body["checks"]["engine"]["status"], "ok")
        self.assertEqual(hdrs.get("cache-control"), "no-store")

    def test_api_key_required(self):
        status, hdrs, body = self.req("GET", "/api/v1/playbooks", key=False)
        self.assertEqual(status, 401)
        self.assertEqual(body["error"]["code"], "unauthenticated")
        status, _, _ = self.req("GET", "/api/v1/playbooks", headers={"Authorization": "Bearer nope"})
        self.assertEqual(status, 401)
        status, _, _ = self.req("GET", "/api/v1/playbooks", key=False,
                                headers={"X-API-Key": self.server.admin_key})
        self.assertEqual(status, 200)

    def test_unknown_route_is_json_404(self):
        status, hdrs, body = self.req("GET", "/api/v1/nothing-here")
        self.assertEqual(status, 404)
        self.assertEqual(hdrs["content-type"], "application/json")
        self.assertEqual(body["error"]["code"], "not_found")

    def test_import_corpus_playbook_and_export(self):
        with open(CORPUS_MANUAL, "rb") as f:
            doc = f.read()
        status, _, body = self.req("POST", "/api/v1/playbooks/import", doc)
        self.assertIn(status, (200, 201), body)
        pid = body["id"]
        self.assertEqual(pid, "playbook--fe65ef7b-e8b1-4ed9-ba60-3c380ae5ab28")
        status, _, body = self.req("POST", "/api/v1/playbooks/import", doc)
        self.assertEqual(status, 200, body)  # upsert
        _, _, listing = self.req("GET", "/api/v1/playbooks")
        self.assertIn(pid, [p["id"] for p in listing["playbooks"]])
        status, hdrs, exported = self.req("GET", "/api/v1/playbooks/%s/export" % pid)
        self.assertEqual(status, 200)
        self.assertIn("attachment", hdrs["content-disposition"])
        self.assertEqual(exported["workflow"], json.loads(doc)["workflow"])

    def test_bad_playbook_is_422_with_pointers(self):
        doc = lua_playbook()
        del doc["created_by"]
        doc["workflow_start"] = "start--%s" % uuid.uuid4()
        doc["workflow"][next(k for k in doc["workflow"] if k.startswith("action--"))]["commands"] = [
            {"type": "powershell", "command": "Remove-Item -Recurse C:\\"}]
        status, _, body = self.req("POST", "/api/v1/playbooks", doc)
        self.assertEqual(status, 422, body)
        self.assertEqual(body["error"]["code"], "invalid_playbook")
        pointers = [e["pointer"] for e in body["error"]["errors"]]
        self.assertIn("/workflow_start", pointers)
        self.assertTrue(any("/commands/0" in p for p in pointers), pointers)
        self.assertGreaterEqual(len(pointers), 3, pointers)
        status, _, _ = self.req("GET", "/api/v1/playbooks/" + doc["id"])
        self.assertEqual(status, 404)  # nothing stored
        status, _, body = self.req("POST", "/api/v1/playbooks", "{not json")
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["code"], "invalid_json")

    def test_body_over_limit_is_413(self):
        status, _, body = self.req("POST", "/api/v1/playbooks", b"[" + b"1," * (600 * 1024) + b"1]")
        self.assertEqual(status, 413, body)

    def test_webhook_with_token(self):
        pid = self.create_lua_playbook()
        hook = self.create_hook(pid, "token")
        self.assertTrue(hook["url"].endswith("/api/v1/hooks/" + hook["hook_id"]))
        path = "/api/v1/hooks/" + hook["hook_id"]
        status, _, body = self.req("POST", path, {"alert": {"severity": 2}},
                                   headers={"Authorization": "Bearer " + hook["token"]})
        self.assertEqual(status, 202, body)
        (eid,) = body["execution_ids"]
        execution = self.server.wait_execution(eid)
        self.assertEqual(execution["status"], "succeeded", execution)
        self.assertEqual(execution["variables"]["__event__"], {"alert": {"severity": 2}})
        self.assertEqual(execution["trigger"]["kind"], "webhook")
        self.assertEqual([s["status"] for s in execution["steps"]], ["succeeded"] * 3)
        action = [s for s in execution["steps"] if s["type"] == "action"][0]
        self.assertEqual(action["variables"].get("__result__"), "done", action)

        status, _, body = self.req("POST", path, {}, key=False,
                                   headers={"Authorization": "Bearer wrong"})
        self.assertEqual(status, 401)
        status, _, body = self.req("POST", path, {}, key=False)
        self.assertEqual(status, 401)
        status, _, _ = self.req("POST", path, {}, key=False, headers={"X-Atio-Token": hook["token"]})
        self.assertEqual(status, 202)

    def test_webhook_with_hmac(self):
        pid = self.create_lua_playbook()
        hook = self.create_hook(pid, "hmac")
        payload = json.dumps({"event": "brute force", "src_ip": "10.0.0.5"}).encode()
        sig = "sha256=" + hmac.new(hook["secret"].encode(), payload, hashlib.sha256).hexdigest()
        path = "/api/v1/hooks/" + hook["hook_id"]
        status, _, body = self.req("POST", path, payload, key=False,
                                   headers={"X-Atio-Signature": sig,
                                            "Content-Type": "application/json"})
        self.assertEqual(status, 202, body)
        self.assertEqual(self.server.wait_execution(body["execution_ids"][0])["status"], "succeeded")
        status, _, _ = self.req("POST", path, payload + b" ", key=False,
                                headers={"X-Atio-Signature": sig})
        self.assertEqual(status, 401)

    def test_ndjson_starts_one_execution_per_line(self):
        pid = self.create_lua_playbook()
        hook = self.create_hook(pid, "token")
        path = "/api/v1/hooks/" + hook["hook_id"]
        auth = {"Authorization": "Bearer " + hook["token"], "Content-Type": "application/x-ndjson"}
        lines = "\n".join(json.dumps({"n": i}) for i in range(3)) + "\n"
        status, _, body = self.req("POST", path, lines, key=False, headers=auth)
        self.assertEqual(status, 202, body)
        self.assertEqual(len(body["execution_ids"]), 3)
        events = sorted(self.server.wait_execution(e)["variables"]["__event__"]["n"]
                        for e in body["execution_ids"])
        self.assertEqual(events, [0, 1, 2])
        # A bad line: 400 naming it, and nothing stored.
        status, _, body = self.req("POST", path, '{"n": 1}\n{"n": \n', key=False, headers=auth)
        self.assertEqual(status, 400)
        self.assertIn("line 2", body["error"]["message"])
        _, _, listing = self.req("GET", "/api/v1/executions?playbook_id=" + pid)
        self.assertEqual(len(listing["executions"]), 3)

    def test_manual_step_answer_flow(self):
        with open(CORPUS_MANUAL, "rb") as f:
            status, _, body = self.req("POST", "/api/v1/playbooks/import", f.read())
        pid = body["id"]
        status, _, body = self.req("POST", "/api/v1/playbooks/%s/executions" % pid, {"variables": {}})
        self.assertEqual(status, 202, body)
        eid = body["execution_ids"][0]
        task = self.server.wait_manual(eid)
        self.assertEqual(task["command"], "prepare Falcon for hyperspeed jump")
        answer = "/api/v1/executions/%s/steps/%s/answer" % (
            eid, urllib.parse.quote(task["step_key"], safe=""))
        status, _, body = self.req("POST", answer, {"success": True, "response": "true"})
        self.assertEqual(status, 200, body)
        self.assertIn("admin", body["answered_by"])
        execution = self.server.wait_execution(eid)
        self.assertEqual(execution["status"], "succeeded", execution)
        self.assertIn("admin", json.dumps(execution["steps"]))
        status, _, _ = self.req("POST", answer, {"success": True})
        self.assertEqual(status, 404)

    def test_abort(self):
        with open(CORPUS_MANUAL, "rb") as f:
            _, _, body = self.req("POST", "/api/v1/playbooks/import", f.read())
        _, _, body = self.req("POST", "/api/v1/playbooks/%s/executions" % body["id"])
        eid = body["execution_ids"][0]
        self.server.wait_manual(eid)
        status, _, body = self.req("POST", "/api/v1/executions/%s/abort" % eid)
        self.assertEqual(status, 202, body)
        self.assertEqual(self.server.wait_execution(eid)["status"], "aborted")
        status, _, _ = self.req("POST", "/api/v1/executions/%s/abort" % eid)
        self.assertEqual(status, 409)

    def test_interval_schedule_runs(self):
        pid = self.create_lua_playbook()
        status, _, schedule = self.req("POST", "/api/v1/schedules",
                                       {"playbook_id": pid, "interval_seconds": 1,
                                        "variables": {"origin": "timer"}})
        self.assertEqual(status, 201, schedule)
        deadline = time.time() + 20
        runs = []
        while time.time() < deadline and len(runs) < 2:
            _, _, listing = self.req("GET", "/api/v1/executions?playbook_id=" + pid)
            runs = listing["executions"]
            time.sleep(0.2)
        self.assertGreaterEqual(len(runs), 2)
        self.assertEqual(runs[0]["trigger"]["kind"], "schedule")
        status, _, _ = self.req("DELETE", "/api/v1/schedules/" + schedule["id"])
        self.assertEqual(status, 204)
        _, _, got = self.req("GET", "/api/v1/executions/" + runs[-1]["id"])
        self.assertEqual(got["variables"]["__origin__"], "timer")

    def test_executions_paging(self):
        pid = self.create_lua_playbook()
        ids = []
        for _ in range(5):
            _, _, body = self.req("POST", "/api/v1/playbooks/%s/executions" % pid)
            ids += body["execution_ids"]
        seen, after = [], ""
        for _ in range(10):
            _, _, page = self.req("GET", "/api/v1/executions?limit=2&playbook_id=%s&after=%s" % (pid, after))
            seen += [e["id"] for e in page["executions"]]
            if page["next"] is None:
                break
            after = page["next"]
        self.assertEqual(seen, list(reversed(ids)))

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            for _ in range(3):
                conn.request("GET", "/healthz")
                resp = conn.getresponse()
                self.assertEqual(resp.status, 200)
                resp.read()
        finally:
            conn.close()

    def test_openapi_lists_every_resource(self):
        status, _, doc = self.req("GET", "/api/v1/openapi.json", key=False)
        self.assertEqual(status, 200)
        self.assertTrue(doc["openapi"].startswith("3.0"))
        for path in ("/healthz", "/readyz", "/api/v1/playbooks", "/api/v1/playbooks/{id}",
                     "/api/v1/playbooks/{id}/executions", "/api/v1/executions",
                     "/api/v1/executions/{id}/abort", "/api/v1/manual-steps",
                     "/api/v1/hooks", "/api/v1/hooks/{id}", "/api/v1/schedules"):
            self.assertIn(path, doc["paths"])
        self.assertIn("post", doc["paths"]["/api/v1/hooks/{id}"])
        self.assertIn("bearerAuth", doc["components"]["securitySchemes"])


class LifecycleTest(unittest.TestCase):
    """SIGTERM stops cleanly; a restart resumes what was running."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="atio-it-")
        self.data = os.path.join(self.tmp, "data")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_sigterm_exits_zero_and_restart_resumes(self):
        server = Server(self.data)
        try:
            with open(CORPUS_MANUAL, "rb") as f:
                status, _, body = server.request("POST", "/api/v1/playbooks", f.read())
            self.assertEqual(status, 201, body)
            _, _, body = server.request("POST", "/api/v1/playbooks/%s/executions" % body["id"])
            eid = body["execution_ids"][0]
            server.wait_manual(eid)
        finally:
            code = server.stop()
        self.assertEqual(code, 0)
        self.assertIn("atio: stopped", server.lines)

        again = Server(self.data)
        try:
            self.assertFalse(any("admin API key:" in l for l in again.lines))
            task = again.wait_manual(eid)  # resumed: the manual step waits again
            status, _, _ = again.request(
                "POST", "/api/v1/executions/%s/steps/%s/answer" % (
                    eid, urllib.parse.quote(task["step_key"], safe="")), {"success": True})
            self.assertEqual(status, 200)
            self.assertEqual(again.wait_execution(eid)["status"], "succeeded")
        finally:
            self.assertEqual(again.stop(), 0)

    def test_missed_schedule_runs_once_on_start(self):
        server = Server(self.data)
        try:
            doc = lua_playbook()
            self.assertEqual(server.request("POST", "/api/v1/playbooks", doc)[0], 201)
            status, _, schedule = server.request(
                "POST", "/api/v1/schedules", {"playbook_id": doc["id"], "interval_seconds": 4})
            self.assertEqual(status, 201)
        finally:
            self.assertEqual(server.stop(), 0)
        time.sleep(9)  # two intervals pass while atio is down
        again = Server(self.data)
        started = time.time()
        try:
            runs = []
            while not runs and time.time() - started < 3:  # less than one interval
                _, _, listing = again.request("GET", "/api/v1/executions?playbook_id=" + doc["id"])
                runs = listing["executions"]
                time.sleep(0.1)
            self.assertEqual(len(runs), 1, runs)
            self.assertEqual(runs[0]["trigger"]["schedule_id"], schedule["id"])
        finally:
            self.assertEqual(again.stop(), 0)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_api.py /path/to/atio [unittest args]")
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
