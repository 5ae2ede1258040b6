#!/bin/sh
# What auditing costs, in one run on this machine:
#   - at the store, where the cost is: THREADS writers each making WRITES
#     asset changes, without and then with the audit record the API puts in
#     the same batch (hash-chained, durable: synchronous=full, group commit);
#     auditing cannot be switched off in atio (no record, no change), so the
#     "without" figure exists only here;
#   - through the API: audited changes per second (PUT /api/v1/assets/{id}
#     with wrk, CONC connections) beside reads of the same asset.
# Usage: bench/audit_cost.sh [THREADS (8)] [WRITES (500)] [SECONDS (10)] [CONC (8)]
set -eu
cd "$(dirname "$0")/.."
THREADS="${1:-8}"; WRITES="${2:-500}"; SECONDS_="${3:-10}"; CONC="${4:-8}"
scripts/install-deps.sh --bench >/dev/null
ATIO_BUILD_DIR=build-bench ATIO_BUILD_TARGET=atio scripts/build.sh -DCMAKE_BUILD_TYPE=Release -DATIO_BUILD_TESTS=OFF >/dev/null
ATIO=build-bench/apps/atio/atio
WORK="$(mktemp -d /tmp/atio-audit-bench.XXXXXX)"
ATIO_PID=""
cleanup() { [ -n "$ATIO_PID" ] && kill "$ATIO_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

L=build-bench/src/atio
g++ -O2 -std=c++20 -DBOOST_JSON_NO_LIB -Isrc bench/audit/audit_cost.cc \
  $L/store/libatio_store.a $L/playbook/libatio_cacao.a $L/playbook/libatio_expr.a \
  $L/cti/libatio_stix.a $L/core/libatio_core.a -lsqlite3 -lsodium -lboost_json -lpthread \
  -o "$WORK/audit_cost"
echo "== at the store: $THREADS writers x $WRITES asset changes, synchronous=full"
"$WORK/audit_cost" "$WORK" "$THREADS" "$WRITES"

echo "== through the API: wrk -c$CONC for ${SECONDS_}s against atio serve (synchronous=full)"
"$ATIO" serve --listen 127.0.0.1:0 --data "$WORK/data" > "$WORK/atio.log" 2>&1 &
ATIO_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/atio.log" && break; sleep 0.1; done
PORT=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/atio.log")
KEY=$(cat "$WORK/data/admin-key")
curl -sf -X PUT -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"id":"00000000-0000-4000-8000-000000000001","name":"web server","ips":["10.0.0.1"]}' \
  "http://127.0.0.1:$PORT/api/v1/assets/00000000-0000-4000-8000-000000000001" >/dev/null
printf "audited changes (PUT /assets/{id}):  "
ATIO_KEY="$KEY" wrk -t2 -c"$CONC" -d"${SECONDS_}s" -s bench/audit/put_asset.lua \
  "http://127.0.0.1:$PORT" > "$WORK/put.txt"
if grep -q "Non-2xx" "$WORK/put.txt"; then
  echo "the PUTs were refused:"; cat "$WORK/put.txt"; exit 1
fi
awk '/Requests\/sec/ {print $2 " requests/s"}' "$WORK/put.txt"
printf "reads (GET /assets/{id}, not audited): "
wrk -t2 -c"$CONC" -d"${SECONDS_}s" -H "Authorization: Bearer $KEY" \
  "http://127.0.0.1:$PORT/api/v1/assets/00000000-0000-4000-8000-000000000001" | awk '/Requests\/sec/ {print $2 " requests/s"}'
AUDITED=$(curl -sf -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/api/v1/audit/head" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
echo "   ($AUDITED audit records written, each in the transaction of its change)"
