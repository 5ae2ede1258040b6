#!/usr/bin/env python3
"""Tests of the MISP and DFIR-IRIS stand-ins themselves (unittest, Python 3 standard library
plus Debian's python3-yaml and python3-jsonschema). The IRIS tests are in
iris_receiver_tests.py and run from here.

Expected values come from the request data (corpus events and IRIS examples), from the
products' documentation (the IRIS OpenAPI files, read here independently of the receiver) and
from the error messages the products' sources use. Only 127.0.0.1 is contacted.
"""
import concurrent.futures
import copy
import glob
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import iris_contract  # noqa: E402
import misp_receiver  # noqa: E402
import misp_types  # noqa: E402
from http_call import call, misp_headers  # noqa: E402
from iris_receiver_tests import IrisTest  # noqa: E402,F401  (run with the MISP tests)
from misp_receiver import MispReceiver  # noqa: E402

CORPUS = iris_contract.default_corpus_dir()
MISP_EVENTS = sorted(glob.glob(os.path.join(CORPUS, "misp/events/*.json")))
MISP_PAIRS = os.path.join(CORPUS, "misp/misp-stix-pairs")
MISP_DOCS = os.path.join(CORPUS, "misp/misp-stix-mapping-docs")
KEY = misp_receiver.DEFAULT_KEY


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def event_of(doc):
    return doc.get("Event", doc)


def all_attributes(ev):
    return list(ev.get("Attribute", [])) + [a for o in ev.get("Object", [])
                                            for a in o.get("Attribute", [])]


def dropped_uuids(ev, errors):
    """uuids of the input attributes a MISP answer lists under "errors"."""
    out = set()
    for i, bad in (errors or {}).get("Attribute", {}).items():
        out.add(ev["Attribute"][int(i)].get("uuid"))
    for i, bad in (errors or {}).get("Object", {}).items():
        obj = ev["Object"][int(i)]
        inner = bad.get("Attribute") if set(bad) == {"Attribute"} else None
        for a_i, a in enumerate(obj["Attribute"]):
            if inner is None or str(a_i) in inner:
                out.add(a.get("uuid"))
    return out


