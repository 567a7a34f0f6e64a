"""Score the extractors against annotations made by others: readers for standard formats and span scoring.

Readers return the same two tables whatever the format: ``articles`` (article_id, text, published) and a
gold table of spans keyed by ``article_id`` with ``start``/``end`` character offsets into that text.

- :func:`read_brat` reads brat standoff (``.ann`` beside or under a ``text/`` folder of ``.txt``), the format
  of brat and INCEpTION exports; :func:`read_polnear` turns PolNeAR's Source/Cue/Content attributions into a
  quotes gold.
- :func:`read_timeml` reads TimeML (``TIMEX3`` with type and value; the ``CREATION_TIME`` is the
  publication date).
- :func:`read_meantime` reads MEANTIME's CAT XML (tokens and entity mentions), rebuilding the text.
- :func:`read_span_csv` reads a CSV of spans (article_id or file, start, end, label, value ...) next to a
  folder of texts.

:func:`match_spans` pairs predicted and gold spans one to one (greedily by overlap, relaxed or strict), and
:func:`score_spans` gives precision, recall and F1 and, on the matched pairs, the accuracy of a label,
value or speaker. :func:`score_folder` guesses the format of a folder and scores the matching extractor
(``python -m analysis score GOLD_FOLDER``); :func:`eval_dev` runs every extractor and its baselines on the
development data (``make eval-dev``).
"""

from __future__ import annotations

import csv
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["read_brat", "read_polnear", "read_timeml", "read_meantime", "read_span_csv", "match_spans",
           "score_spans", "Score", "score_folder", "eval_dev", "ENTITY_MAP"]

#: spaCy labels scored as MEANTIME's three named-entity types (the usual convention).
ENTITY_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


# --------------------------------------------------------------------------------------------- readers
def _fragments(spec: str) -> list[tuple[int, int]]:
    out = []
    for part in spec.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def _parse_ann(path: Path) -> tuple[list[dict], list[dict]]:
    """Text-bound annotations (T lines) and events/relations (E and R lines) of one ``.ann`` file."""
    spans, events = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or "\t" not in line:
            continue
        parts = line.split("\t")
        ident = parts[0]
        if ident.startswith("T") and len(parts) >= 2:
            label, _, spec = parts[1].partition(" ")
            frags = _fragments(spec)
            spans.append({"id": ident, "label": label, "start": frags[0][0], "end": frags[-1][1],
                          "fragments": frags, "text": parts[2] if len(parts) > 2 else ""})
        elif ident[:1] in ("E", "R") and len(parts) >= 2:
            head, *args = parts[1].split()
            etype, _, trigger = head.partition(":")
            roles = {}
            for arg in args:
                role, _, ref = arg.partition(":")
                roles[re.sub(r"\d+$", "", role)] = ref
            events.append({"id": ident, "type": etype, "trigger": trigger, "roles": roles})
    return spans, events


def _text_for(ann: Path) -> Path | None:
    stem = ann.stem
    candidates = [ann.with_suffix(".txt"), ann.parent.parent / "text" / f"{stem}.txt"]
    # several annotators' files of one text: NAME_ANNOTATOR.ann beside text/NAME.txt
    if "_" in stem:
        base = stem.rsplit("_", 1)[0]
        candidates += [ann.parent / f"{base}.txt", ann.parent.parent / "text" / f"{base}.txt"]
    return next((c for c in candidates if c.exists()), None)


