"""Load a corpus of news articles into the articles table.

The articles table is the contract every other module reads (see DESIGN.md): one row per article,
with its clean body ``text`` and what is known about where it came from. Nothing is dropped
silently: an article that cannot be read stays in the table with ``status`` ``"error"`` and a
``problem`` saying why, and every line removed as boilerplate is kept in ``removed``.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from . import lexicons

__all__ = [
    "load_corpus", "clean_text", "removed_lines", "corpus_overview", "corpus_problems", "detect_language",
    "ARTICLE_COLUMNS", "SUPPORTED_EXTENSIONS",
]

#: Columns every articles table has, in this order (more may follow).
ARTICLE_COLUMNS = [
    "article_id", "outlet", "title", "published", "author", "url", "text", "path",
    "status", "problem",
]
#: Said in the problem of an article detected in another language: the extractors leave it out
#: (``nlp.analysable``), since the English model's quotes, names and stance mean nothing there.
NOT_ANALYSED_LANGUAGE = "the English model is not run on it"
EXTRA_COLUMNS = ["dateline", "removed", "n_words", "n_paragraphs", "encoding", "meta_source", "sha1", "language"]
SUPPORTED_EXTENSIONS = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".csv"}
METADATA_FILE = "metadata.csv"
#: Files in a corpus folder that describe it rather than belong to it.
IGNORED_NAMES = re.compile(r"^(readme|license|licence|changelog)(\.\w+)?$|^metadata\.csv$", re.I)

TEXT_FIELDS = ("text", "body", "content", "article", "full_text", "maintext")
FIELD_ALIASES = {
    "article_id": ("article_id", "id", "doc_id", "uid"),
    "outlet": ("outlet", "source", "publisher", "site", "sitename", "media", "source_name", "hostname"),
    "title": ("title", "headline", "heading"),
    "published": ("published", "date", "published_at", "pubdate", "publication_date", "datetime",
                  "date_publish", "timestamp"),
    "author": ("author", "authors", "byline", "writer"),
    "url": ("url", "link", "source_url", "canonical_url"),
}
META_FIELDS = ("outlet", "title", "published", "author", "url")
OK, WARNING, ERROR = "ok", "warning", "error"
_SEVERITY = {OK: 0, WARNING: 1, ERROR: 2}

# Characters that are spaces in print but not to a parser; replaced one for one.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000\t"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’]*(?: [A-Z][A-Za-z.'’]*){0,3})\s*(?:\((?P<agency>[^)]{1,25})\))?"
    r"\s*[:,]?\s*[-–—]\s+(?=\S)"
)
_BYLINE = re.compile(
    r"^(?:author|by|written by|reporting by)\s*:?\s+"
    r"(?P<author>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|al|bin|and|&)){0,5})\s*$",
    re.I,
)
_DATE_LINE = re.compile(r"^(?:published|posted|date|updated)\s*(?:on)?\s*:?\s*(?P<date>.{6,40})$", re.I)
_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00bf€™œ\u201a-\u201e\u2018-\u201d]")


@dataclass
class _Record:
    """One article on its way into the table."""

    path: str
    article_id: str | None = None
    raw: str = ""
    meta: dict = field(default_factory=dict)  # field -> value found in the file itself
    problems: list = field(default_factory=list)  # (severity, words)
    encoding: str = ""
    rel: str = ""  # path relative to the corpus folder

    def problem(self, severity: str, words: str) -> None:
        self.problems.append((severity, words))


# --------------------------------------------------------------------------- rules (data files)


@lru_cache(maxsize=1)
def _boilerplate_rules() -> dict[str, list[tuple[re.Pattern, str]]]:
    rules: dict[str, list] = {"header": [], "line": [], "breadcrumb": [], "prefix": []}
    text = resources.files("analysis").joinpath("data/boilerplate.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        flags = re.I if row["ignore_case"].strip().lower() == "yes" else 0
        rules[row["kind"]].append((re.compile(row["pattern"], flags), row["reason"]))
    return rules


@lru_cache(maxsize=1)
def _outlet_clues() -> list[tuple[re.Pattern, str]]:
    text = resources.files("analysis").joinpath("data/outlet_clues.csv").read_text(encoding="utf-8")
    return [(re.compile(r["pattern"], re.M), r["outlet"]) for r in csv.DictReader(io.StringIO(text))]


# --------------------------------------------------------------------------- reading bytes

_MAGIC = {
    b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)", b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
#: Byte-order marks, longest first (UTF-32's starts like UTF-16's).
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"), (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
         (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"), (b"\xff\xfe", "utf-16", "UTF-16"),
         (b"\xfe\xff", "utf-16", "UTF-16"))
#: What each detected code page is, for the problem text.
_CODEPAGE_NAMES = {
    "cp1252": "Windows-1252", "cp1250": "Windows-1250 (Central European)", "cp1251": "Windows-1251 (Cyrillic)",
    "cp932": "Shift-JIS (cp932, Japanese)", "shift_jis": "Shift-JIS (Japanese)", "euc_jp": "EUC-JP (Japanese)",
    "cp949": "cp949 (Korean)", "euc_kr": "EUC-KR (Korean)", "gb18030": "GB18030 (Chinese)", "gbk": "GBK (Chinese)",
    "big5": "Big5 (Chinese)", "koi8_r": "KOI8-R (Cyrillic)", "mac_cyrillic": "Mac Cyrillic",
    "iso8859_7": "ISO-8859-7 (Greek)", "cp1253": "Windows-1253 (Greek)", "cp1256": "Windows-1256 (Arabic)",
    "cp1255": "Windows-1255 (Hebrew)", "cp874": "Windows-874 (Thai)", "utf_16_le": "UTF-16-LE",
    "utf_16_be": "UTF-16-BE",
}
#: Scripts a code page is written in: a decoding whose letters are in these scripts reads as text.
_CODEPAGE_SCRIPTS = {
    "cp932": {"CJK", "HIRAGANA", "KATAKANA"}, "shift_jis": {"CJK", "HIRAGANA", "KATAKANA"},
    "shift_jis_2004": {"CJK", "HIRAGANA", "KATAKANA"}, "shift_jisx0213": {"CJK", "HIRAGANA", "KATAKANA"},
    "euc_jp": {"CJK", "HIRAGANA", "KATAKANA"}, "euc_jis_2004": {"CJK", "HIRAGANA", "KATAKANA"},
    "iso2022_jp": {"CJK", "HIRAGANA", "KATAKANA"},
    "cp949": {"HANGUL"}, "euc_kr": {"HANGUL"}, "johab": {"HANGUL"},
    "gb18030": {"CJK"}, "gbk": {"CJK"}, "gb2312": {"CJK"}, "big5": {"CJK"}, "big5hkscs": {"CJK"}, "hz": {"CJK"},
}


def _codepage_name(encoding: str) -> str:
    return _CODEPAGE_NAMES.get(encoding, encoding)


def _script(ch: str) -> str:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "?"
    return "HANGUL" if name.startswith("HANGUL") else name.split(" ")[0]


#: Code pages a file is usually in; the others (cp1006, hp_roman8, ...) must read clearly better to be chosen.
_COMMON_CODEPAGES = {"cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
                     "koi8_r", "koi8_u", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_15", "mac_roman", "cp874",
                     *_CODEPAGE_SCRIPTS}
#: The core of a multi-byte code page, which real text keeps to (a Japanese file read as cp949 lands in its
#: rarely used extension, read as GB18030 outside GB2312).
_CORE_CODEPAGE = {"cp949": "euc_kr", "johab": "euc_kr", "gb18030": "gb2312", "gbk": "gb2312"}


def _script_fit(text: str, encoding: str, data: bytes = b"") -> float:
    """How well a decoding reads as text of its code page, 0..1: the share of its non-ASCII letters in the
    scripts the code page is for (one script for a one-byte code page), less when a Japanese reading has no kana
    or a Korean or Chinese reading leaves its code page's core. 1.0 when nothing is known."""
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    if not letters:
        return 1.0
    scripts = Counter(_script(c) for c in letters)
    wanted = _CODEPAGE_SCRIPTS.get(encoding)
    if wanted is None:  # a one-byte code page: its letters should be of one script
        return scripts.most_common(1)[0][1] / len(letters)
    fit = sum(n for s, n in scripts.items() if s in wanted) / len(letters)
    if "HIRAGANA" in wanted and not (scripts["HIRAGANA"] or scripts["KATAKANA"]):
        fit *= 0.85
    core = _CORE_CODEPAGE.get(encoding)
    if core and data:
        try:
            data.decode(core)
        except UnicodeDecodeError:
            fit *= 0.5
    return fit


