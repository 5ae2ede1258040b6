#!/usr/bin/env python3
"""Reads a GVM CSV results export with Python's csv module (an implementation
independent of atio's) and prints it as JSON for the converter tests:
{"header": [...], "rows": [{"line": <1-based first line>, "fields": {...}}]}."""
import csv
import json
import sys

with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    reader = csv.reader(f)
    header = next(reader)
    end = reader.line_num
    rows = []
    for fields in reader:
        rows.append({"line": end + 1, "fields": dict(zip(header, fields)), "count": len(fields)})
        end = reader.line_num
print(json.dumps({"header": header, "rows": rows}))
