"""Per-document lookups shared by the quote modules (built once per parse, not per mention)."""

from __future__ import annotations

import bisect
import math


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


class _Intervals:
    """Character intervals ``[(start, end), ...]`` answering "does any overlap this?" in O(log n) (sorted by
    start, with the running maximum of the ends), instead of a scan over all of them for every query."""

    def __init__(self, spans):
        self.spans = sorted((int(s), int(e)) for s, e in spans)
        self.starts = [s for s, _ in self.spans]
        self.max_end = []
        top = None
        for _, e in self.spans:
            top = e if top is None or e > top else top
            self.max_end.append(top)
        # disjoint and in order (each ends before the next starts): the ends are sorted too
        self.disjoint = all(s <= e for s, e in self.spans) and all(
            a[1] <= b[0] for a, b in zip(self.spans, self.spans[1:]))
        self.ends = [e for _, e in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        """``any(s < end and start < e for s, e in spans)``."""
        n = bisect.bisect_left(self.starts, end)  # the spans with s < end
        return n > 0 and self.max_end[n - 1] > start

    def contains(self, i: int) -> bool:
        """``any(s <= i < e for s, e in spans)``."""
        n = bisect.bisect_right(self.starts, i)  # the spans with s <= i
        return n > 0 and self.max_end[n - 1] > i

    def overlap_total(self, start: int, end: int) -> int:
        """``sum(max(0, min(end, e) - max(start, s)) for s, e in spans)``: the characters of ``[start, end)``
        inside the spans (counted once per span)."""
        if not self.disjoint:
            return sum(max(0, min(end, e) - max(start, s)) for s, e in self.spans)
        lo = bisect.bisect_right(self.ends, start)  # the spans with e > start
        hi = bisect.bisect_left(self.starts, end)  # the spans with s < end
        return sum(max(0, min(end, e) - max(start, s)) for s, e in self.spans[lo:hi])

    def last_end_at_most(self, char: int, default: int = 0) -> int:
        """``max([e for s, e in spans if e <= char] + [default])``."""
        if not self.disjoint:
            return max([e for _, e in self.spans if e <= char] + [default])
        n = bisect.bisect_right(self.ends, char)
        return max(self.ends[n - 1], default) if n else default


def _last_start_at_most(starts: list[int], char: int, default: int = 0) -> int:
    """``max([s for s in starts if s <= char] + [default])`` for sorted ``starts``."""
    n = bisect.bisect_right(starts, char)
    return max(starts[n - 1], default) if n else default


class _Taken:
    """Disjoint character spans added one by one, answering ``any(s < end and start < e for s, e in taken)``
    by bisection (disjoint spans sorted by start have sorted ends, so only the last one starting before
    ``end`` can reach past ``start``)."""

    def __init__(self):
        self.spans: list[tuple[int, int]] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        n = bisect.bisect_left(self.spans, (end, -math.inf))  # the spans with s < end
        return n > 0 and self.ends[n - 1] > start

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none already taken (so the spans stay disjoint)."""
        n = bisect.bisect_left(self.spans, (start, end))
        self.spans.insert(n, (start, end))
        self.ends.insert(n, end)
