#!/usr/bin/env python3
"""Sanity-check expected.csv (and negatives.csv) against the .txt files here.

Fails (exit 1) if any quote/speaker/cue string is not found verbatim in its
file, if a column or enum value is wrong, or if a text is outside 80-250 words.
Usage: python3 check.py
"""
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ["file", "kind", "quote", "speaker", "speaker_canonical",
           "source_type", "cue", "notes"]
KINDS = {"direct", "indirect", "according_to", "reported"}
OPEN_MARKS = ("\"", "\u201c", "\u2018", "'")
SOURCE_TYPES = {"government", "media", "expert", "anonymous",
                "organisation", "other"}


def main() -> int:
    errors = []
    texts = {p.name: p.read_text(encoding="utf-8")
             for p in sorted(HERE.glob("*.txt"))}

    for name, text in texts.items():
        n = len(text.split())
        if not 80 <= n <= 250:
            errors.append(f"{name}: {n} words (want 80-250)")

    with open(HERE / "expected.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            errors.append(f"expected.csv header {reader.fieldnames} != {COLUMNS}")
            rows = []
        else:
            rows = list(reader)

    seen_files = set()
    for i, row in enumerate(rows, start=2):  # line 1 is the header
        where = f"expected.csv line {i} ({row['file']})"
        text = texts.get(row["file"])
        if text is None:
            errors.append(f"{where}: no such file")
            continue
        seen_files.add(row["file"])
        if row["kind"] not in KINDS:
            errors.append(f"{where}: bad kind {row['kind']!r}")
        if row["source_type"] not in SOURCE_TYPES:
            errors.append(f"{where}: bad source_type {row['source_type']!r}")
        for col in ("quote", "speaker", "speaker_canonical"):
            if not row[col].strip():
                errors.append(f"{where}: empty {col}")
        for col in ("quote", "speaker", "cue"):
            if row[col] and row[col] not in text:
                errors.append(f"{where}: {col} not found verbatim: {row[col]!r}")
        q = row["quote"]
        # Paraphrased content (not inside quotation marks) must drop the
        # leading "that" and the final period; text taken from inside marks
        # (direct, or a marked quote reported via an outlet) is verbatim.
        marked = any(m + q in text for m in OPEN_MARKS)
        if row["kind"] != "direct" and not marked:
            if q.lower().startswith("that "):
                errors.append(f"{where}: non-direct quote starts with 'that'")
            if q.endswith("."):
                errors.append(f"{where}: non-direct quote ends with a period")
        if q != q.strip():
            errors.append(f"{where}: quote has leading/trailing whitespace")

    for name in texts:
        if name not in seen_files:
            errors.append(f"{name}: no rows in expected.csv")

    neg_path = HERE / "negatives.csv"
    if neg_path.exists():
        quotes_by_file = {}
        for row in rows:
            quotes_by_file.setdefault(row["file"], []).append(row["quote"])
        with open(neg_path, newline="", encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                where = f"negatives.csv line {i} ({row['file']})"
                text = texts.get(row["file"])
                if text is None:
                    errors.append(f"{where}: no such file")
                elif row["text"] not in text:
                    errors.append(f"{where}: text not found verbatim: {row['text']!r}")
                elif any(row["text"] in q or q in row["text"]
                         for q in quotes_by_file.get(row["file"], [])):
                    errors.append(f"{where}: overlaps an expected quote")

    for e in errors:
        print("FAIL:", e)
    print(f"{len(texts)} files, {len(rows)} expected rows, "
          f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