_WIDE_SCRIPTS = {"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "THAI",
                 "DEVANAGARI"}


def _looks_wide_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark and without ASCII (so without zero bytes): 'utf-16-le'/'utf-16-be' when
    one reading is nearly all letters of one non-Latin script (Japanese with kana, Korean, Cyrillic, ...)."""
    if len(data) % 2 or len(data) < 8:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:8192].decode(encoding)
        except UnicodeDecodeError:
            continue
        chars = [c for c in text if not c.isspace()]
        scripts = Counter(_script(c) for c in chars if c.isalpha() and ord(c) > 127)
        if not scripts:
            continue
        script, n = scripts.most_common(1)[0]
        japanese = scripts["CJK"] + scripts["HIRAGANA"] + scripts["KATAKANA"]
        if script in ("CJK", "HIRAGANA", "KATAKANA"):
            script, n = "CJK", japanese
            if not (scripts["HIRAGANA"] or scripts["KATAKANA"]):
                continue  # CJK alone is what random bytes read as UTF-16 give
        punct = sum(1 for c in chars if unicodedata.category(c).startswith("P") or c.isdigit())
        if script in _WIDE_SCRIPTS and n + punct >= 0.95 * len(chars):
            return encoding
    return None


def _looks_utf16(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes have UTF-16's pattern (zero bytes in every other place, as
    ASCII-range text has) and decode cleanly; None otherwise."""
    if len(head) < 4:
        return None
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2], head[1::2]
    for encoding, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.4 * len(zeros) and other.count(0) <= 0.05 * len(other):
            try:
                text = head.decode(encoding)
            except UnicodeDecodeError:
                continue
            if sum(c.isprintable() or c in "\n\r\t" for c in text) >= 0.95 * len(text):
                return encoding
    return None


def _plausible_cp1252(text: str) -> bool:
    """Western European text read as Windows-1252: its non-ASCII characters inside words are letters, and
    accented letters are a minority of the letters (Cyrillic or CJK bytes read this way give words of
    nothing but accented letters and symbols such as '³' or '¹' inside words)."""
    letters = sum(c.isalpha() for c in text)
    high = sum(1 for c in text if ord(c) > 127 and c.isalpha())
    if letters == 0 or high > 0.3 * letters:
        return False
    for m in re.finditer(r"(?<=[A-Za-z\u00c0-\u00ff])[^\x00-\x7f](?=[A-Za-z\u00c0-\u00ff])", text):
        if not m.group(0).isalpha() or m.group(0) in "ªºµ":
            return False
    return True


def _decode(data: bytes, rec: _Record) -> str | None:
    """Bytes to text, saying how; None (with an error recorded) when it is not text at all.

    Order: a byte-order mark is trusted; UTF-16 without one is recognised by its zero bytes; then UTF-8, then
    Windows-1252 when the result reads as Western European text, and only then the rarer code pages, chosen
    by charset-normalizer and checked against the script each is for. When several remain equally likely the
    problem says "could not tell the encoding; read as X".
    """
    if not data.strip():
        rec.problem(ERROR, "empty file")
        return None
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            rec.problem(ERROR, f"binary file ({what}), not text: convert it to .txt or .html first")
            return None
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                text = data.decode(codec, errors="replace")
                rec.problem(WARNING, f"file starts with a {name} byte-order mark but has invalid bytes "
                                     f"(at byte {exc.start}): read as {name}, bad bytes replaced by '\ufffd'")
            else:
                if name != "UTF-8":
                    rec.problem(WARNING, f"file is {name} (byte-order mark), not UTF-8: read as {name}")
            rec.encoding = "utf-8" if name == "UTF-8" else codec
            if not text.strip():
                rec.problem(ERROR, "empty file")
                return None
            return _repair_mojibake(text, rec)
    head = data[:8192]
    utf16 = _looks_utf16(head)
    utf8_error = None
    if utf16 is None and b"\x00" in head:
        utf16 = _looks_wide_utf16(data)
    elif utf16 is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            utf8_error = exc
            utf16 = _looks_wide_utf16(data)
    if utf16:
        text = data.decode(utf16, errors="replace")
        rec.encoding = utf16
        rec.problem(WARNING, f"file is {utf16.upper()} without a byte-order mark (recognised by its byte pattern), "
                             f"not UTF-8: read as {utf16.upper()}")
        return _repair_mojibake(text, rec)
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > 0.05 * len(head):
        rec.problem(ERROR, "binary file (control bytes where text should be), not text")
        return None
    if utf8_error is None:
        rec.encoding = "utf-8"
    else:
        text = _decode_legacy(data, utf8_error, rec)
    return _repair_mojibake(text, rec)


def _decode_legacy(data: bytes, exc: UnicodeDecodeError, rec: _Record) -> str | None:
    """Text that is not UTF-8: Windows-1252 first, then the code page that reads best."""
    where = f"invalid byte at {exc.start}"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _plausible_cp1252(text):
        rec.encoding = "cp1252"
        rec.problem(WARNING, f"not UTF-8 ({where}): read as Windows-1252")
        return text
    from charset_normalizer import from_bytes

    try:
        matches = list(from_bytes(data))
    except Exception:  # noqa: BLE001 - a detector failure is an unknown encoding, not a crash
        matches = []
    scored = []
    for order, match in enumerate(matches[:8]):
        try:
            decoded = str(match)
        except Exception:  # noqa: BLE001
            continue
        rare = 0.0 if match.encoding in _COMMON_CODEPAGES else 0.25
        fit = _script_fit(decoded, match.encoding, data)
        scored.append((round(match.chaos - fit + rare, 3), order, match.encoding, decoded))
    if not scored:
        rec.encoding = "cp1252"
        rec.problem(WARNING, f"not UTF-8 ({where}); could not tell the encoding; read as Windows-1252 "
                             f"(undecodable bytes replaced by '\ufffd')")
        return data.decode("cp1252", errors="replace")
    scored.sort()
    best = scored[0]
    rivals = [s for s in scored[1:] if s[0] - best[0] < 0.1 and _CODEPAGE_SCRIPTS.get(s[2]) !=
              _CODEPAGE_SCRIPTS.get(best[2]) and s[3] != best[3]]
    rec.encoding = best[2]
    name = _codepage_name(best[2])
    few = sum(1 for c in best[3] if ord(c) > 127 and c.isalpha()) < 12
    if rivals or best[0] > -0.7 or (few and len(scored) > 1):
        rec.problem(WARNING, f"not UTF-8 ({where}); could not tell the encoding; read as {name} "
                             f"(also possible: {', '.join(_codepage_name(s[2]) for s in rivals[:2]) or 'none'})")
    else:
        rec.problem(WARNING, f"not UTF-8 ({where}): read as {name}")
    return best[3]


