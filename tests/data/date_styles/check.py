#!/usr/bin/env python3
"""Check the date_styles fixtures: texts, metadata.csv and expected.csv.

Usage: python3 check.py

* every text file is listed in metadata.csv (published = YYYY-MM-DD or empty)
  and has 60-150 words;
* every expected.csv row's text occurs in its file as a whole-word match, and
  the rows of one file occur in text order (each found after the previous
  one), so a repeated surface string needs as many occurrences as rows;
* type is DATE/DURATION/TIME/SET and value has a TIMEX3-like format for it;
* relative is true/false; durations are not relative; a non-relative row has a
  value; in the undated text a relative row has an empty value unless the value
  needs no publication date (XXXX-.. for a bare month-day, PRESENT_REF); in a
  dated text a relative row has a value and no XXXX year.

Exits non-zero on any problem.
"""
import csv
import datetime
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))

# the TIMEX3-like value formats are the seed gold's, so both fixtures follow one definition
sys.path.insert(0, os.path.join(HERE, "..", "..", "gold"))
from check_dates_gold import VALUE_RE  # noqa: E402


def main():
    errors = []
    with open(os.path.join(HERE, "metadata.csv"), encoding="utf-8", newline="") as fh:
        meta = {r["file"]: r["published"] for r in csv.DictReader(fh)}
    txts = sorted(f for f in os.listdir(HERE) if f.endswith(".txt"))
    if sorted(meta) != txts:
        errors.append(f"metadata.csv lists {sorted(meta)}, folder has {txts}")
    for f, pub in meta.items():
        if pub:
            try:
                datetime.date.fromisoformat(pub)
            except ValueError:
                errors.append(f"{f}: bad published date {pub!r}")
    if sum(1 for p in meta.values() if not p) != 1:
        errors.append("exactly one text should have no publication date")

    texts = {}
    for f in txts:
        with open(os.path.join(HERE, f), encoding="utf-8") as fh:
            texts[f] = fh.read()
        n = len(texts[f].split())
        if not 60 <= n <= 150:
            errors.append(f"{f}: {n} words, expected 60-150")

    with open(os.path.join(HERE, "expected.csv"), encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        cols = ["file", "text", "type", "value", "relative", "notes"]
        if reader.fieldnames != cols:
            errors.append(f"expected.csv columns {reader.fieldnames} != {cols}")
        rows = list(reader)

    pos = Counter()
    for i, r in enumerate(rows, start=2):
        f, s = r["file"], r["text"]
        where = f"expected.csv line {i} ({f}, {s!r})"
        if f not in texts:
            errors.append(f"{where}: no such text file")
            continue
        m = re.compile(r"(?<!\w)" + re.escape(s) + r"(?!\w)").search(texts[f], pos[f])
        if not m:
            errors.append(f"{where}: not found (as a whole word) after offset {pos[f]}")
        else:
            pos[f] = m.end()
        typ, v, rel = r["type"], r["value"], r["relative"]
        if typ not in VALUE_RE:
            errors.append(f"{where}: unknown type {typ!r}")
            continue
        if v and not VALUE_RE[typ].match(v):
            errors.append(f"{where}: value {v!r} is not a valid {typ} value")
        if rel not in ("true", "false"):
            errors.append(f"{where}: relative must be true/false")
        if typ == "DURATION" and rel != "false":
            errors.append(f"{where}: durations are not relative")
        if rel == "false" and not v:
            errors.append(f"{where}: absolute expression without value")
        pub = meta.get(f, "")
        if rel == "true":
            if not pub and v and not (v.startswith("XXXX") or v.endswith("_REF")):
                errors.append(f"{where}: undated text, relative value must be empty, "
                              f"XXXX-.. or *_REF, got {v!r}")
            if pub and (not v or v.startswith("XXXX")):
                errors.append(f"{where}: dated text ({pub}) needs a resolved value, got {v!r}")
        if "June 16" in s and v and not v.endswith("-06-16"):
            errors.append(f"{where}: June 16 must be YEAR-06-16, got {v!r}")

    per = Counter(r["file"] for r in rows)
    for f in txts:
        print(f"{f}: {per[f]} expressions, published {meta.get(f) or '(none)'}")
    print("by type: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(r['type'] for r in rows).items())))
    if errors:
        print(f"{len(errors)} problem(s):")
        for e in errors:
            print("  " + e)
        return 1
    print(f"OK: {len(rows)} expected expressions found in {len(txts)} texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
