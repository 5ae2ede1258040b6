#!/usr/bin/env python3
"""The audit log under a real `atio serve`: every change through the API is
recorded with who, from where and what; the hash chain is recomputed here
from the documented canonical form (docs/audit.md) with Python's hashlib;
`atio audit verify` passes on the untouched database and names the record
for each kind of tampering done with sqlite3; a key file others can read
stops the server from starting.

Usage: test_audit.py /path/to/atio [unittest options]
Python 3 standard library only; 127.0.0.1 only; every wait has a deadline.
"""
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer  # noqa: E402
from test_api import lua_playbook  # noqa: E402

ATIO = None
GENESIS = "0" * 64


def netstring(s):
    b = s.encode("utf-8")
    return str(len(b)).encode() + b":" + b + b","


def record_hash(r):
    """SHA-256 of the canonical form, written from docs/audit.md."""
    fields = [str(r["seq"]), str(r["time_ms"]), r["actor"], r["actor_kind"], r["actor_name"],
              r["role"], r["source_ip"], r["user_agent"], r["action"], r["object_type"],
              r["object_id"], r["outcome"], r["detail_text"], r["prev_hash"]]
    return hashlib.sha256(b"atio-audit-v1\n" + b"".join(netstring(f) for f in fields)).hexdigest()


