"""Quotation marks: pair the marks of a text, and tell speech from scare quotes, titles and terms."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QuoteMarks", "find_quote_marks"]

_DOUBLE_OPEN, _DOUBLE_CLOSE, _STRAIGHT = "“„«", "”»", '"'
_SINGLE_OPEN, _SINGLE_CLOSE, _STRAIGHT_SINGLE = "‘‹", "’›", "'"
_OPEN_BEFORE = set("([{—–-/:;,…") | {" ", "\n", "\t"}
_CLOSE_AFTER = set(".,;:!?)]}—–-…") | {" ", "\n", "\t"}


@dataclass
class QuoteMarks:
    """One stretch of text between quotation marks (``close`` is None when the mark never closes)."""

    open: int
    close: int | None
    content_start: int
    content_end: int
    paragraph: int
    family: str  # "double" or "single"
    continues_previous: bool = False  # reopens a quote left open at the end of the previous paragraph


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def find_quote_marks(text: str) -> list[QuoteMarks]:
    """Pair the quotation marks of a text, paragraph by paragraph, never failing on unbalanced marks.

    Double marks (" “ ” „ « ») pair with each other; single marks (‘ ’ and ') count only at word edges,
    so apostrophes (it’s, O’Sullivan, states’) are not quotes. Single marks inside a double quote are a
    quote within the quote and are not returned. A mark left open at the end of a paragraph closes
    there; if the next paragraph opens with a mark, that quote ``continues_previous`` (the newspaper
    convention for a quote running over several paragraphs).

    >>> [text[q.content_start:q.content_end] for text in ['He said: "Yes, we will." Then ‘no’.']
    ...  for q in find_quote_marks(text)]
    ['Yes, we will.', 'no']
    >>> q = find_quote_marks('"We are not done.\\n\\n"Not yet," she said.')
    >>> [(x.close is None, x.continues_previous) for x in q]
    [(True, False), (False, True)]
    """
    found: list[QuoteMarks] = []
    previous_open = False
    for pindex, (pstart, pend) in enumerate(_paragraph_spans(text)):
        double: int | None = None
        single: int | None = None
        first_in_paragraph = True
        para_found: list[QuoteMarks] = []
        double_w = 1
        skip_to = pstart
        for i in range(pstart, pend):
            if i < skip_to:
                continue
            ch = text[i]
            if ch not in '“”„«»"‘’‹›\'':
                continue
            width = 1
            if ch in "'’" and i + 1 < pend and text[i + 1] == ch:
                ch, width = '"', 2  # two apostrophes standing for a double mark (''like this'')
                skip_to = i + 2
            prev = text[i - 1] if i > pstart else " "
            nxt = text[i + width] if i + width < pend else " "
            can_open = (prev in _OPEN_BEFORE or i == pstart or prev in _DOUBLE_OPEN + _SINGLE_OPEN + '"\'') \
                and not nxt.isspace()
            can_close = (nxt in _CLOSE_AFTER or i + width == pend or nxt in _DOUBLE_CLOSE + _SINGLE_CLOSE + '"\'') \
                and not prev.isspace()
            if ch in _DOUBLE_OPEN + _DOUBLE_CLOSE + _STRAIGHT:
                if double is None:
                    if ch in _DOUBLE_CLOSE and not can_open:
                        continue  # a stray closing mark
                    double, double_w = i, width
                    single = None  # a single mark left open before a double was an apostrophe
                elif ch in _DOUBLE_OPEN and not can_close:
                    double, double_w = i, width  # two openers: the first was never closed; start again here
                else:
                    para_found.append(QuoteMarks(double, i, double + double_w, i, pindex, "double"))
                    double = None
                continue
            if double is not None:
                continue  # single marks inside a double quote: a quote within the quote
            is_open = ch in _SINGLE_OPEN or (ch == _STRAIGHT_SINGLE and can_open and not prev.isalnum())
            if single is None:
                if is_open and can_open:
                    single = i
            elif (ch in _SINGLE_CLOSE or ch == _STRAIGHT_SINGLE) and can_close and not (
                    prev.isalpha() and nxt.isalpha()):
                para_found.append(QuoteMarks(single, i, single + 1, i, pindex, "single"))
                single = None
        if double is not None:  # never closed: the quote runs to the end of the paragraph
            end = pend
            while end > double + double_w and text[end - 1].isspace():
                end -= 1
            para_found.append(QuoteMarks(double, None, double + double_w, end, pindex, "double"))
        para_found.sort(key=lambda q: q.open)
        for q in para_found:
            if first_in_paragraph and previous_open and q.open == pstart:
                q.continues_previous = True
            first_in_paragraph = False
        found.extend(para_found)
        previous_open = bool(para_found) and para_found[-1].close is None
    return found


def _is_speech(text: str, q: QuoteMarks, doc) -> bool:
    """Speech, or a scare quote / title / term? Speech has a verb or reads as a sentence or is long."""
    inner = text[q.content_start:q.content_end].strip()
    words = inner.split()
    if not words:
        return False
    if q.close is None or q.continues_previous:
        return len(words) >= 3
    if len(words) >= 8 or re.search(r"[.!?,…]$", inner):
        return len(words) >= 2
    if len(words) < 4:
        return False
    span = doc.char_span(q.content_start, q.content_end, alignment_mode="expand")
    if span is None:
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in span)
