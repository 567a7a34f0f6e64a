"""Per-document lookups shared by the quote modules (built once per parse, not per mention)."""

from __future__ import annotations

import bisect


def _span_of(tokens) -> tuple[int, int]:
    tokens = sorted(tokens, key=lambda t: t.i)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _contiguous_from(tokens, anchor):
    """The longest run of consecutive tokens (by index) that contains or starts nearest the anchor."""
    idx = sorted(t.i for t in tokens)
    if not idx:
        return []
    runs, run = [], [idx[0]]
    for i in idx[1:]:
        if i == run[-1] + 1:
            run.append(i)
        else:
            runs.append(run)
            run = [i]
    runs.append(run)
    best = max(runs, key=len)
    doc = anchor.doc
    return [doc[i] for i in best]


def _index(doc) -> dict:
    """Per-document lookups built once: the entity and the sentence of every token."""
    index = doc.user_data.get("_analysis_index")
    if index is None:
        ent_of = [None] * len(doc)
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                ent_of[i] = ent
        sents = list(doc.sents)
        sent_of = [0] * len(doc)
        for n, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                sent_of[i] = n
        index = {"ent": ent_of, "sents": sents, "sent_of": sent_of, "text": doc.text,
                 "sent_starts": [s.start_char for s in sents]}
        doc.user_data["_analysis_index"] = index
    return index


def _text(doc) -> str:
    """The document's text, built once (``doc.text`` joins every token on each access)."""
    return _index(doc)["text"]


def _entity_of(token):
    return _index(token.doc)["ent"][token.i]


def _sent(token):
    """The sentence of a token (``token.sent`` rebuilds the sentence list on every call)."""
    index = _index(token.doc)
    return index["sents"][index["sent_of"][token.i]]


def _sent_at(doc, char: int):
    index = _index(doc)
    if not index["sents"]:
        return None
    n = max(0, bisect.bisect_right(index["sent_starts"], char) - 1)
    return index["sents"][n]
