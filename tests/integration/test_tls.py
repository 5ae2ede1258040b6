#!/usr/bin/env python3
"""HTTPS under a real `atio serve --tls-cert --tls-key`: the API answers over
TLS with Strict-Transport-Security on every answer, a plain-HTTP request to
the same port gets no HTTP answer, TLS below 1.2 is refused, and a file that
is not a certificate stops the server with a message naming it.

Usage: test_tls.py /path/to/atio [unittest options]
Python 3 standard library and the openssl command only; 127.0.0.1 only.
"""
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import unittest
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atio_process import AtioServer, make_cert  # noqa: E402

ATIO = None


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atio-tls-")
        cls.cert, cls.key = make_cert(cls.tmp)
        cls.server = AtioServer(ATIO, os.path.join(cls.tmp, "data"),
                                ["--tls-cert", cls.cert, "--tls-key", cls.key],
                                cafile=cls.cert).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_api_over_https_with_hsts(self):
        self.assertEqual(self.server.scheme, "https")
        status, headers, body = self.server.request("GET", "/api/v1/playbooks")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("Strict-Transport-Security"), "max-age=31536000")
        status, headers, _ = self.server.request("GET", "/api/v1/playbooks", auth=False)
        self.assertEqual(status, 401)
        self.assertEqual(headers.get("Strict-Transport-Security"), "max-age=31536000")

    def test_plain_http_gets_no_answer(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        with self.assertRaises((http.client.HTTPException, ConnectionError, socket.timeout,
                                OSError)):
            conn.request("GET", "/healthz")
            conn.getresponse()
        conn.close()

    def handshake(self, newest):
        """A TLS handshake offering versions up to `newest`, by a client that would accept
        old versions (security level 0); returns the version agreed or raises."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(self.cert)
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.maximum_version = newest
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
                return s.version()

    def test_tls_below_1_2_is_refused(self):
        self.assertEqual(self.handshake(ssl.TLSVersion.TLSv1_2), "TLSv1.2")  # the client works
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            old = ssl.TLSVersion.TLSv1_1
        with self.assertRaises((ssl.SSLError, ConnectionError, OSError)):
            self.handshake(old)

    def test_not_a_certificate_stops_the_server_naming_the_file(self):
        bogus = os.path.join(self.tmp, "bogus.pem")
        with open(bogus, "w") as f:
            f.write("not a certificate\n")
        proc = subprocess.run([ATIO, "serve", "--listen", "127.0.0.1:0", "--data",
                               os.path.join(self.tmp, "data2"), "--tls-cert", bogus,
                               "--tls-key", self.key], capture_output=True, text=True, timeout=60)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("bogus.pem", proc.stderr + proc.stdout)


if __name__ == "__main__":
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
