#!/usr/bin/env python3
"""Verify tests/gold/quotes.csv against the seed articles.

Usage: python3 check_quotes_gold.py [SEEDS_DIR]

SEEDS_DIR defaults to ../../seeds relative to this script and falls back to
/work/shared/seeds. For every row the script checks that text[start:end],
text[speaker_start:speaker_end] and text[cue_start:cue_end] equal the
annotated strings (offsets are Python str indices into the file read as
UTF-8), that kind/source_type use the allowed labels, and that direct quotes
sit exactly between quotation marks. It prints the number of rows per file
and per kind and exits non-zero on any problem.
"""
import csv
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
CSV_PATH = os.path.join(HERE, "quotes.csv")
FALLBACK_SEEDS = "/work/shared/seeds"

COLUMNS = ["file", "kind", "quote", "start", "end", "speaker",
           "speaker_start", "speaker_end", "speaker_canonical", "role",
           "source_type", "country", "cue", "cue_start", "cue_end", "notes"]
KINDS = {"direct", "indirect", "according_to", "reported"}
SOURCE_TYPES = {"government", "media", "expert", "anonymous",
                "organisation", "other"}
OPEN_MARKS = "\"“‘"
CLOSE_MARKS = "\"”’"


def seeds_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    default = os.path.normpath(os.path.join(HERE, "..", "..", "seeds"))
    return default if os.path.isdir(default) else FALLBACK_SEEDS


def check_span(errors, where, text, label, value, start, end, required):
    if value == "" and start == "" and end == "":
        if required:
            errors.append(f"{where}: empty {label}")
        return
    try:
        s, e = int(start), int(end)
    except ValueError:
        errors.append(f"{where}: bad {label} offsets {start!r}:{end!r}")
        return
    if not (0 <= s < e <= len(text)):
        errors.append(f"{where}: {label} offsets {s}:{e} out of range")
        return
    if text[s:e] != value:
        errors.append(f"{where}: {label} mismatch: text[{s}:{e}]="
                      f"{text[s:e]!r} != {value!r}")


def main():
    sdir = seeds_dir()
    errors = []
    texts = {}
    with open(CSV_PATH, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            errors.append(f"columns are {reader.fieldnames}, expected {COLUMNS}")
        rows = list(reader)

    for i, r in enumerate(rows, start=2):  # line 1 is the header
        where = f"line {i} ({r.get('file')}, {r.get('kind')})"
        f = r["file"]
        if f not in texts:
            path = os.path.join(sdir, f)
            if not os.path.isfile(path):
                errors.append(f"{where}: seed file not found: {path}")
                continue
            with open(path, encoding="utf-8") as fh:
                texts[f] = fh.read()
        text = texts[f]
        if r["kind"] not in KINDS:
            errors.append(f"{where}: unknown kind {r['kind']!r}")
        if r["source_type"] not in SOURCE_TYPES:
            errors.append(f"{where}: unknown source_type {r['source_type']!r}")
        check_span(errors, where, text, "quote", r["quote"], r["start"],
                   r["end"], required=True)
        check_span(errors, where, text, "speaker", r["speaker"],
                   r["speaker_start"], r["speaker_end"], required=False)
        check_span(errors, where, text, "cue", r["cue"], r["cue_start"],
                   r["cue_end"], required=False)
        if r["kind"] == "direct" and r["start"].isdigit() and r["end"].isdigit():
            s, e = int(r["start"]), int(r["end"])
            if s == 0 or text[s - 1] not in OPEN_MARKS:
                errors.append(f"{where}: direct quote not preceded by an "
                              f"opening mark")
            if e >= len(text) or text[e] not in CLOSE_MARKS:
                errors.append(f"{where}: direct quote not followed by a "
                              f"closing mark")

    per_file = Counter(r["file"] for r in rows)
    per_kind = Counter(r["kind"] for r in rows)
    print(f"seeds: {sdir}")
    print(f"rows: {len(rows)}")
    print("per file:")
    for k in sorted(per_file):
        print(f"  {k}: {per_file[k]}")
    print("per kind:")
    for k in sorted(per_kind):
        print(f"  {k}: {per_kind[k]}")
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  " + e)
        return 1
    print("OK: all offsets match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
