"""Load a corpus of news articles into the articles table.

The articles table is the contract every other module reads (see DESIGN.md): one row per article,
with its clean body ``text`` and what is known about where it came from. Nothing is dropped
silently: an article that cannot be read stays in the table with ``status`` ``"error"`` and a
``problem`` saying why, and every line removed as boilerplate is kept in ``removed``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from . import lexicons

__all__ = [
    "load_corpus", "clean_text", "removed_lines", "corpus_overview", "corpus_problems", "ARTICLE_COLUMNS",
    "SUPPORTED_EXTENSIONS",
]

#: Columns every articles table has, in this order (more may follow).
ARTICLE_COLUMNS = [
    "article_id", "outlet", "title", "published", "author", "url", "text", "path",
    "status", "problem",
]
EXTRA_COLUMNS = ["dateline", "removed", "n_words", "n_paragraphs", "encoding", "meta_source", "sha1"]
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


def _decode(data: bytes, rec: _Record) -> str | None:
    """Bytes to text, saying how; None (with an error recorded) when it is not text at all."""
    if not data.strip():
        rec.problem(ERROR, "empty file")
        return None
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            rec.problem(ERROR, f"binary file ({what}), not text: convert it to .txt or .html first")
            return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        rec.encoding = "utf-16"
        rec.problem(WARNING, "file is UTF-16, not UTF-8: read as UTF-16")
        return data.decode("utf-16", errors="replace")
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > 0.05 * len(head):
        rec.problem(ERROR, "binary file (control bytes where text should be), not text")
        return None
    try:
        text = data.decode("utf-8-sig")
        rec.encoding = "utf-8"
    except UnicodeDecodeError as exc:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            rec.problem(ERROR, f"not UTF-8 ({exc.reason} at byte {exc.start}) and no encoding could be detected")
            return None
        rec.encoding = best.encoding
        text = str(best)
        rec.problem(WARNING, f"not UTF-8 (invalid byte at {exc.start}): read as {best.encoding}")
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
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            rec = _Record(path=rel, article_id=base_id, encoding=encoding)
            rec.problem(ERROR, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
            return [rec]
        items = data if isinstance(data, list) else [data]
        if isinstance(data, dict) and _pick(data, TEXT_FIELDS) is None:
            for key in ("articles", "items", "data", "documents", "records"):
                if isinstance(data.get(key), list):
                    items = data[key]
                    break
        return _numbered(items, rel, base_id, encoding)
    if ext == ".jsonl":
        recs = []
        lines = [(i, line) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
        for i, line in lines:
            art_id = f"{base_id}-{i:03d}" if len(lines) > 1 else base_id
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                rec = _Record(path=rel, article_id=art_id, encoding=encoding)
                rec.problem(ERROR, f"line {i}: malformed JSON ({exc.msg})")
                recs.append(rec)
                continue
            rec = _record_from_mapping(obj, rel, art_id, i)
            rec.encoding = encoding
            recs.append(rec)
        return recs
    if ext == ".csv":
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, ValueError) as exc:
            rec = _Record(path=rel, article_id=base_id, encoding=encoding)
            rec.problem(ERROR, f"malformed CSV: {exc}")
            return [rec]
        if not any(c.strip().lower() in TEXT_FIELDS for c in frame.columns):
            rec = _Record(path=rel, article_id=base_id, encoding=encoding)
            rec.problem(ERROR, f"CSV has no text column (looked for: {', '.join(TEXT_FIELDS)}; "
                               f"found: {', '.join(frame.columns)})")
            return [rec]
        return _numbered(frame.to_dict("records"), rel, base_id, encoding)
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


def _read_metadata(path: Path) -> tuple[dict, list[str]]:
    """metadata.csv -> ({key: {field: value}}, problems). Keys are file names and article ids."""
    rows: dict = {}
    problems: list[str] = []
    try:
        raw = path.read_bytes()
        rec = _Record(path=str(path))
        text = _decode(raw, rec)
        if text is None:
            return {}, [f"{path.name}: {p[1]}" for p in rec.problems]
        reader = csv.reader(io.StringIO(text))
        header = [h.strip().lower() for h in next(reader, [])]
    except (OSError, csv.Error) as exc:
        return {}, [f"{path.name} could not be read: {exc}"]
    if "file" not in header and "article_id" not in header:
        return {}, [f"{path.name} has neither a 'file' nor an 'article_id' column; ignored"]
    for lineno, values in enumerate(reader, 2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            words = (f"{path.name} line {lineno} is unreadable ({len(values)} fields where the header has "
                     f"{len(header)}): its metadata was ignored")
            key = values[header.index("file")].strip() if "file" in header and len(values) > header.index(
                "file") else ""
            if key:
                rows[key] = {"_problem": words, "_line": lineno}
            else:
                problems.append(words)
            continue
        row = {h: v.strip() for h, v in zip(header, values) if h}
        for key in (row.get("file"), row.get("article_id")):
            if key:
                rows[key] = {**row, "_line": lineno}
    return rows, problems


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
    recursive: bool = False,
) -> pd.DataFrame:
    """Read a corpus into the articles table: which articles are there, from whom, when, and in what state.

    Args:
        source: a folder of articles (``.txt``, ``.md``, ``.html``, ``.json``, ``.jsonl``, ``.csv``),
            one such file, a list of files, or a DataFrame with a ``text_col`` column (other columns such as ``outlet``,
            ``title``, ``published`` are kept).
        metadata: name of the sidecar CSV in the folder (``file`` or ``article_id`` column, then any of
            outlet, title, published, author, url, notes, ...). Its values win over what is inferred
            from the text. ``None`` ignores it.
        text_col: the text column of a DataFrame source.
        id_col: the id column of a DataFrame source (made from the row number when absent).
        recursive: also read sub-folders.

    Returns:
        A new DataFrame with the columns of ``ARTICLE_COLUMNS`` then ``dateline``, ``removed``
        (boilerplate lines, one per line as ``[reason] line``), ``n_words``, ``n_paragraphs``,
        ``encoding``, ``meta_source`` (where each metadata value came from) and ``sha1`` of the text,
        plus any extra metadata columns. ``status`` is ``ok``, ``warning`` (usable, with a caveat) or
        ``error`` (not analysed); ``problem`` says why in words.

    Example:
        >>> import pandas as pd
        >>> arts = load_corpus(pd.DataFrame({"text": ["Officials said on Monday that talks failed.", ""],
        ...                                  "outlet": ["Daily A", "Daily B"]}))
        >>> arts[["article_id", "outlet", "status"]].values.tolist()
        [['0', 'Daily A', 'warning'], ['1', 'Daily B', 'error']]
        >>> arts.loc[1, "problem"]
        'empty text'
    """
    if isinstance(source, pd.DataFrame):
        records, meta_rows, meta_problems = _records_from_frame(source, text_col, id_col), {}, []
    else:
        paths = [Path(p) for p in source] if isinstance(source, (list, tuple)) else None
        base = Path(source) if paths is None else (paths[0].parent if paths else Path("."))
        for p in paths or [base]:
            if not p.exists():
                raise FileNotFoundError(f"corpus not found: {p}")
        folder = base if base.is_dir() else base.parent
        meta_rows, meta_problems = {}, []
        if metadata is not None and (folder / metadata).is_file():
            meta_rows, meta_problems = _read_metadata(folder / metadata)
        files = sorted(paths) if paths is not None else _corpus_files(base, recursive)
        records = []
        for path in files:
            records.extend(_read_file(path, folder))
        for key, row in meta_rows.items():  # metadata rows that name a file that is not there
            if key == row.get("file") and not (folder / key).exists():
                rec = _Record(path=str(folder / key), article_id=_slug(Path(key).stem))
                rec.problem(ERROR, f"listed in {metadata} (line {row['_line']}) but the file is missing")
                records.append(rec)
    for rec in records:  # a problem of the sidecar as a whole concerns every article in the folder
        for words in meta_problems:
            rec.problem(WARNING, words)
    rows = [_finish(rec, meta_rows) for rec in records]
    return _mark_duplicates(_to_frame(rows))


def _corpus_files(base: Path, recursive: bool) -> list[Path]:
    if base.is_file():
        return [base]
    pattern = "**/*" if recursive else "*"
    return sorted(
        p for p in base.glob(pattern)
        if p.is_file() and not p.name.startswith((".", "_", "~")) and not IGNORED_NAMES.match(p.name)
    )


def _read_file(path: Path, folder: Path) -> list[_Record]:
    rel = str(path)
    base_id = _slug(path.stem)
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        rec = _Record(path=rel, article_id=base_id)
        rec.problem(ERROR, f"unsupported file type '{path.suffix or '(none)'}' "
                           f"(supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))})")
        return [rec]
    probe = _Record(path=rel, article_id=base_id)
    try:
        data = path.read_bytes()
    except OSError as exc:
        probe.problem(ERROR, f"could not be read: {exc.strerror or exc}")
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


def _finish(rec: _Record, meta_rows: dict) -> dict:
    """Clean one record's text and settle its metadata: sidecar > file fields > inferred from text."""
    name = Path(rec.path).name if rec.path else ""
    side = dict(meta_rows.get(name) or meta_rows.get(rec.article_id or "") or {})
    if "_problem" in side:
        rec.problem(WARNING, side["_problem"])
    if side.get("article_id"):
        rec.article_id = _slug(side["article_id"])
    cleaned = clean_text(rec.raw) if rec.raw else {"text": "", "removed": []}
    text = cleaned["text"]
    if rec.raw and not text and not any(s == ERROR for s, _ in rec.problems):
        rec.problem(ERROR, "no article text left after removing boilerplate")
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
    worst = max((s for s, _ in rec.problems), key=_SEVERITY.get, default=OK)
    row["status"] = worst
    row["problem"] = "; ".join(words for _, words in rec.problems)
    return row


def _to_frame(rows: list[dict]) -> pd.DataFrame:
    columns = ARTICLE_COLUMNS + EXTRA_COLUMNS
    extra = [k for r in rows for k in r if k not in columns]
    frame = pd.DataFrame(rows, columns=columns + list(dict.fromkeys(extra)))
    frame["published"] = pd.to_datetime(frame["published"])
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
    rows = [
        (r.article_id, r.path, r.status, words.strip())
        for r in articles.itertuples()
        if r.status != OK
        for words in str(r.problem).split("; ")
        if words.strip()
    ]
    return pd.DataFrame(rows, columns=["article_id", "path", "status", "problem"])