def _repair_mojibake(text: str, rec: _Record) -> str:
    if len(_MOJIBAKE.findall(text)) >= 3:
        try:
            repaired = _sloppy_cp1252(text).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            rec.problem(WARNING, "text looks double-encoded (mojibake such as 'â€™'); left as it is")
        else:
            rec.problem(WARNING, "text was double-encoded (mojibake such as 'â€™'): repaired")
            text = repaired
    return text


def _sloppy_cp1252(text: str) -> bytes:
    """Undo a wrong cp1252 decoding: cp1252 where it has the character, else the byte of the code point
    (how browsers and editors let bytes 0x81, 0x8d, 0x8f, 0x90, 0x9d through)."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 255:
                raise
            out.append(ord(ch))
    return bytes(out)


# --------------------------------------------------------------------------- file formats


def _pick(obj: dict, names: Iterable[str]):
    lowered = {str(k).strip().lower(): v for k, v in obj.items()}
    for name in names:
        value = lowered.get(name)
        if value is None or (isinstance(value, float) and pd.isna(value)):
            continue
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value if v)
        value = str(value).strip()
        if value:
            return value
    return None


def _record_from_mapping(obj, path: str, article_id: str, index: int) -> _Record:
    rec = _Record(path=path, article_id=article_id)
    if not isinstance(obj, dict):
        rec.problem(ERROR, f"record {index} is not an object with a text field")
        return rec
    text = _pick(obj, TEXT_FIELDS)
    own_id = _pick(obj, FIELD_ALIASES["article_id"])
    if own_id:
        rec.article_id = _slug(own_id)
    if text is None:
        rec.problem(ERROR, f"record {index} has no text (looked for fields: {', '.join(TEXT_FIELDS)})")
        return rec
    rec.raw = text
    for name in META_FIELDS:
        value = _pick(obj, FIELD_ALIASES[name])
        if value:
            rec.meta[name] = value
    return rec


#: Limits: a file or an article past them gets an error row with the reason instead of stopping the corpus.
MAX_FILE_BYTES = 50_000_000
MAX_TEXT_CHARS = 5_000_000
#: Longer articles are parsed in pieces (see ``nlp.MAX_CHUNK_CHARS``); the row says so.
LONG_TEXT_CHARS = 1_000_000
MAX_JSON_DEPTH = 500
#: Python's default limit on the digits of an integer read from text (``sys.get_int_max_str_digits``).
MAX_INT_DIGITS = 4300
#: A metadata or CSV field may be this long (csv's default is 131,072 characters).
MAX_CSV_FIELD = 10_000_000


def _json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` (a scan, no recursion)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        tok = m.group(0)
        if tok in "[{":
            depth += 1
            if depth > limit:
                return True
        elif tok in "]}":
            depth -= 1
    return False


def _json_loads(text: str, notes: list) -> tuple[object, str | None]:
    """``(data, None)`` or ``(None, why)``; never raises. Integers longer than Python reads are kept as their
    digits (a note says so)."""
    if _json_depth_exceeds(text, MAX_JSON_DEPTH):
        return None, f"JSON nested deeper than {MAX_JSON_DEPTH} levels: not read"

    def parse_int(digits: str):
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            notes.append(f"a number with {len(digits.lstrip('-')):,} digits (more than Python reads, "
                         f"{MAX_INT_DIGITS:,}) was kept as text")
            return digits
        return int(digits)

    try:
        return json.loads(text, parse_int=parse_int), None
    except json.JSONDecodeError as exc:
        return None, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    except RecursionError:
        return None, "JSON nested too deeply for Python to read: not read"
    except ValueError as exc:  # a number Python cannot read, ...
        return None, f"malformed JSON: {exc}"


def _sniff_dialect(text: str):
    """The CSV dialect of ``text``: comma unless csv.Sniffer finds ';', tab or '|' splits the header better."""
    sample = "\n".join(text[:20000].splitlines()[:20])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel
    first = sample.split("\n", 1)[0]
    if dialect.delimiter != "," and first.count(dialect.delimiter) > first.count(","):
        class Sniffed(csv.excel):
            delimiter = dialect.delimiter
        return Sniffed
    return csv.excel


def _read_csv_rows(text: str) -> tuple[list | None, list, list]:
    """``(header, [(line, values)], [(line, why)])``: a CSV read row by row, each bad row reported, never
    raising (fields up to ``MAX_CSV_FIELD`` characters; the delimiter sniffed)."""
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, MAX_CSV_FIELD))
    rows, bad = [], []
    header = None
    try:
        reader = csv.reader(io.StringIO(text, newline=""), _sniff_dialect(text))
        while True:
            start = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                bad.append((start, f"unreadable ({exc})"))
                if reader.line_num < start:  # no progress: stop rather than loop
                    break
                continue
            if header is None:
                header = [h.strip().lstrip("\ufeff") for h in values]
                continue
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                bad.append((start, f"{len(values)} fields where the header has {len(header)}"))
                continue
            rows.append((start, values))
    finally:
        csv.field_size_limit(old_limit)
    return header, rows, bad


def _records_from_text(text: str, path: Path, base_id: str, encoding: str) -> list[_Record]:
    ext = path.suffix.lower()
    rel = str(path)
    if ext in (".txt",):
        return [_Record(path=rel, article_id=base_id, raw=text, encoding=encoding)]
    if ext in (".md", ".markdown"):
        rec = _Record(path=rel, article_id=base_id, encoding=encoding)
        rec.raw, rec.meta = _from_markdown(text)
        return [rec]
    if ext in (".html", ".htm"):
        return [_from_html(text, rel, base_id, encoding)]
    if ext == ".json":
        notes: list = []
        data, error = _json_loads(text, notes)
        if error:
            rec = _Record(path=rel, article_id=base_id, encoding=encoding)
            rec.problem(ERROR, error)
            return [rec]
        items = data if isinstance(data, list) else [data]
        if isinstance(data, dict) and _pick(data, TEXT_FIELDS) is None:
            for key in ("articles", "items", "data", "documents", "records"):
                if isinstance(data.get(key), list):
                    items = data[key]
                    break
        recs = _numbered(items, rel, base_id, encoding)
        for rec in recs:
            for words in notes:
                rec.problem(WARNING, words)
        return recs
    if ext == ".jsonl":
        recs = []
        lines = [(i, line) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
        for i, line in lines:
            art_id = f"{base_id}-{i:03d}" if len(lines) > 1 else base_id
            notes = []
            obj, error = _json_loads(line, notes)
            if error:
                rec = _Record(path=rel, article_id=art_id, encoding=encoding)
                rec.problem(ERROR, f"line {i}: {error}")
                recs.append(rec)
                continue
            rec = _record_from_mapping(obj, rel, art_id, i)
            rec.encoding = encoding
            for words in notes:
                rec.problem(WARNING, f"line {i}: {words}")
            recs.append(rec)
        return recs
    if ext == ".csv":
        header, rows, bad = _read_csv_rows(text)
        if header is None:
            rec = _Record(path=rel, article_id=base_id, encoding=encoding)
            rec.problem(ERROR, f"malformed CSV: {bad[0][1] if bad else 'no header line'}")
            return [rec]
        if not any(c.strip().lower() in TEXT_FIELDS for c in header):
            rec = _Record(path=rel, article_id=base_id, encoding=encoding)
            rec.problem(ERROR, f"CSV has no text column (looked for: {', '.join(TEXT_FIELDS)}; "
                               f"found: {', '.join(header)})")
            return [rec]
        recs = _numbered([dict(zip(header, values)) for _, values in rows], rel, base_id, encoding)
        for lineno, words in bad:  # a row that cannot be read keeps a row of its own
            rec = _Record(path=rel, article_id=f"{base_id}-line{lineno}", encoding=encoding)
            rec.problem(ERROR, f"CSV line {lineno}: {words}")
            recs.append(rec)
        return recs
    rec = _Record(path=rel, article_id=base_id)
    rec.problem(ERROR, f"unsupported file type '{path.suffix}' (supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))})")
    return [rec]


def _numbered(items: list, rel: str, base_id: str, encoding: str) -> list[_Record]:
    if not items:
        rec = _Record(path=rel, article_id=base_id, encoding=encoding)
        rec.problem(ERROR, "file holds no articles")
        return [rec]
    recs = []
    for i, obj in enumerate(items, 1):
        art_id = f"{base_id}-{i:03d}" if len(items) > 1 else base_id
        rec = _record_from_mapping(obj, rel, art_id, i)
        rec.encoding = encoding
        recs.append(rec)
    return recs


def _from_markdown(text: str) -> tuple[str, dict]:
    meta: dict = {}
    front = re.match(r"^---\s*\n(.*?)\n---\s*\n", text, re.S)
    if front:
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            key = key.strip().lower()
            for name in META_FIELDS:
                if key in FIELD_ALIASES[name] and value.strip():
                    meta[name] = value.strip().strip("'\"")
        text = text[front.end():]
    heading = re.search(r"^#\s+(.+)$", text, re.M)
    if heading and "title" not in meta:
        meta["title"] = heading.group(1).strip()
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links keep their words
    text = re.sub(r"^#{1,6}\s+", "", text, flags=re.M)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"^\s*>\s?", "", text, flags=re.M)
    return text, meta


def _from_html(html: str, rel: str, base_id: str, encoding: str) -> _Record:
    import trafilatura

    rec = _Record(path=rel, article_id=base_id, encoding=encoding)
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    body = getattr(doc, "text", None) if doc is not None else None
    if isinstance(doc, dict):  # older trafilatura
        body = doc.get("text")
    if not body:
        rec.problem(ERROR, "HTML page has no article text that trafilatura could find")
        return rec
    rec.raw = body.replace("\n", "\n\n")
    get = (lambda k: doc.get(k)) if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    for name, key in (("title", "title"), ("author", "author"), ("published", "date"), ("url", "url"),
                      ("outlet", "sitename")):
        value = get(key)
        if value:
            rec.meta[name] = str(value).strip()
    return rec


# --------------------------------------------------------------------------- cleaning


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_SPACES).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip(" ") for line in text.split("\n"))


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _looks_like_link(par: str) -> bool:
    """A headline-like line under a 'Related News:' header: short, and not a sentence."""
    return len(par.split()) <= 25 and not _SENTENCE_END.search(par)


def clean_text(raw: str) -> dict:
    """Strip what is not the article and say what was stripped.

    Returns a dict with ``text`` (paragraphs joined by blank lines), ``removed`` (a list of
    ``(reason, line)``), and, where the text shows them, ``author``, ``published`` and ``dateline``.
    The rules live in ``analysis/data/boilerplate.csv`` (header, line, breadcrumb and prefix rules).

    >>> out = clean_text("A headline\\n\\nBody sentence one.\\n\\nRelated News:\\n\\nSome link title\\n")
    >>> out["text"]
    'A headline\\n\\nBody sentence one.'
    >>> out["removed"]
    [('related links', 'Related News:'), ('related links', 'Some link title')]
    """
    rules = _boilerplate_rules()
    pars = _paragraphs(_normalise(raw))
    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    found: dict = {}
    in_links: str | None = None
    for index, par in enumerate(pars):
        if in_links is not None:
            if _looks_like_link(par):
                removed.append((in_links, par))
                continue
            in_links = None
        header = next((reason for rx, reason in rules["header"] if rx.match(par)), None)
        if header:
            removed.append((header, par))
            in_links = header
            continue
        line = next((reason for rx, reason in rules["line"] if rx.match(par)), None)
        if line:
            removed.append((line, par))
            continue
        if index < 3 and any(rx.match(par) for rx, _ in rules["breadcrumb"]) and len(par) < 120:
            removed.append(("breadcrumb", par))
            continue
        byline = _BYLINE.match(par)
        if byline and len(par) < 80:
            found.setdefault("author", byline.group("author").strip())
            removed.append(("byline", par))
            continue
        dateline = _DATE_LINE.match(par)
        if dateline and index < 4 and _parse_date(dateline.group("date")) is not pd.NaT:
            found.setdefault("published", dateline.group("date").strip())
            removed.append(("date line", par))
            continue
        if len(kept) < 3:
            for rx, reason in rules["prefix"]:
                m = rx.match(par)
                if m:
                    removed.append((reason, m.group(0).strip()))
                    if reason == "glued dateline" and "date" in rx.groupindex and m.group("date"):
                        found.setdefault("published", m.group("date"))
                    par = par[m.end():].lstrip()
            if "dateline" not in found and len(kept) <= 1:
                m = _DATELINE.match(par)
                if m and len(par) - m.end() > 40:
                    found["dateline"] = m.group("place") + (f" ({m.group('agency')})" if m.group("agency") else "")
                    removed.append(("dateline", m.group(0).strip()))
                    par = par[m.end():]
        if par:
            kept.append(par)
    return {"text": "\n\n".join(kept), "removed": removed, **found}


def _parse_date(value) -> pd.Timestamp:
    """A date string to a naive Timestamp (NaT when it is not a date)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip():
        return pd.NaT
    try:
        ts = pd.to_datetime(str(value).strip(), errors="coerce", dayfirst=False, format="mixed")
    except (ValueError, TypeError, OverflowError):
        return pd.NaT
    if ts is pd.NaT or pd.isna(ts):
        return pd.NaT
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def _infer_title(text: str) -> str | None:
    pars = _paragraphs(text)
    if len(pars) < 2:
        return None
    first = pars[0]
    if len(first.split()) <= 25 and not re.search(r"[.:;,]$", first):
        return first
    return None