def read_brat(folder) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read a folder of brat standoff files: ``(articles, spans, events)``.

    Each ``.ann`` is paired with its ``.txt`` (beside it, or in a sibling ``text/`` folder). When several
    ``.ann`` files annotate one text (``NAME_annotator.ann``), the first in sorted order is kept, so each
    text is scored once. ``spans`` has one row per text-bound annotation (id, label, start, end of its whole
    extent, fragments, text); ``events`` one row per event or relation (id, type, trigger, roles)."""
    folder = Path(folder)
    anns = sorted(folder.rglob("*.ann"))
    arts, span_rows, event_rows, seen = [], [], [], set()
    for ann in anns:
        txt = _text_for(ann)
        if txt is None or txt.stem in seen:
            continue
        seen.add(txt.stem)
        text = txt.read_text(encoding="utf-8")
        found = re.search(r"(?<!\d)(19|20)\d\d-[01]\d-[0-3]\d(?!\d)", txt.stem)
        arts.append({"article_id": txt.stem, "text": text, "path": str(txt),
                     "published": pd.Timestamp(found.group(0)) if found else pd.NaT})
        spans, events = _parse_ann(ann)
        span_rows += [{"article_id": txt.stem, **s} for s in spans]
        event_rows += [{"article_id": txt.stem, **e} for e in events]
    return (pd.DataFrame(arts, columns=["article_id", "text", "path", "published"]),
            pd.DataFrame(span_rows, columns=["article_id", "id", "label", "start", "end", "fragments", "text"]),
            pd.DataFrame(event_rows, columns=["article_id", "id", "type", "trigger", "roles"]))


def read_polnear(folder) -> tuple[pd.DataFrame, pd.DataFrame]:
    """PolNeAR (brat, one Attribution event per attribution) as ``(articles, gold quotes)``.

    A quote's span is its Content (a discontinuous one taken whole); ``speaker_start``/``speaker_end`` and
    ``cue_start``/``cue_end`` are its Source and Cue (NaN where the annotation has none)."""
    arts, spans, events = read_brat(folder)
    by_id = {(r.article_id, r.id): r for r in spans.itertuples(index=False)}
    rows = []
    for ev in events.itertuples(index=False):
        if ev.type != "Attribution":
            continue
        content = by_id.get((ev.article_id, ev.roles.get("Content")))
        if content is None:
            continue
        src = by_id.get((ev.article_id, ev.roles.get("Source")))
        cue = by_id.get((ev.article_id, ev.roles.get("Cue")))
        rows.append({"article_id": ev.article_id, "start": content.start, "end": content.end,
                     "text": content.text,
                     "speaker_start": src.start if src else float("nan"),
                     "speaker_end": src.end if src else float("nan"),
                     "speaker": src.text if src else "",
                     "cue_start": cue.start if cue else float("nan"), "cue_end": cue.end if cue else float("nan"),
                     "cue": cue.text if cue else ""})
    return arts, pd.DataFrame(rows, columns=["article_id", "start", "end", "text", "speaker_start", "speaker_end",
                                             "speaker", "cue_start", "cue_end", "cue"])


def _strip_tags(elem, out: list, spans: list) -> None:
    """Walk a TimeML element, appending its text to ``out`` and every TIMEX3 span to ``spans``."""
    if elem.text:
        out.append(elem.text)
    for child in elem:
        tag = child.tag.split("}")[-1]
        start = sum(map(len, out))
        _strip_tags(child, out, spans)
        if tag == "TIMEX3":
            end = sum(map(len, out))
            spans.append({"start": start, "end": end, "type": child.get("type", ""),
                          "value": child.get("value", ""), "tid": child.get("tid", "")})
        if child.tail:
            out.append(child.tail)


def read_timeml(folder) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every ``.tml`` (or TimeML ``.xml``) under ``folder`` as ``(articles, gold dates)``.

    The text is the content of ``<TEXT>`` with the tags removed; offsets count characters in it. The
    ``TIMEX3`` whose ``functionInDocument`` is ``CREATION_TIME`` gives ``published``."""
    folder = Path(folder)
    files = sorted(list(folder.rglob("*.tml")) + [p for p in folder.rglob("*.xml") if _is_timeml(p)])
    arts, rows = [], []
    for path in files:
        root = ET.parse(path).getroot()
        dct = None
        for t in root.iter():
            if t.tag.split("}")[-1] == "TIMEX3" and t.get("functionInDocument") == "CREATION_TIME":
                dct = t.get("value")
                break
        text_el = next((e for e in root.iter() if e.tag.split("}")[-1] == "TEXT"), None)
        if text_el is None:
            continue
        out, spans = [], []
        _strip_tags(text_el, out, spans)
        text = "".join(out)
        aid = path.stem
        published = pd.to_datetime(dct[:10], errors="coerce") if dct else pd.NaT
        arts.append({"article_id": aid, "text": text, "path": str(path), "published": published})
        rows += [{"article_id": aid, **s, "text": text[s["start"]:s["end"]]} for s in spans]
    return (pd.DataFrame(arts, columns=["article_id", "text", "path", "published"]),
            pd.DataFrame(rows, columns=["article_id", "start", "end", "type", "value", "tid", "text"]))


def _is_timeml(path: Path) -> bool:
    with open(path, encoding="utf-8", errors="replace") as fh:
        head = fh.read(2000)
    return "<TimeML" in head


_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]}]|'s|'S|n't|'re|'ve|'ll|'d|'m|’s|”|''|'|’)$")
_NO_SPACE_AFTER = {"(", "[", "{", "$", "“", "``", "`", "‘", "#"}
#: Penn Treebank quote tokens, written back as the quote marks of the article.
_PTB_QUOTES = {"``": "“", "''": "”", "`": "‘"}
_CLITIC = re.compile(r"^(?:s|S|t|re|ve|ll|d|m)$")


