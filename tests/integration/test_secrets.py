#!/usr/bin/env python3
"""The secret store under a real `atio serve`: a MISP key set through the API
reaches the MISP stand-in (which checks MISP's `Authorization: <key>` contract)
from a playbook whose authentication_info names it (kms: true), and the key is
then searched for in everything atio shows or keeps: API answers (secrets,
playbooks, executions and their steps, the audit log and its export), the
server's log, `atio secret list`, and the database files themselves. It is
found nowhere. A deleted secret makes the step fail with a message saying how
to set it.

Usage: test_secrets.py /path/to/atio [unittest options]
Python 3 standard library only; 127.0.0.1 only; every wait has a deadline.
"""
import glob
import json
import os
import secrets as pysecrets
import shutil
import string
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "receivers"))
from atio_process import AtioServer, make_cert, master_key_args, store_location  # noqa: E402
from misp_receiver import MispReceiver  # noqa: E402

ATIO = None


def misp_playbook(port):
    start, action, end = ("start--%s" % uuid.uuid4(), "action--%s" % uuid.uuid4(),
                          "end--%s" % uuid.uuid4())
    target, auth = "http-api--%s" % uuid.uuid4(), "oauth2--%s" % uuid.uuid4()
    agent = "individual--%s" % uuid.uuid4()
    event = {"Event": {"info": "secret store test", "distribution": "0",
                       "threat_level_id": "4", "analysis": "0"}}
    return {
        "type": "playbook", "spec_version": "cacao-2.0",
        "id": "playbook--%s" % uuid.uuid4(), "name": "MISP with a stored key",
        "created_by": "identity--%s" % uuid.uuid4(),
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "workflow_start": start,
        # 127.0.0.1 on a port other than 80/8080: https (CACAO's address rule as SOARCA
        # reads it), to the stand-in's certificate, which atio trusts through --ca-file.
        "agent_definitions": {agent: {"type": "individual", "name": "SOC automation"}},
        "target_definitions": {target: {"type": "http-api", "name": "MISP",
                                        "address": {"ipv4": ["127.0.0.1"]}, "port": str(port),
                                        "authentication_info": auth}},
        # The schema requires both; with kms the spec says they are not populated.
        "authentication_info_definitions": {
            auth: {"type": "oauth2", "kms": True, "kms_key_identifier": "misp",
                   "oauth_header": "", "token": ""}},
        "workflow": {
            start: {"type": "start", "on_completion": action},
            action: {"type": "action", "agent": agent, "targets": [target],
                     "on_completion": end,
                     "commands": [{"type": "http-api", "command": "POST /events/add HTTP/1.1",
                                   "headers": {"Accept": ["application/json"],
                                               "Content-Type": ["application/json"]},
                                   "content": json.dumps(event)}]},
            end: {"type": "end"},
        },
    }


class SecretStoreTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="atio-secrets-")
        self.data = os.path.join(self.tmp, "data")
        self.key = "".join(pysecrets.choice(string.ascii_letters + string.digits) for _ in range(40))
        cert, key = make_cert(self.tmp)
        self.misp = MispReceiver(api_key=self.key).use_tls(cert, key).start()
        self.server = AtioServer(ATIO, self.data, ["--ca-file", cert]).start()

    def tearDown(self):
        self.server.kill()
        self.misp.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def req(self, method, path, body=None):
        return self.server.request(method, path, body)

    def run_playbook(self, pid):
        status, _, body = self.req("POST", "/api/v1/playbooks/%s/executions" % pid, {})
        self.assertIn(status, (200, 201, 202), body)
        eid = body["execution_ids"][0]
        deadline = time.time() + 30
        while time.time() < deadline:
            _, _, got = self.req("GET", "/api/v1/executions/" + eid)
            if got["status"] in ("succeeded", "failed", "aborted"):
                return got
            time.sleep(0.05)
        self.fail("execution %s did not finish" % eid)

    def test_key_reaches_misp_and_appears_nowhere(self):
        shown = []  # every text atio showed us

        def keep(status, body):
            shown.append(json.dumps(body) if not isinstance(body, str) else body)
            return status, body

        status, body = keep(*self.req("PUT", "/api/v1/secrets/misp",
                                      {"value": {"oauth_header": self.key},
                                       "description": "MISP automation key"})[::2])
        self.assertEqual(status, 200, body)
        self.assertEqual(body["name"], "misp")
        self.assertNotIn("value", body)
        status, body = keep(*self.req("GET", "/api/v1/secrets")[::2])
        self.assertEqual([s["name"] for s in body["secrets"]], ["misp"])

        pb = misp_playbook(self.misp.port)
        status, body = keep(*self.req("POST", "/api/v1/playbooks", pb)[::2])
        self.assertIn(status, (200, 201), body)
        done = self.run_playbook(pb["id"])
        shown.append(json.dumps(done))
        self.assertEqual(done["status"], "succeeded", done)
        self.assertEqual([s["status"] for s in done["steps"] if s["type"] == "action"],
                         ["succeeded"], done)
        posts = [r for r in self.misp.requests if r.path == "/events/add"]
        self.assertEqual(len(posts), 1)
        self.assertEqual(posts[0].headers.get("authorization"), self.key)
        self.assertEqual(posts[0].status, 200)

        for path in ["/api/v1/executions/%s" % done["id"],
                     "/api/v1/executions/%s/steps" % done["id"],
                     "/api/v1/executions?playbook_id=%s" % pb["id"],
                     "/api/v1/playbooks/%s" % pb["id"],
                     "/api/v1/audit?limit=1000",
                     "/api/v1/audit/export"]:
            status, _, body = self.req("GET", path)
            if status == 200:
                shown.append(body if isinstance(body, str) else json.dumps(body))
        self.assertTrue(any("secret.put" in s for s in shown), "the audit log records the change")
        _, _, uses = self.req("GET", "/api/v1/audit?action=secret.use")
        self.assertEqual([(u["object_id"], json.loads(u["detail"])["purpose"]) if isinstance(
            u["detail"], str) else (u["object_id"], u["detail"]["purpose"])
            for u in uses["records"]],
            [("misp", "execution %s step %s" % (done["id"], [
                s["step_id"] for s in done["steps"] if s["type"] == "action"][0]))])

        listed = subprocess.run([ATIO, "secret", "list", "--store", store_location(self.data)]
                                + master_key_args(self.data),
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn("misp", listed.stdout)
        shown += [listed.stdout, listed.stderr]

        self.server.terminate()
        shown.append("".join(self.server.output))
        for text in shown:
            self.assertNotIn(self.key, text)
        for path in glob.glob(os.path.join(self.data, "*")):
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    self.assertNotIn(self.key.encode(), f.read(), path)

    def test_missing_secret_fails_the_step_and_says_how_to_set_it(self):
        pb = misp_playbook(self.misp.port)
        status, _, body = self.req("POST", "/api/v1/playbooks", pb)
        self.assertIn(status, (200, 201), body)
        done = self.run_playbook(pb["id"])
        action = [s for s in done["steps"] if s["type"] == "action"][0]
        self.assertEqual(action["status"], "failed")
        self.assertIn("atio secret set misp", action["error"])
        self.assertEqual([r for r in self.misp.requests if r.path == "/events/add"], [])

    def test_bad_secrets_are_refused_by_field(self):
        status, _, body = self.req("PUT", "/api/v1/secrets/misp", {"value": 42})
        self.assertEqual(status, 422)
        self.assertIn("/value", json.dumps(body))
        status, _, body = self.req("PUT", "/api/v1/secrets/bad%20name", {"value": "x"})
        self.assertEqual(status, 422)
        self.assertIn("/name", json.dumps(body))
        status, _, _ = self.req("DELETE", "/api/v1/secrets/never-set")
        self.assertEqual(status, 404)


if __name__ == "__main__":
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
