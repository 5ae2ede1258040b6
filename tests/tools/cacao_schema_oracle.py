#!/usr/bin/python3
"""Reference verdicts for CACAO 2.0 documents from the official OASIS schemas.

Validates documents against schemas/v2.0/playbook.json with jsonschema's
Draft7Validator (as the OASIS schemas declare), resolving every relative $ref
offline from a store that holds all schema files under their $id.

Usage:
  cacao_schema_oracle.py [--schemas DIR] FILE...   one verdict per file
  cacao_schema_oracle.py [--schemas DIR] < LINES   one verdict per JSON line
Prints "valid" or "invalid" per document (with --explain, the error paths
too, on the same line after a tab). A line or file that is not JSON prints
"error". Exits 0 unless the schemas cannot be loaded.
"""
import argparse
import json
import os

import jsonschema

import oracle_io

DEFAULT_SCHEMAS = os.path.join(
    os.environ.get("ATIO_CORPUS_DIR", "/work/shared/corpus"), "cacao2", "schemas", "v2.0")


def load_validator(schema_dir):
    store = {}
    root = None
    for dirpath, _, files in os.walk(schema_dir):
        for name in files:
            if not name.endswith(".json"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                schema = json.load(f)
            store[schema["$id"]] = schema
            if os.path.relpath(os.path.join(dirpath, name), schema_dir) == "playbook.json":
                root = schema
    if root is None:
        raise SystemExit("playbook.json not found in " + schema_dir)
    resolver = jsonschema.RefResolver(base_uri=root["$id"], referrer=root, store=store)
    return jsonschema.Draft7Validator(root, resolver=resolver)


def verdict(validator, doc, explain):
    errors = list(validator.iter_errors(doc))
    if not errors:
        return "valid"
    if not explain:
        return "invalid"
    paths = sorted("/" + "/".join(str(p) for p in e.absolute_path) + " " + e.message[:80]
                   for e in errors)
    return "invalid\t" + " | ".join(paths)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schemas", default=DEFAULT_SCHEMAS)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    validator = load_validator(args.schemas)
    oracle_io.judge(oracle_io.documents(args.files),
                    lambda doc: verdict(validator, doc, args.explain))

if __name__ == "__main__":
    main()
