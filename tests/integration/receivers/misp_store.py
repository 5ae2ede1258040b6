"""How the MISP stand-in turns an accepted request into the event MISP would store and return.

Contract: EventStore keeps events by numeric id (str) and answers like MISP's fetchEvent: ids
are numeric strings, timestamps epoch seconds as strings, booleans JSON booleans, defaults as
EventsController::add / Event::beforeValidate fill them (distribution 0, analysis 0,
threat_level_id 4, date today), attribute category/to_ids from describeTypes' sane defaults,
attribute distribution 5 (inherit). Values are stored as MISP normalises them.
"""
import copy
import datetime
import itertools
import time
import uuid

import misp_contract
import misp_types
import misp_values

ORG = {"id": "1", "name": "ORGNAME", "uuid": "c5de83b4-36ba-49d6-9530-2a315caeece6",
       "local": True}


def _now():
    return str(int(time.time()))


class EventStore:
    def __init__(self, user_email="admin@admin.test"):
        self.events = {}                  # id -> event dict (as MISP returns it)
        self.user_email = user_email
        self._ids = {k: itertools.count(1) for k in ("event", "attribute", "object", "sighting")}
        self._tag_ids = {}

    # ---- lookups ---------------------------------------------------------------------------
    def find(self, ident):
        """An event by numeric id or uuid, or None."""
        ident = str(ident)
        if ident in self.events:
            return self.events[ident]
        return next((e for e in self.events.values() if e["uuid"] == ident.lower()), None)

    def attributes(self, event=None):
        """Every attribute (object attributes included) of one event or of all events."""
        for ev in [event] if event else list(self.events.values()):
            yield from ev["Attribute"]
            for obj in ev["Object"]:
                yield from obj["Attribute"]

    # ---- building --------------------------------------------------------------------------
    def _tag(self, tag):
        name = tag["name"]
        tid = self._tag_ids.setdefault(name, str(len(self._tag_ids) + 1))
        return {"id": tid, "name": name, "colour": tag.get("colour", "#ffffff"),
                "exportable": True, "user_id": "0", "hide_tag": False,
                "numerical_value": tag.get("numerical_value"), "is_galaxy": False,
                "is_custom_galaxy": False, "local_only": False,
                "local": int(bool(tag.get("local")))}

    def make_attribute(self, attr, event_id, object_id="0", ts=None):
        a = copy.deepcopy(attr)
        category, to_ids = misp_types.default_for(a["type"])
        value = misp_values.normalize(a["type"], misp_contract.value_text(a["type"], a["value"]))
        out = {
            "id": str(next(self._ids["attribute"])), "type": a["type"],
            "category": a.get("category") or category,
            "to_ids": bool(int(a["to_ids"])) if "to_ids" in a else to_ids,
            "uuid": (a.get("uuid") or str(uuid.uuid4())).lower(), "event_id": event_id,
            "distribution": str(a.get("distribution", "5")),
            "timestamp": str(a.get("timestamp") or ts or _now()),
            "comment": a.get("comment") or "",
            "sharing_group_id": str(a.get("sharing_group_id") or "0"),
            "deleted": bool(a.get("deleted", False)),
            "disable_correlation": bool(a.get("disable_correlation", False)),
            "object_id": object_id, "object_relation": a.get("object_relation"),
            "first_seen": a.get("first_seen"), "last_seen": a.get("last_seen"),
            "value": value, "Galaxy": [], "ShadowAttribute": [],
        }
        if "data" in a:
            out["data"] = a["data"]
        if a.get("Tag"):
            out["Tag"] = [self._tag(t) for t in a["Tag"]]
        if a.get("Sighting"):
            out["Sighting"] = [self.make_sighting(s, out) for s in a["Sighting"]]
        return out

    def make_sighting(self, s, attr):
        return {"id": str(next(self._ids["sighting"])), "attribute_id": attr["id"],
                "event_id": attr["event_id"], "org_id": "1",
                "date_sighting": str(s.get("date_sighting") or s.get("timestamp") or _now()),
                "uuid": s.get("uuid") or str(uuid.uuid4()), "source": s.get("source", ""),
                "type": str(s.get("type", "0"))}

    def make_object(self, obj, event_id, ts=None):
        oid = str(next(self._ids["object"]))
        out = {k: obj.get(k, d) for k, d in (("name", ""), ("meta-category", ""),
                                              ("description", ""), ("template_uuid", None),
                                              ("template_version", None), ("comment", ""))}
        out.update({"id": oid, "event_id": event_id,
                    "uuid": (obj.get("uuid") or str(uuid.uuid4())).lower(),
                    "timestamp": str(obj.get("timestamp") or ts or _now()),
                    "distribution": str(obj.get("distribution", "5")),
                    "sharing_group_id": str(obj.get("sharing_group_id") or "0"),
                    "deleted": bool(obj.get("deleted", False)),
                    "first_seen": obj.get("first_seen"), "last_seen": obj.get("last_seen"),
                    "ObjectReference": copy.deepcopy(obj.get("ObjectReference", [])),
                    "Attribute": [self.make_attribute(a, event_id, oid, ts)
                                  for a in obj["Attribute"]]})
        return out

    def _kept(self, items, dropped):
        """items without the dropped ones; an object whose only errors are in some of its
        attributes is kept without those attributes, as MISP saves attributes one by one."""
        kept = []
        for i, item in enumerate(items or []):
            bad = (dropped or {}).get(str(i))
            if bad and set(bad) == {"Attribute"} and isinstance(bad["Attribute"], dict):
                item = dict(item, Attribute=self._kept(item["Attribute"], bad["Attribute"]))
                bad = None if item["Attribute"] else bad
            if not bad:
                kept.append(item)
        return kept

    def create(self, ev, dropped):
        """Store a validated event (without the entries in dropped); returns it."""
        eid = str(next(self._ids["event"]))
        ts = str(ev.get("timestamp") or _now())
        dist = misp_contract._s(ev.get("distribution", "0"))
        out = {
            "id": eid, "orgc_id": "1", "org_id": "1",
            "date": ev.get("date") or datetime.date.today().isoformat(),
            "threat_level_id": misp_contract._s(ev.get("threat_level_id", "4")),
            "info": ev["info"], "published": bool(int(ev.get("published", False))),
            "uuid": (ev.get("uuid") or str(uuid.uuid4())).lower(),
            "analysis": misp_contract.ANALYSIS_NAMES.get(ev.get("analysis"),
                                                         misp_contract._s(ev.get("analysis", "0"))),
            "timestamp": ts, "distribution": dist,
            "proposal_email_lock": False, "locked": bool(ev.get("locked", False)),
            "publish_timestamp": str(ev.get("publish_timestamp") or "0"),
            "sharing_group_id": misp_contract._s(ev.get("sharing_group_id", "0"))
            if dist == "4" else "0",
            "disable_correlation": bool(ev.get("disable_correlation", False)),
            "extends_uuid": ev.get("extends_uuid") or "", "protected": None,
            "event_creator_email": self.user_email, "Org": dict(ORG), "Orgc": dict(ORG),
            "Attribute": [self.make_attribute(a, eid, ts=ts)
                          for a in self._kept(ev.get("Attribute"), dropped.get("Attribute"))],
            "ShadowAttribute": [], "RelatedEvent": [],
            "Galaxy": copy.deepcopy(ev.get("Galaxy") or []),
            "Object": [self.make_object(o, eid, ts)
                       for o in self._kept(ev.get("Object"), dropped.get("Object"))],
            "EventReport": [], "CryptographicKey": [],
            "Tag": [self._tag(t) for t in self._kept(ev.get("Tag"), dropped.get("Tag"))],
        }
        self._count(out)
        self.events[eid] = out
        return out

    def _count(self, ev):
        ev["attribute_count"] = str(sum(1 for a in self.attributes(ev) if not a["deleted"]))

    def edit(self, stored, ev, dropped):
        """Apply an edit as Event::_edit does: fields not sent keep their value, attributes and
        objects are matched by uuid (updated) or added."""
        ts = str(ev.get("timestamp") or max(int(_now()), int(stored["timestamp"]) + 1))
        for field in ("info", "date", "published", "locked", "publish_timestamp",
                      "disable_correlation", "extends_uuid"):
            if field in ev:
                stored[field] = (bool(int(ev[field])) if field in ("published", "locked")
                                 else ev[field])
        for field in ("threat_level_id", "distribution", "sharing_group_id"):
            if field in ev:
                stored[field] = misp_contract._s(ev[field])
        if "analysis" in ev:
            stored["analysis"] = misp_contract.ANALYSIS_NAMES.get(
                ev["analysis"], misp_contract._s(ev["analysis"]))
        stored["timestamp"] = ts
        by_uuid = {a["uuid"]: a for a in stored["Attribute"]}
        for a in self._kept(ev.get("Attribute"), dropped.get("Attribute")):
            old = by_uuid.get(str(a.get("uuid", "")).lower())
            new = self.make_attribute(a, stored["id"], ts=ts)
            if old:
                new["id"] = old["id"]
                old.update(new)
            else:
                stored["Attribute"].append(new)
        objects = {o["uuid"]: o for o in stored["Object"]}
        for o in self._kept(ev.get("Object"), dropped.get("Object")):
            new = self.make_object(o, stored["id"], ts)
            old = objects.get(new["uuid"])
            if old:
                new["id"] = old["id"]
                for attr in new["Attribute"]:
                    attr["object_id"] = old["id"]
                old.update(new)
            else:
                stored["Object"].append(new)
        names = {t["name"] for t in stored["Tag"]}
        stored["Tag"] += [self._tag(t) for t in self._kept(ev.get("Tag"), dropped.get("Tag"))
                          if t["name"] not in names]
        if "Galaxy" in ev:
            stored["Galaxy"] = copy.deepcopy(ev["Galaxy"])
        self._count(stored)
        return stored