def _infer_outlet(normalised_raw: str) -> str | None:
    for rx, outlet in _outlet_clues():
        m = rx.search(normalised_raw)
        if m:
            return outlet or m.group("outlet").strip()
    return None


# --------------------------------------------------------------------------- metadata sidecar


def _read_metadata(path: Path, prefix: str = "") -> tuple[dict, list[str]]:
    """metadata.csv -> ({key: {field: value}}, problems). Keys are file paths relative to the corpus folder
    (``prefix`` is the sidecar's own folder), bare file names and article ids. Never raises: a row that cannot
    be used is kept with its reason (on the article it names, else among the problems)."""
    rows: dict = {}
    problems: list[str] = []
    label = f"{prefix}{path.name}"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return {}, [f"{label} could not be read: {exc.strerror or exc}"]
    rec = _Record(path=str(path))
    text = _decode(raw, rec)
    if text is None:
        return {}, [f"{label}: {p[1]}" for p in rec.problems]
    for severity, words in rec.problems:
        if severity != OK:
            problems.append(f"{label}: {words}")
    raw_header, values_rows, bad = _read_csv_rows(text)
    header = [h.strip().lower() for h in raw_header or []]
    if "file" not in header and "article_id" not in header:
        return {}, [f"{label} has neither a 'file' nor an 'article_id' column; ignored"]
    for lineno, why in bad:
        problems.append(f"{label} line {lineno} is unreadable ({why}): its metadata was ignored")
    for lineno, values in values_rows:
        row = {h: v.strip() for h, v in zip(header, values) if h}
        if row.get("file"):
            row["file"] = prefix + row["file"].replace("\\", "/").removeprefix("./")
        for key in (row.get("file"), row.get("article_id")):
            if key:
                rows[key] = {**row, "_line": lineno, "_sidecar": label}
    # a malformed row that names its file: the warning goes on that article, not on every one
    for words in list(problems):
        m = re.match(rf"^{re.escape(label)} line (\d+) is unreadable \((\d+) fields", words)
        if m and "file" in header:
            values = _line_values(text, int(m.group(1)))
            index = header.index("file")
            key = prefix + values[index].strip() if values and len(values) > index and values[index].strip() else ""
            if key and key not in rows:
                rows[key] = {"_problem": words, "_line": int(m.group(1)), "_sidecar": label}
                problems.remove(words)
    return rows, problems


