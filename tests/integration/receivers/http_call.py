"""A tiny HTTP client for tests of the receivers (and of atio against them).

Contract: call(url, method, path, body, headers) sends one request over http.client and
returns Response(status, headers (lower-case names), body parsed as JSON or None, raw bytes).
Every request has a deadline; nothing but the given URL is contacted.
"""
import collections
import http.client
import json
import urllib.parse

Response = collections.namedtuple("Response", "status headers body raw")


def call(url, method, path, body=None, headers=None, raw=None, timeout=30):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        conn.request(method, path, body=data, headers=headers or {})
        resp = conn.getresponse()
        payload = resp.read()
        parsed = json.loads(payload) if payload.strip() else None
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, parsed,
                        payload)
    finally:
        conn.close()


def misp_headers(key, **extra):
    """The headers MISP's REST API documents: the raw key, JSON both ways."""
    return dict({"Authorization": key, "Accept": "application/json",
                 "Content-Type": "application/json"}, **extra)


def iris_headers(key, **extra):
    """The headers IRIS's API documents: a Bearer token and a JSON body."""
    return dict({"Authorization": "Bearer " + key, "Content-Type": "application/json"}, **extra)
