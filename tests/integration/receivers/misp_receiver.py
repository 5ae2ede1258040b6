"""A local stand-in for MISP's REST API, for atio's integration tests.

Contract: MispReceiver checks each request against MISP's documented request contract (the raw
API key in `Authorization`, `Accept: application/json`, a JSON body with
`Content-Type: application/json`, MISP core format) and answers with MISP's status codes and
JSON shapes: the stored event ({"Event": {...}} with numeric-string ids) on success, 403
{"name", "message", "url"} on a bad key, 403 {"saved": false, "name", "message", "url",
"errors"} on validation errors, 404/405 {"name", "message", "url"} for MISP's exceptions.
MISP saves an event without the attributes, objects and tags it finds invalid, and lists them
under "errors" in its 200 answer. The receiver does the same, and also records each drop in
.dropped; strict=True (default) instead refuses (403, field named) an event whose entries break
the format itself (no or unknown type, category not allowed for the type, no value, bad uuid,
object without name, attributes or object_relation, tag without name), and strict_values=True
also refuses one whose values MISP would drop (checksum length, IP format, duplicates, ...).
See README.md for each endpoint and its source.
"""
import re

import misp_contract
import misp_values
from misp_store import EventStore
from receiver_base import BaseReceiver, Reply

DEFAULT_KEY = "a" * 20 + "0123456789" + "b" * 10   # MISP auth keys: 40 alphanumerics
AUTH_FAILED = ("Authentication failed. Please make sure you pass the API key of an API enabled "
               "user along in the Authorization header.")
BAD_JSON = ("Invalid JSON input. Make sure that the JSON input is a correctly formatted JSON "
            "string. This request has been blocked to avoid an unfiltered request.")
ID = r"/([0-9]+|[0-9a-fA-F-]{36})"


