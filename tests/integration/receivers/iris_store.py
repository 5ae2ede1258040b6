"""How the DFIR-IRIS stand-in stores alerts and renders them as IRIS's AlertSchema does.

Contract: AlertStore keeps alerts by integer id and renders each with the keys of the IRIS
examples (iris/examples/alerts_add.response.*.json, alerts_update_alert_id.response.*.json):
alert_* columns, nested severity / status / customer / classification / owner, iocs and
assets with their own ids and uuids, cases, comments, modification_history. Reference rows
(severities, alert statuses, TLPs, customers, classifications) are the ones IRIS seeds on a
fresh install (iris-web post_init.py), as atio's src/atio/cti/convert/iris_ids.h records them.
"""
import datetime
import itertools
import time
import uuid

SEVERITIES = {1: "Unspecified", 2: "Informational", 3: "Low", 4: "Medium", 5: "High",
              6: "Critical"}
ALERT_STATUSES = {1: "Unspecified", 2: "New", 3: "Assigned", 4: "In progress", 5: "Pending",
                  6: "Closed", 7: "Merged", 8: "Escalated"}
TLPS = {1: "red", 2: "amber", 3: "green", 4: "clear", 5: "amber+strict"}
CLASSIFICATIONS = {1: "abusive-content:spam", 36: "other:other"}   # names known from the docs
IOC_TYPES = {2: "aba-rtn", 4: "anonymised", 20: "domain", 25: "email-dst", 31: "email-src",
             37: "filename", 76: "ip-any", 77: "ip-dst", 79: "ip-src", 86: "mac-address",
             90: "md5", 96: "other", 111: "sha1", 112: "sha224", 113: "sha256",
             115: "sha3-256", 117: "sha3-512", 118: "sha384", 119: "sha512", 122: "sigma",
             124: "snort", 125: "ssdeep", 127: "stix2-pattern", 137: "tlsh", 141: "url",
             159: "yara"}
USER = {"id": 1, "user_name": "administrator", "user_login": "administrator",
        "user_email": "administrator@localhost"}
# The columns an alert request may set (the rest are set by IRIS).
ALERT_FIELDS = ("alert_title", "alert_description", "alert_source", "alert_source_ref",
                "alert_source_link", "alert_source_content", "alert_severity_id",
                "alert_status_id", "alert_context", "alert_source_event_time", "alert_note",
                "alert_tags", "alert_customer_id", "alert_classification_id",
                "alert_owner_id", "alert_resolution_status_id")


def now_iso():
    return datetime.datetime.utcnow().isoformat()