def content_hash(doc):
    # RFC 8785 for a document of strings, integers and ASCII: sorted keys, no spaces.
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AuditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-audit-it-")
        cls.data = os.path.join(cls.tmp, "data")
        cls.db = os.path.join(cls.data, "atio.db")
        cls.server = AtioServer(ATIO, cls.data, ["--audit-checkpoint-records", "5"]).start()
        cls.make_changes()
        records = cls.all_records()
        # The first start's own record: the web UI's admin user it made.
        cls.by_seq = records
        cls.bootstrap, cls.records = records[0], records[1:]

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def make_changes(cls):
        s = cls.server
        ua = {"User-Agent": "audit-it/1.0"}
        cls.playbook = lua_playbook()
        pid = cls.playbook["id"]
        st, _, body = s.request("POST", "/api/v1/playbooks", cls.playbook, headers=ua)
        assert st == 201, body
        cls.updated = dict(cls.playbook, name="renamed", modified="2024-02-01T00:00:00.000Z")
        st, _, body = s.request("PUT", "/api/v1/playbooks/" + pid, cls.updated, headers=ua)
        assert st == 200, body
        st, _, hook = s.request("POST", "/api/v1/hooks",
                                {"playbook_id": pid, "auth": "token", "name": "it"}, headers=ua)
        assert st == 201, hook
        cls.hook_token = hook["token"]
        st, _, body = s.request("POST", "/api/v1/hooks/" + hook["hook_id"], {"x": 1},
                                headers={"Authorization": "Bearer " + hook["token"]}, auth=False)
        assert st == 202, body
        st, _, body = s.request("DELETE", "/api/v1/hooks/" + hook["hook_id"], headers=ua)
        assert st == 204, body
        st, _, _ = s.request("GET", "/api/v1/playbooks",
                             headers={"Authorization": "Bearer wrong", "User-Agent": "intruder"},
                             auth=False)
        assert st == 401
        st, _, _ = s.request("POST", "/api/v1/playbooks", {"not": "a playbook"}, headers=ua)
        assert st == 422
        for _ in range(6):
            st, _, body = s.request("POST", "/api/v1/playbooks", lua_playbook(), headers=ua)
            assert st == 201, body

    @classmethod
    def all_records(cls):
        out, after = [], 0
        while True:
            st, _, page = cls.server.request("GET", "/api/v1/audit?limit=5&after=%d" % after)
            assert st == 200, page
            out += page["records"]
            if page["next"] is None:
                return out
            after = page["next"]

    def test_the_first_start_records_the_admin_user_it_made(self):
        b = self.bootstrap
        self.assertEqual((b["action"], b["object_type"], b["outcome"]), ("user.create", "user", "success"))
        self.assertEqual((b["actor_kind"], b["actor_name"]), ("system", "atio serve"))
        self.assertEqual(b["detail"]["name"], "admin")
        st, _, user = self.server.request("GET", "/api/v1/users/admin")
        self.assertEqual(st, 200, user)
        self.assertEqual(user["id"], b["object_id"])

    def test_every_change_is_recorded_with_actor_source_and_outcome(self):
        actions = [(r["action"], r["outcome"]) for r in self.records]
        self.assertEqual(actions[:7], [
            ("playbook.create", "success"), ("playbook.update", "success"),
            ("hook.create", "success"), ("hook.trigger", "success"),
            ("hook.delete", "success"), ("auth.failure", "denied"),
            ("playbook.create", "failure")])
        self.assertEqual(len(self.records), 13)
        keys = [r for r in self.records if r["actor_kind"] == "key"]
        self.assertTrue(all(r["role"] == "admin" and r["actor_name"] == "admin" for r in keys))
        for r in self.records:
            self.assertEqual(r["source_ip"], "127.0.0.1")
        self.assertEqual(self.records[0]["user_agent"], "audit-it/1.0")
        denied = self.records[5]
        self.assertEqual((denied["actor"], denied["user_agent"]), ("anonymous", "intruder"))
        trigger = self.records[3]
        self.assertEqual(trigger["actor_kind"], "hook")
        self.assertEqual(len(trigger["detail"]["execution_ids"]), 1)
        self.assertEqual(self.records[6]["detail"]["status"], 422)
        # Secrets never reach the log.
        st, _, text = self.server.request("GET", "/api/v1/audit/export")
        self.assertEqual(st, 200)
        self.assertNotIn(self.hook_token, text)
        self.assertNotIn(self.server.admin_key, text)

    def test_playbook_records_carry_content_hashes_and_a_diff(self):
        create, update = self.records[0], self.records[1]
        self.assertEqual(create["object_id"], self.playbook["id"])
        self.assertIsNone(create["detail"]["hash_before"])
        self.assertEqual(create["detail"]["hash_after"], content_hash(self.playbook))
        self.assertEqual(update["detail"]["hash_before"], content_hash(self.playbook))
        self.assertEqual(update["detail"]["hash_after"], content_hash(self.updated))
        paths = {(op["op"], op["path"]) for op in update["detail"]["diff"]}
        self.assertEqual(paths, {("replace", "/name"), ("replace", "/modified")})

    def test_the_chain_recomputes_with_hashlib(self):
        prev = GENESIS
        for i, r in enumerate(self.by_seq):
            self.assertEqual(r["seq"], i + 1)
            self.assertEqual(r["prev_hash"], prev, "record %d" % r["seq"])
            self.assertEqual(r["hash"], record_hash(r), "record %d" % r["seq"])
            prev = r["hash"]
        st, _, head = self.server.request("GET", "/api/v1/audit/head")
        self.assertEqual(st, 200)
        self.assertGreaterEqual(head["seq"], len(self.by_seq))
        self.assertEqual(head["last_checkpoint"]["seq"] % 5, 0)

    def test_the_key_file_is_owner_only(self):
        mode = stat.S_IMODE(os.stat(self.db + ".audit-key").st_mode)
        self.assertEqual(mode, 0o600)

    def test_verify_over_the_api(self):
        st, _, rep = self.server.request("POST", "/api/v1/audit/verify")
        self.assertEqual(st, 200, rep)
        self.assertTrue(rep["ok"], rep)
        self.assertTrue(rep["key_trusted"])
        self.assertGreaterEqual(rep["checkpoints"], 2)

    def test_z_cli_verify_and_tampering(self):
        # Last (z): stops the server, so that the file is complete and quiet.
        self.assertEqual(self.server.terminate(), 0)
        out = self.cli("verify", self.db)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("intact", out.stdout)

        def case(name, sql, kind, seq):
            with self.subTest(name):
                copy = os.path.join(self.tmp, name + ".db")
                shutil.copyfile(self.db, copy)
                shutil.copyfile(self.db + ".audit-key", copy + ".audit-key")
                os.chmod(copy + ".audit-key", 0o600)
                con = sqlite3.connect(copy)
                con.executescript(sql)
                con.commit()
                con.close()
                res = self.cli("verify", copy, "--json")
                self.assertEqual(res.returncode, 1, res.stdout + res.stderr)
                rep = json.loads(res.stdout)
                self.assertFalse(rep["ok"])
                self.assertEqual((rep["problems"][0]["kind"], rep["problems"][0]["seq"]),
                                 (kind, seq), rep["summary"])
                human = self.cli("verify", copy)
                self.assertEqual(human.returncode, 1)
                self.assertRegex(human.stdout, r"(record|records|checkpoint) %d\b" % seq)

        case("edit", "UPDATE audit SET actor='someone' WHERE seq=4", "edited", 4)
        case("delete", "DELETE FROM audit WHERE seq=6", "deleted", 6)
        fake = dict(self.by_seq[2], seq=3, action="playbook.create", detail_text="{}",
                    prev_hash=self.by_seq[1]["hash"])
        fake["hash"] = record_hash(fake)
        cols = ["seq", "time_ms", "actor", "actor_kind", "actor_name", "role", "source_ip",
                "user_agent", "action", "object_type", "object_id", "outcome", "detail_text",
                "prev_hash", "hash"]
        values = ",".join("'%s'" % str(fake[c]).replace("'", "''") for c in cols)
        case("insert", "UPDATE audit SET seq=-seq WHERE seq>=3;"
                       "UPDATE audit SET seq=-seq+1 WHERE seq<0;"
                       "INSERT INTO audit VALUES(%s);" % values, "inserted", 3)
        case("swap", "UPDATE audit SET seq=-8 WHERE seq=8; UPDATE audit SET seq=8 WHERE seq=9;"
                     "UPDATE audit SET seq=9 WHERE seq=-8;", "reordered", 8)
        con = sqlite3.connect(self.db)
        last_cp = con.execute("SELECT max(seq) FROM audit_checkpoints").fetchone()[0]
        con.close()
        case("truncate", "DELETE FROM audit WHERE seq>%d" % (last_cp - 2), "truncated", last_cp - 1)
        case("signature", "UPDATE audit_checkpoints SET signature=(SELECT signature FROM"
                          " audit_checkpoints WHERE seq=5) WHERE seq=10", "bad_signature", 10)

        # Export: JSON lines and RFC 5424, recorded like any export.
        res = self.cli("export", self.db, "--format", "syslog")
        self.assertEqual(res.returncode, 0, res.stderr)
        lines = res.stdout.splitlines()
        self.assertGreaterEqual(len(lines), len(self.records))
        self.assertTrue(all(l.startswith(("<109>1 ", "<108>1 ")) for l in lines), lines[0])
        res = self.cli("export", self.db)
        last = json.loads(res.stdout.splitlines()[-1])
        self.assertEqual(last["action"], "audit.export")
        self.assertEqual(self.cli("verify", self.db).returncode, 0)

        # A key file others could read: the server refuses to start.
        os.chmod(self.db + ".audit-key", 0o644)
        proc = subprocess.run([ATIO, "serve", "--listen", "127.0.0.1:0", "--data", self.data],
                              capture_output=True, text=True, timeout=60)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("chmod 600", proc.stderr)

    def cli(self, sub, db, *args):
        return subprocess.run([ATIO, "audit", sub, "--store", db] + list(args),
                              capture_output=True, text=True, timeout=120)


if __name__ == "__main__":
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
