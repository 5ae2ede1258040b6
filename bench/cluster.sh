#!/bin/sh
# The cluster benchmark (issue: many nodes): executions/s and webhook-to-finished p50/p99
# with 1, 2 and 3 nodes on PostgreSQL beside one node on SQLite, the takeover time after
# kill -9 of a node, the idle-cluster start latency, a manual answer's round trip through
# another node and what an idle cluster costs; see bench/cluster.py.
# Usage: bench/cluster.sh [SECONDS per throughput phase (default 10)] [CONCURRENCY (default 16)]
# Env: ATIO=path/to/atio to measure a binary already built (default: a Release build made here).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh --bench
if [ -z "${ATIO:-}" ]; then
  ATIO_BUILD_DIR=build-bench ATIO_BUILD_TARGET=atio scripts/build.sh -DCMAKE_BUILD_TYPE=Release \
    -DATIO_BUILD_TESTS=OFF >/dev/null
  ATIO=build-bench/apps/atio/atio
fi
exec python3 bench/cluster.py "$ATIO" "${1:-10}" "${2:-16}"
