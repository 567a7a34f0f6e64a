#!/usr/bin/env python3
"""Verify tests/gold/dates.csv against the seed articles.

Usage: python3 check_dates_gold.py [SEEDS_DIR]

SEEDS_DIR defaults to ../../seeds relative to this script and falls back to
/work/shared/seeds. The script checks, for every row of dates.csv:

* the header is exactly the documented column list;
* text[start:end] equals the annotated surface string (Python str indices into
  the seed file read as UTF-8, half-open), spans do not overlap, rows are in
  text order, and no span lies inside page furniture that is not annotated;
* type is DATE, DURATION, TIME or SET and value / value_in_context have a
  TIMEX3-like format fitting that type (regexes below);
* relative is true/false, durations are not relative, relative rows name an
  anchor and absolute rows do not;
* value conventions tied to the publication date (seeds/metadata.csv): an
  absolute row always has a value; in an article without a publication date a
  row anchored to the publication has an empty value unless the value needs no
  publication date (PRESENT_REF, or an XXXX year for a bare month-day).

It prints the number of rows per file and per type and exits non-zero on any
problem (1 for annotation errors, 2 if the seeds cannot be found).
"""
import csv
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
CSV_PATH = os.path.join(HERE, "dates.csv")
FALLBACK_SEEDS = "/work/shared/seeds"

COLUMNS = ["file", "text", "start", "end", "type", "value", "value_in_context",
           "relative", "anchor", "notes"]
TYPES = {"DATE", "DURATION", "TIME", "SET"}
ANCHOR_RE = re.compile(r"^(publication|another date in the text \(.+\))$")

# --- TIMEX3-like value formats -------------------------------------------
# calendar part: year (or XXXX) with optional month and day, ISO week (with
# optional weekday or WE), quarter/half/season, decade (199) or century (19)
YEAR = r"(?:\d{4}|XXXX)"
CAL = (rf"(?:{YEAR}(?:-(?:\d{{2}}|XX)(?:-(?:\d{{2}}|XX))?)?"
       rf"|{YEAR}-W(?:\d{{2}}|XX)(?:-(?:[1-7]|WE))?"
       rf"|{YEAR}-(?:Q[1-4]|QX|H[12]|SP|SU|FA|WI)"
       r"|\d{2,3})")
REF = r"(?:PRESENT_REF|PAST_REF|FUTURE_REF)"
CLOCK = r"(?:(?:[01]\d|2[0-4])(?::[0-5]\d(?::[0-5]\d)?)?|MO|AF|EV|NI|DT)"
NUM = r"(?:\d+(?:\.\d+)?|X)"
DUR = rf"P(?:(?:{NUM}(?:Y|M|W|D|DE|CE))+(?:T(?:{NUM}[HMS])+)?|T(?:{NUM}[HMS])+)"

DATE_RE = re.compile(rf"^(?:{CAL}|{REF})$")
TIME_RE = re.compile(rf"^(?:(?:{CAL})?T{CLOCK}|{REF})$")
DURATION_RE = re.compile(rf"^{DUR}$")
SET_RE = re.compile(rf"^(?:{DUR}|{CAL}|(?:{CAL})?T{CLOCK})$")
VALUE_RE = {"DATE": DATE_RE, "TIME": TIME_RE, "DURATION": DURATION_RE, "SET": SET_RE}

# page furniture the tool strips; annotations must not fall inside it.
# (file prefix, exact string)
FURNITURE = [
    ("000", "IP-"), ("000", "Iran PressCommentary:"), ("000", "Related News:"),
    ("000", "Iran's Araqhchi: US military bases are considered 'terrorist bases' in the region"),
    ("000", "Read More:"),
    ("000", "Clear position of Iran's Foreign Minister on JCPOA: We will not waste our time in negotiations"),
    ("000", "US, Russia FMs discuss Iran nuclear deal"),
    ("000", "US to hold first talks with Taliban since withdrawal from Afghanistan"),
    ("001", "Leave a Reply"), ("001", "Your email address will not be published."),
    ("002", "date 2021-08-20"), ("002", "(Image: AP)"),
    ("003", "News \xa0 / \xa0 Military \xa0 / \xa0 Russia \xa0 / \xa0 Editor's Choice"),
    ("003", "(File photo by Stars and Stripes)"),
    ("003", "Press TV’s website can also be accessed at the following alternate addresses:"),
    ("003", "Press TV News Roku"),
    ("004", "Author: Dave DeCamp"),
    ("004", "Dave DeCamp is the news editor of Antiwar.com, follow him on Twitter @decampdave."),
]


def seeds_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    default = os.path.normpath(os.path.join(HERE, "..", "..", "seeds"))
    return default if os.path.isdir(default) else FALLBACK_SEEDS


# used only when no metadata.csv can be found next to the seeds
KNOWN_PUBLISHED = {"000_dedd1b58b1b4978b.txt": "", "001_b304420120629e83.txt": "",
                   "002_0d4f919a10850eaa.txt": "2021-08-20",
                   "003_f93a9d38d73ec396.txt": "", "004_0c706563df38222f.txt": ""}