def _line_values(text: str, lineno: int) -> list[str] | None:
    """The fields of one physical line of a CSV (for naming the file of a malformed row)."""
    lines = text.splitlines()
    if not 0 < lineno <= len(lines):
        return None
    try:
        return next(csv.reader([lines[lineno - 1]], _sniff_dialect(text)))
    except (csv.Error, StopIteration):
        return None


# --------------------------------------------------------------------------- the loader


def _slug(value: str) -> str:
    return re.sub(r"[^\w.-]+", "_", str(value).strip()).strip("_") or "article"


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _dedupe_key(text: str) -> str:
    return _sha1(re.sub(r"\W+", " ", text.lower()).strip())


def load_corpus(
    source,
    *,
    metadata: str | Path | None = METADATA_FILE,
    text_col: str = "text",
    id_col: str = "article_id",
    recursive: bool = True,
    languages: Iterable[str] | None = ("en",),
) -> pd.DataFrame:
    """Read a corpus into the articles table: which articles are there, from whom, when, and in what state.

    Every entry under the folder gets a row, also the ones that cannot be read (with ``status`` ``error`` and
    the reason in ``problem``); the loader does not raise on any file, only on a missing path.

    Args:
        source: a folder of articles (``.txt``, ``.md``, ``.html``, ``.json``, ``.jsonl``, ``.csv``),
            one such file, a list of files, or a DataFrame with a ``text_col`` column (other columns such as ``outlet``,
            ``title``, ``published`` are kept).
        metadata: name of the sidecar CSV in the folder (``file`` or ``article_id`` column, then any of
            outlet, title, published, author, url, notes, ...; comma, semicolon or tab separated). Its values
            win over what is inferred from the text. A sidecar in a sub-folder describes that sub-folder's files.
            ``None`` ignores it.
        text_col: the text column of a DataFrame source.
        id_col: the id column of a DataFrame source (made from the row number when absent).
        recursive: also read sub-folders (the default; their files' ``path`` and ``article_id`` keep the
            sub-folder, e.g. ``sub_a`` for ``sub/a.txt``). Symbolic links are followed once; loops, dangling
            links and unreadable entries get an error row. With ``False`` each sub-folder gets a row saying it
            was not read.
        languages: the languages (ISO 639-1 codes) the articles are expected in. An article detected (offline,
            with py3langid) as written in another one is marked: status ``warning`` and the reason in
            ``problem``. The ``language`` column holds the detected code either way (empty when the text is too
            short to tell). ``None`` marks nothing.

    Returns:
        A new DataFrame with the columns of ``ARTICLE_COLUMNS`` then ``dateline``, ``removed``
        (boilerplate lines, one per line as ``[reason] line``), ``n_words``, ``n_paragraphs``,
        ``encoding``, ``meta_source`` (where each metadata value came from), ``sha1`` of the text and
        ``language``, plus any extra metadata columns. ``status`` is ``ok``, ``warning`` (usable, with a caveat)
        or ``error`` (not analysed); ``problem`` says why in words. Problems of a sidecar as a whole are on every
        article it covers, and once in :func:`corpus_problems`.

    Example:
        >>> import pandas as pd
        >>> arts = load_corpus(pd.DataFrame({"text": ["Officials said on Monday that talks failed.", ""],
        ...                                  "outlet": ["Daily A", "Daily B"]}))
        >>> arts[["article_id", "outlet", "status"]].values.tolist()
        [['0', 'Daily A', 'warning'], ['1', 'Daily B', 'error']]
        >>> arts.loc[1, "problem"]
        'empty text'
    """
    wanted = None if languages is None else {str(code).lower() for code in languages}
    listing = None  # a folder's listing: its articles table is cached under it
    corpus_level: list[tuple[str, str]] = []  # (path, words) of problems no single article owns
    if isinstance(source, pd.DataFrame):
        records, meta_rows = _records_from_frame(source, text_col, id_col), {}
    else:
        paths = [Path(p) for p in source] if isinstance(source, (list, tuple)) else None
        base = Path(source) if paths is None else (paths[0].parent if paths else Path("."))
        for p in paths or [base]:
            if not os.path.lexists(p):
                raise FileNotFoundError(f"corpus not found: {p}")
        folder = base if base.is_dir() else base.parent
        if paths is not None:
            entries = [_Entry(p, p.name) for p in sorted(paths)]
            sidecars = [(folder / metadata, "")] if metadata is not None else []
        elif base.is_dir():
            entries, sidecars = _walk(base, recursive, metadata)
            listing = _listing_key(base, entries, sidecars,
                                   [recursive, str(metadata), None if wanted is None else sorted(wanted)])
            known = _read_loaded(listing)
            if known is not None:
                return known
        else:
            entries, sidecars = [_Entry(base, base.name)], [(folder / metadata, "")] if metadata else []
        meta_rows = {}
        for sidecar, prefix in sidecars:
            if not sidecar.is_file():
                continue
            rows_, problems_ = _read_metadata(sidecar, prefix)
            meta_rows.update(rows_)
            corpus_level += [(str(sidecar), words, prefix) for words in problems_]
        records = []
        for entry in entries:
            records.extend(_safe_read(entry))
        for key, row in meta_rows.items():  # metadata rows that name a file that is not there
            if key == row.get("file") and not os.path.lexists(folder / key):
                rec = _Record(path=str(folder / key), article_id=_id_for(key), rel=key)
                rec.problem(ERROR, f"listed in {row['_sidecar']} (line {row['_line']}) but the file is missing")
                records.append(rec)
        for rec in records:  # a problem of a sidecar as a whole concerns every article in its folder
            for _, words, prefix in corpus_level:
                if rec.rel.startswith(prefix):
                    rec.problem(WARNING, words)
    rows = [_safe_finish(rec, meta_rows, wanted) for rec in records]
    frame = _mark_duplicates(_to_frame(rows))
    frame.attrs["corpus_problems"] = [(path, WARNING, words) for path, words, _ in corpus_level]
    if listing is not None:
        _store_loaded(listing, frame)
    return frame


# ------------------------------------------------------------------------------------ a folder read once
#
# Reading a folder costs more than its files' bytes: decoding, cleaning, boilerplate, language detection (about
# 4 ms an article). Every notebook of a report reads the corpus again (its own kernel), so the articles table
# of a folder is kept in the cache, under a key made of every entry's path and state (size, times, inode) and
# every setting and the code; a changed, added or removed file changes the key. A listing with an entry changed
# in the last seconds is not stored (a file written again within the file system's time granularity could keep
# its times). Stored as Parquet (no pickle: a cache is data, never code) and kept only when it reads back equal.

