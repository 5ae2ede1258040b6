#!/usr/bin/python3
"""Parses Prometheus text exposition (format 0.0.4) with Debian's
python3-prometheus-client, the reference parser, and prints what it read as
one JSON document: {"families": [{"name", "type", "help", "samples":
[{"name", "labels", "value"}]}]}. Non-finite values are printed as strings
("+Inf", "NaN"). Text the parser rejects: exit code 1 and the error on stderr.

Note: the parser names a counter family without its _total suffix; samples
keep their full names."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def value(v):
    if math.isfinite(v):
        return v
    return "NaN" if math.isnan(v) else ("+Inf" if v > 0 else "-Inf")


def main():
    text = sys.stdin.read()
    try:
        families = [{
            "name": f.name,
            "type": f.type,
            "help": f.documentation,
            "samples": [{"name": s.name, "labels": s.labels, "value": value(s.value)}
                        for s in f.samples],
        } for f in text_string_to_metric_families(text)]
    except Exception as e:  # the parser raises ValueError and others on bad text
        print(f"not valid exposition text: {e!r}", file=sys.stderr)
        return 1
    json.dump({"families": families}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
