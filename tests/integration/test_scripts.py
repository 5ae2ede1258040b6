"""Jailed bash and x-atio-python steps in a real `atio serve` (docs/scripts.md): a playbook's
variables flow through scripts, and scripts that try to reach atio's files, keys, environment
or network, or to exhaust the machine, fail their step while atio carries on.

Usage: test_scripts.py path/to/atio
"""
import os
import shutil
import socket
import sys
import tempfile
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer  # noqa: E402

ATIO = None


def playbook(steps, variables):
    """A CACAO 2.0 playbook running `steps` (dicts with type, command, in_args, out_args and
    an optional timeout) one after another."""
    start, end = "start--%s" % uuid.uuid4(), "end--%s" % uuid.uuid4()
    agent = "x-atio-jail--%s" % uuid.uuid4()
    ids = ["action--%s" % uuid.uuid4() for _ in steps]
    workflow = {start: {"type": "start", "on_completion": ids[0]}, end: {"type": "end"}}
    for i, s in enumerate(steps):
        step = {"type": "action", "name": "script %d" % i, "agent": agent,
                "on_completion": ids[i + 1] if i + 1 < len(ids) else end,
                "commands": [{"type": s["type"], "command": s["command"]}]}
        for args in ("in_args", "out_args"):
            if s.get(args):
                step[args] = s[args]
        if "timeout" in s:
            step["timeout"] = s["timeout"]
        workflow[ids[i]] = step
    return {
        "type": "playbook", "spec_version": "cacao-2.0",
        "id": "playbook--%s" % uuid.uuid4(), "name": "integration scripts",
        "created_by": "identity--%s" % uuid.uuid4(),
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "workflow_start": start,
        "agent_definitions": {agent: {"type": "x-atio-jail", "name": "atio script jail"}},
        **({"playbook_variables": {k: {"type": t} for k, t in variables.items()}}
           if variables else {}),
        "workflow": workflow,
    }


class ScriptsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-it-scripts-")
        cls.data = os.path.join(cls.tmp, "data")
        os.environ["ATIO_IT_MARKER"] = "environment-of-atio-" + uuid.uuid4().hex
        cls.server = AtioServer(ATIO, cls.data, ["--script-processes", "32"]).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.terminate()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if code != 0:
            raise AssertionError("atio serve exited with %s" % code)

    def run_playbook(self, doc, variables=None, timeout=60):
        status, _, body = self.server.request("POST", "/api/v1/playbooks", doc)
        self.assertEqual(status, 201, body)
        status, _, body = self.server.request(
            "POST", "/api/v1/playbooks/%s/executions" % doc["id"],
            {"variables": variables or {}})
        self.assertIn(status, (200, 201, 202), body)
        return self.server.wait_execution(body["execution_ids"][0], timeout=timeout)

    def one_step(self, kind, command, timeout=None):
        step = {"type": kind, "command": command}
        if timeout:
            step["timeout"] = timeout
        ex = self.run_playbook(playbook([step], {}))
        actions = [s for s in ex["steps"] if s["type"] == "action"]
        self.assertEqual(len(actions), 1, ex)
        return ex, actions[0]

    def test_variables_flow_through_bash_and_python(self):
        doc = playbook([
            {"type": "bash", "in_args": ["__ip__"], "out_args": ["__octets__"],
             "command": "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"__ip__\"])'"
                        " | tr . ' '"},
            {"type": "x-atio-python", "in_args": ["__octets__"],
             "out_args": ["__sum__", "__first__"],
             "command": "import json, sys\n"
                        "octets = json.load(sys.stdin)['__octets__'].split()\n"
                        "print(json.dumps({'__sum__': sum(map(int, octets)),"
                        " '__first__': octets[0]}))\n"},
        ], {"__ip__": "string", "__octets__": "string", "__sum__": "integer",
            "__first__": "string"})
        ex = self.run_playbook(doc, {"__ip__": "10.20.30.40"})
        self.assertEqual(ex["status"], "succeeded", ex)
        steps = {s["step_id"]: s for s in ex["steps"] if s["type"] == "action"}
        python = [s for s in steps.values() if s["outputs"].get("json")][0]
        self.assertEqual(python["outputs"]["json"], {"__sum__": 100, "__first__": "10"})
        self.assertEqual(python["variables"]["__sum__"], 100)
        self.assertEqual(python["outputs"]["exit_code"], 0)
        # The journal keeps the step's inputs: the in_args it read on stdin.
        self.assertEqual(python["inputs"]["in_args"], {"__octets__": "10 20 30 40"})

    def test_failure_keeps_stderr_and_exit_code(self):
        ex, step = self.one_step("bash", "echo checking >&2; exit 4")
        self.assertEqual(step["status"], "failed")
        self.assertEqual(step["outputs"]["exit_code"], 4)
        self.assertEqual(step["outputs"]["stderr"], "checking\n")
        self.assertIn("exited with code 4", step["error"])

    def test_cannot_read_atios_database_keys_or_environment(self):
        files = [os.path.join(self.data, f) for f in os.listdir(self.data)]
        self.assertTrue(any(f.endswith("atio.db") for f in files), files)
        self.assertTrue(any("key" in os.path.basename(f) for f in files), files)
        script = "".join("cat '%s' || true\n" % f for f in files)
        script += "env; cat /proc/*/environ; ls -la /proc | head -50; ls %s\n" % self.data
        ex, step = self.one_step("bash", script)
        out = step["outputs"].get("stdout", "") + step["outputs"].get("stderr", "")
        self.assertIn("No such file", out)
        with open(os.path.join(self.data, "admin-key")) as f:
            admin_key = f.read().strip()
        self.assertNotIn(admin_key, out)
        self.assertNotIn("SQLite format", out)
        self.assertNotIn(os.environ["ATIO_IT_MARKER"], out)
        for f in files:
            if os.path.isfile(f) and os.path.getsize(f) > 0 and os.path.getsize(f) < 4096:
                with open(f, "rb") as fh:
                    content = fh.read().decode("utf-8", "replace").strip()
                if len(content) >= 16:
                    self.assertNotIn(content, out, f)

    def test_cannot_reach_atio_or_anything_over_the_network(self):
        port = self.server.port
        ex, step = self.one_step("x-atio-python", (
            "import socket, urllib.request\n"
            "try:\n"
            "    urllib.request.urlopen('http://127.0.0.1:%d/healthz', timeout=3)\n"
            "    print('reached atio')\n"
            "except OSError as e:\n"
            "    print('refused', e)\n"
            "socket.create_connection(('1.1.1.1', 443), timeout=3)\n") % port)
        self.assertEqual(step["status"], "failed")
        self.assertNotIn("reached atio", step["outputs"].get("stdout", ""))
        self.assertIn("unreachable", step["outputs"]["stderr"])

    def test_fork_bomb_and_endless_loop_fail_their_step_and_atio_carries_on(self):
        ex, step = self.one_step("bash", "bomb() { bomb | bomb & }; bomb; sleep 60",
                                 timeout=3000)
        self.assertEqual(step["status"], "failed")
        ex, step = self.one_step("x-atio-python", "while True:\n    pass\n", timeout=1500)
        self.assertEqual(step["status"], "failed")
        self.assertRegex(step["error"], "timed out|time limit")
        status, _, _ = self.server.request("GET", "/healthz", auth=False)
        self.assertEqual(status, 200)
        ex, step = self.one_step("bash", "echo still fine")
        self.assertEqual(step["status"], "succeeded", ex)
        self.assertEqual(step["outputs"]["stdout"], "still fine\n")

    def test_a_50_mb_stdout_is_kept_outside_the_execution_and_paged(self):
        # 50,000,000 bytes: line i (0-based) is "%07d\n" % i, so any page can be checked.
        ex, step = self.one_step("x-atio-python", (
            "import sys\n"
            "out = sys.stdout.buffer\n"
            "for start in range(0, 6250000, 125000):\n"
            "    out.write(b''.join(b'%07d\\n' % i for i in range(start, start + 125000)))\n"))
        self.assertEqual(step["status"], "succeeded", step["error"])
        ref = step["outputs"]["stdout"]["x_atio_large_output"]
        self.assertEqual(ref["bytes"], 50_000_000)
        self.assertEqual(step["outputs"]["stdout_bytes"], 50_000_000)
        self.assertTrue(ref["preview"].startswith("0000000\n0000001\n"))
        base = "/api/v1/executions/%s/outputs/%s" % (ex["id"], ref["id"])
        status, _, page = self.server.request("GET", base + "?offset=%d&limit=16" % (8 * 4321000))
        self.assertEqual(status, 200, page)
        self.assertEqual(page["data"], "4321000\n4321001\n")
        status, _, page = self.server.request("GET", base + "?offset=%d&limit=100" % (50_000_000 - 8))
        self.assertEqual(page["data"], "6249999\n")
        self.assertIsNone(page["next_offset"])
        # The execution's own JSON stays small.
        status, _, raw = self.server.request("GET", "/api/v1/executions/" + ex["id"])
        self.assertLess(len(str(raw)), 64 * 1024)

    def test_a_bad_script_command_is_refused_naming_the_field(self):
        doc = playbook([{"type": "bash", "command": "true"}], {})
        action = [k for k in doc["workflow"] if k.startswith("action--")][0]
        doc["workflow"][action]["commands"][0] = {"type": "bash", "command_b64": "not base64!"}
        status, _, body = self.server.request("POST", "/api/v1/playbooks", doc)
        self.assertEqual(status, 422, body)
        self.assertIn("/workflow/%s/commands/0/command_b64" % action, str(body))


if __name__ == "__main__":
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
