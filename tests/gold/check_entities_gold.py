#!/usr/bin/env python3
"""Verify tests/gold/entities.csv against the seed articles.

Usage: python3 check_entities_gold.py [SEEDS_DIR]

SEEDS_DIR defaults to ../../seeds relative to this script and falls back to
/work/shared/seeds. Offsets are Python str indices into the file read with
open(path, encoding="utf-8").read(), half-open (text[start:end]).

Checks, for every row:
  * the columns are exactly the expected ones;
  * text[start:end] == the `text` column;
  * the span has no leading/trailing whitespace or punctuation and does not
    end in a possessive ('s / ’s);
  * label is one of PERSON ORG GPE LOC NORP FAC;
  * canonical is non-empty; canonical_government is only used on GPE rows and
    only with an allowed value; country is only used on NORP rows;
  * rows of a file are in text order and do not overlap;
  * no row lies inside the page furniture that is not annotated.
Prints counts per label, per file and per file x label, and exits non-zero
on any problem.
"""
import csv
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
CSV_PATH = os.path.join(HERE, "entities.csv")
FALLBACK_SEEDS = "/work/shared/seeds"

COLUMNS = ["file", "text", "start", "end", "label", "canonical",
           "canonical_government", "country", "notes"]
LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
GOVERNMENTS = {"Russia", "United States", "China"}
# canonical spellings that must be used for these surfaces (cross-file identity)
REQUIRED_CANON = {
    ("GPE", "US"): "United States", ("GPE", "United States"): "United States",
    ("GPE", "America"): "United States", ("GPE", "U.S."): "United States",
    ("PERSON", "Sergey Ryabkov"): "Sergei Ryabkov",
    ("PERSON", "Ryabkov"): "Sergei Ryabkov",
    ("PERSON", "Biden"): "Joe Biden",
    ("ORG", "WSJ"): "The Wall Street Journal",
    ("ORG", "Wall Street Journal"): "The Wall Street Journal",
    ("ORG", "Journal"): "The Wall Street Journal",
    ("ORG", "CSTO"): "Collective Security Treaty Organization",
    ("ORG", "CENTCOM"): "US Central Command",
}
# page furniture that is not annotated (regexes, searched with re.M)
EXCLUDED = {
    "000_dedd1b58b1b4978b.txt": [r"^IP-", r"Iran PressCommentary:",
                                 r"Related News:\n\n[^\n]*",
                                 r"Read More:\n\n[\s\S]*\Z"],
    "001_b304420120629e83.txt": [r"Leave a Reply",
                                 r"Your email address will not be published\."],
    "002_0d4f919a10850eaa.txt": [r"date 2021-08-20", r"\(Image: AP\)"],
    "003_f93a9d38d73ec396.txt": [
        r"^News[^\n]*Editor's Choice",
        r"US troops leave their vehicles[^\n]*\(File photo by Stars and Stripes\)",
        r"Press TV’s website can also be accessed at the following alternate addresses:",
        r"Press TV News Roku"],
    "004_0c706563df38222f.txt": [
        r"Author: Dave DeCamp",
        r"Dave DeCamp is the news editor of Antiwar\.com, follow him on Twitter @decampdave\."],
}


def seeds_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    default = os.path.normpath(os.path.join(HERE, "..", "..", "seeds"))
    return default if os.path.isdir(default) else FALLBACK_SEEDS


def main():
    sdir = seeds_dir()
    errors = []
    texts, excluded = {}, {}
    with open(CSV_PATH, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            errors.append(f"columns are {reader.fieldnames}, expected {COLUMNS}")
        rows = list(reader)

    last_end = {}
    for i, r in enumerate(rows, start=2):  # line 1 is the header
        where = f"line {i} ({r.get('file')}, {r.get('text')!r})"
        f = r["file"]
        if f not in texts:
            path = os.path.join(sdir, f)
            if not os.path.isfile(path):
                errors.append(f"{where}: seed file not found: {path}")
                continue
            with open(path, encoding="utf-8") as fh:
                texts[f] = fh.read()
            spans = []
            for pat in EXCLUDED.get(f, []):
                m = re.search(pat, texts[f], re.M)
                if m:
                    spans.append((m.start(), m.end()))
                else:
                    errors.append(f"{f}: furniture pattern not found: {pat!r}")
            excluded[f] = spans
        text = texts[f]
        label = r["label"]
        if label not in LABELS:
            errors.append(f"{where}: unknown label {label!r}")
        try:
            s, e = int(r["start"]), int(r["end"])
        except ValueError:
            errors.append(f"{where}: bad offsets {r['start']!r}:{r['end']!r}")
            continue
        if not (0 <= s < e <= len(text)):
            errors.append(f"{where}: offsets {s}:{e} out of range")
            continue
        if text[s:e] != r["text"]:
            errors.append(f"{where}: mismatch text[{s}:{e}]={text[s:e]!r}")
        span = r["text"]
        if span != span.strip() or span[:1] in ".,;:!?\"“”‘’'()-" \
                or span[-1:] in ".,;:!?\"“”‘’'()-":
            errors.append(f"{where}: span has surrounding whitespace/punctuation")
        if span.endswith("'s") or span.endswith("’s"):
            errors.append(f"{where}: possessive inside span")
        if s > 0 and (text[s - 1].isalnum()) or e < len(text) and text[e].isalnum():
            errors.append(f"{where}: span cuts through a word")
        if not r["canonical"]:
            errors.append(f"{where}: empty canonical")
        want = REQUIRED_CANON.get((label, span))
        if want and r["canonical"] != want:
            errors.append(f"{where}: canonical {r['canonical']!r}, expected {want!r}")
        gov = r["canonical_government"]
        if gov and (label != "GPE" or gov not in GOVERNMENTS):
            errors.append(f"{where}: bad canonical_government {gov!r} for {label}")
        if r["country"] and label != "NORP":
            errors.append(f"{where}: country set on a {label} row")
        if f in last_end and s < last_end[f]:
            errors.append(f"{where}: out of order or overlapping previous row")
        last_end[f] = e
        for a, b in excluded.get(f, []):
            if s < b and a < e:
                errors.append(f"{where}: inside excluded page furniture {a}:{b}")

    per_file = Counter(r["file"] for r in rows)
    per_label = Counter(r["label"] for r in rows)
    per_fl = Counter((r["file"], r["label"]) for r in rows)
    labels = sorted(LABELS)
    print(f"seeds: {sdir}")
    print(f"rows: {len(rows)}")
    print("per label:")
    for k in labels:
        print(f"  {k}: {per_label.get(k, 0)}")
    print("per file:")
    for k in sorted(per_file):
        print(f"  {k}: {per_file[k]}")
    print("per file x label:")
    print("  " + "file".ljust(26) + "".join(lab.rjust(8) for lab in labels))
    for k in sorted(per_file):
        print("  " + k.ljust(26)
              + "".join(str(per_fl.get((k, lab), 0)).rjust(8) for lab in labels))
    print(f"distinct canonical entities: "
          f"{len({(r['label'], r['canonical']) for r in rows})}")
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  " + e)
        return 1
    print("OK: all offsets, labels and canonical names check out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
