"""Use case 3 for use_cases_bench.py: an insider deletes a protected playbook
straight from the database (sqlite3, past atio's API and its audit log). The
workflow monitor sees the deletion and opens a case (MTTD = seen - deleted),
atio restores the playbook by itself (the response: MTTR), and the automated
analyst acknowledges the case (MTTA)."""
import os
import sqlite3
import time

from test_api import lua_playbook  # tests/integration


def uc3(bench, repeats, record):
    db = os.path.join(bench.data, "atio", "atio.db")
    rows = []
    commit_ms = []  # the insider's own statement and commit
    for i in range(repeats):
        # A playbook of its own each time: a second deletion of the same
        # playbook while its case is open updates that case (correlation).
        doc = lua_playbook()
        doc["name"] = "uc3 bench %d" % i
        st, _, body = bench.req("POST", "/api/v1/playbooks", doc)
        assert st == 201, body
        st, _, body = bench.req("PUT", "/api/v1/playbooks/%s/protection" % doc["id"])
        assert st == 200, body
        conn = sqlite3.connect(db, timeout=30)
        # The insider's connection leaves checkpoints of the write-ahead log
        # to atio (else its commit may copy everything uc1 and uc2 wrote into
        # the database first, and MTTD would measure that).
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        t0 = time.time()
        conn.execute("DELETE FROM playbooks WHERE id = ?", (doc["id"],))
        conn.commit()
        commit_ms.append((time.time() - t0) * 1000)
        conn.close()
        title = "Playbook %s deleted by " % doc["name"]
        deadline = time.time() + 30
        case_id = None
        while case_id is None:
            assert time.time() < deadline, "no case for the deletion of " + doc["id"]
            st, _, page = bench.req("GET", "/api/v1/cases?limit=20")
            assert st == 200, page
            case_id = next((c["id"] for c in page["cases"] if c["title"].startswith(title)), None)
            if case_id is None:
                time.sleep(0.002)
        (case,) = bench.finished_cases([case_id])
        record(rows, [case], case["occurred_at_ms"])
    if commit_ms:
        commit_ms.sort()
        print("uc3: the insider's DELETE and commit took p50 %.1f ms, max %.1f ms (in MTTD: the "
              "deletion's time is taken when its statement runs)"
              % (commit_ms[len(commit_ms) // 2], commit_ms[-1]))
    return rows