def load_published(sdir):
    """Publication dates by file: SEEDS_DIR/metadata.csv, else the repository's
    seeds/metadata.csv, else the dates known when this gold was made."""
    for path in (os.path.join(sdir, "metadata.csv"),
                 os.path.normpath(os.path.join(HERE, "..", "..", "seeds", "metadata.csv"))):
        if os.path.isfile(path):
            with open(path, encoding="utf-8", newline="") as fh:
                return {r["file"]: (r.get("published") or "").strip()
                        for r in csv.DictReader(fh)}, path
    return dict(KNOWN_PUBLISHED), "built-in list (no metadata.csv found)"


def furniture_spans(fname, text):
    spans = []
    for prefix, s in FURNITURE:
        if not fname.startswith(prefix):
            continue
        i = text.find(s)
        if i < 0:
            continue
        # the 003 caption line: the whole line ending in the credit
        if s.startswith("(File photo"):
            i = text.rfind("\n", 0, i) + 1
            spans.append((i, text.find(s) + len(s)))
        else:
            spans.append((i, i + len(s)))
    return spans


def main():
    sdir = seeds_dir()
    if not os.path.isdir(sdir):
        print(f"seeds directory not found: {sdir}")
        return 2
    published, pub_source = load_published(sdir)
    print(f"seeds: {sdir}; publication dates from {pub_source}")
    errors = []
    texts = {}
    with open(CSV_PATH, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            errors.append(f"columns are {reader.fieldnames}, expected {COLUMNS}")
        rows = list(reader)

    last = {}
    for i, r in enumerate(rows, start=2):  # line 1 is the header
        f = r["file"]
        where = f"line {i} ({f}, {r['text']!r})"
        if f not in texts:
            path = os.path.join(sdir, f)
            if not os.path.isfile(path):
                errors.append(f"{where}: seed file not found: {path}")
                continue
            with open(path, encoding="utf-8") as fh:
                texts[f] = fh.read()
        text = texts[f]

        # offsets
        try:
            s, e = int(r["start"]), int(r["end"])
        except ValueError:
            errors.append(f"{where}: bad offsets {r['start']!r}:{r['end']!r}")
            continue
        if not (0 <= s < e <= len(text)):
            errors.append(f"{where}: offsets {s}:{e} out of range")
            continue
        if text[s:e] != r["text"]:
            errors.append(f"{where}: text[{s}:{e}]={text[s:e]!r} != {r['text']!r}")
        if r["text"] != r["text"].strip() or r["text"][-1] in ",.;:":
            errors.append(f"{where}: span has surrounding whitespace/punctuation")
        if f in last and s < last[f]:
            errors.append(f"{where}: not in text order or overlaps previous row")
        last[f] = e
        for fs, fe in furniture_spans(f, text):
            if s < fe and fs < e:
                errors.append(f"{where}: span lies in page furniture {text[fs:fe]!r}")

        # type and value formats
        typ = r["type"]
        if typ not in TYPES:
            errors.append(f"{where}: unknown type {typ!r}")
            continue
        for col in ("value", "value_in_context"):
            v = r[col]
            if v and not VALUE_RE[typ].match(v):
                errors.append(f"{where}: {col} {v!r} is not a valid {typ} value")

        # relative / anchor
        rel = r["relative"]
        if rel not in ("true", "false"):
            errors.append(f"{where}: relative must be true/false, got {rel!r}")
        anchor = r["anchor"]
        if rel == "true":
            if not ANCHOR_RE.match(anchor):
                errors.append(f"{where}: relative row needs anchor 'publication' or "
                              f"'another date in the text (...)', got {anchor!r}")
        elif anchor:
            errors.append(f"{where}: absolute row has an anchor {anchor!r}")
        if typ == "DURATION" and rel != "false":
            errors.append(f"{where}: durations are not relative")

        # value conventions against the publication date
        v = r["value"]
        if rel == "false" and not v:
            errors.append(f"{where}: absolute expression without value")
        if f not in published:
            errors.append(f"{where}: file missing from the publication dates")
        elif rel == "true" and anchor == "publication" and not published[f] and v:
            if not (v == "PRESENT_REF" or v.startswith("XXXX")):
                errors.append(f"{where}: {f} has no publication date, so a "
                              f"publication-relative value must be empty "
                              f"(or PRESENT_REF / XXXX-..), got {v!r}")
        elif rel == "true" and published[f] and not v:
            errors.append(f"{where}: {f} has publication date {published[f]} "
                          f"but the relative value is empty")
        elif (rel == "true" and published[f] and v.startswith("XXXX")):
            errors.append(f"{where}: year should come from publication date "
                          f"{published[f]}, got {v!r}")

    by_file = Counter(r["file"] for r in rows)
    by_type = Counter(r["type"] for r in rows)
    print(f"{len(rows)} rows")
    for f in sorted(by_file):
        per = Counter(r["type"] for r in rows if r["file"] == f)
        print(f"  {f}: {by_file[f]}  " + ", ".join(f"{k} {per[k]}" for k in sorted(per)))
    print("  by type: " + ", ".join(f"{k} {by_type[k]}" for k in sorted(by_type)))
    if errors:
        print(f"{len(errors)} problem(s):")
        for err in errors:
            print("  " + err)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
