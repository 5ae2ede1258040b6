"""Two `atio serve` nodes on one PostgreSQL database: one works, the other stands by.

Until nodes share the work under leases, a node runs only while it holds the database's
active-node lock (src/atio/store/postgres/active_node.h). The test checks what an operator
would: the second node stands by without serving; when the active node is killed with
kill -9, the standby takes over, serves the same store and resumes the execution the dead
node left waiting for a person, which then finishes.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer, REPO, share_store  # noqa: E402

ATIO = None
CORPUS = os.environ.get("ATIO_CORPUS_DIR", os.path.join(REPO, "..", "shared", "corpus"))
CORPUS_MANUAL = os.path.join(CORPUS, "cacao2/playbooks/v2.0/soarca/examples/manual-playbook.json")


class ActiveNodeTest(unittest.TestCase):
    def test_the_standby_takes_over_when_the_active_node_dies(self):
        tmp = tempfile.mkdtemp(prefix="atio-active-it-")
        a = b = None
        try:
            # The nodes run on PostgreSQL whatever the test run's store.
            os.environ["ATIO_TEST_STORE"] = "postgresql"
            a = AtioServer(ATIO, os.path.join(tmp, "a")).start()
            share_store(os.path.join(tmp, "a"), os.path.join(tmp, "b"))
            with open(CORPUS_MANUAL, "rb") as f:
                status, _, body = a.request("POST", "/api/v1/playbooks/import", raw=f.read(),
                                            headers={"Content-Type": "application/json"})
            self.assertEqual(status, 201, body)
            status, _, body = a.request("POST", "/api/v1/playbooks/%s/executions" % body["id"],
                                        {"variables": {}})
            self.assertEqual(status, 202, body)
            eid = body["execution_ids"][0]
            task = a.wait_manual(eid)

            # The second node, on the same database, stands by.
            b = AtioServer(ATIO, os.path.join(tmp, "b"))
            b.admin_key = a.admin_key  # the store's key: B makes none
            started = threading.Thread(target=lambda: b.start(timeout=60), daemon=True)
            started.start()
            deadline = time.time() + 30
            while time.time() < deadline and not any("standing by" in l for l in b.output):
                time.sleep(0.05)
            self.assertTrue(any("standing by" in l for l in b.output), "".join(b.output))
            self.assertIsNone(b.port, "the standby serves while another node is active")

            a.kill()  # kill -9
            started.join(60)
            self.assertIsNotNone(b.port, "the standby did not take over:\n" + "".join(b.output))
            # B resumed the execution A left waiting, and finishes it.
            task = b.wait_manual(eid)
            answer = "/api/v1/executions/%s/steps/%s/answer" % (
                eid, urllib.parse.quote(task["step_key"], safe=""))
            status, _, body = b.request("POST", answer, {"success": True, "response": "true"})
            self.assertEqual(status, 200, body)
            self.assertEqual(b.wait_execution(eid)["status"], "succeeded")
        finally:
            for s in (a, b):
                if s:
                    s.kill()
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_active_node.py /path/to/atio [unittest args]")
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