#: an entry changed this recently (seconds) keeps its folder's table out of the cache
_RACY_SECONDS = 2.0


def _state(path: Path) -> tuple:
    try:
        info = os.stat(path)
    except OSError as exc:
        return ("?", exc.errno)
    return (info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def _listing_key(base: Path, entries: list, sidecars: list, settings: list) -> tuple[str, int]:
    """``(key, the newest modification time in ns)`` of a folder's listing."""
    from importlib import metadata as dist

    from .pipeline import code_hash

    h = hashlib.sha1()
    versions = []
    for name in ("pandas", "ftfy", "py3langid", "trafilatura", "charset-normalizer", "PyYAML", "lxml"):
        try:
            versions.append(f"{name}=={dist.version(name)}")
        except dist.PackageNotFoundError:
            versions.append(name)
    h.update(json.dumps([code_hash(), versions, str(base.resolve()), settings]).encode())
    newest = 0
    for kind, items in (("entry", [(e.path, e.rel, e.problem) for e in entries]),
                        ("sidecar", [(p, prefix, None) for p, prefix in sidecars])):
        for path, rel, problem in items:
            state = _state(path)
            if len(state) > 2:  # a write moves the modification time (a change of mode or owner is in the key)
                newest = max(newest, state[2])
            h.update(json.dumps([kind, str(path), rel, problem, state]).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:24], newest


def _loaded_folder(listing: tuple[str, int]) -> Path:
    from .nlp import cache_dir

    return cache_dir() / "corpus" / listing[0]


def _read_loaded(listing: tuple[str, int] | None) -> pd.DataFrame | None:
    """The articles table stored for this listing, or None (missing, damaged, or no cache)."""
    return None if listing is None else _read_loaded_from(_loaded_folder(listing))


def _read_loaded_from(folder: Path) -> pd.DataFrame | None:
    try:
        if not (folder / "COMPLETE").exists():
            return None
        from .pipeline import _from_json

        frame = pd.read_parquet(folder / "articles.parquet")
        info = json.loads((folder / "articles.json").read_text(encoding="utf-8"))
        for col, dtype in info["dtypes"].items():
            if str(frame[col].dtype) != dtype:
                frame[col] = frame[col].astype(dtype)
        for col, kind in info["json"].items():
            frame[col] = _from_json(frame[col], kind)
        frame.attrs["corpus_problems"] = [tuple(p) for p in info["corpus_problems"]]
        return frame
    except Exception:  # noqa: BLE001 - a damaged entry of any kind is read again from the files, never trusted
        return None


def _store_loaded(listing: tuple[str, int], frame: pd.DataFrame) -> None:
    """Keep the articles table of a folder for its listing, when no entry changed just now and the table reads
    back equal (values, dtypes, attrs); else store nothing. A cache that cannot be written costs nothing."""
    import shutil
    import tempfile
    import time

    from .pipeline import _to_json

    if listing[1] > time.time_ns() - _RACY_SECONDS * 1e9:
        return
    folder = _loaded_folder(listing)
    tmp = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        table, kinds = _to_json(frame)
        table.to_parquet(tmp / "articles.parquet", index=False)
        (tmp / "articles.json").write_text(json.dumps({
            "dtypes": {str(c): str(t) for c, t in frame.dtypes.items()}, "json": kinds,
            "corpus_problems": [list(p) for p in frame.attrs.get("corpus_problems", [])]}), encoding="utf-8")
        (tmp / "COMPLETE").write_text("ok\n")
        back = _read_loaded_from(tmp)
        if back is None or not (back.equals(frame) and list(back.dtypes) == list(frame.dtypes)
                                and list(back.columns) == list(frame.columns) and back.attrs == frame.attrs):
            return
        os.replace(tmp, folder)
        tmp = None
    except Exception:  # noqa: BLE001 - not cached: the folder is read from its files next time
        return
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class _Entry:
    """One entry under the corpus folder: a file to read, or (with ``problem``) one that cannot be."""

    path: Path
    rel: str
    problem: str | None = None


def _id_for(rel: str) -> str:
    """article_id of a file: its name without extension, with its sub-folders (``sub/a.txt`` -> ``sub_a``)."""
    parts = rel.replace("\\", "/").split("/")
    stem = Path(parts[-1]).stem or parts[-1]
    return _slug("_".join([*parts[:-1], stem]))


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1_000_000 else f"{n:,} bytes"


def _skipped(name: str) -> bool:
    return name.startswith((".", "_", "~")) or bool(IGNORED_NAMES.match(name))


def _walk(base: Path, recursive: bool, metadata) -> tuple[list[_Entry], list[tuple[Path, str]]]:
    """Every entry under ``base`` (sorted, sub-folders depth first) and the sidecars found, ``(path, prefix)``.

    Links are followed once: a link to a folder already visited (a loop) or to a file already listed is an
    entry with a problem, like a dangling link, an unreadable folder, a folder named like a file, an empty
    sub-folder, a device or a pipe."""
    entries: list[_Entry] = []
    sidecars: list[tuple[Path, str]] = []
    real_dirs = {os.path.realpath(base): ""}
    real_files: dict[str, int] = {}  # real path -> index in entries

    def visit(folder: Path, prefix: str, named_like_file: bool = False) -> None:
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            entries.append(_Entry(folder, prefix.rstrip("/") or ".", f"folder could not be read: "
                                                                      f"{exc.strerror or exc} (check its permissions)"))
            return
        if metadata is not None and any(e.name == str(metadata) for e in items):
            sidecars.append((folder / str(metadata), prefix))
        shown = [e for e in items if not _skipped(e.name)]
        if named_like_file:
            entries.append(_Entry(folder, prefix.rstrip("/"), f"a folder, not a file, though its name ends in "
                                                              f"'{folder.suffix}'" + (
                                                                  ": the files in it are read" if shown
                                                                  else ", and it is empty")))
        elif prefix and not shown:
            entries.append(_Entry(folder, prefix.rstrip("/"), "empty folder: nothing to read"))
        # plain entries before links, so a link to a file of the same folder is the one reported
        for item in sorted(shown, key=lambda e: (e.is_symlink(), e.name)):
            path, rel = folder / item.name, prefix + item.name
            link = item.is_symlink()
            target = ""
            if link:
                try:
                    target = os.readlink(path)
                except OSError:
                    target = "?"
            try:
                info = os.stat(path)
            except OSError as exc:
                if link and exc.errno == errno.ELOOP:
                    words = f"symbolic link loop ({item.name} -> {target} leads back to itself): not followed"
                elif link and exc.errno == errno.ENOENT:
                    words = f"dangling symbolic link (to {target}, which does not exist)"
                else:
                    words = f"could not be read: {exc.strerror or exc} (check its permissions)"
                entries.append(_Entry(path, rel, words))
                continue
            if stat.S_ISDIR(info.st_mode):
                real = os.path.realpath(path)
                named_like_file = Path(item.name).suffix.lower() in SUPPORTED_EXTENSIONS
                if real in real_dirs:
                    seen = real_dirs[real].rstrip("/") or "the corpus folder itself"
                    entries.append(_Entry(path, rel, f"symbolic link to a folder already read ({seen}): not "
                                                     f"followed again (a link loop)"))
                elif not recursive:
                    entries.append(_Entry(path, rel, "a sub-folder: not read (load_corpus(..., recursive=False))"))
                else:
                    real_dirs[real] = rel + "/"
                    visit(path, rel + "/", named_like_file)
                continue
            if not stat.S_ISREG(info.st_mode):
                entries.append(_Entry(path, rel, "not a regular file (a device, pipe or socket): not read"))
                continue
            real = os.path.realpath(path)
            if real in real_files:
                first = entries[real_files[real]].rel
                entries.append(_Entry(path, rel, f"symbolic link to {first}, which is read already: not read twice"))
                continue
            real_files[real] = len(entries)
            if info.st_size > MAX_FILE_BYTES:
                entries.append(_Entry(path, rel, f"file is {_size(info.st_size)}, over the {_size(MAX_FILE_BYTES)} "
                                                 f"limit: not read"))
                continue
            entries.append(_Entry(path, rel))

    visit(base, "")
    order = sorted(range(len(entries)), key=lambda i: entries[i].rel)
    return [entries[i] for i in order], sidecars


def _safe_read(entry: _Entry) -> list[_Record]:
    """``_read_file`` that never raises: a failure nobody foresaw is an error row naming it."""
    if entry.problem:
        rec = _Record(path=str(entry.path), article_id=_id_for(entry.rel), rel=entry.rel)
        rec.problem(ERROR, entry.problem)
        return [rec]
    try:
        recs = _read_file(entry.path, entry.rel)
    except Exception as exc:  # noqa: BLE001 - one file never stops a corpus
        rec = _Record(path=str(entry.path), article_id=_id_for(entry.rel), rel=entry.rel)
        rec.problem(ERROR, f"could not be read: unexpected {type(exc).__name__} ({str(exc)[:200]})")
        return [rec]
    for rec in recs:
        rec.rel = entry.rel
    return recs


def _read_file(path: Path, rel: str | None = None) -> list[_Record]:
    rel = rel or path.name
    base_id = _id_for(rel)
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        rec = _Record(path=str(path), article_id=base_id)
        rec.problem(ERROR, f"unsupported file type '{path.suffix or '(none)'}' "
                           f"(supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))})")
        return [rec]
    probe = _Record(path=str(path), article_id=base_id)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            probe.problem(ERROR, f"file is {_size(size)}, over the {_size(MAX_FILE_BYTES)} limit: not read")
            return [probe]
        data = path.read_bytes()
    except OSError as exc:
        probe.problem(ERROR, f"could not be read: {exc.strerror or exc}"
                             + (" (check its permissions)" if isinstance(exc, PermissionError) else ""))
        return [probe]
    text = _decode(data, probe)
    if text is None:
        return [probe]
    recs = _records_from_text(text, path, base_id, probe.encoding)
    for rec in recs:
        rec.problems[:0] = probe.problems
        rec.encoding = rec.encoding or probe.encoding
    return recs


def _records_from_frame(frame: pd.DataFrame, text_col: str, id_col: str) -> list[_Record]:
    if text_col not in frame.columns:
        raise KeyError(f"the DataFrame has no '{text_col}' column (columns: {', '.join(map(str, frame.columns))})")
    recs = []
    for i, row in enumerate(frame.to_dict("records")):
        art_id = row.get(id_col)
        art_id = _slug(art_id) if art_id is not None and str(art_id) != "nan" else str(i)
        rec = _Record(path=str(row.get("path") or ""), article_id=art_id)
        text = row.get(text_col)
        if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
            rec.problem(ERROR, "empty text")
        else:
            rec.raw = str(text)
        for name in META_FIELDS:
            value = row.get(name)
            if value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value).strip():
                rec.meta[name] = value
        rec.meta["_extra"] = {k: v for k, v in row.items()
                              if k not in (text_col, id_col, "path", *META_FIELDS, *ARTICLE_COLUMNS,
                                           *EXTRA_COLUMNS)}
        recs.append(rec)
    return recs


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrub(value):
    """A string without lone surrogates (a JSON '\\ud800' escape), and how many were replaced."""
    if isinstance(value, str) and _SURROGATE.search(value):
        return _SURROGATE.subn("\ufffd", value)
    return value, 0


