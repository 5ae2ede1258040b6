"""The DFIR-IRIS alert request contract, read from IRIS's own OpenAPI 3.1 description.

Contract: RequestSchemas(corpus_dir) loads the request-body schemas of POST /api/v2/alerts,
PUT /api/v2/alerts/{identifier}, POST /alerts/add and POST /alerts/update/{alert_id} from
iris/openapi/v2.1.0/resources/*.yaml (python3-yaml), with every $ref to the schemas/*.yaml
fragments resolved into one JSON Schema. errors(name, body, required) validates a body with
python3-jsonschema (draft 2020-12, the dialect of OpenAPI 3.1) and returns the problems in the
shape IRIS's marshmallow schemas report them: {field: [message]}, nested fields as
{field: {index: {field: [message]}}}. An empty dict means the body is valid.
"""
import copy
import os

import jsonschema
import yaml

ALERT_RESOURCES = {
    "v2_create": ("api_v2_alerts.yaml", "post"),
    "v2_update": ("api_v2_alerts_{identifier}.yaml", "put"),
    "legacy_create": ("alerts_add.yaml", "post"),
    "legacy_update": ("alerts_update_{alert_id}.yaml", "post"),
}
# Columns of the IRIS Alert model that are NOT NULL without a default
# (iris-web source/app/models/alerts.py), so marshmallow-sqlalchemy requires them on load.
MODEL_REQUIRED = ("alert_title", "alert_severity_id", "alert_status_id", "alert_customer_id")
MISSING = "Missing data for required field."
TYPE_MESSAGES = {"integer": "Not a valid integer.", "string": "Not a valid string.",
                 "object": "Not a valid mapping type.", "array": "Not a valid list.",
                 "boolean": "Not a valid boolean.", "number": "Not a valid number."}
_NOT_JSON_SCHEMA = ("example", "examples", "x-examples")
# Free JSON in IRIS (JSON columns of the Alert, Ioc and CaseAssets models; alerts_add.yaml calls
# them "Free JSON representing the source alert", "Key-value JSON", "Free structured JSON").
# Some operations spell out the properties of their example instead; those are not a contract
# (the update example itself sends an integer where its schema says string), so only "object"
# is kept.
FREE_JSON = ("alert_source_content", "alert_context", "ioc_enrichment", "asset_enrichment")


def default_corpus_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.environ.get("ATIO_CORPUS_DIR"),
                      os.path.join(here, "../../../../shared/corpus"), "/work/shared/corpus"):
        if candidate and os.path.isdir(os.path.join(candidate, "iris")):
            return os.path.abspath(candidate)
    raise FileNotFoundError("shared corpus not found: set ATIO_CORPUS_DIR")


_LOADED = {}


def request_schemas(corpus_dir=None):
    """RequestSchemas of a corpus, loaded once per process (they are read-only)."""
    corpus_dir = os.path.abspath(corpus_dir or default_corpus_dir())
    if corpus_dir not in _LOADED:
        _LOADED[corpus_dir] = RequestSchemas(corpus_dir)
    return _LOADED[corpus_dir]


class RequestSchemas:
    def __init__(self, corpus_dir=None):
        self.base = os.path.join(corpus_dir or default_corpus_dir(), "iris/openapi/v2.1.0")
        self._files = {}
        self.schemas = {}
        for name, (resource, method) in ALERT_RESOURCES.items():
            path = os.path.join(self.base, "resources", resource)
            op = self._load(path)[method]
            schema = op["requestBody"]["content"]["application/json"]["schema"]
            self.schemas[name] = self._resolve(schema, path)
        # required fields are checked apart, so that the caller can widen the list
        self._validators = {n: jsonschema.Draft202012Validator(
            {k: v for k, v in s.items() if k != "required"}) for n, s in self.schemas.items()}

    def required(self, name):
        """The fields the OpenAPI operation lists as required."""
        return list(self.schemas[name].get("required", []))

    def _load(self, path):
        path = os.path.normpath(path)
        if path not in self._files:
            with open(path, encoding="utf-8") as f:
                self._files[path] = yaml.safe_load(f)
        return self._files[path]

    def _resolve(self, node, path):
        """A copy of node with each "$ref: relative.yaml[#/pointer]" replaced by its target."""
        if isinstance(node, list):
            return [self._resolve(x, path) for x in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            ref_file, _, pointer = node["$ref"].partition("#")
            target_path = os.path.join(os.path.dirname(path), ref_file) if ref_file else path
            target = self._load(target_path)
            for part in filter(None, pointer.split("/")):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            resolved = self._resolve(copy.deepcopy(target), target_path)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return dict(resolved, **self._resolve(siblings, path)) if siblings else resolved
        out = {k: self._resolve(v, path) for k, v in node.items() if k not in _NOT_JSON_SCHEMA}
        for name in FREE_JSON:
            if isinstance(out.get("properties"), dict) and name in out["properties"]:
                out["properties"][name] = {"type": "object"}
        return out

    def errors(self, name, body, required=None):
        """{field: [message]} for body against the named request schema. required (default:
        the operation's own list) replaces the schema's required fields."""
        if not isinstance(body, dict):
            return {"_schema": ["Invalid input type."]}
        out = {}
        for field in (self.required(name) if required is None else required):
            if field not in body:
                out[field] = [MISSING]
            elif body[field] is None:
                out[field] = ["Field may not be null."]
        errors = self._validators[name].iter_errors(body)
        for err in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
            path = [str(p) for p in err.absolute_path]
            if not path or path[0] in out:
                continue
            if err.validator == "type":
                wanted = err.validator_value
                wanted = wanted[0] if isinstance(wanted, list) else wanted
                message = TYPE_MESSAGES.get(wanted, err.message)
            else:
                message = err.message
            slot = out
            for part in path[:-1]:
                slot = slot.setdefault(part, {})
            slot.setdefault(path[-1], []).append(message)
        return out
