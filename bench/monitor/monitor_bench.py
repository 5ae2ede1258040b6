#!/usr/bin/env python3
"""bench/monitor.sh's measurements (see there). Python 3 stdlib; 127.0.0.1 only."""
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "integration"))
from atio_process import AtioServer  # noqa: E402
from monitor_support import WebhookReceiver  # noqa: E402
from test_api import lua_playbook  # noqa: E402


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def summary(name, values):
    print("%-52s p50 %7.1f ms   p99 %7.1f ms   max %7.1f ms   (n=%d)"
          % (name, pct(values, 50), pct(values, 99), max(values), len(values)))


def deletion_events(hooks, since):
    return {e["id"]: (t, e) for t, p, _, body in list(hooks.received) if t >= since
            for e in body["notification"]["DeletionEvents"]}


def create_batch(server, count):
    ids = []
    for _ in range(count):
        doc = lua_playbook()
        st, _, body = server.request("POST", "/api/v1/playbooks", doc)
        assert st == 201, body
        ids.append(doc["id"])
    time.sleep(0.3)
    return ids


def bench_notifications(server, hooks, n, batch=50):
    # Playbooks are created in batches of `batch` and deleted one by one, so
    # the store holds a realistic few dozen playbooks (each notification
    # carries every playbook in workflow_data).
    from_request, from_commit = [], []
    ids = []
    while len(from_request) < n:
        if not ids:
            ids = create_batch(server, min(batch, n - len(from_request)))
        pid = ids.pop()
        t0 = time.time()
        st, _, body = server.request("DELETE", "/api/v1/playbooks/" + pid)
        assert st == 204, body
        seen = {}
        ok = hooks.wait_for(lambda: pid in (seen.update(deletion_events(hooks, t0)) or seen), 10)
        assert ok, "no notification for " + pid
        arrived, event = seen[pid]
        from_request.append((arrived - t0) * 1000)
        from_commit.append(arrived * 1000 - event["time_ms"])
    print("deletion -> notification (%d deletions through the API, webhook receiver,"
          " at most %d playbooks stored):" % (n, batch))
    summary("  from the DELETE request", from_request)
    summary("  from the deletion in the database (event time)", from_commit)


def newest_event_seq(server):
    after = 0
    while True:
        st, _, page = server.request("GET", "/api/v1/monitor/events?limit=1000&after=%d" % after)
        if page["events"]:
            after = page["events"][-1]["seq"]
        if page["next"] is None:
            return after


def bench_recovery(server, db, rounds):
    doc = lua_playbook()
    pid = doc["id"]
    st, _, body = server.request("POST", "/api/v1/playbooks", doc)
    assert st == 201, body
    st, _, body = server.request("PUT", "/api/v1/playbooks/%s/protection" % pid)
    assert st == 200, body
    time.sleep(0.5)
    seen_by_client, recovery_ms = [], []
    for _ in range(rounds):
        before = newest_event_seq(server)
        subprocess.run(["sqlite3", db, "DELETE FROM playbooks WHERE id = '%s';" % pid], check=True)
        t0 = time.time()
        deadline = t0 + 10
        while time.time() < deadline:
            st, _, _ = server.request("GET", "/api/v1/playbooks/" + pid)
            if st == 200:
                break
        assert st == 200, "not restored"
        seen_by_client.append((time.time() - t0) * 1000)
        # atio's own figure, from the restoration's creation event.
        deadline = time.time() + 10
        found = None
        while found is None and time.time() < deadline:
            st, _, page = server.request("GET", "/api/v1/monitor/events?limit=1000&after=%d" % before)
            for n in page["events"]:
                for e in n["notification"]["CreationEvents"]:
                    if e["id"] == pid and "recovery" in e:
                        found = e["recovery"]["recovery_ms"]
            time.sleep(0.01)
        assert found is not None
        recovery_ms.append(found)
        time.sleep(0.05)
    print("deletion -> restored (protected playbook deleted with sqlite3, %d rounds):" % rounds)
    summary("  deletion statement -> restoring statement (atio)", recovery_ms)
    summary("  sqlite3 returned -> GET answers 200 (client)", seen_by_client)


def ns(s):
    b = s.encode()
    return str(len(b)).encode() + b":" + b + b","


def bench_verify(atio, tmp, count):
    data = os.path.join(tmp, "verify")
    server = AtioServer(atio, data).start()
    server.terminate()
    db = os.path.join(data, "atio.db")
    conn = sqlite3.connect(db)
    seq, prev = conn.execute("SELECT COALESCE(MAX(seq), 0), COALESCE((SELECT hash FROM audit"
                             " ORDER BY seq DESC LIMIT 1), ?) FROM audit", ("0" * 64,)).fetchone()
    conn.execute("DELETE FROM audit_checkpoints")  # signed by the server's key; none for the rest
    t0 = time.time()
    rows = []
    now = int(time.time() * 1000)
    for i in range(count):
        seq += 1
        r = [str(seq), str(now + i), "key-1", "key", "admin", "admin", "127.0.0.1", "bench/1.0",
             "playbook.update", "playbook", "playbook--%08d" % (i % 1000), "success",
             '{"name":"bench","n":%d}' % i, prev]
        h = hashlib.sha256(b"atio-audit-v1\n" + b"".join(ns(f) for f in r)).hexdigest()
        rows.append((seq, now + i, r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
                     r[12], prev, h))
        prev = h
        if len(rows) == 50000:
            conn.executemany("INSERT INTO audit VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            rows = []
    conn.executemany("INSERT INTO audit VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    conn.close()
    made = time.time() - t0
    key = os.path.join(data, "atio.db.audit-key")
    t0 = time.time()
    out = subprocess.run([atio, "audit", "verify", "--store", db, "--key", key],
                         capture_output=True, text=True)
    took = time.time() - t0
    print("atio audit verify on %d records: %.2f s (%.2f us per record; exit %d; generating them"
          " took %.1f s)" % (seq, took, took / seq * 1e6, out.returncode, made))
    if out.returncode != 0:
        print(out.stdout + out.stderr)


def main():
    atio, deletions, rounds, records, sync = (sys.argv[1], int(sys.argv[2]), int(sys.argv[3]),
                                              int(sys.argv[4]), sys.argv[5])
    tmp = tempfile.mkdtemp(prefix="atio-monitor-bench-")
    hooks = WebhookReceiver()
    server = AtioServer(atio, os.path.join(tmp, "data"),
                        ["--monitor-webhook", hooks.url("/hook")], synchronous=sync).start()
    try:
        print("atio %s, SQLite synchronous=%s, monitor poll 20 ms (API writes signal at once)"
              % (atio, sync))
        bench_notifications(server, hooks, deletions)
        bench_recovery(server, os.path.join(tmp, "data", "atio.db"), rounds)
    finally:
        server.kill()
        hooks.close()
    try:
        bench_verify(atio, tmp, records)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
