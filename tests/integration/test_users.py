#!/usr/bin/env python3
"""Users, roles, sessions and API keys under a real `atio serve`.

With the admin key an analyst is created; the analyst logs in and gets a
session cookie; an admin route answers 403 and an allowed one 200; a change
made with the cookie but without the CSRF token is 403 and with it passes; a
revoked key is 401; logout ends the session. The `atio user` and `atio
apikey` commands work on the store file, also while the server runs, and
each change they make is in the audit log as actor kind "system".

Usage: test_users.py /path/to/atio [unittest options]
Python 3 standard library only; 127.0.0.1 only; every wait has a deadline.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer, store_location  # noqa: E402

ATIO = None
PASSWORD = "integration password 1"


def session_cookie(headers):
    """The atio_session value of a Set-Cookie header, and the header."""
    cookie = headers.get("Set-Cookie", "")
    first = cookie.split(";", 1)[0]
    name, _, value = first.partition("=")
    return (value if name == "atio_session" else ""), cookie


class UsersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-users-it-")
        cls.data = os.path.join(cls.tmp, "data")
        cls.db = store_location(cls.data)
        cls.server = AtioServer(ATIO, cls.data).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def cli(self, *args, stdin=None):
        return subprocess.run([ATIO] + list(args) + ["--store", self.db], input=stdin,
                              capture_output=True, text=True, timeout=120)

    def as_cookie(self, method, path, token, csrf=None, body=None):
        headers = {"Cookie": "atio_session=" + token}
        if csrf:
            headers["X-CSRF-Token"] = csrf
        return self.server.request(method, path, body=body, headers=headers, auth=False)

    def as_key(self, method, path, key, body=None):
        return self.server.request(method, path, body=body,
                                   headers={"Authorization": "Bearer " + key}, auth=False)

    def test_analyst_session_roles_csrf_and_logout(self):
        st, _, user = self.server.request("POST", "/api/v1/users", {
            "name": "ana", "role": "analyst", "password": PASSWORD})
        self.assertEqual(st, 201, user)
        self.assertNotIn("password", json.dumps(user))

        st, headers, login = self.server.request(
            "POST", "/api/v1/session", {"name": "ana", "password": PASSWORD}, auth=False)
        self.assertEqual(st, 200, login)
        token, cookie = session_cookie(headers)
        self.assertTrue(token, cookie)
        for attribute in ("HttpOnly", "SameSite=Strict", "Path=/"):
            self.assertIn(attribute, cookie)
        self.assertNotIn("Secure", cookie)  # plain HTTP here
        csrf = login["csrf_token"]

        st, _, me = self.as_cookie("GET", "/api/v1/me", token)
        self.assertEqual((st, me["kind"], me["name"], me["role"]), (200, "user", "ana", "analyst"))
        self.assertEqual(self.as_cookie("GET", "/api/v1/users", token)[0], 403)
        self.assertEqual(self.as_cookie("GET", "/api/v1/audit", token)[0], 403)
        self.assertEqual(self.as_cookie("GET", "/api/v1/playbooks", token)[0], 200)
        self.assertEqual(self.as_cookie("GET", "/api/v1/executions", token)[0], 200)

        # A change with the cookie: without the CSRF token 403, with it 201.
        spec = {"name": "ana-script", "role": "viewer"}
        st, _, err = self.as_cookie("POST", "/api/v1/apikeys", token, body=spec)
        self.assertEqual(st, 403, err)
        self.assertIn("X-CSRF-Token", err["error"]["message"])
        st, _, made = self.as_cookie("POST", "/api/v1/apikeys", token, csrf, body=spec)
        self.assertEqual(st, 201, made)
        self.assertEqual(made["role"], "viewer")
        # More than the analyst's own role: refused.
        st, _, _ = self.as_cookie("POST", "/api/v1/apikeys", token, csrf,
                                  body={"name": "x", "role": "admin"})
        self.assertEqual(st, 403)

        # The viewer key works until it is revoked, then 401.
        self.assertEqual(self.as_key("GET", "/api/v1/playbooks", made["key"])[0], 200)
        self.assertEqual(self.as_key("POST", "/api/v1/playbooks", made["key"], body={})[0], 403)
        st, _, _ = self.as_cookie("DELETE", "/api/v1/apikeys/" + made["id"], token, csrf)
        self.assertEqual(st, 204)
        st, _, err = self.as_key("GET", "/api/v1/playbooks", made["key"])
        self.assertEqual(st, 401, err)

        # Logout: the cookie is cleared and the session refused from then on.
        st, headers, _ = self.as_cookie("DELETE", "/api/v1/session", token, csrf)
        self.assertEqual(st, 204)
        self.assertIn("Max-Age=0", headers.get("Set-Cookie", ""))
        self.assertEqual(self.as_cookie("GET", "/api/v1/me", token)[0], 401)

        # Every step is in the audit log, with the user and its role.
        st, _, page = self.server.request("GET", "/api/v1/audit?object_type=user&limit=1000")
        actions = [(r["action"], r["outcome"], r["actor_kind"], r["role"])
                   for r in page["records"]]
        self.assertIn(("user.create", "success", "key", "admin"), actions)
        self.assertIn(("auth.login", "success", "user", "analyst"), actions)
        self.assertIn(("auth.logout", "success", "user", "analyst"), actions)
        st, _, page = self.server.request("GET", "/api/v1/audit?action=apikey.revoke")
        self.assertEqual([(r["actor_kind"], r["actor_name"]) for r in page["records"]],
                         [("user", "ana")])

    def test_cli_manages_users_and_keys_on_the_store_file(self):
        res = self.cli("user", "add", "cli-admin", "--role", "admin", "--password-stdin",
                       stdin=PASSWORD + "\n")
        self.assertEqual(res.returncode, 0, res.stderr)
        res = self.cli("user", "add", "CLI-ADMIN", "--role", "admin", "--password-stdin",
                       stdin=PASSWORD + "\n")
        self.assertEqual(res.returncode, 1)  # the name is taken, in any case
        res = self.cli("user", "add", "shorty", "--role", "viewer", "--password-stdin",
                       stdin="short\n")
        self.assertEqual(res.returncode, 1)
        self.assertIn("at least 12", res.stderr)
        res = self.cli("user", "list", "--json")
        users = {json.loads(l)["name"]: json.loads(l) for l in res.stdout.splitlines()}
        self.assertEqual(users["cli-admin"]["role"], "admin")
        self.assertNotIn("argon2", res.stdout)

        # The running server accepts the user the CLI added.
        st, _, _ = self.server.request("POST", "/api/v1/session",
                                       {"name": "cli-admin", "password": PASSWORD}, auth=False)
        self.assertEqual(st, 200)
        res = self.cli("user", "passwd", "cli-admin", "--password-stdin",
                       stdin="a different password\n")
        self.assertEqual(res.returncode, 0, res.stderr)
        st, _, _ = self.server.request("POST", "/api/v1/session", {
            "name": "cli-admin", "password": "a different password"}, auth=False)
        self.assertEqual(st, 200)
        res = self.cli("user", "disable", "cli-admin")
        self.assertEqual(res.returncode, 0, res.stderr)
        st, _, _ = self.server.request("POST", "/api/v1/session", {
            "name": "cli-admin", "password": "a different password"}, auth=False)
        self.assertEqual(st, 401)

        # A key from the CLI: printed once, works with its role, revoked by
        # the CLI while the server runs (its cache lives two seconds).
        res = self.cli("apikey", "create", "ops", "--role", "auditor", "--expires", "30d")
        self.assertEqual(res.returncode, 0, res.stderr)
        key = res.stdout.strip()
        self.assertTrue(key.startswith("atio_"), res.stdout)
        self.assertEqual(self.as_key("GET", "/api/v1/audit/head", key)[0], 200)
        self.assertEqual(self.as_key("GET", "/api/v1/users", key)[0], 403)
        res = self.cli("apikey", "list", "--json")
        keys = [json.loads(l) for l in res.stdout.splitlines()]
        ops = [k for k in keys if k["name"] == "ops"][0]
        self.assertEqual((ops["role"], ops["status"]), ("auditor", "active"))
        self.assertNotIn(key, res.stdout)
        self.assertEqual(self.cli("apikey", "revoke", ops["id"]).returncode, 0)
        deadline = time.time() + 10
        while self.as_key("GET", "/api/v1/audit/head", key)[0] != 401:
            self.assertLess(time.time(), deadline, "the revoked key still works")
            time.sleep(0.2)
        self.assertEqual(self.cli("apikey", "revoke", "no-such-id").returncode, 1)

        # Each change is recorded as done on the host.
        st, _, page = self.server.request("GET", "/api/v1/audit?limit=1000")
        system = [(r["action"], r["actor_name"]) for r in page["records"]
                  if r["actor_kind"] == "system"]
        for expected in [("user.create", "atio user add"), ("user.password", "atio user passwd"),
                         ("user.update", "atio user disable"),
                         ("apikey.create", "atio apikey create"),
                         ("apikey.revoke", "atio apikey revoke")]:
            self.assertIn(expected, system)
        self.assertEqual(subprocess.run([ATIO, "audit", "verify", "--store", self.db],
                                        capture_output=True, timeout=120).returncode, 0)


class LoginLimitTest(unittest.TestCase):
    """Its own server: the failures it makes would limit the address for others."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-users-limit-")
        cls.server = AtioServer(ATIO, os.path.join(cls.tmp, "data")).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_failed_logins_are_limited_and_audited(self):
        self.server.request("POST", "/api/v1/users",
                            {"name": "limited", "role": "viewer", "password": PASSWORD})
        for i in range(5):
            st, _, _ = self.server.request("POST", "/api/v1/session",
                                           {"name": "limited", "password": "wrong %d" % i},
                                           auth=False)
            self.assertEqual(st, 401)
        st, headers, _ = self.server.request("POST", "/api/v1/session",
                                             {"name": "limited", "password": PASSWORD},
                                             auth=False)
        self.assertEqual(st, 429)
        self.assertTrue(1 <= int(headers["Retry-After"]) <= 60, headers)
        st, _, page = self.server.request("GET", "/api/v1/audit?action=auth.login&object_id=limited")
        outcomes = [(r["outcome"], r["detail"].get("reason")) for r in page["records"]]
        self.assertEqual(outcomes, [("denied", "wrong_password")] * 5 + [("failure", "rate_limited")])


class FirstAdminTest(unittest.TestCase):
    """`atio user add` before the first start: the server makes no key then."""

    def test_first_admin_from_the_cli(self):
        tmp = tempfile.mkdtemp(prefix="atio-users-first-")
        try:
            data = os.path.join(tmp, "data")
            res = subprocess.run([ATIO, "user", "add", "root", "--role", "admin",
                                  "--password-stdin", "--store", store_location(data)],
                                 input=PASSWORD + "\n", capture_output=True, text=True, timeout=120)
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertEqual(os.stat(data).st_mode & 0o777, 0o700)
            server = AtioServer(ATIO, data)
            server.admin_key = "none"  # there is no admin-key file to read
            try:
                server.start()
                self.assertFalse(any("admin API key" in l for l in server.output))
                st, headers, _ = server.request("POST", "/api/v1/session",
                                                {"name": "root", "password": PASSWORD},
                                                auth=False)
                self.assertEqual(st, 200)
                token, _ = session_cookie(headers)
                st, _, me = server.request("GET", "/api/v1/me",
                                           headers={"Cookie": "atio_session=" + token},
                                           auth=False)
                self.assertEqual((st, me["role"]), (200, "admin"))
            finally:
                server.terminate()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
