"""PostgreSQL restarted under a running `atio serve`.

While the database is away, requests that need it answer 503 and write nothing, the
liveness probe stays up and the readiness probe says why it is down; when the database is
back, the same process serves again without a restart: its writer and readers reconnect,
and the node takes its active-node lock again. A write refused during the outage can be
made afterwards (nothing of it was half-written), and executions run.
"""
import os
import shutil
import sys
import tempfile
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer, postgres_server  # noqa: E402

ATIO = None


def lua_playbook():
    start, action, end = ("start--%s" % uuid.uuid4(), "action--%s" % uuid.uuid4(),
                          "end--%s" % uuid.uuid4())
    agent = "individual--%s" % uuid.uuid4()
    return {
        "type": "playbook", "spec_version": "cacao-2.0",
        "id": "playbook--%s" % uuid.uuid4(), "name": "outage",
        "created_by": "identity--%s" % uuid.uuid4(),
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "workflow_start": start,
        "agent_definitions": {agent: {"type": "individual", "name": "lua"}},
        "workflow": {
            start: {"type": "start", "on_completion": action},
            action: {"type": "action", "on_completion": end, "agent": agent,
                     "commands": [{"type": "x-atio-lua",
                                   "command": "return { __result__ = 'done' }"}]},
            end: {"type": "end"},
        },
    }


class PostgresOutageTest(unittest.TestCase):
    def test_a_restart_of_postgresql_is_503_then_service_without_a_restart_of_atio(self):
        os.environ["ATIO_TEST_STORE"] = "postgresql"
        tmp = tempfile.mkdtemp(prefix="atio-pg-outage-")
        server = AtioServer(ATIO, os.path.join(tmp, "data")).start()
        try:
            before = lua_playbook()
            status, _, body = server.request("POST", "/api/v1/playbooks", before)
            self.assertEqual(status, 201, body)

            postgres_server("stop")
            during = lua_playbook()
            deadline = time.time() + 30
            status = None
            while time.time() < deadline:
                status, _, body = server.request("POST", "/api/v1/playbooks", during)
                if status == 503:
                    break
                time.sleep(0.1)
            self.assertEqual(status, 503, body)
            self.assertEqual(body["error"]["code"], "unavailable", body)
            status, _, ready = server.request("GET", "/readyz", auth=False)
            self.assertEqual(status, 503, ready)
            self.assertNotEqual(ready["checks"]["store"]["status"], "ok", ready)
            status, _, _ = server.request("GET", "/healthz", auth=False)
            self.assertEqual(status, 200, "liveness must not restart atio for the database")

            postgres_server("start")
            deadline = time.time() + 30
            while time.time() < deadline:
                status, _, ready = server.request("GET", "/readyz", auth=False)
                if status == 200:
                    break
                time.sleep(0.1)
            self.assertEqual(status, 200, ready)
            self.assertIsNone(server.proc.poll(), "atio exited:\n" + "".join(server.output))
            # The refused import left nothing: it can be made now, once.
            status, _, body = server.request("GET", "/api/v1/playbooks/" + during["id"])
            self.assertEqual(status, 404, body)
            status, _, body = server.request("POST", "/api/v1/playbooks", during)
            self.assertEqual(status, 201, body)
            status, _, body = server.request("GET", "/api/v1/playbooks/" + before["id"])
            self.assertEqual(status, 200, body)
            status, _, body = server.request(
                "POST", "/api/v1/playbooks/%s/executions" % during["id"], {"variables": {}})
            self.assertEqual(status, 202, body)
            done = server.wait_execution(body["execution_ids"][0])
            self.assertEqual(done["status"], "succeeded", done)
            # The audit chain spans the outage unbroken.
            status, _, verdict = server.request("POST", "/api/v1/audit/verify")
            self.assertEqual(status, 200, verdict)
            self.assertTrue(verdict["ok"], verdict)
        finally:
            server.kill()
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_pg_outage.py /path/to/atio [unittest args]")
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
