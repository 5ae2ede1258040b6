"""A local stand-in for the DFIR-IRIS alert API, for atio's integration tests.

Contract: IrisReceiver checks each request against IRIS's documented request contract
(`Authorization: Bearer <key>`, a JSON body, the request-body schemas of IRIS's OpenAPI 3.1
description loaded from the shared corpus, the fields the IRIS Alert model requires, the
reference rows a fresh IRIS has) and answers with IRIS's status codes and shapes:
v2 (`/api/v2/alerts`): 201 / 200 with the bare alert, 400 {"message": "Data error", "data":
{field: [message]}}, 404 with an empty body; legacy (`/alerts/...`): 200 {"status": "success",
"message": "", "data": alert}, 400 {"status": "error", "message": ..., "data": []};
401 {"status": "error", "message": "Authentication required", "data": []} on a bad key, 403
"Permission denied" on a read-only key. See README.md for each endpoint and its source.
"""
import iris_contract
from iris_store import ALERT_STATUSES, SEVERITIES, TLPS, AlertStore, parse_datetime
from receiver_base import BaseReceiver, Reply

DEFAULT_KEY = "iris-test-api-key-0123456789abcdefABCDEF"
V2_READONLY = ("alert_id", "alert_customer_id", "alert_creation_time")


def _error(message, status=400, data=None):
    """IRIS's response_error: {"status": "error", "message", "data"}."""
    return Reply(status, {"status": "error", "message": message,
                          "data": [] if data is None else data})


def _success(data, message=""):
    return Reply(200, {"status": "success", "message": message, "data": data})


