#!/usr/bin/env python3
"""The cluster benchmark (bench/cluster.sh runs it with a Release build), in one run:

1. Executions/s and webhook-to-finished p50/p99 of the 10-step playbook (bench/run.sh's,
   Lua and three http-api POSTs to an nginx sink) with 1, 2 and 3 nodes on PostgreSQL beside
   one node on SQLite, each fed by wrk's closed loop (?wait=30, CONCURRENCY senders) through
   the same nginx load balancer (so every figure pays the same proxy hop).
2. Takeover time after kill -9 of a node: an execution waits for a person on node A; A is
   killed; the time until node B lists the step waiting again, from the kill and from the
   end of A's lease (its last heartbeat + the lease), with the default 10 s lease.
3. Idle-cluster start latency: single webhooks to an idle cluster of three nodes, from the
   moment the sender posts to the start of the execution's first step (same machine's clock).
4. A manual answer's round trip posted to the node that runs the execution and to another
   node (which hands it over as a signal and answers with the result).
5. What an idle cluster of three nodes costs: commits/s in its database, CPU of the nodes and
   of PostgreSQL.

Usage: cluster.py ATIO_BINARY [SECONDS] [CONCURRENCY]
Env: ATIO_BENCH_SKIP_THROUGHPUT=1 measures all but the throughput (1).
"""
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ATIO = os.path.abspath(sys.argv[1])
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 10
CONC = int(sys.argv[3]) if len(sys.argv) > 3 else 16
LB_PORT = 28090
LEASE_MS = 10000  # atio serve's default
WORK = tempfile.mkdtemp(prefix="atio-cluster-bench-")
os.chmod(WORK, 0o755)  # the postgres user runs PostgreSQL's server when we are root
PLAYBOOK = json.load(open(os.path.join(REPO, "bench", "playbook-10-step.json")))
procs = []


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def start_nginx(conf, name):
    prefix = os.path.join(WORK, name)
    os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
    os.makedirs(os.path.join(prefix, "tmp"), exist_ok=True)
    p = subprocess.Popen(["nginx", "-p", prefix, "-c", conf])
    procs.append(p)
    time.sleep(0.5)
    return p


def balancer(ports):
    """nginx on LB_PORT spreading requests over the nodes (round robin, kept-alive)."""
    conf = os.path.join(WORK, "lb-%d.conf" % len(ports))
    servers = "".join("server 127.0.0.1:%d;" % p for p in ports)
    with open(conf, "w") as f:
        f.write("worker_processes 1; daemon off; pid logs/nginx.pid; error_log logs/error.log warn;"
                "events { worker_connections 4096; }"
                "http { access_log off; client_body_temp_path tmp/body; proxy_temp_path tmp/proxy;"
                "fastcgi_temp_path tmp/fastcgi; uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;"
                "upstream atio { %s keepalive 64; }"
                "server { listen 127.0.0.1:%d backlog=4096; location / { proxy_pass http://atio;"
                " proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_read_timeout 60s; } } }"
                % (servers, LB_PORT))
    return start_nginx(conf, "lb-%d" % len(ports))


