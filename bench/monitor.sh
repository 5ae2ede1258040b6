#!/bin/sh
# The workflow monitor's figures, against a real `atio serve`:
#   - deletion -> notification: 1,000 playbooks deleted one after another
#     through the API; each notification received by a local webhook
#     receiver; p50/p99 from the request (and from the database's commit of
#     the deletion, the event's time) to its arrival;
#   - deletion -> restored: a protected playbook deleted with the sqlite3
#     command, ROUNDS times; atio's own measure (deletion statement to the
#     restoring statement, the event's recovery_ms) and what a client sees
#     (sqlite3 returned -> GET answers 200 again);
#   - `atio audit verify` on 1,000,000 records (written straight into the
#     store with the documented canonical form and Python's hashlib).
# Usage: bench/monitor.sh [DELETIONS (1000)] [ROUNDS (50)] [AUDIT_RECORDS (1000000)]
# Env: ATIO (binary; default: build it under build-bench), SYNC=full|normal.
set -eu
cd "$(dirname "$0")/.."
if [ -z "${ATIO:-}" ]; then
  ATIO_BUILD_DIR=build-bench ATIO_BUILD_TARGET=atio scripts/build.sh -DCMAKE_BUILD_TYPE=Release -DATIO_BUILD_TESTS=OFF >/dev/null
  ATIO=build-bench/apps/atio/atio
fi
exec python3 bench/monitor/monitor_bench.py "$ATIO" "${1:-1000}" "${2:-50}" "${3:-1000000}" "${SYNC:-full}"