def _detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join tokens with the spaces a reader would expect; offsets of each token in the result.

    Penn Treebank quotes (`` '') become curly quotes, a lone apostrophe closes a possessive or a single
    quote ("Airbus' fleet"), and a split clitic or name joins its word again ("I' ll" -> "I'll",
    "O' Leary" -> "O'Leary", "it ’ s" -> "it’s")."""
    out, offsets, prev, quote_open = "", [], None, False
    for tok in tokens:
        tok = _PTB_QUOTES.get(tok, tok)
        space = prev is not None and not _NO_SPACE_BEFORE.match(tok) and prev not in _NO_SPACE_AFTER
        if tok == '"':
            space = prev is not None and not quote_open and prev not in _NO_SPACE_AFTER
            if quote_open:
                space = False
        if prev == '"' and quote_open:
            space = False
        if prev is not None and (re.match(r"^[A-Za-z]['’]$", prev) and tok[:1].isalpha()
                                 or prev in ("'", "’") and _CLITIC.match(tok)):
            space = False
        if space:
            out += " "
        offsets.append((len(out), len(out) + len(tok)))
        out += tok
        if tok == '"':
            quote_open = not quote_open
        prev = tok
    return out, offsets


def read_meantime(folder) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """MEANTIME CAT XML files under ``folder``: ``(articles, gold entities, scored regions)``.

    The text is rebuilt from the tokens (the title and the date line each on their own line, then the body).
    Gold entities are the named mentions (``syntactic_type`` NAM or PRE.NAM) of an entity whose type is
    PER, ORG or LOC. Only the first sentences of each document are annotated, so ``regions`` gives, per
    article, the character range that is scored: up to the end of the last sentence holding any
    annotation."""
    folder = Path(folder)
    arts, rows, regions = [], [], []
    for path in sorted(folder.rglob("*.xml")):
        root = ET.parse(path).getroot()
        if root.tag != "Document":
            continue
        toks = [(t.get("t_id"), int(t.get("sentence")), t.text or "") for t in root.iter("token")]
        text, pos, sent_ends = "", {}, {}
        by_sent: dict[int, list] = {}
        for tid, sent, tok in toks:
            by_sent.setdefault(sent, []).append((tid, tok))
        for sent in sorted(by_sent):
            items = by_sent[sent]
            joined, offs = _detokenize([tok for _, tok in items])
            if text:
                text += "\n\n" if sent <= 2 else " "
            base = len(text)
            for (tid, _), (a, b) in zip(items, offs):
                pos[tid] = (base + a, base + b, sent)
            text += joined
            sent_ends[sent] = len(text)
        markables = root.find("Markables")
        mentions, annotated = {}, set()
        for m in (markables if markables is not None else []):
            anchors = [a.get("t_id") for a in m.findall("token_anchor")]
            for a in anchors:
                if a in pos:
                    annotated.add(pos[a][2])
            if m.tag == "ENTITY_MENTION":
                mentions[m.get("m_id")] = (m.get("syntactic_type", ""), [a for a in anchors if a in pos])
        ent_type = {m.get("m_id"): m.get("ent_type", "") for m in (markables if markables is not None else [])
                    if m.tag == "ENTITY"}
        relations = root.find("Relations")
        mention_type = {}
        for rel in (relations if relations is not None else []):
            if rel.tag != "REFERS_TO":
                continue
            target = rel.find("target")
            etype = ent_type.get(target.get("m_id")) if target is not None else None
            for src in rel.findall("source"):
                mention_type[src.get("m_id")] = etype
        aid = path.stem.split("_", 1)[0]
        for mid, (syn, anchors) in mentions.items():
            label = mention_type.get(mid)
            if syn not in ("NAM", "PRE.NAM") or label not in ("PER", "ORG", "LOC") or not anchors:
                continue
            s, e = min(pos[a][0] for a in anchors), max(pos[a][1] for a in anchors)
            rows.append({"article_id": aid, "start": s, "end": e, "label": label, "text": text[s:e]})
        published = pd.NaT
        for t in root.iter("TIMEX3"):
            if t.get("functionInDocument") == "CREATION_TIME":
                published = pd.to_datetime(t.get("value", "")[:10], errors="coerce")
        arts.append({"article_id": aid, "text": text, "path": str(path), "published": published,
                     "title": html.unescape(" ".join(tok for _, tok in by_sent.get(0, [])))})
        if annotated:
            regions.append({"article_id": aid, "start": 0, "end": sent_ends[max(annotated)]})
    return (pd.DataFrame(arts, columns=["article_id", "text", "path", "published", "title"]),
            pd.DataFrame(rows, columns=["article_id", "start", "end", "label", "text"]),
            pd.DataFrame(regions, columns=["article_id", "start", "end"]))


def read_span_csv(path, texts=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A CSV of spans (``article_id`` or ``file``, ``start``, ``end`` and any of ``label``, ``value``,
    ``speaker_start``, ``speaker_end``) and the texts it points into: a folder of ``.txt`` files (default:
    the CSV's own folder), keyed by file stem. Returns ``(articles, gold)``."""
    path = Path(path)
    folder = Path(texts) if texts else path.parent
    gold = pd.read_csv(path)
    if "article_id" not in gold.columns:
        if "file" not in gold.columns:
            raise ValueError(f"{path}: a span CSV needs an 'article_id' or 'file' column; it has {list(gold.columns)}")
        gold["article_id"] = gold["file"].map(lambda f: Path(str(f)).stem)
    for col in ("start", "end"):
        if col not in gold.columns:
            raise ValueError(f"{path}: a span CSV needs 'start' and 'end' columns; it has {list(gold.columns)}")
    arts = []
    for aid in dict.fromkeys(gold["article_id"]):
        txt = folder / f"{aid}.txt"
        if not txt.exists():
            raise FileNotFoundError(f"{path}: no text {txt} for article {aid!r}")
        arts.append({"article_id": aid, "text": txt.read_text(encoding="utf-8"), "path": str(txt),
                     "published": pd.NaT})
    arts = pd.DataFrame(arts, columns=["article_id", "text", "path", "published"])
    meta = folder / "metadata.csv"
    if meta.exists():
        m = pd.read_csv(meta)
        key = "article_id" if "article_id" in m.columns else "file"
        if key in m.columns and "published" in m.columns:
            ids = m[key].map(lambda f: Path(str(f)).stem)
            dates = dict(zip(ids, pd.to_datetime(m["published"], errors="coerce")))
            arts["published"] = arts["article_id"].map(dates)
    texts_by_id = dict(zip(arts["article_id"], arts["text"]))
    gold["text"] = [texts_by_id[a][int(s):int(e)] for a, s, e in zip(gold["article_id"], gold["start"], gold["end"])]
    return arts, gold


