"""Shared machinery of the MISP and DFIR-IRIS stand-ins: an HTTP server on 127.0.0.1 in a
thread, a record of every request, Idempotency-Key replay and fault injection.

Contract: a receiver answers each request with exactly one Reply; everything it received is kept
in memory (Recorded entries, in arrival order) until reset(); a request that repeats an
Idempotency-Key already answered for the same method and path gets the first answer again
without being processed twice. Request handling is serialised by one lock, so the stored state
is never seen half-updated. Python 3 standard library only.
"""
import collections
import copy
import dataclasses
import hashlib
import http.server
import json
import re
import threading
import urllib.parse


@dataclasses.dataclass
class Reply:
    status: int
    body: object = None          # a JSON value, or None for an empty body
    headers: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Recorded:
    """One request as received, with the answer that was sent back."""
    method: str
    path: str                    # without the query string
    query: dict                  # name -> last value
    headers: dict                # lower-case name -> value
    raw: bytes
    body: object                 # parsed JSON, or None when the body is empty or not JSON
    json_error: str = None       # why the body is not JSON (None when it is, or is empty)
    status: int = 0
    response: object = None
    idempotency_key: str = None
    replayed: bool = False       # answered from the idempotency store
    injected: bool = False       # answered by inject_faults()


@dataclasses.dataclass
class _Stored:
    reply: Reply
    digest: str
    hits: int = 1


class BaseReceiver:
    """Subclasses call self.route(method, regex, handler) in __init__ and may override
    authenticate(rec) -> Reply|None. A handler gets (rec, *regex groups) and returns a Reply."""

    def __init__(self, host="127.0.0.1", port=0):
        self._host, self._want_port = host, port
        self._routes = []
        self._lock = threading.RLock()
        self._server = None
        self._thread = None
        self._faults = collections.deque()
        self._init_records()

    # ---- lifecycle -------------------------------------------------------------------------
    def use_tls(self, cert_file, key_file):
        """Serve HTTPS with this certificate (before start()), as MISP and IRIS usually do."""
        self._tls = (cert_file, key_file)
        return self

    def start(self):
        if self._server is None:
            self._server = http.server.ThreadingHTTPServer((self._host, self._want_port),
                                                           _handler_class(self))
            if getattr(self, "_tls", None):
                import ssl
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(*self._tls)
                self._server.socket = ctx.wrap_socket(self._server.socket, server_side=True)
            self._server.daemon_threads = True
            self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                            name=type(self).__name__, daemon=True)
            self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1] if self._server else None

    @property
    def url(self):
        scheme = "https" if getattr(self, "_tls", None) else "http"
        return "%s://%s:%d" % (scheme, self._host, self.port) if self._server else None

    # ---- what was received -----------------------------------------------------------------
    def _init_records(self):
        self._requests = []
        self.counters = collections.Counter()
        self._idem = {}
        self.idempotency_conflicts = []  # (method, path, key) reused with a different body

    def reset(self):
        """Forget requests, counters, idempotency answers and stored objects."""
        with self._lock:
            self._init_records()
            self._faults.clear()
            self.reset_state()

    def reset_state(self):
        """Subclasses clear their stored objects here."""

    @property
    def requests(self):
        with self._lock:
            return list(self._requests)

    def requests_to(self, path=None, method=None, prefix=None):
        """Recorded requests filtered by exact path, path prefix and/or method."""
        return [r for r in self.requests
                if (path is None or r.path == path) and (method is None or r.method == method)
                and (prefix is None or r.path.startswith(prefix))]

    @property
    def idempotency(self):
        """{(method, path, key): {"status", "body", "hits"}}: the first answer to each key and
        how many requests carried it."""
        with self._lock:
            return {k: {"status": v.reply.status, "body": v.reply.body, "hits": v.hits}
                    for k, v in self._idem.items()}

    def inject_faults(self, count=1, status=503, after_processing=False, body=None):
        """The next `count` requests are answered with `status`. With after_processing the
        request is processed (and its real answer stored for its Idempotency-Key) first, as if
        the answer were lost on the way back."""
        with self._lock:
            for _ in range(count):
                self._faults.append((status, after_processing, body))

    # ---- dispatch --------------------------------------------------------------------------
    def route(self, method, pattern, handler):
        self._routes.append((method, re.compile(pattern + r"\Z"), handler))

    def authenticate(self, rec):
        return None

    def not_found(self, rec):
        return Reply(404, {"message": "Not found"})

    def _handle(self, rec):
        """(reply, body bytes); the body is serialised under the lock, so that it shows the
        stored objects as they were when the request was answered."""
        with self._lock:
            self._requests.append(rec)
            reply = self._answer(rec)
            data = b"" if reply.body is None else json.dumps(reply.body).encode("utf-8")
            rec.status, rec.response = reply.status, json.loads(data) if data else None
            self.counters["%s %s" % (rec.method, reply.status)] += 1
            return reply, data

    def _answer(self, rec):
        fault = self._faults.popleft() if self._faults else None
        if fault and not fault[1]:
            rec.injected = True
            return Reply(fault[0], fault[2])
        reply = self.authenticate(rec)
        if reply is None:
            reply = self._idempotent(rec)
        if fault:
            rec.injected = True
            return Reply(fault[0], fault[2])
        return reply

    def _idempotent(self, rec):
        key = rec.idempotency_key
        digest = hashlib.sha256(rec.raw).hexdigest()
        slot = (rec.method, rec.path, key)
        if key and slot in self._idem:
            stored = self._idem[slot]
            stored.hits += 1
            if stored.digest != digest:
                self.idempotency_conflicts.append(slot)
            rec.replayed = True
            self.counters["idempotent_replays"] += 1
            headers = dict(stored.reply.headers, **{"Idempotent-Replayed": "true"})
            return Reply(stored.reply.status, stored.reply.body, headers)
        reply = self._route(rec)
        if key and reply.status < 500:   # a snapshot: later edits must not change the replay
            snapshot = Reply(reply.status, copy.deepcopy(reply.body), dict(reply.headers))
            self._idem[slot] = _Stored(snapshot, digest)
        return reply

    def _route(self, rec):
        allowed = False
        for method, regex, handler in self._routes:
            m = regex.match(rec.path)
            if m:
                if method == rec.method:
                    return handler(rec, *m.groups())
                allowed = True
        return self.method_not_allowed(rec) if allowed else self.not_found(rec)

    def method_not_allowed(self, rec):
        return Reply(405, {"message": "Method not allowed"})


def _read_body(handler):
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(handler.rfile.read(size))
            handler.rfile.readline()
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length > 0 else b""


def _handler_class(receiver):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # keep test output clean
            pass

        def _serve(self):
            raw = _read_body(self)
            url = urllib.parse.urlsplit(self.path)
            body, err = None, None
            if raw.strip():
                try:
                    body = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, ValueError) as e:
                    err = str(e)
            headers = {k.lower(): v for k, v in self.headers.items()}
            rec = Recorded(method=self.command, path=urllib.parse.unquote(url.path),
                           query=dict(urllib.parse.parse_qsl(url.query)), headers=headers,
                           raw=raw, body=body, json_error=err,
                           idempotency_key=headers.get("idempotency-key"))
            reply, data = receiver._handle(rec)
            self.send_response(reply.status)
            if reply.body is not None:
                self.send_header("Content-Type", "application/json")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    return Handler
