#!/bin/sh
# The engine benchmark, in one run on this machine:
#   - the loopback limit: wrk against nginx alone (static 200 on :28080)
#   - atio: webhook-to-finished latency (p50, p99) and executions per second
#     of bench/playbook-10-step.json (Lua transforms and a parallel fan-out of
#     three http-api POSTs to the nginx sink on :28081), durable SQLite
#   - atio's idle RSS and its peak RSS under load
# Usage: bench/run.sh [SECONDS (default 20)] [CONCURRENCY (default 16)]
# Env: SYNC=full|normal (SQLite synchronous, default full), WORKERS (engine threads).
set -eu
cd "$(dirname "$0")/.."
DURATION="${1:-20}"
CONC="${2:-16}"
SYNC="${SYNC:-full}"
scripts/install-deps.sh --bench
ATIO_BUILD_DIR=build-bench ATIO_BUILD_TARGET=atio scripts/build.sh -DCMAKE_BUILD_TYPE=Release -DATIO_BUILD_TESTS=OFF >/dev/null
ATIO=build-bench/apps/atio/atio

WORK="$(mktemp -d /tmp/atio-bench.XXXXXX)"
NGINX_PID=""; ATIO_PID=""; SAMPLER_PID=""
cleanup() {
  for p in $SAMPLER_PID $ATIO_PID $NGINX_PID; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  grep STAT "$WORK/atio.log" | tail -12 > /tmp/stat.txt; rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# nginx: the sink and the loopback limit
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
nginx -p "$WORK/nginx" -c "$PWD/bench/nginx.conf" &
NGINX_PID=$!
sleep 0.5

echo "== loopback limit: wrk -c$CONC against nginx alone (${DURATION}s)"
LIMIT=$(wrk -t2 -c"$CONC" -d"${DURATION}s" --latency http://127.0.0.1:28080/ | awk '/Requests\/sec/ {print $2}')
echo "nginx: $LIMIT requests/s"

echo "== atio serve (synchronous=$SYNC)"
mkdir -p "$WORK/data"
$ATIO serve --listen 127.0.0.1:0 --data "$WORK/data" --synchronous "$SYNC" \
  ${WORKERS:+--workers "$WORKERS"} >"$WORK/atio.log" 2>&1 &
ATIO_PID=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$WORK/atio.log" 2>/dev/null && break
  sleep 0.1
done
PORT=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' "$WORK/atio.log" | head -1)
KEY=$(cat "$WORK/data/admin-key")
API="http://127.0.0.1:$PORT/api/v1"
curl -fsS -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \
  --data-binary @bench/playbook-10-step.json "$API/playbooks" >/dev/null
PLAYBOOK_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' bench/playbook-10-step.json)
HOOK=$(curl -fsS -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \
  -d "{\"playbook_id\":\"$PLAYBOOK_ID\",\"auth\":\"token\",\"name\":\"bench\"}" "$API/hooks")
HOOK_ID=$(echo "$HOOK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hook_id"])')
HOOK_TOKEN=$(echo "$HOOK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
sleep 1
IDLE_RSS=$(rss_kb "$ATIO_PID")

# Warm-up (not counted), then the measured run on a fresh count.
EVENT_FILE="$PWD/examples/suricata-alert.json" HOOK_TOKEN="$HOOK_TOKEN" \
  wrk -t1 -c"$CONC" -d2s -s bench/post_event.lua "$API/hooks/$HOOK_ID" >/dev/null
for _ in $(seq 1 300); do
  [ "$(curl -fsS -H "Authorization: Bearer $KEY" "$API/executions?status=running&limit=1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d.get("executions", d if isinstance(d, list) else [])))')" = "0" ] && break
  sleep 0.2
done
sqlite3 "$WORK/data/atio.db" "DELETE FROM step_journal; DELETE FROM executions;"

PEAK=0
io_written() { awk '/^write_bytes/ {print $2}' "/proc/$1/io"; }
WRITTEN0=$(io_written "$ATIO_PID")
( while kill -0 "$ATIO_PID" 2>/dev/null; do rss_kb "$ATIO_PID"; sleep 0.2; done ) >"$WORK/rss.txt" &
SAMPLER_PID=$!
echo "== load: wrk -c$CONC POSTing a Suricata alert to the webhook (${DURATION}s)"
EVENT_FILE="$PWD/examples/suricata-alert.json" HOOK_TOKEN="$HOOK_TOKEN" \
  wrk -t1 -c"$CONC" -d"${DURATION}s" -s bench/post_event.lua "$API/hooks/$HOOK_ID" | tee "$WORK/wrk.txt" | grep -E "RESULT|Non-2xx" || true
# Let the last executions finish.
for _ in $(seq 1 600); do
  LEFT=$(sqlite3 "$WORK/data/atio.db" "SELECT count(*) FROM executions WHERE status IN ('pending','running')")
  [ "$LEFT" = "0" ] && break
  sleep 0.1
done
WRITTEN=$(( $(io_written "$ATIO_PID") - WRITTEN0 ))
kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
PEAK=$(sort -n "$WORK/rss.txt" | tail -1)
STATS=$(python3 bench/stats.py "$WORK/data/atio.db")
echo "$STATS"
SINK=$(curl -fsS http://127.0.0.1:28081/status | awk 'NR==3 {print $3}')

EXEC_S=$(echo "$STATS" | sed -n 's/.*exec_per_s=\([0-9.]*\).*/\1/p')
P50=$(echo "$STATS" | sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p')
P99=$(echo "$STATS" | sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p')
echo
echo "== figures (2 cores shared by wrk, atio and nginx; synchronous=$SYNC; c$CONC; ${DURATION}s)"
printf "%-44s %s\n" "loopback limit (nginx static 200)" "$LIMIT req/s"
printf "%-44s %s\n" "atio executions/s (10-step playbook)" "$EXEC_S /s  (aim >= 4000)"
printf "%-44s %s\n" "  atio's calls to the sink (3 per execution)" "$(python3 -c "print(round($EXEC_S*3))") req/s = $(python3 -c "print(round(100*$EXEC_S*3/float('$LIMIT'),1))")% of the loopback limit"
printf "%-44s %s\n" "webhook-to-finished p50 / p99" "$P50 ms / $P99 ms  (aim p99 < 20 ms)"
printf "%-44s %s\n" "RSS idle / peak under load" "$((IDLE_RSS / 1024)) MB / $((PEAK / 1024)) MB  (aim idle < 30 MB)"
EXECS=$(echo "$STATS" | sed -n 's/^executions=\([0-9]*\).*/\1/p')
printf "%-44s %s\n" "bytes written to disk per execution" "$(( WRITTEN / (EXECS > 0 ? EXECS : 1) )) B (WAL and database)"
printf "%-44s %s\n" "sink requests served by nginx (total)" "$SINK"
