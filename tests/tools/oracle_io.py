"""The input and output every reference checker in tests/tools shares.

documents(files) gives the JSON texts to judge: each file whole, or (with no
files) each non-blank line of standard input. judge(texts, verdict) prints
one line per text: "error" when it is not JSON, else verdict(document).
"""
import json
import sys


def documents(files):
    if files:
        out = []
        for path in files:
            with open(path, encoding="utf-8") as f:
                out.append(f.read())
        return out
    text = sys.stdin.buffer.read().decode("utf-8")
    return [line for line in text.split("\n") if line.strip()]


def judge(texts, verdict):
    sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    for text in texts:
        try:
            doc = json.loads(text)
        except ValueError:
            print("error")
            continue
        print(verdict(doc))
    sys.stdout.flush()
