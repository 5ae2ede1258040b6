#!/usr/bin/python3
"""Reference verdicts for STIX 2.1 bundles from the OASIS JSON schemas.

Checks each bundle's own shape (type, id, objects) and validates each of its
objects against the schema of its type (sdos/, sros/, observables/) with
jsonschema's Draft202012Validator,
resolving every $ref offline from a store that holds all schema files under
their $id. Objects of a type with no OASIS schema (custom objects) are checked
against the common core only: common/cyber-observable-core.json when an
observed-data of the bundle lists them, common/core.json otherwise.

Usage:
  stix_schema_oracle.py [--schemas DIR] < LINES   one verdict per JSON line
Prints "valid", or "invalid" and a tab and the first errors, per line; a line
that is not JSON prints "error". Exits 0 unless the schemas cannot be loaded.
"""
import argparse
import json
import os
import sys

import jsonschema

DEFAULT_SCHEMAS = os.path.join(
    os.environ.get("ATIO_CORPUS_DIR", "/work/shared/corpus"), "stix21-schemas", "schemas")


def load(schema_dir):
    store, by_name = {}, {}
    for dirpath, _, files in os.walk(schema_dir):
        for name in files:
            if not name.endswith(".json"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                schema = json.load(f)
            store[schema["$id"]] = schema
            by_name[os.path.relpath(os.path.join(dirpath, name), schema_dir)] = schema
    return store, by_name


def validator(store, schema):
    resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
    return jsonschema.Draft202012Validator(schema, resolver=resolver)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schemas", default=DEFAULT_SCHEMAS)
    args = parser.parse_args()
    store, by_name = load(args.schemas)
    by_type = {}
    for rel, schema in by_name.items():
        folder, file = os.path.split(rel)
        if folder in ("sdos", "sros", "observables"):
            by_type[file[:-len(".json")]] = validator(store, schema)
    core = validator(store, by_name["common/core.json"])
    sco_core = validator(store, by_name["common/cyber-observable-core.json"])
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except ValueError:
            print("error")
            continue
        errors = []
        if not (isinstance(doc, dict) and doc.get("type") == "bundle" and
                str(doc.get("id", "")).startswith("bundle--") and
                isinstance(doc.get("objects"), list) and doc["objects"]):
            errors.append("bundle: not a bundle with type, id and objects")
        objects = doc.get("objects", []) if isinstance(doc, dict) else []
        observed = set()
        for obj in objects:
            if isinstance(obj, dict) and obj.get("type") == "observed-data":
                observed.update(obj.get("object_refs", []))
        for obj in objects:
            t = obj.get("type", "") if isinstance(obj, dict) else ""
            custom_core = sco_core if isinstance(obj, dict) and obj.get("id") in observed else core
            v = by_type.get(t) or custom_core
            for e in v.iter_errors(obj):
                errors.append("%s /%s: %s" % (t, "/".join(map(str, e.absolute_path)),
                                              e.message[:120]))
        print("valid" if not errors else "invalid\t" + "; ".join(errors[:3]))


if __name__ == "__main__":
    main()
