#!/usr/bin/python3
"""Writes N Suricata EVE alert records (NDJSON) made from the corpus alerts.

The corpus alerts are cycled in order; each copy gets its own flow_id, a
timestamp one millisecond later than the previous record and the source
address's last octet varied, so that no two records are identical (which
would flatter any cache). Usage: gen_suricata.py CORPUS_DIR N > out.ndjson
"""
import glob
import json
import os
import sys


def corpus_alerts(corpus):
    alerts = []
    for path in sorted(glob.glob(os.path.join(corpus, "suricata-eve", "**", "*.json"), recursive=True)
                       + glob.glob(os.path.join(corpus, "suricata-eve", "**", "*.ndjson"), recursive=True)):
        if "/schema/" in path:
            continue
        text = open(path, encoding="utf-8").read()
        try:
            records = json.loads(text)
            records = records if isinstance(records, list) else [records]
        except json.JSONDecodeError:
            records = []
            for line in text.splitlines():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
        alerts += [r for r in records if isinstance(r, dict) and r.get("event_type") == "alert"]
    return alerts


def main():
    corpus, n = sys.argv[1], int(sys.argv[2])
    alerts = corpus_alerts(corpus)
    out = sys.stdout
    for i in range(n):
        r = dict(alerts[i % len(alerts)])
        r["flow_id"] = 1000000 + i
        ms = i % 1000
        secs = (i // 1000) % 60
        mins = (i // 60000) % 60
        r["timestamp"] = "2026-11-30T10:%02d:%02d.%03d000+0000" % (mins, secs, ms)
        src = r.get("src_ip", "")
        if src.count(".") == 3:
            a, b, c, _ = src.split(".")
            r["src_ip"] = "%s.%s.%s.%d" % (a, b, c, i % 250 + 1)
        out.write(json.dumps(r, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