# --------------------------------------------------------------------------------------------- scoring
def match_spans(pred: pd.DataFrame, gold: pd.DataFrame, *, relaxed: bool = True,
                same: str | None = None) -> list[tuple[int, int]]:
    """One-to-one pairs ``(pred index, gold index)`` of spans in the same article.

    Relaxed: spans match when they overlap, larger overlaps paired first. Strict: identical offsets.
    ``same`` names a column (e.g. ``label``) that must also be equal."""
    pairs = []
    gold_by = {a: g for a, g in gold.groupby("article_id", sort=False)}
    for art, p_part in pred.groupby("article_id", sort=False):
        g_part = gold_by.get(art)
        if g_part is None:
            continue
        gs = list(zip(g_part.index, g_part["start"].astype(int), g_part["end"].astype(int),
                      g_part[same] if same else [None] * len(g_part)))
        for pi, ps, pe, pl in zip(p_part.index, p_part["start"].astype(int), p_part["end"].astype(int),
                                  p_part[same] if same else [None] * len(p_part)):
            for gi, gs_, ge, gl in gs:
                if same and pl != gl:
                    continue
                if relaxed:
                    inter = min(pe, ge) - max(ps, gs_)
                    if inter > 0:
                        pairs.append(((inter, -abs(ps - gs_) - abs(pe - ge)), pi, gi))
                elif ps == gs_ and pe == ge:
                    pairs.append(((pe - ps, 0), pi, gi))
    return [(pi, gi) for pi, gi, _key in one_to_one(pairs)]


def one_to_one(candidates) -> list[tuple]:
    """Greedy one-to-one pairing: ``candidates`` are ``(key, left, right)``; the best keys are paired first and
    each left and right is used once. Returns ``(left, right, key)`` in that order."""
    used_l, used_r, out = set(), set(), []
    for key, left, right in sorted(candidates, key=lambda c: c[0], reverse=True):
        if left in used_l or right in used_r:
            continue
        used_l.add(left)
        used_r.add(right)
        out.append((left, right, key))
    return out


@dataclass
class Score:
    """Precision, recall and F1 of spans, and accuracies on the matched pairs."""
    n_gold: int
    n_pred: int
    n_match: int
    accuracy: dict = field(default_factory=dict)
    pairs: list = field(default_factory=list, repr=False)
    pred: pd.DataFrame | None = field(default=None, repr=False)  # the scored tables, for error analysis
    gold: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def precision(self) -> float:
        return self.n_match / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.n_match / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict:
        return {"gold": self.n_gold, "pred": self.n_pred, "P": self.precision, "R": self.recall, "F1": self.f1,
                **self.accuracy}


def _in_regions(frame: pd.DataFrame, regions: pd.DataFrame | None) -> pd.DataFrame:
    if regions is None:
        return frame
    lim = regions.groupby("article_id")["end"].max()
    keep = frame["article_id"].map(lim)
    return frame[keep.notna() & (frame["end"] <= keep.fillna(-1))]


