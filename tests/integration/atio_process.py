"""Starts and talks to a real `atio serve` for integration tests (stdlib only)."""
import atexit
import json
import os
import re
import shutil
import ssl
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG_TEMP = os.path.join(REPO, "scripts", "pg-temp.sh")
_pg = {}
_pg_stores = {}  # data directory -> its `atio serve` store arguments


def postgres_database():
    """A new empty database on this process's PostgreSQL server (scripts/pg-temp.sh),
    started on first use and destroyed when the process exits: its URL."""
    if "url" not in _pg:
        root = tempfile.mkdtemp(prefix="atio-pg-it-")
        os.chmod(root, 0o755)  # the postgres user runs the server when we are root
        out = subprocess.run([PG_TEMP, "start", os.path.join(root, "pg")], capture_output=True,
                             text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError("scripts/pg-temp.sh start failed:\n" + out.stdout + out.stderr)

        def destroy():
            subprocess.run([PG_TEMP, "destroy", os.path.join(root, "pg")], capture_output=True,
                           timeout=120)
            shutil.rmtree(root, ignore_errors=True)

        atexit.register(destroy)
        _pg.update(url=out.stdout.strip().splitlines()[-1], n=0, dir=os.path.join(root, "pg"))
    _pg["n"] += 1
    name = "atio_it_%d" % _pg["n"]
    subprocess.run(["psql", "-q", "-d", _pg["url"], "-c", "CREATE DATABASE " + name], check=True,
                   capture_output=True, timeout=60)
    return _pg["url"].rsplit("/", 1)[0] + "/" + name


def store_args(data_dir):
    """What `atio serve` needs for the store the environment asks for: nothing for the
    SQLite file in --data (the default); with ATIO_TEST_STORE=postgresql a new database on
    a PostgreSQL server the tests start, and the shared keys such a store requires."""
    if os.environ.get("ATIO_TEST_STORE", "sqlite") != "postgresql":
        return []
    # A server started again on the same data directory finds the same store.
    data_dir = os.path.abspath(data_dir)
    if data_dir in _pg_stores:
        return _pg_stores[data_dir]
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    master = os.path.join(data_dir, "master-key")
    if not os.path.exists(master):
        fd = os.open(master, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(os.urandom(32).hex() + "\n")
    _pg_stores[data_dir] = ["--store", postgres_database(), "--secret-key", master,
                            "--audit-key", os.path.join(data_dir, "audit-signing-key")]
    return _pg_stores[data_dir]


def postgres_server(command):
    """Stops ("stop") or starts again ("start") this process's PostgreSQL server (the one
    postgres_database() made), keeping its port and data."""
    out = subprocess.run([PG_TEMP, command, _pg["dir"]], capture_output=True, text=True,
                         timeout=120)
    if out.returncode != 0:
        raise RuntimeError("scripts/pg-temp.sh %s failed:\n%s%s" % (command, out.stdout,
                                                                    out.stderr))


def share_store(data_dir, other_data_dir):
    """Makes `atio serve --data other_data_dir` use the store of data_dir (two nodes on one
    database): the same store arguments, keys included."""
    _pg_stores[os.path.abspath(other_data_dir)] = store_args(data_dir)


def store_location(data_dir):
    """What atio's store commands take as --store for the store of `atio serve --data
    data_dir`: its SQLite file, or the PostgreSQL database store_args gave it."""
    args = store_args(data_dir)
    return args[args.index("--store") + 1] if args else os.path.join(data_dir, "atio.db")


def master_key_args(data_dir):
    """`--key FILE` for `atio secret` when the store is PostgreSQL (its nodes' shared
    master key); nothing for SQLite, whose key file sits beside the database."""
    args = store_args(data_dir)
    return ["--key", args[args.index("--secret-key") + 1]] if args else []


def store_bytes(data_dir):
    """Everything the store of `atio serve --data data_dir` holds, as bytes an insider could
    read: the SQLite file (and its WAL), or pg_dump of the PostgreSQL database."""
    location = store_location(data_dir)
    if location.startswith("postgresql://"):
        return subprocess.run(["pg_dump", "--no-owner", "-d", location], check=True,
                              capture_output=True, timeout=120).stdout
    out = b""
    for path in (location, location + "-wal"):
        if os.path.exists(path):
            with open(path, "rb") as f:
                out += f.read()
    return out


def run_sql(data_dir, text):
    """Runs SQL on the store of `atio serve --data data_dir` as an outside tool (or an
    insider with access) would: the sqlite3 command on the file, or psql. Its rows, each a
    list of text."""
    location = store_location(data_dir)
    if location.startswith("postgresql://"):
        cmd = ["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
               "-d", location, "-c", text]
    else:
        cmd = ["sqlite3", "-batch", "-bail", "-separator", "\t", location, text]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError("%s failed: %s" % (cmd[0], out.stderr))
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def wait_execution(server, execution_id, statuses=("succeeded", "failed", "aborted"),
                   timeout=30):
    """The execution once its status is one of `statuses`. `server` answers
    request(method, path) with (status, headers, body)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        status, _, body = server.request("GET", "/api/v1/executions/" + execution_id)
        if status == 200 and body["status"] in statuses:
            return body
        time.sleep(0.05)
    raise AssertionError("execution %s did not reach %s" % (execution_id, statuses))


def wait_manual(server, execution_id, timeout=30):
    """The first manual step of the execution that waits for a person."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        status, _, body = server.request("GET", "/api/v1/manual-steps?execution_id=" +
                                         execution_id)
        if status == 200 and body["manual_steps"]:
            return body["manual_steps"][0]
        time.sleep(0.05)
    raise AssertionError("no manual step waiting in %s" % execution_id)


class AtioServer:
    """`atio serve --listen 127.0.0.1:0 --data DATA`, with its port and admin key. The
    store is the SQLite file in DATA, or PostgreSQL with ATIO_TEST_STORE=postgresql
    (store_args)."""

    def __init__(self, binary, data_dir, extra_args=(), synchronous="normal", cafile=None):
        self.binary = binary
        self.data_dir = data_dir
        self.extra_args = list(extra_args)
        self.synchronous = synchronous
        self.proc = None
        self.port = None
        self.admin_key = None
        self.output = []
        self.scheme = "http"
        # HTTPS: trust this CA file (atio serve --tls-cert/--tls-key).
        self.ssl_context = ssl.create_default_context(cafile=cafile) if cafile else None

    def start(self, timeout=30):
        args = [self.binary, "serve", "--listen", "127.0.0.1:0", "--data", self.data_dir,
                "--synchronous", self.synchronous] + store_args(self.data_dir) + self.extra_args
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, bufsize=1)
        deadline = time.time() + timeout
        ready = threading.Event()

        def pump():
            for line in self.proc.stdout:
                self.output.append(line)
                m = re.search(r"admin API key: (\S+)", line)
                if m:
                    self.admin_key = m.group(1)
                m = re.search(r"listening on (https?)://127\.0\.0\.1:(\d+)", line)
                if m:
                    self.scheme, self.port = m.group(1), int(m.group(2))
                    ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(max(0.0, deadline - time.time())):
            self.kill()
            raise RuntimeError("atio serve did not start:\n" + "".join(self.output))
        if self.admin_key is None:
            key_file = os.path.join(self.data_dir, "admin-key")
            with open(key_file) as f:
                self.admin_key = f.read().strip()
        return self

    def url(self, path):
        return "%s://127.0.0.1:%d%s" % (self.scheme, self.port, path)

    def request(self, method, path, body=None, headers=None, auth=True, raw=None):
        """Returns (status, headers, parsed JSON or text)."""
        data = None
        hdrs = dict(headers or {})
        if raw is not None:
            data = raw if isinstance(raw, bytes) else raw.encode()
        elif body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        if auth:
            hdrs.setdefault("Authorization", "Bearer " + self.admin_key)
        req = urllib.request.Request(self.url(path), data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30, context=self.ssl_context) as resp:
                return resp.status, dict(resp.headers), _decode(resp.read())
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), _decode(e.read())

    def wait_execution(self, execution_id, statuses=("succeeded", "failed", "aborted"),
                       timeout=30):
        return wait_execution(self, execution_id, statuses, timeout)

    def wait_manual(self, execution_id, timeout=30):
        return wait_manual(self, execution_id, timeout)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def terminate(self, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            return self.proc.wait(timeout=timeout)
        return self.proc.returncode if self.proc else None


def _decode(data):
    text = data.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def make_cert(directory):
    """A self-signed certificate for 127.0.0.1 made with openssl: (cert file, key file)."""
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    return cert, key
