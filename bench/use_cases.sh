#!/bin/sh
# The three use cases end to end against a real `atio serve`, their MTTD,
# MTTA and MTTR (p50/p99 over every case) beside the reference system's
# table (docs/use-cases.md):
#   use case 1: the corpus GVM report (findings over three hosts) on a
#     webhook -> STIX -> enrichment -> IRIS alert per host and a MISP event
#     (local receivers over HTTPS) -> a case per finding;
#   use case 2: corpus Suricata alerts on a webhook -> STIX -> enrichment ->
#     MISP and IRIS -> a case per alert;
#   use case 3: a protected playbook deleted with sqlite3 -> the workflow
#     monitor's case, atio's own restore as the response;
# with an automated analyst acknowledging every new case through the API.
# Usage: bench/use_cases.sh [UC1_SCANS (20)] [UC2_ALERTS (200)] [UC3_DELETIONS (50)]
# Env: ATIO (binary; default: build it under build-bench).
set -eu
cd "$(dirname "$0")/.."
if [ -z "${ATIO:-}" ]; then
  ATIO_BUILD_DIR=build-bench ATIO_BUILD_TARGET=atio scripts/build.sh -DCMAKE_BUILD_TYPE=Release -DATIO_BUILD_TESTS=OFF >/dev/null
  ATIO=build-bench/apps/atio/atio
fi
exec /usr/bin/python3 bench/use_cases/use_cases_bench.py "$ATIO" "${1:-20}" "${2:-200}" "${3:-50}"
