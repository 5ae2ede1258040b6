#!/bin/sh
# The engine benchmark, in one run on this machine:
#   - the loopback limit: wrk against nginx alone (static 200 on :28080)
#   - atio running bench/playbook-10-step.json (Lua transforms and a parallel
#     fan-out of three http-api POSTs to the nginx sink on :28081), durable
#     SQLite, fed by wrk through a webhook in two phases:
#       closed loop: each sender waits for its execution's end (?wait=30):
#         executions/s and webhook-to-finished p50/p99 as the sender sees it
#       open: each sender gets 202 once the execution is stored and posts
#         again at once: accepted/s and executions ended/s under a backlog
#   - atio's idle RSS and its peak RSS under load
# Usage: bench/run.sh [SECONDS (default 20)] [CONCURRENCY (default 16)]
# Env: SYNC=full|normal (SQLite synchronous, default full), WORKERS (engine threads),
#      STORE=sqlite|postgresql (default sqlite; postgresql: a PostgreSQL 15 server of its own
#      on 127.0.0.1 started with scripts/pg-temp.sh, fsync on as in production).
set -eu
cd "$(dirname "$0")/.."
DURATION="${1:-20}"
CONC="${2:-16}"
SYNC="${SYNC:-full}"
STORE="${STORE:-sqlite}"
scripts/install-deps.sh --bench
ATIO_BUILD_DIR=build-bench ATIO_BUILD_TARGET=atio scripts/build.sh -DCMAKE_BUILD_TYPE=Release -DATIO_BUILD_TESTS=OFF >/dev/null
ATIO=build-bench/apps/atio/atio

WORK="$(mktemp -d /tmp/atio-bench.XXXXXX)"
chmod 755 "$WORK"  # the postgres user runs PostgreSQL's server when we are root
NGINX_PID=""; ATIO_PID=""; SAMPLER_PID=""
cleanup() {
  for p in $SAMPLER_PID $ATIO_PID $NGINX_PID; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -d "$WORK/pg" ] && scripts/pg-temp.sh destroy "$WORK/pg" >/dev/null 2>&1
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

# The store: the SQLite file in the data directory, or a PostgreSQL database.
STORE_ARGS=""
DB="$WORK/data/atio.db"
if [ "$STORE" = postgresql ]; then
  DB=$(scripts/pg-temp.sh start "$WORK/pg" | tail -1)
  # The benchmark measures a durable store: fsync as in production.
  psql -X -q -d "$DB" -c "ALTER SYSTEM SET fsync = on" -c "SELECT pg_reload_conf()" >/dev/null
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/master-key"
  chmod 600 "$WORK/master-key"
  STORE_ARGS="--store $DB --secret-key $WORK/master-key --audit-key $WORK/audit-key"
fi
sql() {  # sql TEXT: runs it on the store
  if [ "$STORE" = postgresql ]; then psql -X -q -A -t -d "$DB" -c "$1"; else sqlite3 "$DB" "$1"; fi
}

echo "== atio serve (store=$STORE, synchronous=$SYNC)"
mkdir -p "$WORK/data"
$ATIO serve --listen 127.0.0.1:0 --data "$WORK/data" --synchronous "$SYNC" $STORE_ARGS \
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

# Warm-up (not counted).
post() {  # post DURATION QUERY: wrk -cCONC POSTing the alert to the hook
  EVENT_FILE="$PWD/examples/suricata-alert.json" HOOK_TOKEN="$HOOK_TOKEN" \
    wrk -t1 -c"$CONC" -d"$1" -s bench/post_event.lua "$API/hooks/$HOOK_ID$2"
}
drain() {  # waits until no execution is left running
  for _ in $(seq 1 600); do
    [ "$(sql "SELECT count(*) FROM executions WHERE status IN ('pending','running')")" = "0" ] && return
    sleep 0.1
  done
}
post 2s "" >/dev/null
drain

PEAK=0
io_written() { awk '/^write_bytes/ {print $2}' "/proc/$1/io"; }
( while kill -0 "$ATIO_PID" 2>/dev/null; do rss_kb "$ATIO_PID"; sleep 0.2; done ) >"$WORK/rss.txt" &
SAMPLER_PID=$!