def parse_datetime(text):
    """marshmallow's DateTime field: ISO 8601, optionally with Z or an offset."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z")
                                               else text)
    except ValueError:
        return None


class AlertStore:
    def __init__(self, customers, first_alert_id=1):
        self.customers = customers
        self.alerts = {}
        self.cases = {}
        self._ids = {"alert": itertools.count(first_alert_id), "ioc": itertools.count(1),
                     "asset": itertools.count(1), "case": itertools.count(1)}

    def _history(self, alert, action):
        alert.setdefault("modification_history", {})["%.5f" % time.time()] = {
            "user": USER["user_name"], "user_id": USER["id"], "action": action}

    def _customer(self, cid):
        return {"customer_id": cid, "customer_name": self.customers.get(cid),
                "customer_description": None, "customer_sla": None,
                "client_uuid": str(uuid.uuid5(uuid.NAMESPACE_OID, "iris-customer-%s" % cid)),
                "custom_attributes": {}, "creation_date": None, "last_update_date": None}

    def _render_refs(self, a):
        sev, st = a["alert_severity_id"], a["alert_status_id"]
        a["severity"] = {"severity_id": sev, "severity_name": SEVERITIES.get(sev),
                         "severity_description": SEVERITIES.get(sev)}
        a["status"] = {"status_id": st, "status_name": ALERT_STATUSES.get(st),
                       "status_description": ALERT_STATUSES.get(st)}
        a["customer"] = self._customer(a["alert_customer_id"])
        cls = a.get("alert_classification_id")
        a["classification"] = None if cls is None else {
            "id": cls, "name": CLASSIFICATIONS.get(cls), "name_expanded": CLASSIFICATIONS.get(cls),
            "description": None, "creation_date": None}
        a["owner"] = dict(USER) if a.get("alert_owner_id") == USER["id"] else None
        res = a.get("alert_resolution_status_id")
        a["resolution_status"] = None if res is None else {
            "resolution_status_id": res, "resolution_status_name": None,
            "resolution_status_description": None}

    def make_ioc(self, ioc):
        tid = ioc.get("ioc_type_id")
        return {"ioc_id": next(self._ids["ioc"]), "ioc_uuid": str(uuid.uuid4()),
                "ioc_value": ioc.get("ioc_value"), "ioc_type_id": tid,
                "ioc_type": {"type_id": tid, "type_name": IOC_TYPES.get(tid),
                             "type_description": None, "type_taxonomy": None,
                             "type_validation_regex": None, "type_validation_expect": None},
                "ioc_tlp_id": ioc.get("ioc_tlp_id"), "ioc_description": ioc.get("ioc_description"),
                "ioc_tags": ioc.get("ioc_tags"), "ioc_enrichment": ioc.get("ioc_enrichment"),
                "custom_attributes": None, "ioc_misp": None, "user_id": None}

    def make_asset(self, asset):
        tid = asset.get("asset_type_id")
        out = {"asset_id": next(self._ids["asset"]), "asset_uuid": str(uuid.uuid4()),
               "asset_type": {"asset_id": tid, "asset_name": None, "asset_description": None,
                              "asset_icon_compromised": None,
                              "asset_icon_not_compromised": None}}
        for key in ("asset_name", "asset_description", "asset_type_id", "asset_ip",
                    "asset_domain", "asset_tags", "asset_enrichment"):
            out[key] = asset.get(key)
        out.update({"asset_compromise_status_id": None, "custom_attributes": None,
                    "analysis_status_id": None, "date_added": None, "date_update": None,
                    "user_id": None, "case_id": None, "asset_info": None})
        return out

    def create(self, body):
        aid = next(self._ids["alert"])
        alert = {"alert_id": aid, "alert_uuid": str(uuid.uuid4())}
        for field in ALERT_FIELDS:
            alert[field] = body.get(field)
        when = parse_datetime(body.get("alert_source_event_time"))
        alert["alert_source_event_time"] = when.isoformat() if when else now_iso()
        alert["alert_creation_time"] = now_iso()
        alert["iocs"] = [self.make_ioc(i) for i in body.get("alert_iocs") or []]
        alert["assets"] = [self.make_asset(x) for x in body.get("alert_assets") or []]
        alert["cases"], alert["comments"] = [], []
        self._history(alert, "Alert created")
        self._render_refs(alert)
        self.alerts[aid] = alert
        return alert

    def update(self, alert, body):
        changed = []
        for field in ALERT_FIELDS:
            if field in body and body[field] != alert.get(field):
                changed.append('"%s"' % field)
                alert[field] = body[field]
        if "alert_source_event_time" in body:
            alert["alert_source_event_time"] = parse_datetime(body[
                "alert_source_event_time"]).isoformat()
        # IRIS gives an unowned alert to the user who updates it, unless the update says -1.
        if body.get("alert_owner_id") in (-1, "-1"):
            alert["alert_owner_id"] = None
        elif alert.get("alert_owner_id") is None:
            alert["alert_owner_id"] = USER["id"]
        self._history(alert, "updated alert: " + ",".join(changed) if changed
                      else "updated alert")
        self._render_refs(alert)
        return alert

    def escalate(self, alert, body):
        cid = next(self._ids["case"])
        title = body.get("case_title") or alert["alert_title"]
        case = {"case_id": cid, "case_uuid": str(uuid.uuid4()),
                "case_name": "#%d - %s" % (cid, title), "case_customer": alert["alert_customer_id"],
                "case_description": "*Alert escalated by %s*\n\n### Escalation note\n\n%s"
                                    % (USER["user_name"], body.get("note") or ""),
                "open_date": datetime.date.today().isoformat(), "status_id": 0,
                "modification_history": {}, "case_soc_id": "", "state_id": None,
                "close_date": None, "classification_id": alert.get("alert_classification_id"),
                "closing_note": None, "owner_id": USER["id"], "user_id": USER["id"],
                "custom_attributes": None, "reviewer_id": None, "review_status_id": None,
                "severity_id": alert["alert_severity_id"]}
        self._history(case, "created")
        self.cases[cid] = case
        alert["alert_status_id"] = 8   # Escalated
        alert["cases"].append(cid)
        self._history(alert, "Alert escalated to case #%d" % cid)
        self._render_refs(alert)
        return case