_ONE_DIGIT_WEEK = re.compile(r"^(\d{4}|XXXX)-W(\d)(?![\dX])")


def timex_value_key(value) -> str:
    """A TIMEX3 ``value`` as compared by the scorer: upper-cased, and an ISO 8601 week number written with
    one digit ("1998-W5", found in some gold) read as the two-digit week it can only mean ("1998-W05"):
    TIMEX3 values are ISO 8601, whose week of the year is always two digits (01-53), so the two spellings
    name the same week. Nothing else is made equal: "199" (the decade) and "199X" (a year in it), or
    "1989" and "1989-XX", stay different values.

    >>> timex_value_key("2000-w7"), timex_value_key("2000-W07-WE"), timex_value_key("199X")
    ('2000-W07', '2000-W07-WE', '199X')
    """
    return _ONE_DIGIT_WEEK.sub(r"\1-W0\2", str(value).upper())


def score_spans(pred: pd.DataFrame, gold: pd.DataFrame, *, relaxed: bool = True, same: str | None = None,
                values: tuple[str, ...] = (), speaker: bool = False, regions: pd.DataFrame | None = None,
                value_filter: str | None = None) -> Score:
    """Score predicted spans against gold spans (both with article_id, start, end).

    ``same``: a column that must agree for two spans to match (typed entity scoring). ``values``: columns
    whose agreement on matched pairs is reported as ``<col>_acc`` (compared as upper-cased strings).
    ``value_filter``: a ``type`` (e.g. ``DATE``) to restrict the value accuracy to matched gold spans of that
    type. ``speaker``: on matched pairs whose gold has a speaker span, the share whose predicted speaker span
    overlaps it (``speaker_acc``). ``regions``: only spans inside these ranges are scored."""
    pred = _in_regions(pred, regions).reset_index(drop=True)
    gold = _in_regions(gold, regions).reset_index(drop=True)
    pairs = match_spans(pred, gold, relaxed=relaxed, same=same)
    acc = {}
    for col in values:
        sub = [(pi, gi) for pi, gi in pairs if value_filter is None or gold.at[gi, "type"] == value_filter]
        key = timex_value_key if col == "value" else (lambda v: str(v).upper())
        ok = [key(pred.at[pi, col]) == key(gold.at[gi, col]) for pi, gi in sub]
        acc[f"{col}_acc"] = sum(ok) / len(ok) if ok else 0.0
        acc[f"{col}_n"] = len(ok)
    if speaker:
        ok = []
        for pi, gi in pairs:
            gs, ge = gold.at[gi, "speaker_start"], gold.at[gi, "speaker_end"]
            if pd.isna(gs):
                continue
            ps, pe = pred.at[pi, "speaker_start"], pred.at[pi, "speaker_end"]
            ok.append(bool(pd.notna(ps) and min(pe, ge) - max(ps, gs) > 0))
        acc["speaker_acc"] = sum(ok) / len(ok) if ok else 0.0
        acc["speaker_n"] = len(ok)
    return Score(len(gold), len(pred), len(pairs), acc, pairs, pred, gold)


# --------------------------------------------------------------------------------------------- baselines
def baseline_entities(docs: dict) -> pd.DataFrame:
    """Bare spaCy NER, mapped to PER / ORG / LOC."""
    rows = []
    for aid, doc in docs.items():
        for ent in doc.ents:
            if ent.label_ in ENTITY_MAP:
                rows.append({"article_id": aid, "start": ent.start_char, "end": ent.end_char,
                             "label": ENTITY_MAP[ent.label_], "text": ent.text})
    return pd.DataFrame(rows, columns=["article_id", "start", "end", "label", "text"])


def baseline_dates(docs: dict, articles: pd.DataFrame) -> pd.DataFrame:
    """spaCy's DATE and TIME entities, valued by dateparser relative to the publication date (a strong,
    common baseline: a date library on the model's spans)."""
    import dateparser

    pub = dict(zip(articles["article_id"], articles["published"]))
    rows = []
    for aid, doc in docs.items():
        base = pub.get(aid)
        settings = {"RELATIVE_BASE": base.to_pydatetime()} if base is not None and pd.notna(base) else {}
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            value = ""
            if ent.label_ == "DATE":
                try:
                    parsed = dateparser.parse(ent.text, languages=["en"], settings=settings)
                except Exception:  # noqa: BLE001 - a baseline: any parse failure is "no value"
                    parsed = None
                if parsed is not None:
                    value = parsed.strftime("%Y-%m-%d")
            rows.append({"article_id": aid, "start": ent.start_char, "end": ent.end_char,
                         "type": ent.label_, "value": value, "text": ent.text})
    return pd.DataFrame(rows, columns=["article_id", "start", "end", "type", "value", "text"])


_QUOTE_PAIRS = re.compile(r"“([^“”]{3,}?)”|\"([^\"\n]{3,}?)\"")


