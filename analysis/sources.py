"""Who gets a voice: quotes, their speakers and source types.

``quotes(articles)`` finds four kinds of attribution in each article, on one spaCy parse per article:

* ``direct``: words in quotation marks (straight or curly, spanning sentences, reopened in a new
  paragraph, or never closed), attributed to the cue before or after them, or continuing the previous
  speaker's quote;
* ``indirect``: reported speech ("Ryabkov said that ...", "Russia has expressed grave concerns over ...",
  "accused by X of ...", "Accusations are rife that ...");
* ``according_to``: "according to X", "as per X", "citing X", "referring to its sources";
* ``reported``: an outlet as the source ("the newspaper reported", "WSJ said") or a person speaking
  through one ("X told Al Jazeera", "Y wrote in Carnegie Moscow Center"; the channel is in ``via``).

Speakers are resolved in the article (pronouns, descriptions such as "the Russian diplomat", surnames)
and unified across the corpus in ``speaker_canonical`` (Sergei / Sergey Ryabkov, WSJ / the Journal).
Every row carries offsets: ``text[start:end]`` is the quote (for a quotation interrupted by its cue, its
whole extent; ``fragments`` lists the quoted parts), ``text[speaker_start:speaker_end]`` the speaker as
written, ``text[cue_start:cue_end]`` the cue.

This module is the public entry point; the work is split by job: ``quotemarks`` (pairing quotation
marks), ``attribution`` (cues, their content and clause), ``speakers`` (the speaker phrase, its
resolution in the article, canonical names) and ``source_types`` (what kind of source, which country).

Per article, then the corpus
----------------------------
``quotes(articles, docs=...)`` is ``finish([article_part(a, d) for a, d in ...], articles)``, and the two halves
can run apart, so that a pipeline can feed each parse to ``article_part`` as it comes out of ``nlp.pipe`` (in
a worker process), drop the Doc, and run ``finish`` once on the parts:

``article_part(article: dict, doc, *, cues=None) -> dict``
    Everything that needs the parse, for one article (a row of the articles table as a dict, and its
    spaCy Doc): the quotation marks, cues, contents and speaker phrases (``attribution``), each speaker
    mention classified (name, pronoun, description) with its offsets, the author of a document that
    speaks ("Barr's letter"), the cue's words, the sentence around each row, the quoted text and its word
    count, and the people, organisations and places the article names with the titles before them
    (``speakers._known_names``). Returns plain picklable data (dicts, lists, tuples, str, int; no spaCy
    object): ``{"article_id", "known": [(char, name, label, role), ...], "rows": [dict, ...]}``, the rows
    in reading order. Its size grows with the number of attributions and names, not with the text.
``finish(parts: list, articles: pd.DataFrame | None = None) -> pd.DataFrame``
    The steps that need the whole corpus, on plain data only: the roles every article gives each person
    (the role registry), then in each article the resolution of every mention in reading order (pronouns,
    descriptions and surnames, which look at that registry), canonical names across the corpus
    (``speakers._canonical_names``), one source type and country per canonical source from every role it
    is given anywhere, the kind ``reported`` for speech through an outlet, and the sorted table. The parts
    are put in the order of ``articles`` first (by ``article_id``; without it, by ``article_id``), so
    any partition of the corpus, in any order, gives the same table. ``finish`` never changes its parts.

Both halves are linear in an article's length: the look-ups a mention makes (quotes around a token, the
paragraph and sentence of a quote, the names known before it, the references resolved so far) are
dictionaries and bisections built once per article, never scans of the whole article per mention; corpus
names are joined through dictionaries keyed by name. What still grows faster than the text: each mention
of a description ("the diplomat") looks at every distinct (name, label, role) of its article that fits it
(each pair scored once), so an article with many descriptions and many distinct people costs their product.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import pandas as pd

from . import lexicons
from .attribution import _DOCUMENTS, _ArticleExtractor, _Row  # noqa: F401
from .doctools import _sent, _span_of, _text
from .nlp import parsed_articles
from .quotemarks import QuoteMarks, find_quote_marks  # noqa: F401
from .source_types import _source_type, _unnamed_type
from .speakers import (
    _ArticleContext,
    _canonical_names,
    _classify_mention,
    _known_names,
    _Mention,
    _resolve_mention,
    _speaker_phrase,
)

__all__ = ["quotes", "article_part", "finish", "QUOTE_COLUMNS", "find_quote_marks"]

QUOTE_COLUMNS = [
    "article_id", "kind", "quote", "start", "end", "speaker", "speaker_start", "speaker_end",
    "speaker_canonical", "role", "cue", "cue_start", "cue_end", "source_type", "country", "via",
    "n_words", "sentence_start", "sentence_end", "continued", "note", "fragments",
]


def quotes(articles: pd.DataFrame, *, cues=None, docs: dict | None = None, text_col: str = "text") -> pd.DataFrame:
    """Who is quoted, how, and through which words: one row per attribution (the quotes table).

    Args:
        articles: the articles table (``article_id`` and ``text``; ``title`` lets headlines be skipped).
        cues: extra cue words, a CSV path or DataFrame with the columns of ``analysis/data/cues.csv``
            (``lemma``, ``pos`` = verb / noun / carrier / prep, ``note``).
        docs: ``{article_id: Doc}`` parses to reuse (by default parsed once and cached on disk).

    Returns:
        A new DataFrame with ``QUOTE_COLUMNS``: kind, quote and its offsets, the speaker as written and
        ``speaker_canonical`` (one name per source across the corpus), its ``role``, the ``cue``,
        ``source_type`` (government, media, expert, anonymous, organisation, other, unknown),
        ``country``, ``via`` (the outlet a speaker talked to or wrote in), ``n_words`` of the quote,
        the sentence around it, whether it ``continued`` an earlier quote, a ``note``, and ``fragments``:
        the (start, end) of each quoted part. A quotation interrupted by its own cue (“A,” X said. “B.”) is
        one attribution: ``start``/``end`` span it whole, ``fragments`` holds its two parts and ``quote``
        joins them with " … " (without the cue words); any other row has the one fragment (start, end).

    Example:
        >>> import pandas as pd
        >>> arts = pd.DataFrame({"article_id": ["a"], "text": [
        ...     '"We will not pay," Finance Minister Ana Silva said on Monday. She added that talks were over.']})
        >>> q = quotes(arts)
        >>> q[["kind", "quote", "speaker", "speaker_canonical", "source_type"]].values.tolist()
        [['direct', 'We will not pay', 'Ana Silva', 'Ana Silva', 'government'], \
['indirect', 'talks were over', 'She', 'Ana Silva', 'government']]
    """
    usable, pairs = parsed_articles(articles, docs, text_col=text_col)
    cue_words = lexicons.cues(cues)
    return finish([article_part(article, doc, cues=cue_words) for article, doc in pairs], usable)


@lru_cache(maxsize=1)
def _default_cues() -> dict[str, set[str]]:
    return lexicons.cues(None)


def _mention_tuple(m: _Mention) -> tuple:
    return (m.text, m.start, m.end, m.role, m.kind, m.label, m.head_lemma)


def article_part(article: dict, doc, *, cues=None) -> dict:
    """Everything about one article's quotes that needs its parse, as plain picklable data (see the module
    docstring): ``{"article_id", "known", "rows"}``. ``article`` is a row of the articles table as a dict
    (``article_id``; ``title`` lets the headline be skipped), ``doc`` its spaCy Doc; ``cues`` as for
    :func:`quotes` (or the dict ``lexicons.cues`` returns)."""
    art_id = article["article_id"]
    title = article.get("title")
    title = title if isinstance(title, str) else None
    if cues is None:
        cues = _default_cues()
    elif not isinstance(cues, dict):
        cues = lexicons.cues(cues)
    text = _text(doc)
    out = []
    for row in sorted(_ArticleExtractor(art_id, doc, cues, headline=title).run(), key=lambda r: (r.start, r.kind)):
        head = row.speaker_head
        if row.speaker_span is not None and head is None:
            span = (*row.speaker_span, text[row.speaker_span[0]:row.speaker_span[1]], "")
        else:
            span = _speaker_phrase(head) if head is not None else (-1, -1, "", "")
        mention = _classify_mention(head, span)
        author = _document_owner(head)  # "Barr's letter said ...": the letter speaks, written by Barr
        cue_s, cue_e, cue_text = -1, -1, ""
        if row.cue_span is not None:
            cue_s, cue_e = row.cue_span
        elif row.cue_tokens:
            cue_s, cue_e = _span_of(row.cue_tokens)
        if cue_s >= 0:
            cue_text = text[cue_s:cue_e]
        sent = doc.char_span(row.start, max(row.end, row.start + 1), alignment_mode="expand")
        sent_start = _sent(sent[0]).start_char if sent is not None and len(sent) else row.start
        sent_end = _sent(sent[-1]).end_char if sent is not None and len(sent) else row.end
        fragments = [(int(s), int(e)) for s, e in (row.fragments or [(row.start, row.end)])]
        out.append({
            "kind": row.kind, "start": int(row.start), "end": int(row.end), "via": row.via,
            "continued": bool(row.continued), "note": row.note, "fragments": fragments,
            "cue": cue_text, "cue_start": int(cue_s), "cue_end": int(cue_e),
            "cue_lemma": row.cue_tokens[-1].lemma_.lower() if row.cue_tokens else "",
            "sentence_start": int(sent_start), "sentence_end": int(sent_end),
            "quote": " … ".join(text[s:e] for s, e in fragments),  # the quoted parts, not the cue between
            "n_words": sum(len(text[s:e].split()) for s, e in fragments),
            "mention": _mention_tuple(mention),
            "author": None if author is None else _mention_tuple(_classify_mention(author, _speaker_phrase(author))),
        })
    return {"article_id": art_id, "known": [(int(c), n, lab, r) for c, n, lab, r in _known_names(doc)], "rows": out}


def _in_article_order(parts: list, articles: pd.DataFrame | None) -> list:
    """The parts in the order of the articles table (by ``article_id``; parts of other ids after them, by
    id), whatever order they came in."""
    position: dict = {}
    if articles is not None and "article_id" in articles.columns:
        for n, art_id in enumerate(articles["article_id"].tolist()):
            position.setdefault(art_id, n)
    end = len(position)
    return sorted(parts, key=lambda p: (position.get(p["article_id"], end), "" if p["article_id"] in position
                                        else str(p["article_id"])))


def finish(parts: list, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """The quotes table from the parts of :func:`article_part` (see the module docstring): the role registry,
    each article's speaker resolution, canonical names and source types across the corpus, sorted rows.
    ``articles`` (at least ``article_id``) gives the order in which the corpus is read."""
    records = _resolve(_in_article_order(parts, articles))
    frame = pd.DataFrame(records, columns=QUOTE_COLUMNS)
    if frame.empty:
        return frame.astype({"start": "int64", "end": "int64"})
    return frame.sort_values(["article_id", "start", "kind"], kind="stable").reset_index(drop=True)


def _document_owner(head):
    """The owner of a document speaking as a source ("Barr's letter", "the council's report"), or None."""
    if head is None or head.pos_ != "NOUN" or head.lemma_.lower() not in _DOCUMENTS:
        return None
    return next((c for c in head.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN", "PRON")), None)


def _resolve(parts: list) -> list[dict]:
    """Speaker mentions → resolved entities in each article → canonical names and types across the corpus,
    on the plain parts of :func:`article_part` (never changed)."""
    # 1. what every article knows: people and organisations named, with the titles written before them
    registry: dict[str, set[str]] = defaultdict(set)  # name_key(full name) -> roles seen anywhere
    seen = set()
    for part in parts:
        if part["article_id"] in seen:
            continue
        seen.add(part["article_id"])
        for _, name, label, role in part["known"]:
            if role and label == "PERSON":
                registry[lexicons.name_key(name)].add(role)
    # 2. resolve each mention in reading order (pronouns and descriptions look back, then briefly ahead)
    resolved = []
    for part in parts:
        context = _ArticleContext(part["known"], registry)
        for row in part["rows"]:
            mention = _Mention(*row["mention"])
            note, document = row["note"], None
            if row["author"] is not None:
                # "Barr's letter said ...": the letter speaks (its span is the speaker), written by Barr
                aref = _resolve_mention(_Mention(*row["author"]), context, row["start"])
                if aref is not None and aref.name:
                    note = (note + "; " if note else "") + f"document by {aref.name}"
                    document = aref
            ref = _resolve_mention(mention, context, row["start"])
            if document is not None:
                ref = document
            if ref is not None and (ref.name or ref.description):
                context.remember(ref)
            resolved.append((part["article_id"], row, note, mention, ref, document is not None))
    # 3. canonical names across the corpus
    canon = _canonical_names([(ref.name, ref.label) for *_, ref, _doc in resolved if ref is not None and ref.name])
    # 4. a type and a country per canonical speaker, from every role it is given anywhere
    evidence = defaultdict(list)
    for _art, row, _note, mention, ref, _doc in resolved:
        if ref is not None and ref.name:
            evidence[canon.get(ref.name, ref.name)].append((ref.label, ref.role, row, mention))
    canon_of_key: dict[str, set[str]] = defaultdict(set)  # name_key -> the canonical names of its forms
    for n in canon:
        canon_of_key[lexicons.name_key(n)].add(canon[n])
    for name, roles in registry.items():
        for c in canon_of_key.get(name, ()):
            evidence[c] += [("PERSON", r, None, None) for r in roles]
    types = {c: _source_type(c, ev) for c, ev in evidence.items()}
    records = []
    for art_id, row, note, mention, ref, is_document in resolved:
        name = ref.name if ref is not None else ""
        canonical = canon.get(name, name) if name else ""
        if canonical:
            stype, country = types.get(canonical, ("other", ""))
        else:
            stype, country = _unnamed_type(mention, note, ref)
        if is_document:
            stype = "document"  # the author's words in writing: a letter, report, statement of a named source
        kind = row["kind"]
        if kind == "indirect" and (row["via"] or stype == "media"):
            kind = "reported"
        role = (ref.role if ref is not None and ref.role else "") or mention.role
        records.append({
            "article_id": art_id, "kind": kind, "quote": row["quote"], "start": row["start"], "end": row["end"],
            "speaker": mention.text, "speaker_start": mention.start, "speaker_end": mention.end,
            "speaker_canonical": canonical, "role": role, "cue": row["cue"],
            "cue_start": row["cue_start"], "cue_end": row["cue_end"], "source_type": stype, "country": country,
            "via": row["via"], "n_words": row["n_words"],
            "sentence_start": row["sentence_start"], "sentence_end": row["sentence_end"],
            "continued": row["continued"], "note": note, "fragments": list(row["fragments"]),
        })
    return records
