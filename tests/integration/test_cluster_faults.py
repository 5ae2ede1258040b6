#!/usr/bin/env python3
"""Fault test of a cluster: three `atio serve` nodes on one PostgreSQL database take
10,000 executions through their webhooks while nodes are killed with kill -9 at random
moments and started again, and PostgreSQL itself is restarted once.

What must hold (issue: nodes sharing the work):
- every execution the webhooks accepted (answered 202) finishes, succeeded; so does every
  execution stored without its answer reaching the sender (a node killed mid-answer);
- none runs twice: the local receiver sees each step of each execution once, or again only
  with the same Idempotency-Key (a step in flight on a killed node, repeated by the node
  that took the execution over);
- a request during the database's outage is refused (503) and leaves nothing behind.

Usage: test_cluster_faults.py PATH/TO/atio [EXECUTIONS]
"""
import collections
import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer, postgres_server, run_sql, share_store  # noqa: E402
from test_crash import Receiver, STEPS, playbook, uid  # noqa: E402

ATIO = None
EXECUTIONS = 10000
BATCH = 50          # executions per webhook request (NDJSON lines)
LEASE_MS = 1500     # short, so that killed nodes' executions move on quickly


class ClusterFaultTest(unittest.TestCase):
    def test_kill9_nodes_and_restart_postgresql_while_feeding_webhooks(self):
        os.environ["ATIO_TEST_STORE"] = "postgresql"
        rx = Receiver()
        threading.Thread(target=rx.serve_forever, daemon=True).start()
        base = "http://127.0.0.1:%d" % rx.server_address[1]
        tmp = tempfile.mkdtemp(prefix="atio-cluster-faults-")
        dirs = [os.path.join(tmp, name) for name in ("a", "b", "c")]
        args = ["--node-lease-ms", str(LEASE_MS)]
        nodes = [AtioServer(ATIO, dirs[0], extra_args=args, synchronous="full").start()]
        for d in dirs[1:]:
            share_store(dirs[0], d)
            n = AtioServer(ATIO, d, extra_args=args, synchronous="full")
            n.admin_key = nodes[0].admin_key
            nodes.append(n.start())
        lock = threading.Lock()  # guards nodes, alive
        alive = [True, True, True]
        stop = threading.Event()
        stats = collections.Counter()
        try:
            st, _, body = nodes[0].request("POST", "/api/v1/playbooks", playbook(base))
            self.assertEqual(st, 201, body)
            st, _, hook = nodes[0].request("POST", "/api/v1/hooks", {
                "playbook_id": "playbook--" + uid("pb"), "auth": "token", "name": "faults"})
            self.assertEqual(st, 201, hook)

            accepted = []   # execution ids answered 202
            numbers = {}    # n -> execution id, for the accepted ones

            def post(port, lines):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                try:
                    conn.request("POST", "/api/v1/hooks/" + hook["hook_id"], body=lines,
                                 headers={"Content-Type": "application/x-ndjson",
                                          "Authorization": "Bearer " + hook["token"]})
                    resp = conn.getresponse()
                    return resp.status, resp.read()
                finally:
                    conn.close()

            def feed():
                n = 0
                i = 0
                while len(accepted) < EXECUTIONS and not stop.is_set():
                    with lock:
                        up = [k for k in range(3) if alive[k]]
                        k = up[i % len(up)]
                        port = nodes[k].port
                    i += 1
                    want = min(BATCH, EXECUTIONS - len(accepted))
                    batch = list(range(n, n + want))
                    n += want  # a number is never sent twice, accepted or not
                    lines = "".join(json.dumps({"n": x}) + "\n" for x in batch)
                    try:
                        status, out = post(port, lines)
                    except OSError:
                        stats["refused: node down"] += 1
                        continue
                    if status == 202:
                        ids = json.loads(out)["execution_ids"]
                        accepted.extend(ids)
                        numbers.update(zip(batch, ids))
                    elif status in (429, 503):
                        stats["refused: %d" % status] += 1
                        time.sleep(0.05)
                    else:
                        raise AssertionError("webhook answered %d: %s" % (status, out[:300]))

            def chaos():
                """kill -9 a random node every 1-2.5 s (at most one down at a time) and start
                it again 0.3-1.5 s later; restart PostgreSQL once, when a third is accepted."""
                restarted_db = False
                while not stop.is_set():
                    time.sleep(random.uniform(1.0, 2.5))
                    if stop.is_set():
                        return
                    if not restarted_db and len(accepted) > EXECUTIONS // 3:
                        restarted_db = True
                        postgres_server("stop")
                        time.sleep(1.0)
                        postgres_server("start")
                        stats["postgresql restarts"] += 1
                        continue
                    k = random.randrange(3)
                    with lock:
                        alive[k] = False
                    nodes[k].kill()
                    stats["kill -9"] += 1
                    time.sleep(random.uniform(0.3, 1.5))
                    n = AtioServer(ATIO, dirs[k], extra_args=args, synchronous="full")
                    n.admin_key = nodes[0].admin_key
                    n.start(timeout=60)
                    with lock:
                        nodes[k] = n
                        alive[k] = True

            feeder = threading.Thread(target=feed, daemon=True)
            chaos_thread = threading.Thread(target=chaos, daemon=True)
            started = time.time()
            feeder.start()
            chaos_thread.start()
            feeder.join(600)
            self.assertFalse(feeder.is_alive(), "feeding did not end")
            fed = time.time() - started
            # Faults go on a little after the last acceptance, then stop.
            time.sleep(2.0)
            stop.set()
            chaos_thread.join(120)
            self.assertEqual(len(accepted), EXECUTIONS)
            self.assertEqual(len(set(accepted)), EXECUTIONS)

            deadline = time.time() + float(os.environ.get('ATIO_FAULTS_SETTLE_S', '300'))
            left = None
            while time.time() < deadline:
                left = int(run_sql(dirs[0], "SELECT count(*) FROM executions"
                                            " WHERE status IN ('pending','running')")[0][0])
                if left == 0:
                    break
                time.sleep(0.5)
            if left != 0:
                stuck = run_sql(dirs[0], "SELECT e.owner, e.status, count(*), coalesce(n.state, '-'),"
                                         " coalesce(n.heartbeat_at, 0) FROM executions e"
                                         " LEFT JOIN nodes n ON n.id = e.owner"
                                         " WHERE e.status IN ('pending','running')"
                                         " GROUP BY 1, 2, 4, 5")
                live = run_sql(dirs[0], "SELECT id, state, heartbeat_at FROM nodes")
                self.fail("executions still unfinished: %s\nnodes: %s\nnodes' output:\n%s" % (
                    stuck, live, "".join(l for n in nodes for l in n.output[-30:])))
            finished = time.time() - started
            rows = run_sql(dirs[0], "SELECT id, status FROM executions")
            statuses = collections.Counter(r[1] for r in rows)
            self.assertEqual(set(statuses), {"succeeded"}, statuses)
            stored = {r[0] for r in rows}
            self.assertTrue(set(accepted) <= stored, "an accepted execution is not stored")
            # Every node wrote audit records all along (each webhook call, each start):
            # they make one chain, checkpoints included.
            status, _, verdict = nodes[0].request("POST", "/api/v1/audit/verify")
            self.assertEqual(status, 200, verdict)
            self.assertTrue(verdict["ok"], verdict)
            audited = verdict.get("records")
        finally:
            stop.set()
            for n in nodes:
                n.kill()
            rx.shutdown()

        def why_missing(n, execution_id, path):
            """What the receiver and the journal say of an execution that did not call a step:
            calls whose n is no number sent (a variable lost on a takeover?) and its journal."""
            sent = set(str(x) for x in numbers)
            odd = {k: v for k, v in rx.seen.items() if k[0] not in sent}
            try:
                journal = run_sql(dirs[0], "SELECT seq, records FROM step_journal WHERE "
                                           "execution_id = '%s' ORDER BY seq" % execution_id)
            except RuntimeError as e:
                journal = str(e)
            return "execution n=%d (%s) never called %s; calls with another n: %s; " \
                   "its journal: %s" % (n, execution_id, path, odd, journal)

        # Every accepted execution called every step; none with two keys.
        repeated = 0
        for n, execution_id in numbers.items():
            for path in STEPS:
                keys = rx.seen.get((str(n), path))
                if not keys:
                    self.fail(why_missing(n, execution_id, path))
                self.assertTrue(all(keys), "a call without Idempotency-Key")
                self.assertEqual(len(set(keys)), 1,
                                 "n=%d %s repeated with another key: %s" % (n, path, keys))
                repeated += len(keys) - 1
        # Stored without an answer (a node killed mid-answer): their calls are keyed too.
        for (n, path), keys in rx.seen.items():
            self.assertEqual(len(set(keys)), 1, "n=%s %s: %s" % (n, path, keys))
        print("\ncluster faults: %d executions accepted in %.1f s, all finished after %.1f s, "
              "%d stored in all; %s; %d calls repeated with their key; audit chain of %s "
              "records verified" % (EXECUTIONS, fed, finished, len(stored), dict(stats), repeated,
                                    audited))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_cluster_faults.py /path/to/atio [executions] [unittest args]")
    ATIO = os.path.abspath(sys.argv.pop(1))
    if len(sys.argv) > 1 and sys.argv[1].isdigit():
        EXECUTIONS = int(sys.argv.pop(1))
    unittest.main(verbosity=2)
