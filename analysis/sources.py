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
Every row carries offsets: ``text[start:end]`` is the quote, ``text[speaker_start:speaker_end]`` the
speaker as written, ``text[cue_start:cue_end]`` the cue.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from . import lexicons
from .nlp import parsed_articles

__all__ = ["quotes", "QUOTE_COLUMNS", "find_quote_marks"]

QUOTE_COLUMNS = [
    "article_id", "kind", "quote", "start", "end", "speaker", "speaker_start", "speaker_end",
    "speaker_canonical", "role", "cue", "cue_start", "cue_end", "source_type", "country", "via",
    "n_words", "sentence_start", "sentence_end", "continued", "note",
]

_DOUBLE_OPEN, _DOUBLE_CLOSE, _STRAIGHT = "“„«", "”»", '"'
_SINGLE_OPEN, _SINGLE_CLOSE, _STRAIGHT_SINGLE = "‘‹", "’›", "'"
_OPEN_BEFORE = set("([{—–-/:;,…") | {" ", "\n", "\t"}
_CLOSE_AFTER = set(".,;:!?)]}—–-…") | {" ", "\n", "\t"}
_PRONOUNS = {"he": "m", "she": "f", "they": "p", "it": "n", "we": "p", "i": "s"}
_SPEAKER_ENTS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "WORK_OF_ART", "LOC"}
_CONTENT_PREPS = {"on", "over", "about", "against", "of", "regarding", "at", "concerning"}
_CHANNEL_VERBS = {"speak", "talk", "write", "tell", "say"}
_DOCUMENTS = {"figure", "figures", "report", "filing", "statement", "data", "document", "record", "survey",
              "study", "analysis", "poll", "letter", "memo", "estimate", "website", "account", "count"}


# =========================================================================== quotation marks


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
        for i in range(pstart, pend):
            ch = text[i]
            if ch not in '“”„«»"‘’‹›\'':
                continue
            prev = text[i - 1] if i > pstart else " "
            nxt = text[i + 1] if i + 1 < pend else " "
            can_open = (prev in _OPEN_BEFORE or i == pstart or prev in _DOUBLE_OPEN + _SINGLE_OPEN + '"\'') \
                and not nxt.isspace()
            can_close = (nxt in _CLOSE_AFTER or i + 1 == pend or nxt in _DOUBLE_CLOSE + _SINGLE_CLOSE + '"\'') \
                and not prev.isspace()
            if ch in _DOUBLE_OPEN + _DOUBLE_CLOSE + _STRAIGHT:
                if double is None:
                    if ch in _DOUBLE_CLOSE and not can_open:
                        continue  # a stray closing mark
                    double = i
                    single = None  # a single mark left open before a double was an apostrophe
                elif ch in _DOUBLE_OPEN and not can_close:
                    double = i  # two openers: the first was never closed; start again here
                else:
                    para_found.append(QuoteMarks(double, i, double + 1, i, pindex, "double"))
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
            while end > double + 1 and text[end - 1].isspace():
                end -= 1
            para_found.append(QuoteMarks(double, None, double + 1, end, pindex, "double"))
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


# =========================================================================== parse helpers


@dataclass
class _Row:
    kind: str
    start: int
    end: int
    cue_tokens: list = field(default_factory=list)  # tokens of the cue
    speaker_head: object = None  # token heading the speaker phrase, or None
    speaker_span: tuple | None = None  # (start, end) chars when set directly
    via: str = ""
    continued: bool = False
    note: str = ""
    cue_span: tuple | None = None


def _trim(text: str, start: int, end: int, *, drop_that: bool = True) -> tuple[int, int]:
    """Trim a content span: spaces, outer punctuation and quotation marks, a leading 'that', a final period."""
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
            end -= 1
        if drop_that:
            m = re.match(r"(that|whether|if)\s+", text[start:end], re.I)
            if m and re.match(r"that\s", m.group(0), re.I):
                start += m.end()
        if end > start and text[end - 1] == "." and not re.search(r"\b[A-Z]\.$|\.\.\.$", text[start:end]):
            end -= 1
        m = re.search(r"\s+(and|or|but)$", text[start:end])
        if m:
            end = start + m.start()
        if (start, end) == before:
            return start, end


def _span_of(tokens) -> tuple[int, int]:
    tokens = sorted(tokens, key=lambda t: t.i)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _subtree_minus(token, excluded_tokens) -> list:
    skip = set()
    for ex in excluded_tokens:
        skip.update(t.i for t in ex.subtree)
    return [t for t in token.subtree if t.i not in skip]


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


def _main_run(tokens) -> tuple[int, int]:
    """Span of the longest run of consecutive tokens, punctuation and spaces aside: what is left of a
    sentence once an attribution phrase ("..., according to X.") is taken out of it."""
    words = [t for t in tokens if not t.is_space]
    if not words:
        return 0, 0
    run = _contiguous_from(words, words[0])
    core = [t for t in run if not t.is_punct] or run
    return _span_of(core)


def _attribution_phrases(tokens) -> set[int]:
    """Token indices of "according to X", "as per X", "referring to X", "citing X" inside some tokens."""
    out: set[int] = set()
    for t in tokens:
        low = t.lower_
        nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
        if (low in ("according", "referring") and nxt is not None and nxt.lower_ == "to") or (
                low == "as" and nxt is not None and nxt.lower_ == "per") or (
                low in ("citing", "quoting") and t.pos_ == "VERB"):
            out.update(x.i for x in t.subtree)
            if nxt is not None:
                out.update(x.i for x in nxt.subtree)
    return out


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
    import bisect

    index = _index(doc)
    if not index["sents"]:
        return None
    n = max(0, bisect.bisect_right(index["sent_starts"], char) - 1)
    return index["sents"][n]


def _is_negated(token) -> bool:
    return any(c.dep_ == "neg" for c in token.children) or any(
        c.lower_ in ("never", "not", "n't") for c in token.children)