def baseline_quotes(docs: dict) -> pd.DataFrame:
    """Quotation marks plus the nearest named subject: every quoted span, its speaker the PERSON or ORG
    entity nearest to it in the same sentence or the one before."""
    rows = []
    for aid, doc in docs.items():
        text = doc.text
        names = [e for e in doc.ents if e.label_ in ("PERSON", "ORG")]
        for m in _QUOTE_PAIRS.finditer(text):
            s, e = m.span(1) if m.group(1) is not None else m.span(2)
            sent = doc.char_span(s, e, alignment_mode="expand")
            lo = sent.sent.start_char if sent is not None else s
            if sent is not None and sent.sent.start > 0:
                lo = doc[sent.sent.start - 1].sent.start_char
            hi = sent[-1].sent.end_char if sent is not None else e
            near = [n for n in names if n.start_char >= lo and n.end_char <= hi
                    and (n.end_char <= s or n.start_char >= e)]
            best = min(near, key=lambda n: min(abs(n.start_char - e), abs(s - n.end_char)), default=None)
            rows.append({"article_id": aid, "start": s, "end": e,
                         "speaker_start": best.start_char if best is not None else float("nan"),
                         "speaker_end": best.end_char if best is not None else float("nan")})
    return pd.DataFrame(rows, columns=["article_id", "start", "end", "speaker_start", "speaker_end"])


# --------------------------------------------------------------------------------------------- running
def _articles(arts: pd.DataFrame) -> pd.DataFrame:
    arts = arts.copy()
    for col, default in (("outlet", ""), ("title", ""), ("status", "ok"), ("problem", "")):
        if col not in arts.columns:
            arts[col] = default
    arts["published"] = pd.to_datetime(arts["published"], errors="coerce")
    return arts


def run_quotes(arts: pd.DataFrame, docs: dict | None = None) -> pd.DataFrame:
    from . import nlp
    from .sources import quotes

    arts = _articles(arts)
    docs = docs if docs is not None else nlp.parse(arts)
    return quotes(arts, docs=docs)


def run_entities(arts: pd.DataFrame, docs: dict | None = None) -> pd.DataFrame:
    from . import nlp
    from .entities import entities

    arts = _articles(arts)
    docs = docs if docs is not None else nlp.parse(arts)
    ents = entities(arts, docs=docs)
    ents = ents[ents["label"].isin(ENTITY_MAP)].copy()
    ents["label"] = ents["label"].map(ENTITY_MAP)
    return ents


def run_dates(arts: pd.DataFrame, docs: dict | None = None) -> pd.DataFrame:
    from . import nlp
    from .dates import dates

    arts = _articles(arts)
    docs = docs if docs is not None else nlp.parse(arts)
    return dates(arts, docs=docs)


def _fmt(frame: pd.DataFrame) -> str:
    return frame.to_string(float_format=lambda x: f"{x:.3f}")


def eval_quotes(arts, gold, docs=None) -> pd.DataFrame:
    from . import nlp

    arts = _articles(arts)
    docs = docs if docs is not None else nlp.parse(arts)
    rows = {}
    for name, pred in (("workbook", run_quotes(arts, docs)), ("baseline: quote marks + nearest name",
                                                              baseline_quotes(docs))):
        sc = score_spans(pred, gold, speaker=True)
        rows[name] = {**sc.row(), "exact_F1": score_spans(pred, gold, relaxed=False).f1}
    return pd.DataFrame(rows).T[["gold", "pred", "P", "R", "F1", "exact_F1", "speaker_acc", "speaker_n"]]


def eval_entities(arts, gold, regions=None, docs=None) -> pd.DataFrame:
    from . import nlp

    arts = _articles(arts)
    docs = docs if docs is not None else nlp.parse(arts)
    rows = {}
    for name, pred in (("workbook", run_entities(arts, docs)), ("baseline: bare spaCy NER",
                                                                baseline_entities(docs))):
        for label in ("all", "PER", "ORG", "LOC"):
            p = pred if label == "all" else pred[pred["label"] == label]
            g = gold if label == "all" else gold[gold["label"] == label]
            sc = score_spans(p, g, same="label", regions=regions)
            rows[(name, label)] = {**sc.row(),
                                   "strict_F1": score_spans(p, g, same="label", relaxed=False, regions=regions).f1}
    out = pd.DataFrame(rows).T
    out.index.names = ["method", "type"]
    return out[["gold", "pred", "P", "R", "F1", "strict_F1"]]


