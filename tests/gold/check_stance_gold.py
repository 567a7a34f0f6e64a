#!/usr/bin/env python3
"""Verify tests/gold/stance.csv against the seed articles.

Usage: python3 check_stance_gold.py [SEEDS_DIR]

SEEDS_DIR defaults to ../../seeds relative to this script and falls back to
/work/shared/seeds. The script checks, for every row, that text[start:end]
equals the mention (Python str offsets into the file read as UTF-8), that
target / voice / label use the allowed values, that the mention is one of the
aliases of its target (STANCE.md), that quoted rows name a speaker and author
rows do not, that every non-neutral row has a note, that rows are in text
order without overlaps and outside page furniture. It also checks
completeness (every alias occurrence outside page furniture is a row, except
the documented non-target uses) and the unit rule (all rows of one target in
one sentence with the same voice and speaker share a label). It prints counts
per target x voice x label and per file and exits non-zero on any problem.
"""
import csv
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
CSV_PATH = os.path.join(HERE, "stance.csv")
FALLBACK_SEEDS = "/work/shared/seeds"

COLUMNS = ["file", "target", "mention", "start", "end", "voice", "speaker", "label", "notes"]
VOICES = ["author", "quoted"]
LABELS = ["negative", "neutral", "positive"]
ALIASES = {
    "United States": ["U.S.", "US", "United States", "America", "American", "Americans", "Washington",
                      "Biden administration", "Pentagon"],
    "Russia": ["Russia", "Russian", "Moscow", "Kremlin"],
    "Taliban": ["Taliban"],
    "China": ["China", "Chinese", "Beijing"],
}
ALIAS_TARGET = {alias: target for target, names in ALIASES.items() for alias in names}
ALIAS_RE = re.compile(
    r"(?<![\w.])("
    + "|".join(re.escape(a) for a in sorted(ALIAS_TARGET, key=len, reverse=True))
    + r")(?!\w)"
)

# Page furniture per file prefix: ("line", marker) = the whole line holding the
# marker; ("next_line", marker) = the first non-empty line after the marker's
# line; ("to_end", marker) = from the marker to the end of the file.
FURNITURE = {
    "000": [("line", "Related News:"), ("next_line", "Related News:"), ("to_end", "Read More:")],
    "001": [("to_end", "Leave a Reply")],
    "002": [("line", "(Image: AP)")],
    "003": [("line", "Editor's Choice"), ("line", "(File photo by Stars and Stripes)"),
            ("to_end", "Press TV’s website can also be accessed")],
    "004": [("to_end", "Author: Dave DeCamp")],
}
# Furniture that is only a part of a line (prefix labels): exactly these characters.
FURNITURE_EXACT = {
    "000": ["IP-", "Iran PressCommentary:"],
    "002": ["date 2021-08-20"],
}
# Alias strings outside furniture that are not mentions of a target:
# (file prefix, context, alias, reason).
NON_TARGET = [
    ("000", "Carnegie Moscow center", "Moscow", "part of a think-tank name"),
    ("001", "Moscow: –", "Moscow", "dateline: the city, not the government"),
    ("001", "Soviet Russia", "Russia", "Soviet Russia = the Soviet Union, a historical state"),
    ("002", "thousands of Americans", "Americans", "US citizens, not the state"),
]


def seeds_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    default = os.path.normpath(os.path.join(HERE, "..", "..", "seeds"))
    return default if os.path.isdir(default) else FALLBACK_SEEDS


def line_bounds(text, pos):
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def furniture_spans(prefix, text, errors):
    spans = []
    for kind, marker in FURNITURE.get(prefix, []):
        pos = text.find(marker)
        if pos == -1:
            errors.append(f"{prefix}: furniture marker not found: {marker!r}")
            continue
        if kind == "line":
            spans.append(line_bounds(text, pos))
        elif kind == "next_line":
            _, end = line_bounds(text, pos)
            nxt = end
            while nxt < len(text) and text[nxt] in "\n \t\xa0":
                nxt += 1
            spans.append(line_bounds(text, nxt))
        else:
            spans.append((pos, len(text)))
    for marker in FURNITURE_EXACT.get(prefix, []):
        pos = text.find(marker)
        if pos == -1:
            errors.append(f"{prefix}: furniture marker not found: {marker!r}")
        else:
            spans.append((pos, pos + len(marker)))
    return spans


def non_target_starts(prefix, text, errors):
    starts = {}
    for pre, context, alias, reason in NON_TARGET:
        if pre != prefix:
            continue
        pos = text.find(context)
        inner = context.find(alias)
        if pos == -1 or inner == -1:
            errors.append(f"{prefix}: non-target context not found: {context!r}")
            continue
        starts[pos + inner] = reason
    return starts


def sentence_index(text):
    """Map each character position to a sentence number (simple splitter)."""
    bounds = [m.end() for m in re.finditer(r"\n|[.!?][\"”’']?(?=\s)", text)]
    index = []
    current = 0
    pointer = 0
    for pos in range(len(text) + 1):
        while pointer < len(bounds) and bounds[pointer] <= pos:
            pointer += 1
            current += 1
        index.append(current)
    return index