class MispTest(unittest.TestCase):
    def setUp(self):
        self.misp = MispReceiver().start()
        self.addCleanup(self.misp.stop)

    def post(self, path, body, receiver=None, **headers):
        r = receiver or self.misp
        return call(r.url, "POST", path, body, misp_headers(r.api_key, **headers))

    def assert_refused(self, resp, *field_path, action="add"):
        self.assertEqual(resp.status, 403, resp.body)
        self.assertEqual(resp.body["saved"], False)
        self.assertEqual(resp.body["name"], "Could not %s Event" % action)
        self.assertEqual(resp.body["message"], resp.body["name"])
        node = resp.body["errors"]
        for part in field_path:
            self.assertIn(part, node, resp.body)
            node = node[part]
        self.assertTrue(node and all(isinstance(m, str) for m in node), resp.body)

    def test_every_corpus_event_is_accepted_and_gets_an_id(self):
        self.assertEqual(len(MISP_EVENTS), 9)
        ids = set()
        for path in MISP_EVENTS:
            with self.subTest(event=os.path.basename(path)):
                doc = load(path)
                ev = event_of(doc)
                resp = self.post("/events/add", doc)
                self.assertEqual(resp.status, 200, resp.body)
                got = resp.body["Event"]
                self.assertRegex(got["id"], r"^[0-9]+$")
                ids.add(got["id"])
                self.assertEqual((got["uuid"], got["info"]), (ev["uuid"], ev["info"]))
                dropped = dropped_uuids(ev, resp.body.get("errors"))
                sent = {a["uuid"] for a in all_attributes(ev) if not a.get("deleted")}
                stored = {a["uuid"] for a in all_attributes(got)}
                self.assertEqual(stored, sent - dropped)
                self.assertEqual(int(got["attribute_count"]), len(sent - dropped))
                self.assertTrue(all(a["id"].isdigit() for a in all_attributes(got)))
                view = call(self.misp.url, "GET", "/events/view/" + got["id"], None,
                            misp_headers(KEY))
                self.assertEqual(view.body, {"Event": got})
                if dropped:   # MISP drops only values of a wrong format; strict_values refuses
                    for bad in self.misp.dropped[-1]["errors"].get("Object", {}).values():
                        self.assertTrue(all(set(e) == {"value"} for e in
                                            bad["Attribute"].values()))
                    with MispReceiver(strict_values=True) as strict:
                        self.assertEqual(self.post("/events/add", doc, strict).status, 403)
        self.assertEqual(len(ids), len(MISP_EVENTS))

    def test_misp_stix_test_events_are_accepted(self):
        for name in ("test_events_collection_1.json", "test_events_collection_2.json"):
            for item in load(os.path.join(MISP_PAIRS, name))["response"]:
                resp = self.post("/events", item)   # the REST alias of /events/add
                self.assertEqual(resp.status, 200, resp.body)
                self.assertNotIn("errors", resp.body)
        self.assertEqual(self.misp.dropped, [])

    def test_mapping_doc_examples_are_accepted_when_their_types_exist(self):
        ev = self.post("/events/add", {"Event": {"info": "mapping examples"}}).body["Event"]
        for name, pair in load(os.path.join(MISP_DOCS, "misp_attributes_to_stix21.json")).items():
            for attr in pair["MISP"] if isinstance(pair["MISP"], list) else [pair["MISP"]]:
                resp = self.post("/attributes/add/" + ev["id"], attr)
                known = attr["type"] in misp_types.TYPES
                self.assertEqual(resp.status, 200 if known else 403, (name, resp.body))
                if not known:
                    self.assertEqual(resp.body["errors"]["type"], ["Invalid type."])
        for name, pair in load(os.path.join(MISP_DOCS, "misp_objects_to_stix21.json")).items():
            items = pair["MISP"] if isinstance(pair["MISP"], list) else [pair["MISP"]]
            objects = [o for o in items if "name" in o and "Attribute" in o]
            known = all(a["type"] in misp_types.TYPES for o in objects for a in o["Attribute"])
            resp = self.post("/events/add", {"info": name, "Object": objects,
                                             "Attribute": [a for a in items if "name" not in a]})
            self.assertEqual(resp.status, 200 if known else 403, (name, resp.body))

    def test_broken_events_are_refused_naming_the_field(self):
        base = event_of(load(os.path.join(CORPUS,
                                          "misp/events/circl-osint-ransomware-xorist.json")))
        obj = {"name": "file", "Attribute": [{"type": "filename", "value": "a.exe",
                                              "object_relation": "filename"}]}

        def broken(change):
            ev = copy.deepcopy(base)
            ev["Object"] = [copy.deepcopy(obj)]
            change(ev)
            return {"Event": ev}

        cases = [
            (lambda e: e.pop("info"), ("Event", "info")),
            (lambda e: e.update(info="  "), ("Event", "info")),
            (lambda e: e.update(date="2016/08/29"), ("Event", "date")),
            (lambda e: e.update(date="2016-02-30"), ("Event", "date")),
            (lambda e: e.update(threat_level_id="5"), ("Event", "threat_level_id")),
            (lambda e: e.update(analysis=3), ("Event", "analysis")),
            (lambda e: e.update(distribution=5), ("Event", "distribution")),
            (lambda e: e.update(uuid="not-a-uuid"), ("Event", "uuid")),
            (lambda e: e.update(published="yes"), ("Event", "published")),
            (lambda e: e["Attribute"][0].pop("type"), ("Attribute", "0", "type")),
            (lambda e: e["Attribute"][1].update(type="no-such-type"), ("Attribute", "1", "type")),
            (lambda e: e["Attribute"][0].pop("value"), ("Attribute", "0", "value")),
            (lambda e: e["Attribute"][0].update(category="Nonsense"),
             ("Attribute", "0", "category")),
            (lambda e: e["Attribute"][0].update(type="md5", category="Person"),
             ("Attribute", "0", "type")),
            (lambda e: e["Attribute"][2].update(uuid="1234"), ("Attribute", "2", "uuid")),
            (lambda e: e["Attribute"][0].update(to_ids="yes"), ("Attribute", "0", "to_ids")),
            (lambda e: e["Attribute"][0].update(distribution="7"),
             ("Attribute", "0", "distribution")),
            (lambda e: e["Object"][0].pop("name"), ("Object", "0", "name")),
            (lambda e: e["Object"][0].update(Attribute=[]), ("Object", "0", "Attribute")),
            (lambda e: e["Object"][0]["Attribute"][0].pop("object_relation"),
             ("Object", "0", "Attribute", "0", "object_relation")),
            (lambda e: e["Tag"][0].pop("name"), ("Tag", "0", "name")),
        ]
        for change, field in cases:
            with self.subTest(field=field):
                self.assert_refused(self.post("/events/add", broken(change)), *field)
        self.assertEqual(self.misp.events, {})
        # distribution 4 needs a sharing group the user may use (EventsController::add)
        resp = self.post("/events/add", broken(lambda e: e.update(distribution="4")))
        self.assertEqual((resp.status, resp.body["name"]),
                         (405, "Invalid Sharing Group or not authorised."))
        ok = self.post("/events/add", broken(lambda e: e.update(distribution=4,
                                                                 sharing_group_id="1")))
        self.assertEqual(ok.status, 200, ok.body)

    def test_a_value_of_the_wrong_format_is_dropped_as_misp_does(self):
        ev = {"info": "x", "Attribute": [{"type": "md5", "value": "xyz"},
                                         {"type": "ip-dst", "value": "198.51.100.7"}]}
        resp = self.post("/events/add", ev)
        self.assertEqual(resp.status, 200)
        self.assertIn("value", resp.body["errors"]["Attribute"]["0"])
        self.assertEqual([a["value"] for a in resp.body["Event"]["Attribute"]], ["198.51.100.7"])
        self.assertEqual(len(self.misp.dropped), 1)
        with MispReceiver(strict_values=True) as strict:
            self.assert_refused(self.post("/events/add", ev, strict), "Attribute", "0", "value")

    def test_a_wrong_or_missing_key_is_refused(self):
        ev = {"Event": {"info": "x"}}
        for headers in ({"Authorization": "B" * 40}, {"Authorization": "Bearer " + KEY}, {}):
            hdrs = dict(misp_headers(KEY), **headers)
            if not headers:
                del hdrs["Authorization"]
            resp = call(self.misp.url, "POST", "/events/add", ev, hdrs)
            self.assertEqual(resp.status, 403)
            self.assertEqual(resp.body, {"name": misp_receiver.AUTH_FAILED,
                                         "message": misp_receiver.AUTH_FAILED,
                                         "url": "/events/add"})
        self.assertEqual(self.misp.events, {})
        self.assertIn(("/events/add", "Authorization uses Bearer"), self.misp.violations)
        no_json = call(self.misp.url, "GET", "/events/view/1", None, {"Authorization": KEY})
        self.assertEqual(no_json.status, 302)

    def test_request_format(self):
        bad = call(self.misp.url, "POST", "/events/add", None, misp_headers(KEY), raw=b"{x")
        self.assertEqual((bad.status, bad.body["name"]), (405, misp_receiver.BAD_JSON))
        plain = self.post("/events/add", {"info": "x"}, **{"Content-Type": "text/plain"})
        self.assertEqual((plain.status, plain.body["name"]), (405, "No valid event data received."))
        self.assertIn(("/events/add", "Content-Type is not application/json"),
                      self.misp.violations)
        suffix = call(self.misp.url, "POST", "/events/add.json", {"info": "x"},
                      {"Authorization": KEY, "Content-Type": "application/json"})
        self.assertEqual(suffix.status, 200)

    def test_edit(self):
        made = self.post("/events/add", {"info": "first", "timestamp": "1000"}).body["Event"]
        unknown = self.post("/events/edit/999", {"Event": {"info": "x"}})
        self.assertEqual((unknown.status, unknown.body["name"]), (404, "Invalid event"))
        self.assert_refused(self.post("/events/edit/" + made["id"], {"info": "x",
                                                                     "timestamp": "1000"}),
                            action="edit")
        self.assert_refused(self.post("/events/edit/" + made["id"], {"date": "tomorrow"}),
                            "Event", "date", action="edit")
        edited = self.post("/events/edit/" + made["uuid"], {"Event": {
            "info": "second", "Attribute": [{"type": "domain", "value": "Example.COM."}]}})
        self.assertEqual(edited.status, 200, edited.body)
        got = edited.body["Event"]
        self.assertEqual((got["id"], got["info"]), (made["id"], "second"))
        self.assertGreater(int(got["timestamp"]), 1000)
        self.assertEqual(got["Attribute"][0]["value"], "example.com")   # MISP normalises
        self.assertEqual(call(self.misp.url, "GET", "/events/" + made["id"], None,
                              misp_headers(KEY)).body, {"Event": got})

    def test_idempotent_retry(self):
        ev = {"Event": {"info": "retried", "uuid": "5b0d1e2c-0000-4000-8000-000000000001"}}
        first = self.post("/events/add", ev, **{"Idempotency-Key": "k1"})
        self.post("/events/edit/" + first.body["Event"]["id"], {"info": "changed since"})
        again = self.post("/events/add", ev, **{"Idempotency-Key": "k1"})
        self.assertEqual((again.status, again.body), (first.status, first.body))
        self.assertEqual(again.headers.get("idempotent-replayed"), "true")
        self.assertEqual(len(self.misp.events), 1)
        self.assertEqual(again.body["Event"]["info"], "retried")   # the first answer
        self.assertEqual([r.replayed for r in self.misp.requests_to("/events/add")],
                         [False, True])
        # a new key for the same event uuid: MISP answers 404 with the event's location
        dup = self.post("/events/add", ev, **{"Idempotency-Key": "k2"})
        self.assertEqual(dup.status, 404)
        self.assertEqual(dup.headers["location"], "/events/" + first.body["Event"]["id"])
        # the answer is lost after processing; the retry with the same key gets it
        self.misp.inject_faults(1, status=502, after_processing=True)
        ev2 = {"Event": {"info": "lost answer"}}
        self.assertEqual(self.post("/events/add", ev2, **{"Idempotency-Key": "k3"}).status, 502)
        retry = self.post("/events/add", ev2, **{"Idempotency-Key": "k3"})
        self.assertEqual(retry.status, 200)
        self.assertEqual(len(self.misp.events), 2)
        self.assertEqual(self.misp.idempotency[("POST", "/events/add", "k3")]["hits"], 2)
        self.assertEqual(self.misp.idempotency_conflicts, [])

    def test_concurrent_requests(self):
        def post(body, key):
            return self.post("/events/add", body, **{"Idempotency-Key": key})

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            distinct = list(pool.map(post, [{"info": "e%d" % i} for i in range(16)],
                                     ["d%d" % i for i in range(16)]))
            same = list(pool.map(post, [{"info": "same"}] * 8, ["s"] * 8))
        self.assertEqual(len({r.body["Event"]["id"] for r in distinct}), 16)
        self.assertEqual({r.body["Event"]["id"] for r in same}, {same[0].body["Event"]["id"]})
        self.assertEqual(len(self.misp.events), 17)

    def test_attributes_search_and_sightings(self):
        ev = self.post("/events/add", {"info": "s"}).body["Event"]
        added = self.post("/attributes/add/" + ev["id"],
                          {"Attribute": {"type": "ip-dst", "value": "203.0.113.9"}})
        self.assertEqual(added.status, 200, added.body)
        attr = added.body["Attribute"]
        self.assertEqual((attr["category"], attr["to_ids"]), ("Network activity", True))
        self.assertEqual(self.post("/attributes/add/" + ev["id"], attr).status, 403)  # dup
        self.assertEqual(self.post("/attributes/add/77", attr).status, 404)
        for query in ({"value": "203.0.113.9"}, {"eventid": ev["id"]}, {"uuid": attr["uuid"]},
                      {"value": "203.0.113.%"}):
            found = self.post("/events/restSearch", dict(query, returnFormat="json")).body
            self.assertEqual([e["Event"]["id"] for e in found["response"]], [ev["id"]], query)
        self.assertEqual(self.post("/events/restSearch", {"value": "x"}).body["response"], [])
        sight = self.post("/sightings/add", {"value": "203.0.113.9", "source": "atio"})
        self.assertEqual(sight.body["Sighting"]["attribute_id"], attr["id"])
        self.assertEqual(self.post("/sightings/add", {"value": "nope"}).status, 403)
        rec = self.misp.requests_to("/attributes/add/" + ev["id"])[0]
        self.assertEqual((rec.method, rec.headers["authorization"], rec.body["Attribute"]["value"]),
                         ("POST", KEY, "203.0.113.9"))

    def test_objects(self):
        ev = self.post("/events/add", {"info": "o"}).body["Event"]
        obj = {"name": "domain-ip", "meta-category": "network",
               "Attribute": [{"object_relation": "domain", "type": "domain",
                              "value": "Example.ORG"}]}
        added = self.post("/objects/add/" + ev["id"], {"Object": obj})
        self.assertEqual(added.status, 200, added.body)
        made = added.body["Object"]
        self.assertEqual((made["event_id"], made["Attribute"][0]["value"]), (ev["id"], "example.org"))
        self.assertEqual(self.post("/objects/add/%s/1" % ev["id"], obj).status, 200)  # bare, template
        refused = self.post("/objects/add/" + ev["id"], {"Object": {"name": "x", "Attribute": []}})
        self.assertEqual(refused.status, 403)
        self.assertIn("Attribute", refused.body["errors"])
        self.assertEqual(self.post("/objects/add/77", {"Object": obj}).status, 404)
        self.assertEqual(len(self.misp.events[ev["id"]]["Object"]), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
