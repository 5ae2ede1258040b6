#!/usr/bin/env python3
"""CACAO ssh steps in a real `atio serve` (docs/ssh.md) against a real OpenSSH sshd
started by the test on a free 127.0.0.1 port (tests/support/sshd_server.py; needs root).

SOARCA's example ssh playbook from the shared corpus runs as it is written, but for
where its target is and where its credentials come from: its two steps list a
directory and touch a file named by a variable. Credentials come from atio's secret
store and never reach the execution's journal; a host whose key is not in the
known-hosts file is refused, and so is a host key that changed.

Usage: test_ssh.py path/to/atio
"""
import copy
import json
import os
import shutil
import sys
import tempfile
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "support"))
from atio_process import AtioServer  # noqa: E402
from sshd_server import Sshd  # noqa: E402

ATIO = None
CORPUS = os.environ.get("ATIO_CORPUS_DIR", os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                                        "..", "shared", "corpus"))
SOARCA_SSH = os.path.join(CORPUS, "cacao2", "playbooks", "v2.0", "soarca", "examples",
                          "ssh-playbook.json")


def soarca_ssh_playbook(port, home, auth):
    """SOARCA's example, pointed at the test's sshd with `auth` as its credentials."""
    with open(SOARCA_SSH) as f:
        doc = json.load(f)
    doc = copy.deepcopy(doc)
    doc["id"] = "playbook--%s" % uuid.uuid4()
    auth_id = "%s--%s" % (auth["type"], uuid.uuid4())
    doc["authentication_info_definitions"] = {auth_id: auth}
    (target_id, target), = doc["target_definitions"].items()
    target["authentication_info"] = auth_id
    target["address"] = {"ipv4": ["127.0.0.1"]}
    target["port"] = str(port)
    for step in doc["workflow"].values():
        variables = step.get("step_variables", {})
        if "__path__" in variables:
            variables["__path__"]["value"] = os.path.join(home, "file-" + uuid.uuid4().hex)
    return doc


class SshTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-it-ssh-")
        cls.sshd = Sshd(os.path.join(cls.tmp, "sshd")).start()
        cls.info = cls.sshd.info()
        cls.known_hosts = os.path.join(cls.tmp, "known_hosts")
        with open(cls.known_hosts, "w") as f:
            f.write(cls.info["known_hosts_line"] + "\n")
        cls.server = AtioServer(ATIO, os.path.join(cls.tmp, "data"),
                                ["--ssh-known-hosts", cls.known_hosts]).start()
        for name, value in (("host-password", cls.info["password"]),
                            ("host-key", {"private_key": cls.info["locked_key"],
                                          "passphrase": cls.info["passphrase"]})):
            status, _, body = cls.server.request("PUT", "/api/v1/secrets/" + name,
                                                 {"value": value})
            assert status == 200, body

    @classmethod
    def tearDownClass(cls):
        code = cls.server.terminate()
        cls.sshd.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if code != 0:
            raise AssertionError("atio serve exited with %s" % code)

    def run_playbook(self, doc):
        status, _, body = self.server.request("POST", "/api/v1/playbooks", doc)
        self.assertEqual(status, 201, body)
        status, _, body = self.server.request(
            "POST", "/api/v1/playbooks/%s/executions" % doc["id"], {"variables": {}})
        self.assertIn(status, (200, 201, 202), body)
        return self.server.wait_execution(body["execution_ids"][0], timeout=60)

    def action_steps(self, ex):
        return [s for s in ex["steps"] if s["type"] == "action"]

    def assert_steps_succeeded(self, ex):
        # The example's steps go on by on_completion: the execution ends well either way,
        # so each step is checked.
        steps = self.action_steps(ex)
        self.assertEqual(len(steps), 2, ex)
        for step in steps:
            self.assertEqual(step["status"], "succeeded", json.dumps(step, indent=1))

    def password_auth(self):
        return {"type": "user-auth", "username": self.info["user"], "kms": True,
                "kms_key_identifier": "host-password"}

    def test_soarca_example_runs_with_a_password_from_the_secret_store(self):
        doc = soarca_ssh_playbook(self.sshd.port, self.info["home"], self.password_auth())
        path = [s for s in doc["workflow"].values()
                if "__path__" in s.get("step_variables", {})][0]["step_variables"]["__path__"]["value"]
        ex = self.run_playbook(doc)
        self.assert_steps_succeeded(ex)
        self.assertTrue(os.path.exists(path), "touch __path__:value ran on the host")
        listing = [s for s in ex["steps"] if s["type"] == "action"
                   and "ls -la" in json.dumps(s.get("inputs", {}))]
        self.assertEqual(len(listing), 1, ex)
        self.assertEqual(listing[0]["outputs"]["exit_code"], 0)
        self.assertIn(" .", listing[0]["outputs"]["stdout"])  # ls -la of the home directory
        self.assertEqual(listing[0]["outputs"]["host"],
                         "%s@127.0.0.1:%d" % (self.info["user"], self.sshd.port))
        # The password never reaches the journal.
        status, _, full = self.server.request("GET", "/api/v1/executions/" + ex["id"])
        self.assertEqual(status, 200)
        self.assertNotIn(self.info["password"], json.dumps(full))

    def test_key_with_a_passphrase_from_the_secret_store(self):
        doc = soarca_ssh_playbook(self.sshd.port, self.info["home"],
                                  {"type": "private-key", "user_id": self.info["user"],
                                   "kms": True, "kms_key_identifier": "host-key"})
        ex = self.run_playbook(doc)
        self.assert_steps_succeeded(ex)
        status, _, full = self.server.request("GET", "/api/v1/executions/" + ex["id"])
        self.assertNotIn("PRIVATE KEY", json.dumps(full))
        self.assertNotIn(self.info["passphrase"], json.dumps(full))

    def test_host_not_in_known_hosts_is_refused(self):
        # A second sshd: its key is in no known-hosts file.
        other = Sshd(os.path.join(self.tmp, "other-sshd")).start()
        try:
            doc = soarca_ssh_playbook(other.port, self.info["home"], self.password_auth())
            ex = self.run_playbook(doc)
        finally:
            other.stop()
        failed = [s for s in self.action_steps(ex) if s["status"] == "failed"]
        self.assertEqual(len(failed), 2, ex)
        self.assertIn("is not in the known hosts file", failed[0]["error"])
        self.assertIn("SHA256:", failed[0]["error"])

    def test_playbook_without_credentials_is_refused_naming_the_rule(self):
        doc = soarca_ssh_playbook(self.sshd.port, self.info["home"], self.password_auth())
        for target in doc["target_definitions"].values():
            del target["authentication_info"]
        status, _, body = self.server.request("POST", "/api/v1/playbooks", doc)
        self.assertEqual(status, 422, body)
        self.assertIn("has no authentication_info", json.dumps(body))


if __name__ == "__main__":
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