class Node:
    def __init__(self, data, store_args):
        os.makedirs(data, exist_ok=True)
        self.data = data
        self.log = open(os.path.join(data, "atio.log"), "w+")
        self.proc = subprocess.Popen([ATIO, "serve", "--listen", "127.0.0.1:0", "--data", data,
                                      "--synchronous", "full", "--ui-dir", "none"] + store_args,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        procs.append(self.proc)
        self.port = None
        for _ in range(300):
            with open(self.log.name) as f:
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", f.read())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.05)
        if not self.port:
            raise RuntimeError("atio did not start:\n" + open(self.log.name).read())

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(60)


def call(port, method, path, key, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request("http://127.0.0.1:%d/api/v1%s" % (port, path), data=data,
                                 method=method, headers={"Authorization": "Bearer " + key,
                                                         "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


PG_URL = None
DBS = [0]


def pg_cluster(n, extra=()):
    """n nodes on a new PostgreSQL database; the first one's admin key."""
    DBS[0] += 1
    name = "bench_%d" % DBS[0]
    sh("psql", "-X", "-q", "-d", PG_URL, "-c", "CREATE DATABASE " + name)
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    keys = os.path.join(WORK, name)
    os.makedirs(keys)
    master = os.path.join(keys, "master-key")
    with open(master, "w") as f:
        f.write(os.urandom(32).hex())
    os.chmod(master, 0o600)
    args = ["--store", url, "--secret-key", master, "--audit-key", os.path.join(keys, "audit-key")]
    nodes = [Node(os.path.join(keys, "n%d" % i), args + list(extra)) for i in range(n)]
    key = open(os.path.join(nodes[0].data, "admin-key")).read().strip()
    return nodes, key, url


def sqlite_node():
    DBS[0] += 1
    d = os.path.join(WORK, "sqlite-%d" % DBS[0])
    node = Node(d, [])
    return [node], open(os.path.join(d, "admin-key")).read().strip()


def hook_for(node, key):
    st, body = call(node.port, "POST", "/playbooks", key, PLAYBOOK)
    assert st == 201, body
    st, hook = call(node.port, "POST", "/hooks", key,
                    {"playbook_id": PLAYBOOK["id"], "auth": "token", "name": "bench"})
    assert st == 201, hook
    return hook


def wrk(hook, seconds, query):
    env = dict(os.environ, EVENT_FILE=os.path.join(REPO, "examples", "suricata-alert.json"),
               HOOK_TOKEN=hook["token"])
    out = subprocess.run(["wrk", "-t1", "-c%d" % CONC, "-d%ds" % seconds, "-s",
                          os.path.join(REPO, "bench", "post_event.lua"),
                          "http://127.0.0.1:%d/api/v1/hooks/%s%s" % (LB_PORT, hook["hook_id"], query)],
                         env=env, capture_output=True, text=True, check=True).stdout
    line = [l for l in out.splitlines() if l.startswith("RESULT")][0]
    return dict((k, float(v)) for k, v in re.findall(r"(\w+)=([0-9.]+)", line))


def throughput(label, nodes, key):
    hook = hook_for(nodes[0], key)
    lb = balancer([n.port for n in nodes])
    wrk(hook, 2, "?wait=30")  # warm-up
    r = wrk(hook, SECONDS, "?wait=30")
    lb.terminate()
    lb.wait()
    for n in nodes:
        n.stop()
    print("%-22s %8.0f /s   p50 %6.1f ms   p99 %6.1f ms   not ended in time: %d"
          % (label, r["rps"], r["p50_ms"], r["p99_ms"], r["not200"]), flush=True)
    return r


MANUAL = {
    "type": "playbook", "spec_version": "cacao-2.0",
    "id": "playbook--6f1d1bde-8d61-4a8f-8e46-0c7a1c2f0a11", "name": "takeover bench",
    "created_by": "identity--6f1d1bde-8d61-4a8f-8e46-0c7a1c2f0a12",
    "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
    "workflow_start": "start--6f1d1bde-8d61-4a8f-8e46-0c7a1c2f0a13",
    "agent_definitions": {"individual--6f1d1bde-8d61-4a8f-8e46-0c7a1c2f0a16": {
        "type": "individual", "name": "the analyst on duty"}},
    "workflow": {
        "start--6f1d1bde-8d61-4a8f-8e46-0c7a1c2f0a13": {
            "type": "start", "on_completion": "action--6f1d1bde-8d61-4a8f-8e46-0c7a1c2f0a14"},
        "action--6f1d1bde-8d61-4a8f-8e46-0c7a1c2f0a14": {
            "type": "action", "name": "approve",
            "agent": "individual--6f1d1bde-8d61-4a8f-8e46-0c7a1c2f0a16",
            "commands": [{"type": "manual", "command": "Approve the response"}],
            "on_completion": "end--6f1d1bde-8d61-4a8f-8e46-0c7a1c2f0a15"},
        "end--6f1d1bde-8d61-4a8f-8e46-0c7a1c2f0a15": {"type": "end"}}}


def takeover_once():
    nodes, key, url = pg_cluster(2)
    a, b = nodes
    st, body = call(a.port, "POST", "/playbooks", key, MANUAL)
    assert st == 201, body
    st, body = call(a.port, "POST", "/playbooks/%s/executions" % MANUAL["id"], key, {"variables": {}})
    assert st == 202, body
    eid = body["execution_ids"][0]
    for _ in range(400):
        st, body = call(a.port, "GET", "/manual-steps?execution_id=" + eid, key)
        if body["manual_steps"]:
            break
        time.sleep(0.01)
    time.sleep(1.0)
    killed = time.time()
    a.stop(signal.SIGKILL)
    b_id = node_id(b, key)
    resumed = None
    while time.time() < killed + 60:
        # Every node lists A's waiting step from the store at once; resumed means that B
        # runs the execution and its step asks again there.
        st, body = call(b.port, "GET", "/executions/" + eid, key)
        if st == 200 and body["node"] == b_id and body["manual_steps"]:
            resumed = time.time()
            break
        time.sleep(0.005)
    assert resumed, "not taken over within 60 s"
    beats = sh("psql", "-X", "-q", "-A", "-t", "-d", url, "-c",
               "SELECT heartbeat_at FROM nodes ORDER BY heartbeat_at")
    last_beat_of_a = int(beats.split()[0]) / 1000.0  # A's is the older: B still beats
    b.stop()
    return resumed - killed, resumed - (last_beat_of_a + LEASE_MS / 1000.0)


def node_id(node, key):
    st, body = call(node.port, "GET", "/nodes", key)
    return [n["id"] for n in body["nodes"] if n["self"]][0]


def answer_latency(runs=10):
    """A manual answer posted to the node that runs the execution, and to another node
    (the owner applies it on a signal and the receiving node answers with the result)."""
    nodes, key, _ = pg_cluster(2)
    a, b = nodes
    st, body = call(a.port, "POST", "/playbooks", key, MANUAL)
    assert st == 201, body
    out = {"owner": [], "other": []}
    for i in range(runs * 2):
        target = a if i % 2 == 0 else b
        st, body = call(a.port, "POST", "/playbooks/%s/executions" % MANUAL["id"], key, {"variables": {}})
        assert st == 202, body
        eid = body["execution_ids"][0]
        for _ in range(400):  # listed where it is answered (on B once its wait is stored)
            st, body = call(target.port, "GET", "/manual-steps?execution_id=" + eid, key)
            if body["manual_steps"]:
                break
            time.sleep(0.01)
        step = body["manual_steps"][0]["step_key"]
        t0 = time.time()
        st, body = call(target.port, "POST", "/executions/%s/steps/%s/answer" % (eid, step), key,
                        {"success": True})
        assert st == 200, (st, body)
        out["owner" if target is a else "other"].append((time.time() - t0) * 1000)
        time.sleep(0.2)
    for n in nodes:
        n.stop()
    return out


def idle_cost(n=3, seconds=10):
    """What an idle cluster costs: PostgreSQL commits/s in its database (the nodes' sweeps
    and heartbeats), and CPU of the atio nodes and of every PostgreSQL process, per second."""
    nodes, key, url = pg_cluster(n)
    time.sleep(2.0)
    tick = os.sysconf("SC_CLK_TCK")

    def cpu(pids):
        total = 0
        for pid in pids:
            try:
                f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
                total += int(f[11]) + int(f[12])
            except (OSError, IndexError):
                pass
        return total / tick

    def postgres_pids():
        out = []
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    if open("/proc/%s/comm" % d).read().strip() == "postgres":
                        out.append(int(d))
                except OSError:
                    pass
        return out

    def commits():
        return int(sh("psql", "-X", "-q", "-A", "-t", "-d", url, "-c",
                      "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()").split()[0])

    atio_pids = [nd.proc.pid for nd in nodes]
    c0, a0, p0, t0 = commits(), cpu(atio_pids), cpu(postgres_pids()), time.time()
    time.sleep(seconds)
    c1, a1, p1, t1 = commits(), cpu(atio_pids), cpu(postgres_pids()), time.time()
    for nd in nodes:
        nd.stop()
    dt = t1 - t0
    return (c1 - c0 - 1) / dt, (a1 - a0) / dt * 100, (p1 - p0) / dt * 100


def first_step_latency(nodes, key, runs=20):
    hook = hook_for(nodes[0], key)
    lb = balancer([n.port for n in nodes])
    out = []
    time.sleep(1.0)
    for i in range(runs):
        t0 = time.time()
        req = urllib.request.Request("http://127.0.0.1:%d/api/v1/hooks/%s" % (LB_PORT, hook["hook_id"]),
                                     data=open(os.path.join(REPO, "examples", "suricata-alert.json"), "rb").read(),
                                     headers={"Authorization": "Bearer " + hook["token"],
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            eid = json.loads(r.read())["execution_ids"][0]
        for _ in range(500):
            st, e = call(nodes[0].port, "GET", "/executions/" + eid, key)
            if e.get("status") in ("succeeded", "failed"):
                break
            time.sleep(0.01)
        starts = [s["started_at"] for s in e["steps"] if s.get("started_at")]
        first = min(datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() for s in starts)
        out.append((first - t0) * 1000)
        time.sleep(0.3)  # idle again
    lb.terminate()
    lb.wait()
    for n in nodes:
        n.stop()
    return out


def main():
    global PG_URL
    sh(os.path.join(REPO, "scripts", "install-deps.sh"), "--bench")
    start_nginx(os.path.join(REPO, "bench", "nginx.conf"), "sink")
    PG_URL = sh(os.path.join(REPO, "scripts", "pg-temp.sh"), "start", os.path.join(WORK, "pg")).strip().splitlines()[-1]
    sh("psql", "-X", "-q", "-d", PG_URL, "-c", "ALTER SYSTEM SET fsync = on", "-c", "SELECT pg_reload_conf()")
    print("== executions/s and webhook-to-finished, closed loop c%d, %d s each, through one nginx balancer"
          % (CONC, SECONDS), flush=True)
    if not os.environ.get("ATIO_BENCH_SKIP_THROUGHPUT"):
        nodes, key = sqlite_node()
        throughput("SQLite, 1 node", nodes, key)
        for n in (1, 2, 3):
            nodes, key, _ = pg_cluster(n)
            throughput("PostgreSQL, %d node%s" % (n, "s" if n > 1 else ""), nodes, key)
    print("== takeover after kill -9 (lease %d ms, sweeps every 500 ms): kill -> resumed on the other node"
          % LEASE_MS, flush=True)
    for i in range(3):
        total, after_expiry = takeover_once()
        print("run %d: %.2f s after the kill, %.0f ms after the lease ran out" % (i + 1, total, after_expiry * 1000), flush=True)

    print("== idle-cluster start latency: webhook posted -> first step started (20 single webhooks)", flush=True)
    nodes, key, _ = pg_cluster(3)
    lat = sorted(first_step_latency(nodes, key))
    print("PostgreSQL, 3 nodes: p50 %.1f ms, max %.1f ms" % (statistics.median(lat), lat[-1]), flush=True)
    nodes, key = sqlite_node()
    lat = sorted(first_step_latency(nodes, key))
    print("SQLite, 1 node:      p50 %.1f ms, max %.1f ms" % (statistics.median(lat), lat[-1]), flush=True)

    print("== a manual answer posted to the node that runs the execution, and to the other node"
          " (2 PostgreSQL nodes, 10 each)", flush=True)
    lat = answer_latency()
    for where in ("owner", "other"):
        v = sorted(lat[where])
        print("to the %-5s node: p50 %.1f ms, max %.1f ms" % (where, statistics.median(v), v[-1]), flush=True)
    print("== an idle cluster of 3 PostgreSQL nodes, 10 s", flush=True)
    xacts, atio_cpu, pg_cpu = idle_cost()
    print("%.1f commits/s; CPU: atio nodes %.1f%%, PostgreSQL %.1f%% of one core" % (xacts, atio_cpu, pg_cpu),
          flush=True)


if __name__ == "__main__":
    try:
        main()
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()  # nginx's master stops its workers on SIGTERM, not on SIGKILL
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        subprocess.run([os.path.join(REPO, "scripts", "pg-temp.sh"), "destroy", os.path.join(WORK, "pg")],
                       capture_output=True)
        shutil.rmtree(WORK, ignore_errors=True)