def _scrub_record(rec: _Record) -> None:
    rec.raw, n = _scrub(rec.raw)
    rec.article_id, m = _scrub(rec.article_id)
    n += m
    for key, value in list(rec.meta.items()):
        if key == "_extra":
            for k, v in list(value.items()):
                value[k], m = _scrub(v)
                n += m
        else:
            rec.meta[key], m = _scrub(value)
            n += m
    if n:
        rec.problem(WARNING, f"{n} lone surrogate code point(s) (such as a JSON '\\ud800' escape, which is not a "
                             f"character) replaced by '\ufffd'")


#: Language names for the problem text (others are named by their code).
_LANGUAGE_NAMES = {
    "en": "English", "ru": "Russian", "ar": "Arabic", "fr": "French", "de": "German", "es": "Spanish",
    "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "uk": "Ukrainian", "tr": "Turkish",
    "fa": "Persian", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "uz": "Uzbek", "kk": "Kazakh",
    "ky": "Kyrgyz", "tg": "Tajik", "hi": "Hindi", "ur": "Urdu", "he": "Hebrew", "el": "Greek", "sv": "Swedish",
    "cs": "Czech", "ro": "Romanian", "hu": "Hungarian", "id": "Indonesian", "vi": "Vietnamese",
}
#: An article is marked only when the detector is this sure and has this many letters to go on.
LANGUAGE_MIN_CONFIDENCE = 0.9
LANGUAGE_MIN_LETTERS = 40


@lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str | None, float]:
    """``(ISO 639-1 code, confidence)`` of a text by py3langid's offline model (shipped in its wheel), or
    ``(None, 0.0)`` when it has too few letters to tell.

    >>> detect_language("Officials said on Monday that the talks had failed and would start again in May.")[0]
    'en'
    >>> detect_language("Переговоры провалились, заявил в понедельник заместитель министра Рябков.")[0]
    'ru'
    >>> detect_language("OK")
    (None, 0.0)
    """
    sample = text[:50_000]
    if sum(c.isalpha() for c in sample) < LANGUAGE_MIN_LETTERS:
        return None, 0.0
    code, prob = _language_identifier().classify(sample)
    return str(code), float(prob)


def _mostly_non_latin(text: str) -> bool:
    """Whether most letters of a text are not Latin ones (then a detected language other than English is
    believed even with less confidence: py3langid spreads its probability over related languages)."""
    sample = text[:20_000]
    letters = [c for c in sample if c.isalpha()]
    latin = sum(1 for c in letters if ord(c) < 0x250)
    return bool(letters) and latin < 0.5 * len(letters)


def _safe_finish(rec: _Record, meta_rows: dict, languages: set | None) -> dict:
    """``_finish`` that never raises: a failure nobody foresaw is an error row naming it."""
    try:
        return _finish(rec, meta_rows, languages)
    except Exception as exc:  # noqa: BLE001 - one article never stops a corpus
        rec.raw, rec.meta = "", {}
        rec.problem(ERROR, f"could not be read: unexpected {type(exc).__name__} ({str(exc)[:200]})")
        return _finish(rec, {}, None)