def eval_dates(arts, gold, docs=None) -> pd.DataFrame:
    from . import nlp

    arts = _articles(arts)
    docs = docs if docs is not None else nlp.parse(arts)
    rows = {}
    for name, pred in (("workbook", run_dates(arts, docs)), ("baseline: spaCy DATE/TIME + dateparser",
                                                             baseline_dates(docs, arts))):
        sc = score_spans(pred, gold, values=("value",), value_filter="DATE")
        sc_all = score_spans(pred, gold, values=("value", "type"))
        rows[name] = {**sc.row(), "strict_F1": score_spans(pred, gold, relaxed=False).f1,
                      "value_acc_all": sc_all.accuracy["value_acc"], "type_acc": sc_all.accuracy["type_acc"]}
        rows[name]["DATE_value_acc"] = rows[name].pop("value_acc")
        rows[name]["DATE_n"] = rows[name].pop("value_n")
    return pd.DataFrame(rows).T[["gold", "pred", "P", "R", "F1", "strict_F1", "DATE_value_acc", "DATE_n",
                                 "value_acc_all", "type_acc"]]


def dev_sets(root) -> dict:
    """The development sets found under ``root`` (../shared/devdata): name -> loader."""
    root = Path(root)
    found = {}
    if (root / "polnear" / "dev").exists():
        found["quotes: PolNeAR dev"] = lambda: read_polnear(root / "polnear" / "dev")
    mt = root / "meantime" / "intra-doc_annotation"
    if mt.exists():
        found["entities: MEANTIME airbus+apple"] = lambda: _concat3(
            [read_meantime(mt / c) for c in ("corpus_airbus", "corpus_apple") if (mt / c).exists()])
    tb = root / "timebank"
    if tb.exists():
        found["dates: TimeBank+AQUAINT"] = lambda: _concat2(
            [read_timeml(tb / c) for c in ("TimeBank", "AQUAINT") if (tb / c).exists()])
    if (root / "newsmtsc" / "train.jsonl").exists():  # only the train split: devtest_* is never read
        found["stance: NewsMTSC held-aside"] = lambda: (root / "newsmtsc" / "train.jsonl",)
    return found


def _concat2(parts):
    return tuple(pd.concat([p[i] for p in parts], ignore_index=True) for i in range(2))


def _concat3(parts):
    return tuple(pd.concat([p[i] for p in parts], ignore_index=True) for i in range(3))


def eval_dev(root, *, only: str | None = None) -> dict[str, pd.DataFrame]:
    """Every extractor and its baselines on the development data under ``root``, measured in one run."""
    out = {}
    for name, load in dev_sets(root).items():
        if only and only not in name:
            continue
        loaded = load()
        if name.startswith("quotes"):
            out[name] = eval_quotes(*loaded)
        elif name.startswith("entities"):
            out[name] = eval_entities(*loaded)
        elif name.startswith("stance"):
            out[name] = eval_stance(*loaded)
        else:
            out[name] = eval_dates(*loaded)
    return out