# Phase 1, closed loop: each of CONC senders posts an alert with ?wait=30 and
# gets the answer when its execution has ended (durably), then posts the next.
# wrk's latency is webhook-to-finished as the sender sees it.
sql "DELETE FROM step_journal; DELETE FROM executions;" >/dev/null
echo "== closed loop: wrk -c$CONC POSTing a Suricata alert with ?wait=30 (${DURATION}s)"
WRITTEN0=$(io_written "$ATIO_PID")
post "${DURATION}s" "?wait=30" | tee "$WORK/wrk-wait.txt" | grep -E "RESULT|Non-2xx" || true
drain
WRITTEN=$(( $(io_written "$ATIO_PID") - WRITTEN0 ))
STATS_WAIT=$(python3 bench/stats.py "$DB")
echo "$STATS_WAIT"

# Phase 2, open: the senders get 202 as soon as the execution is stored and
# post again at once, so a backlog builds up; executions/s counts the ends.
sql "DELETE FROM step_journal; DELETE FROM executions;" >/dev/null
echo "== open: wrk -c$CONC POSTing a Suricata alert, 202 on storing (${DURATION}s)"
post "${DURATION}s" "" | tee "$WORK/wrk-open.txt" | grep -E "RESULT|Non-2xx" || true
drain
STATS_OPEN=$(python3 bench/stats.py "$DB")
echo "$STATS_OPEN"

kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
PEAK=$(sort -n "$WORK/rss.txt" | tail -1)
SINK=$(curl -fsS http://127.0.0.1:28081/status | awk 'NR==3 {print $3}')

field() { echo "$1" | sed -n "s/.*$2=\([0-9.]*\).*/\1/p" | head -1; }
WAIT_RESULT=$(grep RESULT "$WORK/wrk-wait.txt" || true)
W_RPS=$(field "$WAIT_RESULT" rps); W_P50=$(field "$WAIT_RESULT" p50_ms); W_P99=$(field "$WAIT_RESULT" p99_ms)
W_NOT200=$(field "$WAIT_RESULT" not200)
W_EXECS=$(field "$STATS_WAIT" executions); W_OK=$(field "$STATS_WAIT" succeeded)
O_EXEC_S=$(field "$STATS_OPEN" exec_per_s); O_ACCEPT=$(field "$(grep RESULT "$WORK/wrk-open.txt")" rps)
echo
echo "== figures (2 cores shared by wrk, atio and nginx; store=$STORE; synchronous=$SYNC; c$CONC; ${DURATION}s per phase)"
printf "%-46s %s\n" "loopback limit (nginx static 200)" "$LIMIT req/s"
printf "%-46s %s\n" "closed loop: executions/s (10-step playbook)" "$W_RPS /s  (16 in flight: 16 / latency)"
printf "%-46s %s\n" "closed loop: webhook-to-finished p50 / p99" "$W_P50 ms / $W_P99 ms  (aim p99 < 20 ms)"
printf "%-46s %s\n" "closed loop: answers not 200 (not ended)" "$W_NOT200; executions stored $W_EXECS, succeeded $W_OK"
printf "%-46s %s\n" "open: accepted/s, executions ended/s" "$O_ACCEPT /s, $O_EXEC_S /s  (aim >= 4000 ended/s)"
printf "%-46s %s\n" "  atio's calls to the sink (3 per execution)" "$(python3 -c "print(round($O_EXEC_S*3))") req/s = $(python3 -c "print(round(100*$O_EXEC_S*3/float('$LIMIT'),1))")% of the loopback limit"
printf "%-46s %s\n" "RSS idle / peak under load" "$((IDLE_RSS / 1024)) MB / $((PEAK / 1024)) MB  (aim idle < 30 MB)"
if [ "$STORE" = postgresql ]; then
  printf "%-46s %s\n" "bytes written to disk per execution" "(by PostgreSQL's server, not measured here)"
else
  printf "%-46s %s\n" "bytes written to disk per execution" "$(( WRITTEN / (W_EXECS > 0 ? W_EXECS : 1) )) B (WAL and database, closed loop)"
fi
printf "%-46s %s\n" "sink requests served by nginx (total)" "$SINK"