def _finish(rec: _Record, meta_rows: dict, languages: set | None = None) -> dict:
    """Clean one record's text and settle its metadata: sidecar > file fields > inferred from text."""
    _scrub_record(rec)
    name = Path(rec.path).name if rec.path else ""
    side = dict(meta_rows.get(rec.rel) or meta_rows.get(rec.article_id or "")
                or (meta_rows.get(name) if "/" not in rec.rel else None) or {})
    if "_problem" in side:
        rec.problem(WARNING, side["_problem"])
    if side.get("article_id"):
        rec.article_id = _slug(side["article_id"])
    if len(rec.raw) > MAX_TEXT_CHARS:
        rec.problem(ERROR, f"text is {len(rec.raw):,} characters, over the {MAX_TEXT_CHARS:,} the workbook analyses: "
                           f"not read (split it into articles)")
        rec.raw = ""
    cleaned = clean_text(rec.raw) if rec.raw else {"text": "", "removed": []}
    text = cleaned["text"]
    if rec.raw and not text and not any(s == ERROR for s, _ in rec.problems):
        rec.problem(ERROR, "no article text left after removing boilerplate")
    if len(text) > LONG_TEXT_CHARS:
        rec.problem(WARNING, f"long article ({len(text):,} characters): parsed in pieces at paragraph breaks")
    language, confidence = detect_language(text) if text else (None, 0.0)
    if (languages and language and language not in languages
            and (confidence >= LANGUAGE_MIN_CONFIDENCE or _mostly_non_latin(text))
            and not any(s == ERROR for s, _ in rec.problems)):
        expected = ", ".join(_LANGUAGE_NAMES.get(c, c) for c in sorted(languages))
        rec.problem(WARNING, f"written in {_LANGUAGE_NAMES.get(language, language)} ({language}), not {expected}: "
                             f"{NOT_ANALYSED_LANGUAGE} "
                             f"(load_corpus(..., languages=None) takes every language)")
    inferred = {
        "title": _infer_title(text) if text else None,
        "author": cleaned.get("author"),
        "published": cleaned.get("published"),
        "outlet": _infer_outlet(_normalise(rec.raw)) if rec.raw else None,
        "url": None,
    }
    row = {"article_id": rec.article_id, "path": rec.path, "text": text}
    sources = []
    for name_ in META_FIELDS:
        for origin, value in (("metadata", side.get(name_)), ("file", rec.meta.get(name_)),
                              ("text", inferred[name_])):
            if value is not None and str(value).strip():
                row[name_] = str(value).strip() if name_ != "published" else value
                sources.append(f"{name_}={origin}")
                break
        else:
            row[name_] = None
    if not row["outlet"] and row["url"]:  # an address on a known outlet's domain names the outlet
        row["outlet"] = lexicons.outlet_for_url(row["url"])
        if row["outlet"]:
            sources.insert(0, "outlet=url")
    published = _parse_date(row["published"]) if row["published"] is not None else pd.NaT
    if row["published"] is not None and published is pd.NaT:
        rec.problem(WARNING, f"published date '{row['published']}' could not be read")
    row["published"] = published
    for key, value in side.items():  # extra sidecar columns (notes, country, ...) pass through
        if key not in row and not key.startswith("_") and key != "file":
            row[key] = value or None
    for key, value in rec.meta.get("_extra", {}).items():
        row.setdefault(key, value)
    if text:
        if not row["outlet"]:
            rec.problem(WARNING, "outlet unknown (not in metadata, not shown in the text)")
        if published is pd.NaT:
            rec.problem(WARNING, "publication date unknown: relative dates ('on Tuesday') cannot be resolved")
    row["dateline"] = cleaned.get("dateline")
    row["removed"] = "\n".join(f"[{reason}] {line}" for reason, line in cleaned["removed"])
    row["n_words"] = len(text.split())
    row["n_paragraphs"] = len(_paragraphs(text)) if text else 0
    row["encoding"] = rec.encoding or None
    row["meta_source"] = "; ".join(sources)
    row["sha1"] = _sha1(text) if text else None
    row["language"] = language
    worst = max((s for s, _ in rec.problems), key=_SEVERITY.get, default=OK)
    row["status"] = worst
    row["problem"] = "; ".join(words for _, words in rec.problems)
    return row


def _to_frame(rows: list[dict]) -> pd.DataFrame:
    columns = ARTICLE_COLUMNS + EXTRA_COLUMNS
    extra = [k for r in rows for k in r if k not in columns]
    frame = pd.DataFrame(rows, columns=columns + list(dict.fromkeys(extra)))
    frame["published"] = pd.to_datetime(frame["published"])
    if frame.empty:  # typed columns, so the table works like any other (no .str on floats)
        for col in frame.columns:
            if col not in ("published", "n_words", "n_paragraphs"):
                frame[col] = frame[col].astype(object)
        frame[["n_words", "n_paragraphs"]] = frame[["n_words", "n_paragraphs"]].astype(int)
        return frame
    # unique, stable ids: a clash gets -2, -3 ... in file order
    seen: dict[str, int] = {}
    ids = []
    for art_id in frame["article_id"].astype(str):
        seen[art_id] = seen.get(art_id, 0) + 1
        ids.append(art_id if seen[art_id] == 1 else f"{art_id}-{seen[art_id]}")
    frame["article_id"] = ids
    for col in ("outlet",):
        missing = frame[col].isna() | (frame[col].astype(str).str.strip() == "")
        frame.loc[missing, col] = "unknown (" + frame.loc[missing, "article_id"].str.slice(0, 12) + ")"
    return frame.reset_index(drop=True)


def _mark_duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    first: dict[str, str] = {}
    for i, row in frame.iterrows():
        if row["status"] == ERROR or not row["text"]:
            continue
        key = _dedupe_key(row["text"])
        if key in first:
            frame.at[i, "status"] = ERROR
            words = f"duplicate of article {first[key]} (same text): skipped so it is not counted twice"
            frame.at[i, "problem"] = "; ".join(p for p in (row["problem"], words) if p)
        else:
            first[key] = row["article_id"]
    return frame


def removed_lines(articles: pd.DataFrame) -> pd.DataFrame:
    """What the loader stripped from each article, one row per line: article_id, reason, line.

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article_id": ["a"], "removed": ["[comment form] Leave a Reply"]})
    >>> removed_lines(arts).values.tolist()
    [['a', 'comment form', 'Leave a Reply']]
    """
    rows = []
    for art_id, removed in zip(articles["article_id"], articles["removed"]):
        for line in str(removed or "").split("\n"):
            m = re.match(r"^\[([^\]]+)\] (.*)$", line)
            if m:
                rows.append((art_id, m.group(1), m.group(2)))
    return pd.DataFrame(rows, columns=["article_id", "reason", "line"])


def corpus_overview(articles: pd.DataFrame) -> pd.DataFrame:
    """One line per article for a first look: outlet, title, date, author, length, status."""
    cols = ["article_id", "outlet", "title", "published", "author", "n_words", "n_paragraphs", "status"]
    view = articles[cols].copy()
    view["published"] = view["published"].dt.strftime("%Y-%m-%d").fillna("unknown")
    return view.fillna({"title": "(none)", "author": "(none)"}).set_index("article_id")


def corpus_problems(articles: pd.DataFrame) -> pd.DataFrame:
    """What was skipped (status error) or analysed with a caveat (warning), and why: one row per problem."""
    shared = list(articles.attrs.get("corpus_problems", []))  # a sidecar's problems, once each
    said = {words for _, _, words in shared}
    rows = [(None, path, status, words) for path, status, words in shared]
    rows += [
        (r.article_id, r.path, r.status, words.strip())
        for r in articles.itertuples()
        if r.status != OK
        for words in str(r.problem).split("; ")
        if words.strip() and words.strip() not in said
    ]
    return pd.DataFrame(rows, columns=["article_id", "path", "status", "problem"])