class IrisReceiver(BaseReceiver):
    def __init__(self, api_key=DEFAULT_KEY, read_only_key=None, required=None,
                 customers=None, classifications=range(1, 37), first_alert_id=1,
                 corpus_dir=None, host="127.0.0.1", port=0):
        super().__init__(host, port)
        self.api_key, self.read_only_key = api_key, read_only_key
        self.schemas = iris_contract.request_schemas(corpus_dir)
        # The OpenAPI required list plus the model's NOT NULL columns.
        self.required = list(required) if required is not None else list(dict.fromkeys(
            self.schemas.required("v2_create") + list(iris_contract.MODEL_REQUIRED)))
        self.customers = dict(customers or {1: "IrisInitialClient"})
        self.classifications = set(classifications)
        self._first_alert_id = first_alert_id
        self.store = AlertStore(self.customers, first_alert_id)
        self.violations = []
        for method, pattern, handler in (
                ("POST", r"/api/v2/alerts", self._v2_create),
                ("GET", r"/api/v2/alerts/(\d+)", self._v2_get),
                ("PUT", r"/api/v2/alerts/(\d+)", self._v2_update),
                ("DELETE", r"/api/v2/alerts/(\d+)", self._v2_delete),
                ("POST", r"/alerts/add", self._legacy_create),
                ("GET", r"/alerts/(\d+)", self._legacy_get),
                ("POST", r"/alerts/update/(\d+)", self._legacy_update),
                ("POST", r"/alerts/escalate/(\d+)", self._legacy_escalate),
                ("POST", r"/api/v2/cases/(\d+)/iocs", self._v2_case_add_ioc)):
            self.route(method, pattern, handler)

    @property
    def alerts(self):
        """{alert_id (int): alert} as stored (and returned) by the receiver."""
        with self._lock:
            return dict(self.store.alerts)

    @property
    def cases(self):
        with self._lock:
            return dict(self.store.cases)

    def reset_state(self):
        self.store = AlertStore(self.customers, self._first_alert_id)
        self.violations = []

    # ---- request contract ------------------------------------------------------------------
    def authenticate(self, rec):
        auth = rec.headers.get("authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
        if token is None and auth.strip() in (self.api_key, self.read_only_key):
            self.violations.append((rec.path, "Authorization without Bearer"))
        if token not in {self.api_key, self.read_only_key} - {None}:
            self.counters["auth_failures"] += 1
            return _error("Authentication required", 401)
        if token == self.read_only_key and rec.method != "GET":
            return _error("Permission denied", 403)
        if rec.method in ("POST", "PUT"):
            if "application/json" not in rec.headers.get("content-type", ""):
                self.violations.append((rec.path, "Content-Type is not application/json"))
                return Reply(415, {"message": "Did not attempt to load JSON data because the "
                                              "request Content-Type was not 'application/json'."})
            if rec.json_error is not None:
                return Reply(400, {"message": "Failed to decode JSON object: %s"
                                              % rec.json_error})
        return None

    def _check(self, schema, body, required):
        """marshmallow-style {field: [message]}: the OpenAPI schema, then what IRIS's database
        would refuse (unknown reference rows, a source time that is not a datetime)."""
        errors = self.schemas.errors(schema, body, required)
        if not isinstance(body, dict) or "_schema" in errors:
            return errors

        def bad(field, known, what):
            value = body.get(field)
            if field not in errors and value is not None and value not in known:
                errors[field] = ["Unknown %s id %r." % (what, value)]

        bad("alert_severity_id", SEVERITIES, "severity")
        bad("alert_status_id", ALERT_STATUSES, "alert status")
        bad("alert_classification_id", self.classifications, "classification")
        if "alert_source_event_time" not in errors and body.get("alert_source_event_time") \
                is not None and parse_datetime(body["alert_source_event_time"]) is None:
            errors["alert_source_event_time"] = ["Not a valid datetime."]
        if "alert_iocs" not in errors:
            for i, ioc in enumerate(body.get("alert_iocs") or []):
                if ioc.get("ioc_tlp_id") is not None and ioc["ioc_tlp_id"] not in TLPS:
                    errors.setdefault("alert_iocs", {})[str(i)] = {
                        "ioc_tlp_id": ["Unknown TLP id %r." % ioc["ioc_tlp_id"]]}
        return errors

    def _create(self, rec, schema):
        """(alert, None) or (None, (message, data)) for a create request."""
        body = rec.body
        errors = self._check(schema, body, self.required)
        if errors:
            self.counters["alerts_refused"] += 1
            return None, ("Data error", errors)
        if body["alert_customer_id"] not in self.customers:
            self.counters["alerts_refused"] += 1
            return None, ("User not entitled to create alerts for the client", None)
        self.counters["alerts_created"] += 1
        return self.store.create(body), None

    # ---- /api/v2/alerts --------------------------------------------------------------------
    def _v2_create(self, rec):
        alert, problem = self._create(rec, "v2_create")
        if problem:
            body = {"message": problem[0]}
            if problem[1]:
                body["data"] = problem[1]
            return Reply(400, body)
        return Reply(201, alert)

    def _v2_get(self, rec, ident):
        alert = self.store.alerts.get(int(ident))
        return Reply(200, alert) if alert else Reply(404)

    def _v2_update(self, rec, ident):
        alert = self.store.alerts.get(int(ident))
        if alert is None:
            return Reply(404)
        body = rec.body
        if isinstance(body, dict):
            body = {k: v for k, v in body.items() if k not in V2_READONLY}
        errors = self._check("v2_update", body, [])
        if errors:
            return Reply(400, {"message": "Data error", "data": errors})
        self.counters["alerts_updated"] += 1
        return Reply(200, self.store.update(alert, body))

    def _v2_delete(self, rec, ident):
        if self.store.alerts.pop(int(ident), None) is None:
            return Reply(404)
        return Reply(204)

    # ---- /api/v2/cases/{id}/iocs -------------------------------------------------------------
    def _v2_case_add_ioc(self, rec, ident):
        """An IOC added to a case (iris-web rest/v2 case IOCs, replacing the deprecated POST
        /case/ioc/add): IocSchema requires ioc_value (not blank), ioc_type_id and ioc_tlp_id
        (integers, TLP 1-5); 201 with the IOC; 404 for an unknown case."""
        case = self.store.cases.get(int(ident))
        if case is None:
            return Reply(404)
        body, errors = rec.body, {}
        if not isinstance(body, dict):
            return Reply(400, {"message": "Data error", "data": {"_schema": ["Invalid input type."]}})
        if not isinstance(body.get("ioc_value"), str) or not body["ioc_value"].strip():
            errors["ioc_value"] = ["Missing data for required field."]
        for field in ("ioc_type_id", "ioc_tlp_id"):
            if field not in body:
                errors[field] = ["Missing data for required field."]
            elif not isinstance(body[field], int) or isinstance(body[field], bool):
                errors[field] = ["Not a valid integer."]
        if "ioc_tlp_id" not in errors and body["ioc_tlp_id"] not in TLPS:
            errors["ioc_tlp_id"] = ["Unknown TLP id %r." % body["ioc_tlp_id"]]
        if errors:
            return Reply(400, {"message": "Data error", "data": errors})
        ioc = self.store.make_ioc(body)
        case.setdefault("iocs", []).append(ioc)
        self.counters["iocs_added"] += 1
        return Reply(201, ioc)

    # ---- legacy /alerts/... ----------------------------------------------------------------
    def _legacy_create(self, rec):
        if not rec.body:
            return _error("No JSON data provided")
        alert, problem = self._create(rec, "legacy_create")
        if problem:
            # alerts_add_route answers str(exception): a ValidationError prints its messages
            return _error(str(problem[1]) if problem[1] else problem[0])
        return _success(alert)

    def _legacy_get(self, rec, ident):
        alert = self.store.alerts.get(int(ident))
        if alert is None:
            return _error("Alert not found")
        return _success(dict(alert, related_alerts={}))

    def _legacy_update(self, rec, ident):
        if not rec.body:
            return _error("No JSON data provided")
        alert = self.store.alerts.get(int(ident))
        if alert is None:
            return _error("Alert not found")
        errors = self._check("legacy_update", rec.body, [])
        if errors:
            return _error(str(errors))
        self.counters["alerts_updated"] += 1
        return _success(self.store.update(alert, rec.body))

    def _legacy_escalate(self, rec, ident):
        alert = self.store.alerts.get(int(ident))
        if alert is None:
            return _error("Alert not found")
        if not isinstance(rec.body, dict):
            return _error("No JSON data provided")
        self.counters["alerts_escalated"] += 1
        return _success(self.store.escalate(alert, rec.body))
