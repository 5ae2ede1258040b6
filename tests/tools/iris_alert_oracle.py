#!/usr/bin/python3
"""Reference verdicts for DFIR-IRIS alert documents, from the IRIS OpenAPI.

Validates each document against the alert-creation request bodies of the
IRIS v2.1.0 OpenAPI fragments in the corpus (POST /api/v2/alerts in
resources/api_v2_alerts.yaml and the legacy POST /alerts/add in
resources/alerts_add.yaml) and each of its alert_iocs against
schemas/Ioc.yaml, with jsonschema's Draft202012Validator (OpenAPI 3.1
schemas are JSON Schema 2020-12). Relative $refs between the YAML files are
inlined offline.

Usage:
  iris_alert_oracle.py [--openapi DIR] < LINES   one verdict per JSON line
Prints "valid", or "invalid" and a tab and the first errors, per line; a line
that is not JSON prints "error". Exits 0 unless the schemas cannot be loaded.
"""
import argparse
import os

import jsonschema

import oracle_io
import yaml

DEFAULT_OPENAPI = os.path.join(
    os.environ.get("ATIO_CORPUS_DIR", "/work/shared/corpus"), "iris", "openapi", "v2.1.0")


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def inline(node, base_dir):
    """Replaces every {"$ref": "relative/file.yaml"} by the file's content."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            path = os.path.normpath(os.path.join(base_dir, ref))
            return inline(load(path), os.path.dirname(path))
        return {k: inline(v, base_dir) for k, v in node.items()
                if k not in ("example", "examples", "x-examples")}
    if isinstance(node, list):
        return [inline(v, base_dir) for v in node]
    return node


def request_schema(openapi_dir, resource):
    path = os.path.join(openapi_dir, "resources", resource)
    doc = load(path)
    schema = doc["post"]["requestBody"]["content"]["application/json"]["schema"]
    return inline(schema, os.path.dirname(path))


def validators(openapi_dir):
    out = []
    for resource in ("api_v2_alerts.yaml", "alerts_add.yaml"):
        schema = request_schema(openapi_dir, resource)
        jsonschema.Draft202012Validator.check_schema(schema)
        out.append(("POST " + resource, jsonschema.Draft202012Validator(schema)))
    ioc_path = os.path.join(openapi_dir, "schemas", "Ioc.yaml")
    ioc = inline(load(ioc_path), os.path.dirname(ioc_path))
    return out, jsonschema.Draft202012Validator(ioc)


def verdict(doc, alert_validators, ioc_validator):
    errors = []
    for name, v in alert_validators:
        for e in v.iter_errors(doc):
            errors.append(name + " /" + "/".join(str(p) for p in e.absolute_path) + ": " +
                          e.message[:120])
    if isinstance(doc, dict) and isinstance(doc.get("alert_iocs"), list):
        for i, ioc in enumerate(doc["alert_iocs"]):
            for e in ioc_validator.iter_errors(ioc):
                errors.append("Ioc /alert_iocs/%d/%s: %s" % (
                    i, "/".join(str(p) for p in e.absolute_path), e.message[:120]))
    if not errors:
        return "valid"
    return "invalid\t" + "; ".join(errors[:3])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--openapi", default=DEFAULT_OPENAPI)
    args = parser.parse_args()
    alert_validators, ioc_validator = validators(args.openapi)
    oracle_io.judge(oracle_io.documents([]),
                    lambda doc: verdict(doc, alert_validators, ioc_validator))


if __name__ == "__main__":
    main()
