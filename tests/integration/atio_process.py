"""Starts and talks to a real `atio serve` for integration tests (stdlib only)."""
import json
import os
import re
import ssl
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request


class AtioServer:
    """`atio serve --listen 127.0.0.1:0 --data DATA`, with its port and admin key."""

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
                "--synchronous", self.synchronous] + self.extra_args
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
