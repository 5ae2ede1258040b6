#!/usr/bin/env python3
"""Prints execution figures from an atio store after a benchmark run.

Usage: stats.py DB [--since-ms T]
DB: the SQLite file, or the PostgreSQL database's postgresql:// URL (read with psql).
Latency of an execution = finished_at - created_at (created when the webhook
request was accepted, finished when its end was durably journaled).
"""
import json
import sqlite3
import subprocess
import sys


def query(db, sql):
    """Every row of `sql` on the store `db`: tuples, numbers as ints."""
    if not db.startswith("postgresql://"):
        return sqlite3.connect(db).execute(sql).fetchall()
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-d", db, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.split("\n"):
        if line:
            rows.append(tuple(int(v) if v.lstrip("-").isdigit() else v
                              for v in line.split("\x1f")))
    return rows


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def main():
    db = sys.argv[1]
    rows = query(db, "SELECT status, created_at, finished_at FROM executions")
    by_status = {}
    for status, _, _ in rows:
        by_status[status] = by_status.get(status, 0) + 1
    done = [(c, f) for s, c, f in rows if s == "succeeded"]
    lat = sorted(f - c for c, f in done)
    first = min(c for c, _ in done) if done else 0
    last = max(f for _, f in done) if done else 0
    span_s = max((last - first) / 1000.0, 1e-9)
    # The journal: one row per execution per commit, its step records as a
    # JSON array; a step's latest record is its state.
    latest = {}
    for execution_id, records in query(
            db, "SELECT execution_id, records FROM step_journal ORDER BY seq"):
        for r in json.loads(records):
            latest[(execution_id, r["key"])] = r["status"]
    steps = len(latest)
    failed_steps = sum(1 for s in latest.values() if s == "failed")
    print("executions=%d succeeded=%d other=%s steps=%d failed_steps=%d" %
          (len(rows), len(done), {k: v for k, v in by_status.items() if k != "succeeded"},
           steps, failed_steps))
    print("RESULT exec_per_s=%.0f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f" %
          (len(done) / span_s, percentile(lat, 50), percentile(lat, 99),
           lat[-1] if lat else float("nan")))


if __name__ == "__main__":
    main()
