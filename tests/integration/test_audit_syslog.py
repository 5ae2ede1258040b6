#!/usr/bin/env python3
"""The audit log's copy outside atio: `atio serve --audit-syslog` sends every
audit record to a syslog collector (RFC 5424; here a local TCP collector
reading RFC 6587 octet-counted frames, and a UDP one), in order, and resumes
where it stopped: records written while the collector was down arrive once it
is back, and after a restart of atio nothing is missing.

Usage: test_audit_syslog.py /path/to/atio [unittest options]
Python 3 standard library only; 127.0.0.1 only; every wait has a deadline.
"""
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer  # noqa: E402
from test_api import lua_playbook  # noqa: E402

ATIO = None
SEQ = re.compile(r'\[atio@32473 seq="(\d+)"')


class TcpCollector:
    """Reads octet-counted syslog frames ("LEN SP MSG") on 127.0.0.1:port."""

    def __init__(self, port=0):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.messages, self.running, self.readers = [], True, []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        # Each connection on a thread of its own: several senders (the nodes of a cluster)
        # are all heard at once.
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            reader = threading.Thread(target=self.read, args=(conn,), daemon=True)
            self.readers.append(reader)
            reader.start()

    def read(self, conn):
        conn.settimeout(0.2)
        buf = b""
        while self.running:
            try:
                data = conn.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                break
            if not data:
                break
            buf += data
            while b" " in buf:
                length, rest = buf.split(b" ", 1)
                n = int(length)
                if len(rest) < n:
                    break
                self.messages.append(rest[:n].decode())
                buf = rest[n:]
        conn.close()

    def stop(self):
        # Returns once no connection is open: plain TCP syslog has no
        # acknowledgement, so a frame sent into a connection this collector
        # no longer reads would be lost on both sides.
        self.running = False
        self.thread.join(timeout=5)
        self.sock.close()
        for reader in self.readers:
            reader.join(timeout=5)

    def seqs(self):
        return [int(SEQ.search(m).group(1)) for m in list(self.messages)]


def audit_seqs(server):
    _, _, body = server.request("GET", "/api/v1/audit?limit=1000")
    return [r["seq"] for r in body["records"]]


class AuditSyslogTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="atio-audit-syslog-")
        self.data = os.path.join(self.tmp, "data")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def wait_for(self, cond, what, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if cond():
                return
            time.sleep(0.05)
        self.fail("timed out waiting for " + what)

    def test_tcp_every_record_in_order_across_collector_and_atio_restarts(self):
        collector = TcpCollector()
        port = collector.port
        server = AtioServer(ATIO, self.data, ["--audit-syslog", "tcp://127.0.0.1:%d" % port]).start()
        try:
            for _ in range(3):
                status, _, _ = server.request("POST", "/api/v1/playbooks", lua_playbook())
                self.assertEqual(status, 201)
            self.wait_for(lambda: collector.seqs() and collector.seqs() == audit_seqs(server),
                          "the first records")
            self.assertTrue(all(m.startswith("<") and ">1 " in m for m in collector.messages))
            self.assertIn("playbook.create", "".join(collector.messages))
            # The collector goes away; records keep being written.
            collector.stop()
            for _ in range(3):
                server.request("POST", "/api/v1/playbooks", lua_playbook())
            time.sleep(0.5)
            collector = TcpCollector(port)
            self.wait_for(lambda: collector.seqs()
                          and collector.seqs()[-1] == audit_seqs(server)[-1],
                          "the records written while the collector was down")
            got_after = collector.seqs()
            before = [s for s in audit_seqs(server) if s >= got_after[0]]
            self.assertEqual(got_after, before)  # in order, nothing skipped
        finally:
            server.kill()
        # atio restarts: what was not yet sent is sent, nothing is skipped.
        server = AtioServer(ATIO, self.data, ["--audit-syslog", "tcp://127.0.0.1:%d" % port]).start()
        try:
            server.request("POST", "/api/v1/playbooks", lua_playbook())
            self.wait_for(lambda: collector.seqs()[-1] == audit_seqs(server)[-1], "after a restart")
            seen = set(collector.seqs())
            self.assertTrue(set(s for s in audit_seqs(server) if s >= min(seen)) <= seen)
        finally:
            server.kill()
            collector.stop()

    def test_udp_datagrams(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(10)
        server = AtioServer(ATIO, self.data,
                            ["--audit-syslog", "udp://127.0.0.1:%d" % sock.getsockname()[1]]).start()
        try:
            status, _, _ = server.request("POST", "/api/v1/playbooks", lua_playbook())
            self.assertEqual(status, 201)
            message = sock.recv(65536).decode()
            self.assertRegex(message, r'^<\d+>1 \S+ \S+ atio - \S+ \[atio@32473 seq="\d+"')
        finally:
            server.kill()
            sock.close()

    def test_malformed_collector_is_refused_by_name(self):
        import subprocess
        proc = subprocess.run([ATIO, "serve", "--listen", "127.0.0.1:0", "--data", self.data,
                               "--audit-syslog", "tcp://nowhere"], capture_output=True,
                              text=True, timeout=60)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("--audit-syslog", proc.stderr)


if __name__ == "__main__":
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