def check_row(errors, where, row, text):
    try:
        start, end = int(row["start"]), int(row["end"])
    except ValueError:
        errors.append(f"{where}: bad offsets {row['start']!r}:{row['end']!r}")
        return None
    if not (0 <= start < end <= len(text)):
        errors.append(f"{where}: offsets {start}:{end} out of range")
        return None
    if text[start:end] != row["mention"]:
        errors.append(f"{where}: mention mismatch: text[{start}:{end}]={text[start:end]!r} != {row['mention']!r}")
    if row["target"] not in ALIASES:
        errors.append(f"{where}: unknown target {row['target']!r}")
    elif row["mention"] not in ALIASES[row["target"]]:
        errors.append(f"{where}: {row['mention']!r} is not an alias of {row['target']}")
    if row["voice"] not in VOICES:
        errors.append(f"{where}: bad voice {row['voice']!r}")
    if row["label"] not in LABELS:
        errors.append(f"{where}: bad label {row['label']!r}")
    if row["voice"] == "quoted" and not row["speaker"].strip():
        errors.append(f"{where}: quoted row without speaker")
    if row["voice"] == "author" and row["speaker"]:
        errors.append(f"{where}: author row with speaker {row['speaker']!r}")
    if row["label"] != "neutral" and not row["notes"].strip():
        errors.append(f"{where}: non-neutral row without a note")
    return start, end


def check_file(errors, fname, rows, text):
    prefix = fname[:3]
    furniture = furniture_spans(prefix, text, errors)
    skip = non_target_starts(prefix, text, errors)
    sentences = sentence_index(text)
    seen = {}
    units = {}
    last_end = -1
    for lineno, row in rows:
        where = f"{fname} line {lineno}"
        span = check_row(errors, where, row, text)
        if span is None:
            continue
        start, end = span
        if start < last_end:
            errors.append(f"{where}: not in text order or overlaps the previous row")
        last_end = max(last_end, end)
        for f_start, f_end in furniture:
            if start < f_end and f_start < end:
                errors.append(f"{where}: span {start}:{end} lies in page furniture")
        if start in skip:
            errors.append(f"{where}: span {start} is a documented non-target use ({skip[start]})")
        seen[start] = row
        key = (sentences[start], row["voice"], row["speaker"], row["target"])
        units.setdefault(key, []).append((start, row["label"]))
    for match in ALIAS_RE.finditer(text):
        pos = match.start()
        if pos in seen or pos in skip:
            continue
        if any(f_start <= pos < f_end for f_start, f_end in furniture):
            continue
        errors.append(f"{fname}: alias {match.group()!r} at {pos} is not annotated")
    for key, members in units.items():
        labels = {label for _, label in members}
        if len(labels) > 1:
            starts = [s for s, _ in members]
            errors.append(f"{fname}: unit rule broken for {key[3]} ({key[1]}, {key[2] or '-'}) "
                          f"at {starts}: labels {sorted(labels)}")


def main():
    sdir = seeds_dir()
    errors = []
    with open(CSV_PATH, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            print(f"ERROR: columns {reader.fieldnames} != {COLUMNS}")
            return 1
        all_rows = list(enumerate(reader, start=2))
    by_file = {}
    order = []
    for lineno, row in all_rows:
        if row["file"] not in by_file:
            order.append(row["file"])
        by_file.setdefault(row["file"], []).append((lineno, row))
    if order != sorted(order):
        errors.append(f"files not in name order: {order}")
    seed_files = sorted(n for n in os.listdir(sdir) if n.endswith(".txt"))
    for fname in seed_files:
        if fname not in by_file:
            errors.append(f"{fname}: no rows")
    for fname in order:
        path = os.path.join(sdir, fname)
        if not os.path.isfile(path):
            errors.append(f"{fname}: seed file not found in {sdir}")
            continue
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        check_file(errors, fname, by_file[fname], text)

    rows = [row for _, row in all_rows]
    print(f"seeds: {sdir}")
    print(f"rows: {len(rows)}")
    print("\nper target x voice x label:")
    cube = Counter((r["target"], r["voice"], r["label"]) for r in rows)
    print(f"  {'target':<15}{'voice':<8}" + "".join(f"{lab:>10}" for lab in LABELS) + f"{'total':>8}")
    for target in ALIASES:
        for voice in VOICES:
            counts = [cube[(target, voice, lab)] for lab in LABELS]
            print(f"  {target:<15}{voice:<8}" + "".join(f"{c:>10}" for c in counts) + f"{sum(counts):>8}")
    print("\nper target x label:")
    for target in ALIASES:
        counts = [cube[(target, v, lab)] for lab in LABELS for v in VOICES]
        per_label = [sum(counts[i * 2:i * 2 + 2]) for i in range(len(LABELS))]
        print(f"  {target:<15}" + "".join(f"{c:>10}" for c in per_label) + f"{sum(per_label):>8}")
    print("\nper file (rows, author/quoted, negative/neutral/positive):")
    for fname in order:
        frows = [r for _, r in by_file[fname]]
        voices = Counter(r["voice"] for r in frows)
        labels = Counter(r["label"] for r in frows)
        print(f"  {fname}: {len(frows):>3}  {voices['author']:>3}/{voices['quoted']:<3}  "
              + "/".join(str(labels[lab]) for lab in LABELS))
    print("\nlabels overall: " + ", ".join(f"{lab} {sum(1 for r in rows if r['label'] == lab)}" for lab in LABELS))

    if errors:
        print(f"\n{len(errors)} ERROR(S):")
        for err in errors:
            print(f"  {err}")
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
