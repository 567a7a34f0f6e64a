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
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from . import lexicons
from .attribution import _DOCUMENTS, _ArticleExtractor, _Row  # noqa: F401
from .doctools import _sent, _span_of, _text
from .nlp import parsed_articles
from .quotemarks import QuoteMarks, find_quote_marks  # noqa: F401
from .source_types import _source_type, _unnamed_type
from .speakers import _canonical_names, _classify_mention, _known_names, _Ref, _resolve_mention, _speaker_phrase

__all__ = ["quotes", "QUOTE_COLUMNS", "find_quote_marks"]

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
    _usable, pairs = parsed_articles(articles, docs, text_col=text_col)
    cue_words = lexicons.cues(cues)
    per_article = []
    for article, doc in pairs:
        art_id = article["article_id"]
        title = article.get("title")
        title = title if isinstance(title, str) else None
        rows = _ArticleExtractor(art_id, doc, cue_words, headline=title).run()
        per_article.append((art_id, doc, rows))
    records = _resolve(per_article)
    frame = pd.DataFrame(records, columns=QUOTE_COLUMNS)
    if frame.empty:
        return frame.astype({"start": "int64", "end": "int64"})
    return frame.sort_values(["article_id", "start", "kind"], kind="stable").reset_index(drop=True)


def _document_owner(head):
    """The owner of a document speaking as a source ("Barr's letter", "the council's report"), or None."""
    if head is None or head.pos_ != "NOUN" or head.lemma_.lower() not in _DOCUMENTS:
        return None
    return next((c for c in head.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN", "PRON")), None)


def _resolve(per_article) -> list[dict]:
    """Speaker mentions → resolved entities in each article → canonical names and types across the corpus."""
    # 1. what every article knows: people and organisations named, with the titles written before them
    known_by_article = {art_id: _known_names(doc) for art_id, doc, _ in per_article}
    registry: dict[str, set[str]] = defaultdict(set)  # name_key(full name) -> roles seen anywhere
    for known in known_by_article.values():
        for _, name, label, role in known:
            if role and label == "PERSON":
                registry[lexicons.name_key(name)].add(role)
    # 2. resolve each mention in reading order (pronouns and descriptions look back, then briefly ahead)
    resolved = []
    documents: dict[int, _Ref] = {}  # rows whose speaker is a document, -> its author
    for art_id, doc, rows in per_article:
        known = known_by_article[art_id]
        history: list[_Ref] = []
        for row in sorted(rows, key=lambda r: (r.start, r.kind)):
            head = row.speaker_head
            if row.speaker_span is not None and head is None:
                span = (*row.speaker_span, _text(doc)[row.speaker_span[0]:row.speaker_span[1]], "")
            else:
                span = _speaker_phrase(head) if head is not None else (-1, -1, "", "")
            mention = _classify_mention(head, span)
            author = _document_owner(head)
            if author is not None:
                # "Barr's letter said ...": the letter speaks (its span is the speaker), written by Barr
                amention = _classify_mention(author, _speaker_phrase(author))
                aref = _resolve_mention(amention, history, known, registry, row)
                if aref is not None and aref.name:
                    row.note = (row.note + "; " if row.note else "") + f"document by {aref.name}"
                    documents[id(row)] = aref
            ref = _resolve_mention(mention, history, known, registry, row)
            if id(row) in documents:
                ref = documents[id(row)]
            if ref is not None and (ref.name or ref.description):
                history.append(ref)
            resolved.append((art_id, doc, row, mention, ref))
    # 3. canonical names across the corpus
    canon = _canonical_names([(ref.name, ref.label) for *_, ref in resolved if ref is not None and ref.name])
    # 4. a type and a country per canonical speaker, from every role it is given anywhere
    evidence = defaultdict(list)
    for _art, _doc, row, mention, ref in resolved:
        if ref is not None and ref.name:
            evidence[canon.get(ref.name, ref.name)].append((ref.label, ref.role, row, mention))
    for name, roles in registry.items():
        for c in {canon[n] for n in canon if lexicons.name_key(n) == name}:
            evidence[c] += [("PERSON", r, None, None) for r in roles]
    types = {c: _source_type(c, ev) for c, ev in evidence.items()}
    records = []
    for art_id, doc, row, mention, ref in resolved:
        name = ref.name if ref is not None else ""
        canonical = canon.get(name, name) if name else ""
        if canonical:
            stype, country = types.get(canonical, ("other", ""))
        else:
            stype, country = _unnamed_type(mention, row, ref)
        if id(row) in documents:
            stype = "document"  # the author's words in writing: a letter, report, statement of a named source
        cue_s, cue_e, cue_text = -1, -1, ""
        if row.cue_span is not None:
            cue_s, cue_e = row.cue_span
        elif row.cue_tokens:
            cue_s, cue_e = _span_of(row.cue_tokens)
        if cue_s >= 0:
            cue_text = _text(doc)[cue_s:cue_e]
        kind = row.kind
        if kind == "indirect" and (row.via or stype == "media"):
            kind = "reported"
        sent = doc.char_span(row.start, max(row.end, row.start + 1), alignment_mode="expand")
        sent_start = _sent(sent[0]).start_char if sent is not None and len(sent) else row.start
        sent_end = _sent(sent[-1]).end_char if sent is not None and len(sent) else row.end
        fragments = [(int(s), int(e)) for s, e in (row.fragments or [(row.start, row.end)])]
        quote_text = " … ".join(_text(doc)[s:e] for s, e in fragments)  # the quoted parts, not the cue between
        role = (ref.role if ref is not None and ref.role else "") or mention.role
        records.append({
            "article_id": art_id, "kind": kind, "quote": quote_text, "start": row.start, "end": row.end,
            "speaker": mention.text, "speaker_start": mention.start, "speaker_end": mention.end,
            "speaker_canonical": canonical, "role": role, "cue": cue_text,
            "cue_start": cue_s, "cue_end": cue_e, "source_type": stype, "country": country, "via": row.via,
            "n_words": sum(len(_text(doc)[s:e].split()) for s, e in fragments),
            "sentence_start": sent_start, "sentence_end": sent_end,
            "continued": row.continued, "note": row.note, "fragments": fragments,
        })
    return records
