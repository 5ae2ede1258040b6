"""Local receivers for the workflow monitor's tests and bench (stdlib only):
a webhook receiver that keeps every notification with its arrival time, and
a stand-in for Shuffle's workflow API (GET /api/v1/workflows with
`Authorization: Bearer <key>`, 401 {"success": false} otherwise, as
shuffle-shared's HandleApiAuthentication answers)."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class WebhookReceiver:
    """Collects (arrival time, path, headers, JSON body) of every POST."""

    def __init__(self):
        self.received = []
        self.cond = threading.Condition()
        outer = self

        class Handler(_Quiet):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(n) or b"null")
                with outer.cond:
                    outer.received.append((time.time(), self.path, dict(self.headers), body))
                    outer.cond.notify_all()
                self._send(200, {"ok": True})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path="/hook"):
        return "http://127.0.0.1:%d%s" % (self.server.server_port, path)

    def events(self, path=None, since=0.0):
        """(kind, event) of every event received on `path` after `since`."""
        out = []
        with self.cond:
            for t, p, _, body in self.received:
                if t < since or (path and p != path):
                    continue
                lists = body["notification"]
                for kind, name in (("creation", "CreationEvents"), ("modification", "ModificationEvents"),
                                   ("deletion", "DeletionEvents")):
                    out.extend((kind, e) for e in lists[name])
        return out

    def wait_for(self, predicate, timeout=10.0):
        deadline = time.time() + timeout
        with self.cond:
            while not predicate():
                left = deadline - time.time()
                if left <= 0:
                    return False
                self.cond.wait(min(left, 0.05))
        return True

    def close(self):
        self.server.shutdown()


class FakeShuffle:
    """GET /api/v1/workflows answers `workflows` (a list the test changes)."""

    def __init__(self, api_key):
        self.api_key = api_key
        self.workflows = []
        self.requests = []
        outer = self

        class Handler(_Quiet):
            def do_GET(self):
                outer.requests.append((self.path, dict(self.headers)))
                if self.headers.get("Authorization") != "Bearer " + outer.api_key:
                    return self._send(401, {"success": False})
                if self.path.split("?")[0] != "/api/v1/workflows":
                    return self._send(404, {"success": False})
                self._send(200, outer.workflows)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_port

    def close(self):
        self.server.shutdown()


def shuffle_workflow(wid, name, user="alice@example.org"):
    """A workflow as Shuffle lists it (fields of shuffle-shared structs.go)."""
    return {"id": wid, "name": name, "description": "", "created": 1700000000, "edited": 1700000100,
            "updated_by": user, "is_valid": True, "previously_saved": True, "org_id": "org",
            "actions": [{"id": "a-" + wid, "app_name": "http", "name": "GET", "label": "fetch",
                         "parameters": [{"name": "url", "value": "https://example.org"}]}],
            "branches": [], "workflow_variables": [],
            "triggers": [{"id": "t-" + wid, "trigger_type": "WEBHOOK", "status": "uninitialized"}]}
