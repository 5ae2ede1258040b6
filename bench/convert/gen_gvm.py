#!/usr/bin/python3
"""Writes one large GVM XML report (about MB megabytes) made from a corpus report.

The <result> elements of openvas/defectdojo/many_vuln.xml (a GMP 9 export)
are repeated with the host address varied (10.x.y.z), so the report names
many hosts and many findings, as a scan of a large network does.
Usage: gen_gvm.py CORPUS_DIR MB > report.xml
"""
import os
import re
import sys


def main():
    corpus, megabytes = sys.argv[1], float(sys.argv[2])
    text = open(os.path.join(corpus, "openvas", "defectdojo", "many_vuln.xml"), encoding="utf-8").read()
    results = re.findall(r"<result id=.*?</result>", text, flags=re.S)
    if not results:
        raise SystemExit("no <result> elements found")
    first = text.index(results[0])
    last = text.index(results[-1]) + len(results[-1])
    head, tail = text[:first], text[last:]
    out = sys.stdout
    out.write(head)
    written, n = len(head), 0
    target = megabytes * 1e6
    while written < target:
        r = results[n % len(results)]
        host = "10.%d.%d.%d" % ((n // 65536) % 256, (n // 256) % 256, n % 256)
        r = re.sub(r"(<host>\s*)[0-9a-fA-F:.]+", lambda m: m.group(1) + host, r, count=1)
        r = r.replace('<result id="', '<result id="%08x-' % n, 1)
        out.write(r)
        out.write("\n")
        written += len(r) + 1
        n += 1
    out.write(tail)


if __name__ == "__main__":
    main()