def eval_stance(path) -> pd.DataFrame:
    """Stance toward a given target on the part of NewsMTSC train held aside by article (never trained on):
    macro-F1 and accuracy of the trained model as ``analysis.stance`` runs it (its probabilities adjusted to the
    class priors of the corpus analysed, here the held-aside part, estimated without its labels), the model
    with its training prior, the lexicon method, whole-sentence TextBlob, whole-sentence VADER and all-neutral.
    The shipped model is used when ``path`` holds the data it was trained from; otherwise a model is trained on
    the rest of ``path`` first."""
    import hashlib
    import time

    import numpy as np

    from . import nlp
    from . import stance_model as sm

    path = Path(path)
    table = sm.load_newsmtsc(path)
    shipped = sm.load_newsmtsc(sm.DATA) if sm.DATA.exists() else None
    same = shipped is not None and hashlib.sha256(pd.util.hash_pandas_object(table).values).digest() == \
        hashlib.sha256(pd.util.hash_pandas_object(shipped).values).digest()
    model = sm.load_model() if same else sm.train(path)
    dev = table[table["held_aside"]].reset_index(drop=True)
    sentences = dev["sentence"].drop_duplicates().tolist()
    docs = dict(zip(sentences, nlp.parse_texts(sentences)))
    t0 = time.perf_counter()
    feats = [sm.mention_features(docs[s], a, b) for s, a, b in zip(dev["sentence"], dev["start"], dev["end"])]
    adapted = sm.predict(model, feats, adapt=True)
    per_second = len(dev) / max(time.perf_counter() - t0, 1e-9)
    trained = [p["label"] for p in sm.predict(model, feats)]
    raw = np.array([model.proba(f) for f in feats]).reshape(-1, len(sm.LABELS))
    priors = sm.adapt_priors(raw, model.prior, level=None)[1]
    p_value = sm.prior_shift_p(raw, model.prior, priors)
    lexicon = [sm.lexicon_label(docs[s], a, b, voice="quoted" if sm._in_quote(s, a) else "author")[0]
               for s, a, b in zip(dev["sentence"], dev["start"], dev["end"])]
    methods = {"trained model (stance_model)": [p["label"] for p in adapted],
               "trained model, training prior (priors='trained')": trained,
               "lexicon (method='lexicon')": lexicon,
               "whole-sentence TextBlob": [sm.textblob_label(s) for s in dev["sentence"]],
               "whole-sentence VADER": [sm.vader_label(s) for s in dev["sentence"]],
               "all neutral": ["neutral"] * len(dev)}
    gold = dev["label"].tolist()
    rows = {}
    for name, pred in methods.items():
        row = {"mentions": len(gold), "articles": dev["article"].nunique(),
               "accuracy": sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0}
        f1s = {}
        for label in sm.LABELS:
            tp = sum(g == p == label for g, p in zip(gold, pred))
            n_pred, n_gold = sum(p == label for p in pred), sum(g == label for g in gold)
            prec, rec = (tp / n_pred if n_pred else 0.0), (tp / n_gold if n_gold else 0.0)
            f1s[label] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        row["macro_F1"] = sum(f1s.values()) / len(f1s)
        row.update({f"F1_{k[:3]}": v for k, v in f1s.items()})
        rows[name] = row
    out = pd.DataFrame(rows).T.astype({"mentions": int, "articles": int})
    estimated = ", ".join(f"{lab} {x:.2f}" for lab, x in zip(sm.LABELS, priors))
    out.index.name = (f"method (model trained in {model.meta.get('train_seconds')} s on "
                      f"{model.meta.get('trained_on_mentions')} mentions; predicts {per_second:,.0f} mentions/s; "
                      f"priors estimated on this part without its labels: {estimated}, likelihood-ratio p = "
                      f"{p_value:.2g}, {'adapted' if p_value < sm.PRIOR_TEST_LEVEL else 'kept the training prior'})")
    out.attrs["mentions_per_second"] = per_second
    out.attrs["train_seconds"] = model.meta.get("train_seconds")
    out.attrs["priors"] = dict(zip(sm.LABELS, map(float, priors)))
    out.attrs["prior_shift_p"] = p_value
    return out


def print_results(results: dict[str, pd.DataFrame]) -> None:
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        for name, frame in results.items():
            print(f"\n== {name}")
            print(_fmt(frame))


def score_folder(folder, *, kind: str | None = None) -> dict[str, pd.DataFrame]:
    """Score the matching extractor on a folder of annotations: brat ``.ann`` with Source/Cue/Content
    (quotes) or with entity labels (entities), TimeML (dates), MEANTIME CAT XML (entities), or a
    ``spans.csv`` (``kind`` = quotes, entities or dates says which extractor; by default guessed from the
    columns: speaker_start means quotes, value means dates, else entities)."""
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"no such folder: {folder}")
    csvs = sorted(folder.glob("*.csv"))
    csvs = [c for c in csvs if c.name != "metadata.csv"]
    if csvs:
        arts, gold = read_span_csv(csvs[0])
        with open(csvs[0], encoding="utf-8") as fh:
            cols = next(csv.reader(fh))
        kind = kind or ("quotes" if "speaker_start" in cols else "dates" if "value" in cols else "entities")
        if kind == "quotes":
            for col in ("speaker_start", "speaker_end"):
                if col not in gold.columns:
                    gold[col] = float("nan")
            return {f"quotes: {csvs[0].name}": eval_quotes(arts, gold)}
        if kind == "dates":
            for col in ("type", "value"):
                if col not in gold.columns:
                    gold[col] = ""
            return {f"dates: {csvs[0].name}": eval_dates(arts, gold)}
        gold["label"] = gold["label"].map(lambda x: ENTITY_MAP.get(x, x))
        return {f"entities: {csvs[0].name}": eval_entities(arts, gold)}
    if list(folder.rglob("*.tml")) or any(_is_timeml(p) for p in folder.rglob("*.xml")):
        return {f"dates: {folder.name}": eval_dates(*read_timeml(folder))}
    if list(folder.rglob("*.xml")):
        return {f"entities: {folder.name}": eval_entities(*read_meantime(folder))}
    if list(folder.rglob("*.ann")):
        arts, spans, _events = read_brat(folder)
        if spans["label"].isin(["Content", "Source", "Cue"]).any():
            return {f"quotes: {folder.name}": eval_quotes(*read_polnear(folder))}
        gold = spans.assign(label=spans["label"].map(lambda x: ENTITY_MAP.get(x, x)))
        gold = gold[gold["label"].isin(["PER", "ORG", "LOC"])]
        return {f"entities: {folder.name}": eval_entities(arts, gold)}
    raise ValueError(f"{folder}: no annotations found (brat .ann, TimeML .tml, CAT .xml or a spans .csv)")