def _aux_left(token) -> int:
    """Start of the verb group: auxiliaries (and adverbs between them) before the verb."""
    start = token.i
    for c in sorted(token.children, key=lambda t: -t.i):
        if c.i < token.i and c.dep_ in ("aux", "auxpass") and c.i == start - 1:
            start = c.i
        elif c.i < token.i and c.dep_ in ("advmod", "neg") and c.i == start - 1 and any(
                a.dep_ in ("aux", "auxpass") and a.i < c.i for a in token.children):
            start = c.i
    return start


# =========================================================================== the extractor


class _ArticleExtractor:
    def __init__(self, article_id: str, doc, cues: dict[str, set[str]], *, headline: str | None):
        self.article_id = article_id
        self.doc = doc
        self.text = _text(doc)
        self.cues = cues
        self.rows: list[_Row] = []
        self.headline_end = 0
        if headline:
            first = self.text.split("\n\n", 1)[0]
            if first.strip() == headline.strip():
                self.headline_end = len(first)
        self.marks = [q for q in find_quote_marks(self.text)
                      if q.content_start >= self.headline_end and _is_speech(self.text, q, doc)]
        self.quote_chars = [(q.content_start, q.content_end) for q in self.marks]
        self._starts = [t.idx for t in doc]
        self._in_quote = [any(s <= i < e for s, e in self.quote_chars) for i in self._starts]
        self.used_cues: set[int] = set()

    # ----------------------------------------------------------------- small predicates
    def in_quote(self, token) -> bool:
        return self._in_quote[token.i]

    def is_cue_verb(self, token) -> bool:
        return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in self.cues["verb"] and not self.in_quote(token)

    def sentence_of(self, char: int):
        return _sent_at(self.doc, char)

    def tokens_between(self, start: int, end: int):
        import bisect

        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return [t for t in self.doc[lo:hi] if not t.is_space]

    # ----------------------------------------------------------------- run
    def run(self) -> list[_Row]:
        if not len(self.doc):
            return []
        self._direct()
        self._verb_cues()
        self._according_to()
        self._nominal()
        return self.rows

    # ----------------------------------------------------------------- direct quotes
    def _direct(self) -> None:
        previous: _Row | None = None
        previous_paragraph = -1
        for q in self.marks:
            row = _Row("direct", q.content_start, q.content_end, continued=q.continues_previous)
            cue = self._cue_for_quote(q)
            if cue is not None:
                verb, colon = cue
                row.cue_tokens = self._cue_group(verb) if not colon else colon
                row.speaker_head = self._subject_of(verb) if not colon else next(
                    (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                row.via = self._channel_of(verb)
                self.used_cues.add(verb.i)
                if row.speaker_head is None and previous is not None and verb.lemma_.lower() in ("add", "continue"):
                    row.speaker_head, row.speaker_span = previous.speaker_head, previous.speaker_span
            elif previous is not None and (q.continues_previous or q.paragraph == previous_paragraph or (
                    q.paragraph == previous_paragraph + 1 and self._paragraph_is_all_quote(q))):
                row.speaker_head, row.speaker_span = previous.speaker_head, previous.speaker_span
                row.cue_tokens, row.cue_span, row.via = previous.cue_tokens, previous.cue_span, previous.via
                row.continued = True
                row.note = "continues the previous quote"
            else:
                row.note = "no cue or speaker found"
            row.start, row.end = _trim(self.text, row.start, row.end, drop_that=False)
            self.rows.append(row)
            if row.speaker_head is not None or row.speaker_span is not None:
                previous = row
            previous_paragraph = q.paragraph

    def _paragraph_is_all_quote(self, q: QuoteMarks) -> bool:
        for s, e in _paragraph_spans(self.text):
            if s <= q.open < e:
                rest = self.text[s:e]
                return rest.lstrip()[:1] in '"“‘\''
        return False

    def _cue_for_quote(self, q: QuoteMarks):
        """(verb token, colon-cue tokens or None) governing a quote, looking after it then before it."""
        text = self.text
        end = q.close + 1 if q.close is not None else q.content_end
        # after: up to the end of the sentence that the closing mark ends or continues
        stop = re.search(r"[.!?](?=\s|$)|\n\n|[“\"‘]", text[end:end + 250])
        after_end = end + (stop.end() if stop else min(250, len(text) - end))
        after = self.tokens_between(end, after_end)
        if after and not (after[0].is_sent_start and after[0].idx > end + 1 and text[q.content_end - 1] in ".!?"):
            verbs = [t for t in after if self.is_cue_verb(t)]
            if verbs:
                verb = verbs[0]
                between = [t for t in after if t.i < verb.i and t.pos_ in ("VERB", "AUX") and t.dep_ not in (
                    "aux", "auxpass", "compound", "amod", "nmod", "npadvmod", "acl")]
                if not between:
                    return verb, None
        # before: from the start of the sentence (or the previous quote) to the opening mark
        prev_close = max([c for _, c in self.quote_chars if c <= q.open] + [0])
        sent = self.sentence_of(q.open)
        start = max(sent.start_char if sent is not None else 0, prev_close + 1 if prev_close else 0)
        para_start = max([s for s, e in _paragraph_spans(text) if s <= q.open] + [0])
        start = max(start, para_start)
        before = self.tokens_between(start, q.open)
        if before:
            verbs = [t for t in before if self.is_cue_verb(t)]
            lead = text[before[-1].idx:q.open].strip()
            if verbs:
                verb = verbs[-1]
                tail = [t for t in before if t.i > verb.i]
                if len(tail) <= 8 and not any(t.pos_ == "VERB" and t.dep_ not in ("xcomp", "advcl", "acl", "amod")
                                              and t.lemma_ not in ("interview", "publish") for t in tail):
                    return verb, None
                inside = self.doc.char_span(q.content_start, q.content_end, alignment_mode="expand")
                for verb in reversed(verbs):  # "X told MPs in June that the contract "had to go ...""
                    if inside is not None and len(inside) and inside[0] in set(verb.subtree):
                        return verb, None
            if lead.endswith(":") and before[-1].text == ":":
                # "The judge was blunt: “...”": the clause before the colon is the cue, its subject the speaker
                subjects = [t for t in before if t.dep_ in ("nsubj", "nsubjpass") and t.head.i < before[-1].i]
                preds = [t.head for t in subjects if t.head.idx < q.open]
                if preds:
                    root = preds[-1]
                    cue = [t for t in before if t.i >= _aux_left(root) and t.text != ":"]
                    return root, cue
        return None

    # ----------------------------------------------------------------- indirect and reported speech
    def _verb_cues(self) -> None:
        for tok in self.doc:
            if tok.idx < self.headline_end or tok.i in self.used_cues or not self.is_cue_verb(tok):
                continue
            if _is_negated(tok) or (tok.tag_ == "VBN" and tok.dep_ in ("amod", "acl") and not any(
                    c.dep_ == "agent" for c in tok.children)):
                continue
            content = self._content_of(tok)
            if content is None:
                continue
            start, end = content
            inside = sum(max(0, min(end, e) - max(start, s)) for s, e in self.quote_chars)
            if end - start <= 0 or inside > 0.5 * (end - start):
                continue  # the content is a direct quote, already attributed
            speaker = self._subject_of(tok)
            if speaker is None or (speaker.lower_ == "it" and speaker.dep_ == "nsubj" and any(
                    c.dep_ == "acomp" and c.lower_ == "worth" for c in speaker.head.children)):
                continue  # "it was reported that ...", "It is worth mentioning that ...": no source at all
            row = _Row("indirect", start, end, cue_tokens=self._cue_group(tok), speaker_head=speaker,
                       via=self._channel_of(tok))
            self.rows.append(row)
            self.used_cues.add(tok.i)

    def _content_of(self, tok) -> tuple[int, int] | None:
        text = self.text
        comps = [c for c in tok.children if c.dep_ == "ccomp" and not self.is_cue_verb(c)]
        if not comps:
            comps = [c for c in tok.children if c.dep_ == "ccomp"]
        lemma = tok.lemma_.lower()
        if comps:
            comp = min(comps, key=lambda c: abs(c.i - tok.i))
            # leave out participial cue clauses hanging off the content (", saying that ...")
            hanging = [c for c in comp.children if c.dep_ in ("advcl", "conj") and self.is_cue_verb(c)
                       and c.i > comp.i and (c.dep_ == "advcl" or any(g.dep_ == "ccomp" for g in c.children))]
            tokens = _subtree_minus(comp, hanging)
            phrases = _attribution_phrases(tokens)
            tokens = [t for t in tokens if t.i not in phrases]
            return _trim(text, *_main_run(tokens))
        for prep in tok.children:  # "accused (by X) of abandoning", "warned ... against deploying"
            if prep.dep_ == "prep" and prep.lower_ in ("of", "against") and lemma in ("accuse", "warn", "caution"):
                objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
                if objs:
                    return _trim(text, *_span_of(list(objs[0].subtree)))
        if tok.dep_ in ("ccomp", "parataxis", "conj") and tok.head.i < tok.i and tok.head.pos_ in ("VERB", "AUX"):
            # inverted: "<content clause>, America's newspaper reported." / ", he said."
            comma = any(t.text in ",—–" for t in self.doc[tok.head.i:tok.i])
            if comma and tok.dep_ != "conj":
                tokens = _subtree_minus(tok.head, [tok])
                own = _index(tok.doc)["sent_of"][tok.i]
                tokens = [t for t in tokens if _index(tok.doc)["sent_of"][t.i] == own]
                return _trim(text, *_main_run(tokens))
        return None

    def _subject_of(self, tok):
        """The token heading the speaker phrase of a cue verb (climbing conj/advcl/xcomp for a shared subject)."""
        if tok.lemma_.lower() == "say" and tok.head.lower_ == "as" and tok.head.head.lemma_.lower() == "quote":
            objs = [c for c in tok.head.head.children if c.dep_ == "dobj"]  # "quoted one officer as saying"
            if objs:
                return objs[0]
        for _ in range(4):
            for c in tok.children:
                if c.dep_ == "agent":
                    objs = [o for o in c.children if o.dep_ == "pobj"]
                    if objs:
                        return objs[0]
            for c in tok.children:
                if c.dep_ in ("nsubj", "csubj"):
                    return c
            if any(c.dep_ == "nsubjpass" for c in tok.children):
                return None
            if tok.dep_ in ("conj", "advcl", "xcomp", "pcomp") and tok.head.i != tok.i:
                tok = tok.head
                continue
            break
        return None

    def _channel_of(self, tok) -> str:
        """The outlet a speaker talks to or writes in: "told Al Jazeera", "wrote in X", "speaking to WSJ"."""
        candidates = []
        heads = [tok] + ([tok.head] if tok.dep_ in ("conj", "xcomp") else [])
        for head in heads:
            for c in head.children:
                if c.dep_ in ("dobj", "dative") and tok.lemma_.lower() in ("tell", "say"):
                    candidates.append(c)
                if c.dep_ == "prep" and c.lower_ in ("to", "in", "with") and head.lemma_.lower() in _CHANNEL_VERBS:
                    candidates += [o for o in c.children if o.dep_ == "pobj"]
                if c.dep_ in ("advcl", "prep") and (c.lemma_.lower() in ("speak", "talk") or c.lower_ in ("in",)):
                    for p in c.subtree:
                        if p.dep_ == "pobj" and p.head.lower_ in ("to", "with", "in"):
                            candidates.append(p)
        for cand in candidates:
            name, _ = _noun_phrase_name(cand)
            if _media_name(name) or (tok.lemma_.lower() == "write" and cand.head.lower_ == "in"):
                return name
            # "an interview published in the X magazine": follow the chain to the outlet
            for p in cand.subtree:
                if p.dep_ == "pobj" and p is not cand:
                    name2, _ = _noun_phrase_name(p)
                    if _media_name(name2):
                        return name2
        return ""

    def _cue_group(self, tok) -> list:
        start = _aux_left(tok)
        return [t for t in tok.doc[start:tok.i + 1]]

    # ----------------------------------------------------------------- according to / as per / citing
    def _according_to(self) -> None:
        doc = self.doc
        for tok in doc:
            if tok.idx < self.headline_end or self.in_quote(tok):
                continue
            low = tok.lower_
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if low == "according" and nxt is not None and nxt.lower_ == "to":
                cue, obj_head, scope = [tok, nxt], nxt, "clause"
            elif low == "as" and nxt is not None and nxt.lower_ == "per":
                cue, obj_head, scope = [tok, nxt], nxt, "clause"
            elif low == "referring" and nxt is not None and nxt.lower_ == "to":
                cue, obj_head, scope = [tok, nxt], nxt, "cue"
            elif low in ("citing", "quoting") and tok.pos_ == "VERB":
                cue, obj_head, scope = [tok], tok, "cue"
            else:
                continue
            objs = [c for c in obj_head.children if c.dep_ in ("pobj", "dobj")]
            if not objs:
                objs = [t for t in doc[cue[-1].i + 1:cue[-1].i + 6] if t.pos_ in ("NOUN", "PROPN", "PRON")][:1]
            if not objs:
                continue
            obj = objs[0]
            owner = [c for c in obj.children if c.dep_ == "poss" and c.pos_ != "PRON"]
            if obj.lemma_.lower() in _DOCUMENTS and owner:
                obj = owner[0]  # "according to the council's own figures": the council is the source
            phrase = set(t.i for t in tok.subtree) | set(t.i for t in obj.subtree) | {t.i for t in cue}
            content = None
            if scope == "cue":  # "X said, referring to its sources, that ...": the content of X's cue
                cue_verb = next((a for a in tok.ancestors if self.is_cue_verb(a)), None)
                if cue_verb is not None:
                    content = self._content_of(cue_verb)
            if content is None:
                rest = [t for t in _sent(tok) if t.i not in phrase and not t.is_space]
                if not rest:
                    continue
                content = _trim(self.text, *_main_run(rest))
            if content[1] <= content[0]:
                continue
            row = _Row("according_to", content[0], content[1], cue_tokens=cue, speaker_head=obj)
            self.rows.append(row)

    # ----------------------------------------------------------------- message nouns
    def _nominal(self) -> None:
        nouns, carriers = self.cues["noun"], self.cues["carrier"]
        for tok in self.doc:
            if tok.idx < self.headline_end or self.in_quote(tok):
                continue
            lemma = tok.lemma_.lower()
            # "Russia has expressed grave concerns over ...", "issued a strong warning against ..."
            if tok.pos_ == "VERB" and lemma in carriers and tok.i not in self.used_cues and not _is_negated(tok):
                for obj in (c for c in tok.children if c.dep_ == "dobj"):
                    if obj.lemma_.lower() not in nouns:
                        continue
                    preps = [p for p in obj.children if p.dep_ == "prep" and p.lower_ in _CONTENT_PREPS]
                    clause = [c for c in obj.children if c.dep_ in ("acl", "ccomp") and any(
                        m.lower_ == "that" for m in c.children)]
                    if not preps and not clause:
                        continue  # "issued the warning to ...": the message is only referred to
                    if preps and preps[0].lower_ in ("against", "of") and obj.lemma_.lower() == "warning":
                        objs = [c for c in preps[0].children if c.dep_ in ("pobj", "pcomp")]
                        if not objs:
                            continue
                        span = _span_of(list(objs[0].subtree))
                        cue = list(self.doc[_aux_left(tok):obj.i + 1])
                    else:
                        span = _span_of(list(obj.subtree))
                        cue = self._cue_group(tok)
                    row = _Row("indirect", *_trim(self.text, *span, drop_that=False), cue_tokens=cue,
                               speaker_head=self._subject_of(tok), note="message noun")
                    self.rows.append(row)
                    self.used_cues.add(tok.i)
                    break
            # "Accusations are rife in the United States that ..."
            elif tok.pos_ == "NOUN" and lemma in nouns and tok.dep_ == "nsubj" and tok.tag_ in ("NNS", "NN"):
                head = tok.head
                if head.lemma_.lower() in self.cues["verb"] or head.pos_ not in ("AUX", "VERB"):
                    continue
                comps = [c for c in head.children if c.dep_ == "ccomp" and any(
                    m.lower_ == "that" and m.dep_ == "mark" for m in c.children)]
                if not comps or any(d.dep_ == "det" and d.lower_ in ("the", "this", "these", "that") for d in
                                    tok.children):
                    continue
                cue = [t for t in self.doc[tok.i:comps[0].i] if t.i <= max(
                    [tok.i, head.i] + [c.i for c in head.children if c.dep_ == "acomp"])]
                row = _Row("indirect", *_trim(self.text, *_span_of(list(comps[0].subtree))), cue_tokens=cue,
                           speaker_head=None, note="speakerless attribution")
                owners = [c for c in tok.children if c.dep_ == "poss"] + [
                    o for p in tok.children if p.dep_ == "prep" and p.lower_ == "by" for o in p.children]
                if owners:
                    row.speaker_head = owners[0]
                self.rows.append(row)


# =========================================================================== speakers


def _noun_phrase_name(head) -> tuple[str, object]:
    """(name, entity-or-None) of the phrase a token heads: the named entity in it, else the phrase."""
    ent = _entity_of(head)
    if ent is not None and ent.label_ in _SPEAKER_ENTS:
        return ent.text, ent
    # a noun with a proper name in front: "America's Stars and Stripes newspaper" -> "Stars and Stripes"
    left = [t for t in head.lefts if t.dep_ in ("compound", "nmod", "npadvmod") and t.pos_ == "PROPN"]
    if left:
        tokens = []
        for t in left:
            tokens += [x for x in t.subtree if x.dep_ not in ("poss", "case", "det") and x.i < head.i]
        tokens = _contiguous_from(tokens, head)
        if tokens:
            ent2 = _entity_of(tokens[0])
            return head.doc[tokens[0].i:tokens[-1].i + 1].text, ent2
    s, e, text, _ = _speaker_phrase(head)
    return text, None


def _speaker_phrase(head, *, description: bool = False) -> tuple[int, int, str, str]:
    """(start, end, text, role) of the speaker named by a phrase head, without appositions or titles
    (with ``description``, the whole noun phrase: "the Russian President")."""
    doc = head.doc
    if head.pos_ == "PRON":
        return head.idx, head.idx + len(head.text), head.text, ""
    ent = _entity_of(head) if not description else None
    blocked = {"appos", "relcl", "acl", "advcl", "punct", "parataxis"}
    np = [t for t in head.subtree]
    skip = set()
    for c in head.children:
        if c.dep_ in blocked:
            skip.update(t.i for t in c.subtree)
    np = [t for t in np if t.i not in skip]
    # stop at the first comma after the head
    np = [t for t in np if not (t.i > head.i and any(x.text == "," for x in doc[head.i:t.i + 1]))]
    appos = [c for c in head.children if c.dep_ == "appos"]
    role_parts = []
    if ent is not None and ent.label_ in _SPEAKER_ENTS:
        text = lexicons.clean_name(ent.text)
        s = ent.start_char + max(ent.text.find(text), 0)
        e = s + len(text)
        before = [t for t in np if t.i < ent.start and t.dep_ not in ("det",) and not t.is_punct]
        if before or s > ent.start_char:
            role_parts.append(_text(doc)[(before[0].idx if before else ent.start_char):s].strip())
    else:
        proper = [t for t in np if t.pos_ == "PROPN" and t.i <= head.i]
        if head.pos_ == "PROPN" and proper and not description:
            run = _contiguous_from([t for t in proper if t.i <= head.i], head)
            name_tokens = run
            before = [t for t in np if t.i < run[0].i and t.dep_ != "det" and not t.is_punct]
            if before:
                role_parts.append(doc[before[0].i:run[0].i].text.strip())
        else:
            name_tokens = sorted(np, key=lambda t: t.i)
            name_tokens = [t for t in name_tokens if not t.is_punct] or [head]
        s, e = _span_of(name_tokens)
        text = _text(doc)[s:e]
    for a in appos:
        role_parts.append(doc[a.left_edge.i:a.right_edge.i + 1].text.strip(" ,"))
    return s, e, text, "; ".join(p for p in role_parts if p)


def _media_name(name: str) -> bool:
    if not name:
        return False
    if lexicons.name_key(name) in lexicons.outlets():
        return True
    return bool(re.search(
        r"\b(news|times|post|journal|tribune|herald|gazette|telegraph|tv|television|radio|press|daily|"
        r"magazine|agency|broadcasting|chronicle|courier|ledger|newspaper|stripes|zhizn|affairs|policy|echo|"
        r"mirror|observer|standard|express|guardian|independent|inquirer|examiner|dispatch|sentinel|bulletin|"
        r"record|gazette|review|weekly|monitor|star|sun)\b",
        name, re.I)) and name[:1].isupper()


@dataclass
class _Mention:
    """A speaker as an article names it, before resolution."""

    text: str
    start: int
    end: int
    role: str
    kind: str  # "name", "pronoun", "description", "none"
    label: str  # entity label or ""
    head_lemma: str


def _classify_mention(head, span) -> _Mention:
    s, e, text, role = span
    if head is None:
        return _Mention("", -1, -1, "", "none", "", "")
    ent = _entity_of(head)
    if head.pos_ == "PRON":
        return _Mention(text, s, e, role, "pronoun", "", head.lower_)
    name_text = text
    label = ent.label_ if ent is not None else ""
    if ent is None and head.pos_ == "PROPN":
        label = "PROPN"
        if _role_class(head.text)[1] and _is_person_role(head.text):
            # "the Russian President", "Russian Deputy Foreign Minister": a title, not a name
            s, e, text, role = _speaker_phrase(head, description=True)
            return _Mention(text, s, e, role, "description", "", head.lemma_.lower())
    if ent is None and head.pos_ == "NOUN":
        return _classify_noun_phrase(head, s, e, text, role)
    return _Mention(name_text, s, e, role, "name", label, head.lemma_.lower())


def _classify_noun_phrase(head, s, e, text, role) -> _Mention:
    """A common-noun speaker: a name in apposition ("A fire analyst, Dr. Naomi Feldstein,"), a name inside
    ("America's Stars and Stripes newspaper", "the Spanish newspaper El Diario"), a named institution
    ("the Lakeview school district"), or an unnamed description ("a Russian Foreign Ministry official")."""
    doc = head.doc
    lemma = head.lemma_.lower()
    for appos in (c for c in head.children if c.dep_ == "appos"):
        ent = _entity_of(appos)
        if ent is not None and ent.label_ == "PERSON":
            return _Mention(ent.text, ent.start_char, ent.end_char, text, "name", "PERSON", lemma)
    if _is_person_role(head.text):
        return _Mention(text, s, e, role, "description", "", lemma)  # the employer in front is not the speaker
    poss = set()
    for c in head.children:
        if c.dep_ == "poss":
            poss.update(t.i for t in c.subtree)
    inside = {id(x): x for x in (_entity_of(t) for t in head.subtree if t.i not in poss) if x is not None}
    named = [x for x in inside.values() if x.label_ in ("ORG", "WORK_OF_ART", "PERSON", "FAC")]
    stype, rclass = _desc_class(text)
    if named and rclass == "institution" and all(x.end <= head.i for x in named):
        named = []  # "the Lakeview school district": the place is part of the institution's name
        inside = {k: v for k, v in inside.items()} | {id(head): head.doc[head.i:head.i + 1]}
    if named:
        ent = min(named, key=lambda x: abs(x.start - head.i))
        name = lexicons.clean_name(ent.text)
        idx = _text(doc).find(name, ent.start_char, ent.end_char)
        return _Mention(name, idx, idx + len(name), (role + "; " if role else "") + head.text, "name",
                        ent.label_, lemma)
    left = [t for t in head.lefts if t.dep_ in ("compound", "nmod") and t.pos_ == "PROPN" and t.i not in poss]
    if left and not inside:  # "Stars and Stripes newspaper" missed by the tagger
        name, _ = _noun_phrase_name(head)
        idx = _text(doc).find(name, s, e) if name else -1
        if idx >= 0 and name[:1].isupper():
            return _Mention(name, idx, idx + len(name), (role + "; " if role else "") + head.text, "name",
                            "PROPN", lemma)
    places = [x for x in inside.values() if x.label_ in ("GPE", "LOC", "NORP", "ORG", "")]
    if rclass == "institution" and places and any(t.pos_ == "PROPN" for t in head.lefts):
        words = [t for t in head.subtree if t.i <= head.i and t.dep_ != "det" and t.i not in poss]
        if words:
            ns, ne = _span_of(words)
            return _Mention(_text(doc)[ns:ne], ns, ne, role, "name", "ORG", lemma)
    return _Mention(text, s, e, role, "description", "", lemma)


_NON_PERSON_CLASSES = {"outlet", "institution", "organisation", ""}


def _is_person_role(word: str) -> bool:
    """Is this word a person's role (official, spokesman, president), not an institution or outlet?"""
    stype, rclass = _role_class(word)
    return bool(stype) and rclass not in _NON_PERSON_CLASSES


def _desc_class(words: str) -> tuple[str, str]:
    """Class of a description by its head noun first ("the county sheriff's office" is an office, not a
    sheriff), then by the whole phrase."""
    bare = re.sub(r"['’]s\b", "", words.lower()).split()
    if not bare:
        return "", ""
    for n in (3, 2, 1):
        if len(bare) >= n:
            found = lexicons.roles().get(" ".join(bare[-n:]))
            if found:
                if found[1] == "institution":
                    rest = _role_class(" ".join(bare[:-n]))
                    return (rest[0] if rest[0] in ("government", "organisation", "expert", "media")
                            else found[0]), "institution"
                return found
    return _role_class(words)


@lru_cache(maxsize=1)
def _roles_pattern() -> re.Pattern:
    words = sorted(lexicons.roles(), key=len, reverse=True)
    return re.compile(r"(?<![a-z])(" + "|".join(re.escape(w) for w in words) + r")(?![a-z])")


@lru_cache(maxsize=8192)
def _role_class(words: str) -> tuple[str, str]:
    """(source_type, role class) from the words of a role or description, most specific match first."""
    found = [m.group(1) for m in _roles_pattern().finditer(words.lower())]
    if not found:
        return "", ""
    return lexicons.roles()[max(found, key=len)]


def _country_in(words: str) -> str:
    countries = lexicons.countries()
    for token in re.findall(r"[A-Za-z][A-Za-z.]*(?:['’]s)?", words):
        bare = re.sub(r"['’]s$", "", token)
        low = bare.lower().rstrip(".") if bare not in ("U.S.",) else "u.s."
        for table in ("demonym", "alias"):
            if low in countries[table] and bare[:1].isupper():
                return countries[table][low]
    return ""


# =========================================================================== putting it together


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
        the sentence around it, whether it ``continued`` an earlier quote, and a ``note``.

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
            ref = _resolve_mention(mention, history, known, registry, row)
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
        quote_text = _text(doc)[row.start:row.end]
        role = (ref.role if ref is not None and ref.role else "") or mention.role
        records.append({
            "article_id": art_id, "kind": kind, "quote": quote_text, "start": row.start, "end": row.end,
            "speaker": mention.text, "speaker_start": mention.start, "speaker_end": mention.end,
            "speaker_canonical": canonical, "role": role, "cue": cue_text,
            "cue_start": cue_s, "cue_end": cue_e, "source_type": stype, "country": country, "via": row.via,
            "n_words": len(quote_text.split()), "sentence_start": sent_start, "sentence_end": sent_end,
            "continued": row.continued, "note": row.note,
        })
    return records


@dataclass
class _Ref:
    """What a speaker mention refers to: a name (resolved), or an unnamed description such as "a trust
    spokesman" that later pronouns and "the spokesman" can point back to."""

    char: int
    name: str
    label: str
    role: str
    person: bool
    description: str = ""
    head: str = ""


def _known_names(doc) -> list[tuple[int, str, str, str]]:
    """(char, name, label, role) for every person/organisation/place named in the article, with the title
    written in front of it ("Russian Deputy Foreign Minister" Sergei Ryabkov)."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP", "WORK_OF_ART"):
            continue
        name = lexicons.clean_name(ent.text)
        offset = ent.text.find(name) if name else 0
        name_start = ent.start_char + max(offset, 0)
        role_tokens = []
        i = ent.start - 1
        while i >= 0:
            t = doc[i]
            if t.is_space or t.is_punct and t.text not in ("-",):
                break
            if t.pos_ in ("PROPN", "ADJ", "NOUN") or t.lower_ in ("of", "'s", "’s") or t.ent_type_ in ("GPE", "NORP"):
                role_tokens.insert(0, t)
                if t.is_sent_start:
                    break
                i -= 1
                continue
            break
        while role_tokens and (role_tokens[0].lower_ in ("of", "'s", "’s") or not _role_class(
                doc[role_tokens[0].i:ent.start].text)[0]):
            role_tokens.pop(0)
        role = _text(doc)[role_tokens[0].idx:name_start].strip() if role_tokens else ""
        if offset > 0 and not role_tokens:
            role = _text(doc)[ent.start_char:name_start].strip()
        label = ent.label_
        if label in ("ORG", "NORP") and role and _is_person_role(role):
            label = "PERSON"  # "Secretary of Defense Austin" tagged ORG
        out.append((name_start, name, label, role))
    return out


_ORG_WORDS = re.compile(r"\b(inc|ltd|llc|plc|corp|co|company|group|party|council|ministry|department|union|"
                        r"bank|university|institute|hospital|school|agency|office|news|times|post|labour|labor|"
                        r"conservative|green|democrats?|republicans?|government|army|police|court|commission|"
                        r"command|cent(er|re)s?|foundation|association|alliance|organi[sz]ation|committee|"
                        r"service|forces|navy|federal|national|international|united|corporation|club|fc|state|"
                        r"city|county|trust|network|media|press|tv|radio|reuters|ministry)\b", re.I)


def _looks_like_person(name: str) -> bool:
    """Two to four capitalised words and no organisation word: "Marcus Bell" even when tagged ORG."""
    words = name.split()
    if not 2 <= len(words) <= 4 or _ORG_WORDS.search(name) or _media_name(name) or _country_in(name):
        return False
    return all(re.match(r"^[A-ZÀ-Þ][\w'’.-]*$", w) for w in words)


def _description_match(desc: str, name: str, label: str, roles) -> int:
    """How well a description ("the Russian diplomat", "the US Secretary of Defense") fits a named person
    or outlet: 0 not at all, 1 the same kind of role, 2 the same head word, 3 every word of the role;
    one more when the description's nationality is written in the role too."""
    words = re.sub(r"^(the|a|an|this|that)\s+", "", desc, flags=re.I)
    stype, rclass = _desc_class(words)
    if rclass == "outlet":
        return 1 if label in ("ORG", "WORK_OF_ART", "PROPN") and _media_name(name) else 0
    if label != "PERSON" or not rclass:
        return 0
    nationality = _country_in(words)
    content = [w.lower() for w in re.findall(r"[A-Za-z]+", words) if not _country_in(w) and w.lower() not in (
        "of", "senior", "top", "former", "deputy", "new", "the")]
    best = 0
    for role in roles:
        r_type, r_class = _role_class(role)
        role_country = _country_in(role)
        if not r_type or nationality and role_country and role_country != nationality:
            continue
        low = role.lower()
        if content and all(w in low for w in content):
            score = 3
        elif words.split()[-1].lower() in low:
            score = 2
        elif r_class == rclass or (rclass == "official" and r_type == stype):
            score = 1
        else:
            continue
        if nationality and role_country == nationality:
            score += 1
        best = max(best, score)
    return best


def _resolve_mention(mention: _Mention, history: list, known, registry, row) -> _Ref | None:
    """What a mention refers to in its article (None when it cannot be resolved)."""
    if mention.kind == "none":
        return None
    if mention.kind == "name":
        name, label, role = lexicons.clean_name(mention.text), mention.label, mention.role
        if len(name.split()) <= 2 and label in ("PERSON", "PROPN", "", "ORG"):
            # a surname alone ("Bell", "Ní Bhraonáin"): the full name met earlier (or later) in the article
            full = [k for k in known if len(k[1].split()) > len(name.split()) and k[1].endswith(" " + name) and (
                k[2] == "PERSON" or _looks_like_person(k[1]))]
            if full:
                before = [k for k in full if k[0] <= mention.start] or full
                chosen = before[-1]
                return _Ref(mention.start, chosen[1], "PERSON", role or chosen[3], True)
        if not role:
            role = next((k[3] for k in known if k[1] == name and k[3]), "")
        if label in ("PROPN", "", "ORG") and any(k[1] == name and k[2] == "PERSON" for k in known):
            label = "PERSON"
        if label in ("ORG", "PROPN", "") and _looks_like_person(name):
            label = "PERSON"  # "Marcus Bell", tagged ORG by the small model
        return _Ref(mention.start, name, label, role, label == "PERSON")
    before = [h for h in history if h.char < row.start]

    def roles_of(name, role):
        return {role} | registry.get(lexicons.name_key(name), set()) if role else registry.get(
            lexicons.name_key(name), set())

    if mention.kind == "pronoun":
        gender = _PRONOUNS.get(mention.head_lemma, "")
        previous = None
        for ref in reversed(before):
            if gender in ("m", "f", "s") and ref.person or gender == "n" and not ref.person or (
                    gender == "p" and (not ref.person or ref.head.endswith("s"))):
                previous = ref
                break
        if gender in ("m", "f", "s"):
            # a person named (as a subject) after the last speaker is the likelier antecedent:
            # "The challenge was brought by Tomasz W. ... he said"
            people = [k for k in known if k[2] == "PERSON" and k[0] < mention.start and (
                previous is None or k[0] > previous.char)]
            if people:
                chosen = people[-1]
                if previous is not None and lexicons.name_key(chosen[1]).split()[-1:] == lexicons.name_key(
                        previous.name).split()[-1:]:
                    return previous
                return _Ref(chosen[0], chosen[1], "PERSON", chosen[3], True)
        return previous
    # a description: "the Russian diplomat", "the Journal", "the media outlet", "A senior Russian diplomat"
    desc = mention.text
    words = re.sub(r"^(the|a|an|this|that|its|their)\s+", "", desc, flags=re.I)
    stype, rclass = _desc_class(words)
    person = _is_person_role(words.split()[-1]) if words else False
    unnamed = _Ref(mention.start, "", "", mention.role, person, description=desc, head=mention.head_lemma)
    definite = bool(re.match(r"(the|this|that)\s", desc, re.I))
    if words[:1].isupper() and len(words.split()) <= 3:  # "the Journal" -> "The Wall Street Journal"
        for _, name, label, role in reversed(known):
            if label in ("ORG", "WORK_OF_ART") and name != words and re.search(
                    r"\b" + re.escape(words) + r"\b", name, re.I):
                return _Ref(mention.start, name, label, role, False)
    if not rclass or stype == "anonymous":
        return unnamed
    if mention.head_lemma.endswith("s") and mention.text.lower().split()[-1].endswith("s") and rclass != "outlet":
        return unnamed  # "officials", "sources": a group, not one named person

    if definite:
        # the same description earlier ("A trust spokesman" ... "the spokesman") is the same unnamed person,
        # unless a person with a matching role was named in between ("A judge ruled ... Mrs Justice X said")
        for ref in reversed(before):
            if ref.description and not ref.name and ref.head == mention.head_lemma:
                named = [(c, n, lab, r) for c, n, lab, r in known if ref.char < c < mention.start
                         and _description_match(desc, n, lab, roles_of(n, r)) > 0]
                if named:
                    c, n, lab, r = named[-1]
                    return _Ref(mention.start, n, lab, r, lab == "PERSON")
                return ref
        if rclass in ("institution", "organisation") or stype == "organisation":
            # "the commission", "the council's" -> the named body whose name ends that way
            head_word = re.sub(r"['’]s?$", "", words.split()[-1].lower()) if words else ""
            for _, name, label, role in reversed(sorted(known)):
                if label == "ORG" and name.lower().split()[-1:] == [head_word]:
                    return _Ref(mention.start, name, label, role, False)
            if len(words.split()) >= 2 and rclass == "institution":  # "the state forestry department"
                return _Ref(mention.start, words, "ORG", "", False)
            if rclass == "organisation" and len(words.split()) == 1:
                # "the company", "the club": the last company-like organisation named before it
                firms = [k for k in known if k[0] < mention.start and k[2] == "ORG" and not _media_name(k[1])
                         and _role_class(k[1])[0] in ("", "organisation")]
                if firms:
                    _, name, label, role = firms[-1]
                    return _Ref(mention.start, name, label, role, False)
    candidates = [(h.char, h.name, h.label, h.role) for h in before if h.name] + [
        k for k in known if k[0] < mention.start]
    scored = [(_description_match(desc, n, lab, roles_of(n, r)), c, n, lab, r) for c, n, lab, r in candidates]
    best_before = max((x for x in scored if x[0] > 0), key=lambda x: (x[0], x[1]), default=None)
    # cataphora: "A senior Russian diplomat has said ..." then "... Sergei Ryabkov said ..." soon after
    ahead = sorted(k for k in known if mention.end <= k[0] <= mention.end + 600)
    scored = [(_description_match(desc, n, lab, roles_of(n, r)), c, n, lab, r) for c, n, lab, r in ahead]
    best_after = min((x for x in scored if x[0] >= 2), key=lambda x: (-x[0], x[1]), default=None)
    if definite and best_before is not None and (best_after is None or best_after[0] <= best_before[0]):
        best = best_before
    elif best_after is not None and (definite or rclass in ("diplomat", "president", "judge")):
        best = best_after
    else:
        return unnamed
    return _Ref(mention.start, best[2], best[3], best[4], best[3] == "PERSON")


def _canonical_names(pairs) -> dict[str, str]:
    """Map every resolved name to one canonical form across the corpus."""
    counts = Counter(name for name, _ in pairs)
    labels = {name: label for name, label in pairs}
    countries = lexicons.countries()
    outlets = lexicons.outlets()
    groups: dict[str, list[str]] = defaultdict(list)
    canon: dict[str, str] = {}
    for name in counts:
        low = re.sub(r"^the\s+", "", name.lower())
        country = countries["alias"].get(low) or countries["alias"].get(name.lower())
        if country is None and labels.get(name) == "GPE":
            country = countries["capital"].get(low)
        if country:
            canon[name] = country
            continue
        key = lexicons.name_key(name)
        if key in outlets:
            canon[name] = outlets[key][0]
            continue
        groups[key].append(name)
    # acronyms: "WSJ" joins "Wall Street Journal"
    keys = list(groups)
    for key in keys:
        if key not in groups or " " in key or len(key) < 2:
            continue
        for other in keys:
            if other != key and other in groups and " " in other:
                initials = "".join(w[0] for w in other.split() if w not in ("of", "and", "for", "the"))
                if initials == key:
                    groups[other] += groups.pop(key)
                    break
    # surnames alone join the single full name that ends with them, across the corpus
    for key in list(groups):
        if " " in key or key not in groups:
            continue
        fuller = [k for k in groups if k != key and k.split()[-1] == key]
        if len(fuller) == 1:
            groups[fuller[0]] += groups.pop(key)
    for names in groups.values():
        best = max(names, key=lambda n: (len(n.split()) > 1, counts[n], len(n)))
        fulls = [n for n in names if len(n.split()) == len(best.split())]
        best = max(fulls, key=lambda n: (counts[n], n.startswith("The "), n))
        for n in names:
            canon[n] = best
    return canon


def _source_type(canonical: str, evidence) -> tuple[str, str]:
    """(source_type, country) of a named source from everything said about it in the corpus: the roles
    written next to its name anywhere, its name (a ministry, a newspaper), how it speaks (writes in a
    journal)."""
    countries = lexicons.countries()
    if canonical in set(countries["alias"].values()):
        return "government", canonical
    outlet = lexicons.outlets().get(lexicons.name_key(canonical))
    if outlet is not None:
        return "media", outlet[1]
    votes: Counter = Counter()
    country = _country_in(canonical)
    labels = {label for label, *_ in evidence}
    name_type, name_class = _role_class(canonical)
    if "PERSON" not in labels and name_type and name_class in ("institution", "outlet", "organisation", "expert"):
        votes[name_type] += 3  # "US State Department", "Carnegie Endowment", "Nursing Union"
    if "PERSON" not in labels and _media_name(canonical):
        votes["media"] += 3
    for label, role, row, _mention in evidence:
        stype, _ = _role_class(role or "")
        if stype and stype != "anonymous":
            votes[stype] += 2
        country = country or _country_in(role or "")
        if row is None:
            continue
        if row.via and _role_class(row.via)[0] == "expert" and lexicons.name_key(row.via) not in lexicons.outlets():
            votes["expert"] += 1
        if row.cue_tokens and row.cue_tokens[-1].lemma_.lower() == "write" and label == "PERSON":
            votes["expert"] += 1
        if label in ("ORG", "NORP") and not stype:
            votes["organisation"] += 1
    if not votes:
        return ("other" if "PERSON" in labels else "organisation"), country
    return votes.most_common(1)[0][0], country


def _unnamed_type(mention: _Mention, row: _Row, ref) -> tuple[str, str]:
    """Type of a source the text does not name: media for "earlier reports", else anonymous."""
    if mention.kind == "none" or not mention.text:
        return ("anonymous" if row.note == "speakerless attribution" else "unknown"), ""
    words = ref.description if ref is not None and ref.description else mention.text
    stype, rclass = lexicons.roles().get(mention.head_lemma) or _desc_class(words)
    country = _country_in(words)
    if rclass in ("outlet", "journalist"):
        return "media", country
    if mention.kind == "pronoun" and ref is None:
        return "unknown", ""
    if rclass == "spokesperson":  # on the record for a body: typed by the body it speaks for
        employer = _role_class(re.sub(r"spokes(man|woman|person)", "", words, flags=re.I))[0]
        return (employer if employer not in ("", "anonymous") else "organisation"), country
    plural = words.lower().split()[-1].endswith("s") if words.split() else False
    if re.match(r"(the|this)\s", words, re.I) and not plural and stype and stype != "anonymous":
        return stype, country  # "the returning officer", "the summit presidency": one identifiable office
    if rclass == "institution" and stype:
        return stype, country
    return "anonymous", country
