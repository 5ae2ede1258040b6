#!/usr/bin/python3
"""Reference verdicts for STIX 2.1 objects from the official OASIS JSON schemas.

Validates each object against the schema of its type (sdos/, sros/,
observables/, common/marking-definition.json, ...) with jsonschema's
Draft202012Validator, as the OASIS schemas declare, resolving every relative
$ref offline from a store that holds all schema files under their $id. No
format checker is used: the schemas' "format" keywords are annotations in
draft 2020-12. A bundle is checked as an envelope only (type, id, objects
being a non-empty array): its objects are checked one by one, each on its own
line, so that a verdict names one object.

With --bundles, each document is a whole bundle and gets one verdict: valid
when its envelope and every object of a type with a schema are valid
(objects of custom types are passed over).

Usage:
  stix_schema_oracle.py [--schemas DIR] [--explain] [--bundles] FILE...  one verdict per file
  stix_schema_oracle.py [--schemas DIR] [--explain] [--bundles] < LINES  one verdict per JSON line
Prints per document:
  valid     the schema of its type accepts it
  invalid   the schema of its type rejects it (with --explain, the error
            paths follow after a tab)
  noschema  not an object, or its type has no OASIS schema (custom types)
  error     the text is not JSON
Exits 0 unless the schemas cannot be loaded.
"""
import argparse
import copy
import json
import os

import jsonschema

import oracle_io

DEFAULT_SCHEMAS = os.path.join(
    os.environ.get("ATIO_CORPUS_DIR", "/work/shared/corpus"), "stix21-schemas", "schemas")


def load_validators(schema_dir):
    store = {}
    by_type = {}
    for dirpath, _, files in os.walk(schema_dir):
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                schema = json.load(f)
            store[schema["$id"]] = schema
            folder = os.path.basename(dirpath)
            stem = name[:-len(".json")]
            if folder in ("sdos", "sros", "observables") or stem in (
                    "marking-definition", "language-content", "extension-definition"):
                by_type[stem] = schema
    if "attack-pattern" not in by_type:
        raise SystemExit("no STIX schemas found in " + schema_dir)
    # The bundle envelope without the per-object anyOf: objects get their own verdicts.
    bundle = copy.deepcopy(store[
        "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"
        "common/bundle.json"])
    del bundle["properties"]["objects"]["items"]
    by_type["bundle"] = bundle

    validators = {}
    for type_name, schema in by_type.items():
        resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
        validators[type_name] = jsonschema.Draft202012Validator(schema, resolver=resolver)
    return validators


def verdict(validators, doc, explain):
    if not isinstance(doc, dict) or not isinstance(doc.get("type"), str):
        return "noschema"
    validator = validators.get(doc["type"])
    if validator is None:
        return "noschema"
    errors = list(validator.iter_errors(doc))
    if not errors:
        return "valid"
    if not explain:
        return "invalid"
    paths = sorted("/" + "/".join(str(p) for p in e.absolute_path) + " " + e.message[:100]
                   for e in errors)
    return "invalid\t" + " | ".join(paths)


def bundle_verdict(validators, doc, explain):
    envelope = verdict(validators, doc, explain)
    if envelope != "valid" or not isinstance(doc, dict) or doc.get("type") != "bundle":
        return "invalid" if envelope == "noschema" else envelope
    for i, obj in enumerate(doc.get("objects", [])):
        v = verdict(validators, obj, explain)
        if v.startswith("invalid"):
            return "invalid" + ("\t/objects/%d %s" % (i, v[len("invalid\t"):]) if explain else "")
    return "valid"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schemas", default=DEFAULT_SCHEMAS)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--bundles", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    validators = load_validators(args.schemas)
    judge = bundle_verdict if args.bundles else verdict
    oracle_io.judge(oracle_io.documents(args.files),
                    lambda doc: judge(validators, doc, args.explain))

if __name__ == "__main__":
    main()