class MispReceiver(BaseReceiver):
    def __init__(self, api_key=DEFAULT_KEY, strict=True, strict_values=False,
                 sharing_groups=("1",), host="127.0.0.1", port=0):
        if not re.fullmatch(r"[a-zA-Z0-9]{40}", api_key):
            raise ValueError("a MISP API key is 40 alphanumeric characters")
        super().__init__(host, port)
        self.api_key, self.strict, self.strict_values = api_key, strict, strict_values
        self.sharing_groups = {str(s) for s in sharing_groups}
        self.store = EventStore()
        self.violations = []      # (path, what) for requests outside the contract
        self.dropped = []         # {"path", "event_uuid", "errors"} per event saved with drops
        for method, pattern, handler in (
                ("POST", r"/events/add", self._add_event),
                ("POST", r"/events", self._add_event),
                ("POST", r"/events/edit" + ID, self._edit_event),
                ("PUT", r"/events/edit" + ID, self._edit_event),
                ("POST", r"/events" + ID, self._edit_event),
                ("PUT", r"/events" + ID, self._edit_event),
                ("GET", r"/events/view" + ID, self._view_event),
                ("GET", r"/events" + ID, self._view_event),
                ("POST", r"/events/restSearch", self._rest_search),
                ("POST", r"/attributes/add" + ID, self._add_attribute),
                ("POST", r"/objects/add" + ID, self._add_object),
                ("POST", r"/objects/add" + ID + ID, self._add_object),
                ("POST", r"/sightings/add", self._add_sighting),
                ("POST", r"/sightings/add" + ID, self._add_sighting)):
            self.route(method, pattern, handler)

    @property
    def events(self):
        """{id: event} as stored (and returned) by the receiver."""
        with self._lock:
            return dict(self.store.events)

    def reset_state(self):
        self.store = EventStore()
        self.violations = []
        self.dropped = []

    def _triage(self, rec, ev, errors, dropped):
        """Split MISP's drops into refusals (by strictness) and drops; returns (refuse, drops)
        with both in MISP's {"Attribute": {index: {field: [msg]}}} shape."""
        refuse, drops = dict(errors), {}
        for kind, entries in dropped.items():
            for index, (bad, structural) in entries.items():
                hard = self.strict if structural else self.strict_values
                (refuse if hard else drops).setdefault(kind, {})[index] = bad
        if drops and not refuse:
            self.dropped.append({"path": rec.path, "event_uuid": ev.get("uuid"),
                                 "errors": drops})
        return refuse, drops

    # ---- request contract ------------------------------------------------------------------
    def _error(self, status, name, rec):
        return Reply(status, {"name": name, "message": name, "url": rec.path})

    def _save_fail(self, rec, action, model, errors, ident=None):
        name = "Could not %s %s" % (action, model)
        body = {"saved": False, "name": name, "message": name,
                "url": "/%ss/%s" % (model.lower(), action) + ("/%s" % ident if ident else ""),
                "errors": errors}
        if ident:
            body["id"] = ident
        return Reply(403, body)

    def authenticate(self, rec):
        if rec.path.endswith(".json"):           # MISP: ".json" sets the format like Accept
            rec.path = rec.path[:-5]
            rec.headers.setdefault("accept", "application/json")
        if "application/json" not in rec.headers.get("accept", ""):
            self.violations.append((rec.path, "Accept is not application/json"))
            return Reply(302, None, {"Location": "/users/login"})
        key = rec.headers.get("authorization", "").strip()
        if key != self.api_key:
            self.counters["auth_failures"] += 1
            if key.lower().startswith("bearer "):
                self.violations.append((rec.path, "Authorization uses Bearer"))
            return self._error(403, AUTH_FAILED, rec)
        if rec.method in ("POST", "PUT"):
            if rec.json_error is not None:
                return self._error(405, BAD_JSON, rec)   # AppController::_jsonDecode
            if "application/json" not in rec.headers.get("content-type", ""):
                self.violations.append((rec.path, "Content-Type is not application/json"))
                rec.body = None                   # CakePHP only parses JSON bodies as JSON
        return None

    # ---- events ----------------------------------------------------------------------------
    def _add_event(self, rec):
        ev = misp_contract.unwrap_event(rec.body)
        if not ev:
            return self._error(405, "No valid event data received.", rec)
        errors, dropped, refusal = misp_contract.check_event(ev, True, self.sharing_groups)
        if refusal:
            return self._error(refusal[0], refusal[1], rec)
        refuse, dropped = self._triage(rec, ev, errors, dropped)
        if refuse:
            self.counters["events_refused"] += 1
            return self._save_fail(rec, "add", "Event", refuse)
        if ev.get("uuid") and self.store.find(str(ev["uuid"])):
            existing = self.store.find(str(ev["uuid"]))
            reply = self._error(404, "Event already exists, if you would like to edit it, use "
                                     "the url in the location header.", rec)
            reply.headers["Location"] = "/events/%s" % existing["id"]
            return reply
        stored = self.store.create(ev, dropped)
        self.counters["events_created"] += 1
        body = {"Event": stored}
        if dropped:
            body["errors"] = dropped
        return Reply(200, body)

    def _edit_event(self, rec, ident):
        stored = self.store.find(ident)
        if stored is None:
            return self._error(404, "Invalid event", rec)
        ev = misp_contract.unwrap_event(rec.body)
        if not isinstance(ev, dict):
            return self._error(405, "No valid event data received.", rec)
        errors, dropped, refusal = misp_contract.check_event(ev, False, self.sharing_groups)
        if refusal:
            return self._error(refusal[0], refusal[1], rec)
        if "timestamp" in ev and _int(ev["timestamp"]) <= int(stored["timestamp"]):
            return self._save_fail(rec, "edit", "Event", "Event could not be saved: Event in "
                                   "the request not newer than the local copy.", stored["id"])
        refuse, dropped = self._triage(rec, ev, errors, dropped)
        if refuse:
            return self._save_fail(rec, "edit", "Event", refuse, stored["id"])
        self.store.edit(stored, ev, dropped)
        self.counters["events_edited"] += 1
        body = {"Event": stored}
        if dropped:
            body["errors"] = dropped
        return Reply(200, body)

    def _view_event(self, rec, ident):
        stored = self.store.find(ident)
        if stored is None:
            return self._error(404, "Invalid event", rec)
        return Reply(200, {"Event": stored})

    def _rest_search(self, rec):
        body = rec.body if isinstance(rec.body, dict) else {}
        body = body.get("request", body)

        def wanted(name):
            v = body.get(name)
            return None if v is None else {str(x).lower() for x in
                                           (v if isinstance(v, list) else [v])}

        ids, uuids, values = wanted("eventid"), wanted("uuid"), wanted("value")
        found = []
        for ev in self.store.events.values():
            if ids is not None and ev["id"] not in ids and ev["uuid"] not in ids:
                continue
            if uuids is not None and ev["uuid"] not in uuids and not any(
                    a["uuid"] in uuids for a in self.store.attributes(ev)):
                continue
            if values is not None and not any(_like(a["value"], values)
                                              for a in self.store.attributes(ev)):
                continue
            found.append({"Event": ev})
        return Reply(200, {"response": found})

    # ---- attributes and sightings ----------------------------------------------------------
    def _add_attribute(self, rec, ident):
        stored = self.store.find(ident)
        if stored is None:
            return self._error(404, "Invalid event.", rec)
        body = rec.body
        if isinstance(body, dict) and "Attribute" in body:
            body = body["Attribute"]
        attrs = body if isinstance(body, list) else [body]
        if not body:
            return self._error(405, "No valid attribute data received.", rec)
        errors = {}
        for i, attr in enumerate(attrs):
            bad, _ = misp_contract.check_attribute(attr, self.sharing_groups)
            if not bad and any(
                    a["type"] == attr["type"] and a["object_id"] == "0" and not a["deleted"]
                    and a["value"] == misp_values.normalize(
                        a["type"], misp_contract.value_text(a["type"], attr["value"]))
                    for a in stored["Attribute"]):
                bad = {"value": [misp_contract.MSG["unique"]]}
            if bad:
                errors[str(i)] = bad
        if errors:
            return self._save_fail(rec, "add", "Attribute",
                                   errors if isinstance(body, list) else errors["0"])
        made = [self.store.make_attribute(a, stored["id"]) for a in attrs]
        stored["Attribute"] += made
        self.store._count(stored)
        self.counters["attributes_added"] += len(made)
        return Reply(200, {"Attribute": made if isinstance(body, list) else made[0]})

    def _add_object(self, rec, ident, template=None):
        """POST /objects/add/{event_id}[/{template_id}] (OpenAPI addObject): {"Object": {...}}
        or a bare object, with its Attribute list; the template is not looked up."""
        stored = self.store.find(ident)
        if stored is None:
            return self._error(404, "Invalid event.", rec)
        obj = rec.body.get("Object", rec.body) if isinstance(rec.body, dict) else rec.body
        errors, _ = misp_contract.check_object(obj, self.sharing_groups)
        if errors:
            return self._save_fail(rec, "add", "Object", errors)
        made = self.store.make_object(obj, stored["id"])
        stored.setdefault("Object", []).append(made)
        self.store._count(stored)
        self.counters["objects_added"] += 1
        return Reply(200, {"Object": made})

    def _add_sighting(self, rec, ident=None):
        body = rec.body if isinstance(rec.body, dict) else {}
        if ident:
            body = dict(body, id=ident)
        values = body.get("values") or ([body["value"]] if body.get("value") else [])
        targets = [a for a in self.store.attributes()
                   if a["id"] == str(body.get("id")) or a["uuid"] == str(body.get("uuid"))
                   or a["value"] in values]
        if not targets:
            return self._save_fail(rec, "add", "Sighting",
                                   "No valid attributes found that match the criteria.")
        made = []
        for attr in targets:
            sighting = self.store.make_sighting(body, attr)
            attr.setdefault("Sighting", []).append(sighting)
            made.append(sighting)
        self.counters["sightings_added"] += len(made)
        return Reply(200, {"Sighting": made[0]} if len(made) == 1 else
                     {"message": "%d sightings successfully added." % len(made)})


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return -1


def _like(value, patterns):
    """restSearch value matching: exact, or SQL-like with % wildcards, case-insensitive."""
    value = value.lower()
    return any(re.fullmatch(".*".join(map(re.escape, p.split("%"))), value) for p in patterns)
