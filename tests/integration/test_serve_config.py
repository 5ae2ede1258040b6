#!/usr/bin/env python3
"""`atio serve` configured as containers configure it: ATIO_* environment variables, a config
file (--config), and secrets from files (--admin-key-file, --admin-password-file); the store
option (--store / ATIO_STORE).

Usage: test_serve_config.py /path/to/atio [unittest options]

Python 3 standard library only; every wait has a deadline; only 127.0.0.1 is used.
"""
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import postgres_database  # noqa: E402

ATIO = None
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def serve_help():
    out = subprocess.run([ATIO, "serve", "--help"], capture_output=True, text=True, timeout=30)
    return out.stdout


def write_private(path, text, mode=0o600):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


class Serve:
    """`atio serve ARGS` with ENV added to a clean environment (no ATIO_* inherited)."""

    def __init__(self, args, env=None, cwd=None):
        clean = {k: v for k, v in os.environ.items() if not k.startswith("ATIO_")}
        clean.update(env or {})
        self.proc = subprocess.Popen([ATIO, "serve", *args], env=clean, cwd=cwd,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.port = None
        ready = threading.Event()

        def read():
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                m = re.match(r"atio: listening on http://127\.0\.0\.1:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    ready.set()
            ready.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        ready.wait(60)

    def exit_code(self, timeout=60):
        """For a start that must fail: its exit code, with its output read."""
        code = self.proc.wait(timeout=timeout)
        self.reader.join(10)
        self.proc.stdout.close()
        return code

    def output(self):
        return "\n".join(self.lines)

    def request(self, method, path, body=None, key=None):
        headers = {}
        if key:
            headers["Authorization"] = "Bearer " + key
        if body is not None:
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode()
            return resp.status, dict(resp.getheaders()), json.loads(text) if text else None
        finally:
            conn.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=60)
        self.reader.join(10)
        self.proc.stdout.close()
        return code


class Case(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="atio-config-")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait(30)
            s.reader.join(10)
            if not s.proc.stdout.closed:
                s.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def serve(self, args, env=None, cwd=None):
        s = Serve(args, env, cwd)
        self.servers.append(s)
        return s

    def started(self, args, env=None, cwd=None):
        s = self.serve(args, env, cwd)
        self.assertIsNotNone(s.port, "atio serve did not start:\n" + s.output())
        return s

    def path(self, name):
        return os.path.join(self.dir, name)


class EnvironmentTest(Case):
    def test_every_serve_option_names_its_environment_variable(self):
        text = serve_help()
        options = re.findall(r"^\s+(?:-\w,)?--([a-z0-9-]+)\b", text, re.M)
        self.assertIn("listen", options)
        self.assertGreater(len(options), 30)
        envs = dict(re.findall(r"--([a-z0-9-]+)[^\n]*?\(Env:(ATIO_[A-Z0-9_]+)\)", text))
        for option in options:
            if option == "help":
                continue
            expected = "ATIO_" + option.upper().replace("-", "_")
            if option == "secret-key":
                # ATIO_SECRET_KEY is the master key itself (docs/secrets.md).
                expected = "ATIO_SECRET_KEY_FILE"
            self.assertEqual(envs.get(option), expected, option)

    def test_settings_come_from_the_environment_and_the_command_line_wins(self):
        data = self.path("from-env")
        s = self.started(["--listen", "127.0.0.1:0"],
                         {"ATIO_LISTEN": "127.0.0.1:1", "ATIO_DATA": data,
                          "ATIO_SECURE_COOKIES": "true", "ATIO_UI_DIR": "none"})
        self.assertTrue(os.path.exists(os.path.join(data, "atio.db")))
        with open(os.path.join(data, "admin-password")) as f:
            password = f.read().strip()
        status, hdrs, _ = s.request("POST", "/api/v1/session",
                                    {"name": "admin", "password": password})
        self.assertEqual(status, 200)
        self.assertIn("Secure", hdrs.get("Set-Cookie", ""))
        self.assertEqual(s.stop(), 0)


class ConfigFileTest(Case):
    def test_a_config_file_sets_what_the_environment_and_command_line_leave(self):
        data_cfg, data_env = self.path("data-cfg"), self.path("data-env")
        cfg = write_private(self.path("atio.toml"),
                            '# comment\n[serve]\nlisten = "127.0.0.1:1"\ndata = "%s"\n'
                            'secure_cookies = true\nui-dir = "none"\n' % data_cfg, 0o644)
        # The file's listen loses to the command line; its data to ATIO_DATA.
        s = self.started(["--config", cfg, "--listen", "127.0.0.1:0"], {"ATIO_DATA": data_env})
        self.assertTrue(os.path.exists(os.path.join(data_env, "atio.db")))
        self.assertFalse(os.path.exists(data_cfg))
        with open(os.path.join(data_env, "admin-password")) as f:
            password = f.read().strip()
        status, hdrs, _ = s.request("POST", "/api/v1/session",
                                    {"name": "admin", "password": password})
        self.assertEqual(status, 200)
        self.assertIn("Secure", hdrs.get("Set-Cookie", ""))  # secure_cookies from the file
        self.assertEqual(s.stop(), 0)
        # Named by ATIO_CONFIG, top-level keys, the file's data is used.
        cfg2 = write_private(self.path("top.toml"), 'data = "%s"\nui_dir = "none"\n' % data_cfg)
        s = self.started(["--listen", "127.0.0.1:0"], {"ATIO_CONFIG": cfg2})
        self.assertTrue(os.path.exists(os.path.join(data_cfg, "atio.db")))
        self.assertEqual(s.stop(), 0)

    def test_the_shipped_example_is_a_valid_config(self):
        example = os.path.join(REPO, "deploy", "atio.toml")
        s = self.started(["--config", example, "--listen", "127.0.0.1:0",
                          "--data", self.path("data")])
        self.assertEqual(s.request("GET", "/readyz")[0], 200)
        self.assertEqual(s.stop(), 0)

    def test_a_config_file_with_a_mistake_stops_the_start(self):
        cases = {
            "unknown.toml": ('[serve]\nlistne = "127.0.0.1:0"\n', "serve.listne"),
            "section.toml": ('[run]\nlisten = "127.0.0.1:0"\n', "run.listen"),
            "value.toml": ('workers = "many"\n', "workers"),
            "member.toml": ('mttr-end = "never"\n', "mttr-end"),
        }
        for name, (text, named) in cases.items():
            cfg = write_private(self.path(name), text)
            s = self.serve(["--config", cfg, "--data", self.path("d-" + name)])
            self.assertEqual(s.exit_code(), 2, s.output())
            self.assertIn(cfg, s.output())
            self.assertIn(named, s.output())
            self.assertFalse(os.path.exists(self.path("d-" + name)), name)
        s = self.serve(["--config", self.path("missing.toml")])
        self.assertEqual(s.exit_code(), 2, s.output())
        self.assertIn("missing.toml", s.output())


class AdminSecretsTest(Case):
    def test_the_first_start_takes_the_admin_key_and_password_from_files(self):
        key = "atio_" + secrets.token_hex(32)
        password = "correct horse " + secrets.token_hex(4)
        key_file = write_private(self.path("admin-key"), key + "\n")
        password_file = write_private(self.path("admin-password"), password + "\n")
        data = self.path("data")
        s = self.started(["--listen", "127.0.0.1:0", "--data", data],
                         {"ATIO_ADMIN_KEY_FILE": key_file,
                          "ATIO_ADMIN_PASSWORD_FILE": password_file})
        status, _, me = s.request("GET", "/api/v1/me", key=key)
        self.assertEqual(status, 200, me)
        self.assertEqual(me["role"], "admin")
        status, _, _ = s.request("POST", "/api/v1/session", {"name": "admin", "password": password})
        self.assertEqual(status, 200)
        # Neither is printed nor copied into the data directory.
        self.assertNotIn(key, s.output())
        self.assertNotIn(password, s.output())
        self.assertFalse(os.path.exists(os.path.join(data, "admin-key")))
        self.assertFalse(os.path.exists(os.path.join(data, "admin-password")))
        self.assertEqual(s.stop(), 0)

        # Later starts keep the store's keys; another key in the file is reported, not used.
        other = "atio_" + secrets.token_hex(32)
        write_private(key_file, other)
        s = self.started(["--listen", "127.0.0.1:0", "--data", data, "--admin-key-file", key_file])
        self.assertIn("does not accept that key", s.output())
        self.assertEqual(s.request("GET", "/api/v1/me", key=key)[0], 200)
        self.assertEqual(s.request("GET", "/api/v1/me", key=other)[0], 401)
        self.assertEqual(s.stop(), 0)

    def test_a_kubernetes_secret_volume_is_read_through_its_links(self):
        key = "atio_" + secrets.token_hex(32)
        volume = self.path("secret-volume")
        os.makedirs(os.path.join(volume, "..2024_01_01_00_00_00.1"))
        write_private(os.path.join(volume, "..2024_01_01_00_00_00.1", "admin-key"), key)
        os.symlink("..2024_01_01_00_00_00.1", os.path.join(volume, "..data"))
        os.symlink("..data/admin-key", os.path.join(volume, "admin-key"))
        s = self.started(["--listen", "127.0.0.1:0", "--data", self.path("data"),
                          "--admin-key-file", os.path.join(volume, "admin-key")])
        self.assertEqual(s.request("GET", "/api/v1/me", key=key)[0], 200)
        self.assertEqual(s.stop(), 0)

    def test_an_unusable_admin_key_file_stops_the_start_with_the_reason(self):
        cases = {
            "short": ("atio_abc\n", 0o600, "32 to 512 characters"),
            "space": ("atio_" + "a" * 40 + " b\n", 0o600, "a space"),
            "lines": ("atio_" + "a" * 40 + "\nsecond\n", 0o600, "more than one line"),
            "loose": ("atio_" + secrets.token_hex(32), 0o644, "0644"),
        }
        for name, (text, mode, reason) in cases.items():
            f = write_private(self.path(name), text, mode)
            data = self.path("data-" + name)
            s = self.serve(["--data", data, "--admin-key-file", f])
            self.assertEqual(s.exit_code(), 2, s.output())
            self.assertIn("--admin-key-file", s.output())
            self.assertIn(reason, s.output())
            self.assertFalse(os.path.exists(os.path.join(data, "atio.db")), name)
        s = self.serve(["--data", self.path("d"), "--admin-key-file", self.path("absent")])
        self.assertEqual(s.exit_code(), 2, s.output())
        self.assertIn("does not exist", s.output())

    def test_a_weak_admin_password_file_stops_the_start(self):
        f = write_private(self.path("pw"), "short\n")
        s = self.serve(["--data", self.path("d"), "--admin-password-file", f])
        self.assertEqual(s.exit_code(), 2, s.output())
        self.assertIn("--admin-password-file", s.output())


class StoreOptionTest(Case):
    def test_a_postgresql_store_needs_the_keys_every_node_shares(self):
        password = "pw" + secrets.token_hex(8)
        url = "postgresql://atio:%s@127.0.0.1:5432/atio" % password
        s = self.serve(["--data", self.path("d")], {"ATIO_STORE": url + "\n"})
        self.assertEqual(s.exit_code(), 2, s.output())
        self.assertIn("master key", s.output())
        self.assertIn("postgresql://atio:***@127.0.0.1:5432/atio", s.output())
        self.assertNotIn(password, s.output())
        key = write_private(self.path("master-key"), secrets.token_hex(32) + "\n")
        s = self.serve(["--data", self.path("d"), "--secret-key", key], {"ATIO_STORE": url})
        self.assertEqual(s.exit_code(), 2, s.output())
        self.assertIn("--audit-key", s.output())
        self.assertNotIn(password, s.output())

    def test_a_postgresql_store_from_the_environment_serves(self):
        url = postgres_database()
        key = write_private(self.path("master-key"), secrets.token_hex(32) + "\n")
        s = self.started(["--data", self.path("d")],
                         {"ATIO_STORE": url + "\n", "ATIO_SECRET_KEY_FILE": key,
                          "ATIO_AUDIT_KEY": self.path("audit-key")})
        status, _, body = s.request("GET", "/readyz")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["checks"]["store"]["status"], "ok")
        # The store is the database, not a file in --data.
        self.assertFalse(os.path.exists(self.path("d/atio.db")))
        tables = subprocess.run(["psql", "-X", "-At", "-d", url, "-c",
                                 "SELECT count(*) FROM executions"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(tables.stdout.strip(), "0", tables.stderr)

    def test_something_else_than_a_store_is_refused(self):
        s = self.serve(["--data", self.path("d"), "--store", "mysql://x@y/z"])
        self.assertEqual(s.exit_code(), 2, s.output())
        self.assertIn("--store", s.output())


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_serve_config.py /path/to/atio [unittest args]")
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
