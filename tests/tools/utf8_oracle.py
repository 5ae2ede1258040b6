#!/usr/bin/env python3
"""UTF-8 verdicts from Python's strict decoder, one per hex-encoded line of stdin:
1 valid, 2 valid but cut short at the end, 0 not UTF-8."""
import sys

for line in sys.stdin:
    data = bytes.fromhex(line.strip())
    try:
        data.decode("utf-8")
        print(1)
    except UnicodeDecodeError as e:
        print(2 if e.reason == "unexpected end of data" else 0)
