"""Shared by the use-case tests: a real `atio serve` with the MISP and IRIS
receivers, a shipped playbook pointed at them, and a webhook call that waits
for the execution's end and fails the test with the failed steps if it did
not succeed."""
import calendar
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "receivers"))

from atio_process import AtioServer, make_cert  # noqa: E402
from iris_receiver import IrisReceiver  # noqa: E402
from misp_receiver import MispReceiver  # noqa: E402

CORPUS = os.environ.get("ATIO_CORPUS_DIR", "/work/shared/corpus")
PLAYBOOKS = os.path.join(HERE, "..", "..", "playbooks")


class UseCaseTest(unittest.TestCase):
    """Subclasses set PLAYBOOK (a file name in playbooks/); main() sets ATIO."""

    ATIO = None
    PLAYBOOK = None

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="atio-use-case-")
        # MISP and IRIS over HTTPS (their usual set-up) with a certificate atio trusts through
        # --ca-file; their keys are atio secrets, as the shipped playbooks expect.
        self.cert, self.cert_key = make_cert(self.data)
        self.misp = MispReceiver().use_tls(self.cert, self.cert_key).start()
        self.iris = IrisReceiver().use_tls(self.cert, self.cert_key).start()
        self.server = self.start_server()
        self.set_secrets()

    def start_server(self):
        return AtioServer(self.ATIO, os.path.join(self.data, "atio"),
                          ["--ca-file", self.cert]).start()

    def set_secrets(self):
        for name, value in (("misp", {"oauth_header": self.misp.api_key}),
                            ("iris", self.iris.api_key)):
            status, _, body = self.req("PUT", "/api/v1/secrets/" + name, {"value": value})
            self.assertEqual(status, 200, body)

    def tearDown(self):
        self.server.kill()
        self.misp.stop()
        self.iris.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def restart(self):
        """kill -9 and start again on the same data."""
        self.server.kill()
        self.server = self.start_server()

    def req(self, method, path, body=None, **kw):
        return self.server.request(method, path, body, **kw)

    def playbook(self):
        """The shipped playbook, its MISP and IRIS targets pointed at the receivers."""
        with open(os.path.join(PLAYBOOKS, self.PLAYBOOK), encoding="utf-8") as f:
            doc = json.load(f)
        ports = {"MISP": self.misp.port, "DFIR-IRIS": self.iris.port}
        for target in doc["target_definitions"].values():
            target["address"] = {"ipv4": ["127.0.0.1"]}
            target["port"] = str(ports[target["name"]])
        return doc

    def install(self, name):
        """Imports the playbook and makes a token webhook for it."""
        doc = self.playbook()
        status, _, body = self.req("POST", "/api/v1/playbooks", doc)
        self.assertEqual(status, 201, body)
        status, _, hook = self.req("POST", "/api/v1/hooks",
                                   {"playbook_id": doc["id"], "auth": "token", "name": name})
        self.assertEqual(status, 201, hook)
        return hook

    def send(self, hook, body=None, raw=None, content_type="application/json"):
        """Posts to the hook, waits for the end; the execution with its steps."""
        status, _, answer = self.req(
            "POST", "/api/v1/hooks/%s?wait=120" % hook["hook_id"], body, raw=raw, auth=False,
            headers={"Authorization": "Bearer " + hook["token"], "Content-Type": content_type})
        self.assertEqual(status, 200, answer)
        (execution,) = answer["executions"]
        _, _, detail = self.req("GET", "/api/v1/executions/" + execution["id"])
        if execution["status"] != "succeeded":
            failed = [(s.get("step_id"), s.get("error")) for s in detail.get("steps", [])
                      if s["status"] != "succeeded"]
            self.fail("execution %s: %s" % (execution["status"], json.dumps(failed)[:2000]))
        return detail

    def cases(self):
        """The cases the use case's playbook opened, newest first."""
        doc = self.playbook()
        status, _, body = self.req("GET", "/api/v1/cases?limit=500&playbook_id=" + doc["id"])
        self.assertEqual(status, 200, body)
        return body["cases"]

    def case(self, case_id):
        status, _, body = self.req("GET", "/api/v1/cases/" + case_id)
        self.assertEqual(status, 200, body)
        return body

    @staticmethod
    def created_ms(execution):
        """When atio received the event of `execution` (its created_at), in ms."""
        stamp = execution["created_at"]
        whole, _, frac = stamp.rstrip("Z").partition(".")
        ms = calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) * 1000
        return ms + (int((frac + "000")[:3]) if frac else 0)

    @staticmethod
    def detections_of(execution):
        for step in execution["steps"]:
            d = step.get("variables", {}).get("__detections__")
            if d:
                return d
        raise AssertionError("no step wrote __detections__")

    def assert_within_contracts(self):
        self.assertEqual(self.misp.dropped, [])
        self.assertEqual(self.misp.violations, [])
        self.assertEqual(self.iris.violations, [])


def main():
    UseCaseTest.ATIO = sys.argv.pop(1)
    unittest.main(verbosity=2)
