"""Attribution: the cues (verbs, "according to", message nouns), the content each introduces and the
clause heading its speaker, in one pass over an article's parse."""

from __future__ import annotations

import bisect
import io
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pandas as pd

from .doctools import _contiguous_from, _index, _Intervals, _last_start_at_most, _sent, _sent_at, _span_of, _text
from .quotemarks import QuoteMarks, _is_speech, _paragraph_spans, find_quote_marks
from .source_types import _media_name
from .speakers import _noun_phrase_name

_CONTENT_PREPS = {"on", "over", "about", "against", "of", "regarding", "at", "concerning"}
_CHANNEL_VERBS = {"speak", "talk", "write", "tell", "say"}
_SPEECH_VERBS = {"say", "tell", "add", "write", "state", "insist", "claim", "argue", "explain", "note", "tweet"}
_HEADLINE_SPEAKER = re.compile(r"((?:[A-Z][\w.'’-]*\s){0,3}[A-Z][\w'’-]+)(?:\s+on\s[^:.\n]{1,80})?:\s+[^.\n]*$")
_DOCUMENTS = {"figure", "figures", "report", "filing", "statement", "data", "document", "record", "survey",
              "study", "analysis", "poll", "letter", "memo", "estimate", "website", "account", "count"}


_ACCORDING_WORDS = frozenset({"according", "as", "referring", "citing", "quoting"})


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
    fragments: list = field(default_factory=list)  # (start, end) of each quoted part; empty = [(start, end)]


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


def _subtree_minus(token, excluded_tokens) -> list:
    skip = set()
    for ex in excluded_tokens:
        skip.update(t.i for t in ex.subtree)
    return [t for t in token.subtree if t.i not in skip]


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


_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "adm", "st", "jr",
                  "sr", "prof", "rev", "hon", "no", "vs", "inc", "corp", "co", "ltd", "u.s", "u.k", "u.n", "d.c", "jan",
                  "feb", "aug", "sept", "oct", "nov", "dec", "calif", "fla", "mass", "ariz", "wash", "pa", "ga"}
_STOP = re.compile(r"[.!?](?=\s|$)|\n\n|[“\"‘]")


def _sentence_stop(text: str, start: int, end: int):
    """The first sentence end (or paragraph break, or opening quotation mark) in ``text[start:end]``; a
    period after a title, an initial or an abbreviation ("Mr.", "Harry M. Reid", "D-Nev.") does not end it."""
    for m in _STOP.finditer(text, start, min(end, len(text))):
        if m.group(0) == ".":
            word = re.search(r"([A-Za-z.]+)$", text[max(start, m.start() - 12):m.start()])
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1
                         and word.group(1).isupper()):
                continue
        return m
    return None


@lru_cache(maxsize=1)
def _frames() -> dict[str, list[str]]:
    """Verb lemma -> the frames that carry its content, most frequent first (``attribution_frames.csv``)."""
    text = resources.files("analysis").joinpath("data/attribution_frames.csv").read_text(encoding="utf-8")
    table = pd.read_csv(io.StringIO(text), comment="#", dtype={"lemma": str, "frame": str})
    out: dict[str, list[str]] = {}
    for lemma, frame in table.sort_values("n_cue", ascending=False)[["lemma", "frame"]].itertuples(index=False):
        out.setdefault(lemma.strip().lower(), []).append(frame.strip())
    return out


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
        self.quotes = _Intervals(self.quote_chars)  # lookups in O(log n), not a scan of every quote
        self._starts = [t.idx for t in doc]
        self._in_quote = [self.quotes.contains(i) for i in self._starts]
        self.paragraphs = _paragraph_spans(self.text)
        self._paragraph_starts = [s for s, _ in self.paragraphs]
        self.used_cues: set[int] = set()
        from spacy.attrs import LEMMA, LOWER, POS

        self._lemma, self._lower, self._pos = doc.to_array([LEMMA, LOWER, POS]).T.tolist() if len(doc) else ([],) * 3

    def _where(self, *, lemmas=None, lowers=None, pos: tuple = ()) -> list:
        """The tokens, in order, whose lower-cased lemma is in ``lemmas`` (or whose lower-cased form is in
        ``lowers``) and whose part of speech is in ``pos`` (any when empty): the only ones a scan of the
        Doc for cue words can keep, found from the Doc's arrays without making a Token of every word."""
        from spacy.parts_of_speech import IDS

        strings = self.doc.vocab.strings
        keys, words = (self._lemma, lemmas) if lemmas is not None else (self._lower, lowers)
        wanted = {IDS[p] for p in pos}
        memo: dict = {}
        hits = []
        for i, (h, tag) in enumerate(zip(keys, self._pos)):
            if wanted and tag not in wanted:
                continue
            ok = memo.get(h)
            if ok is None:
                ok = memo[h] = strings[h].lower() in words
            if ok:
                hits.append(i)
        doc = self.doc
        return [doc[i] for i in hits]

    # ----------------------------------------------------------------- small predicates
    def in_quote(self, token) -> bool:
        return self._in_quote[token.i]

    def is_cue_verb(self, token) -> bool:
        return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in self.cues["verb"] and not self.in_quote(token)

    def sentence_of(self, char: int):
        return _sent_at(self.doc, char)

    def tokens_between(self, start: int, end: int):
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
        self._frame_cues()
        self._fill_speakerless()
        self._join_interrupted()
        return self.rows

    def _fill_speakerless(self) -> None:
        """Direct quotes left without a speaker take the attribution written next to them: "according to X"
        right after the closing mark ("“...,” according to X"), or a later quote of the same sentence
        attributed by its cue ("“A” was to be a “B,” said X"): one attribution for the sentence."""
        ordered = sorted(self.rows, key=lambda r: r.start)
        according = [r for r in ordered if r.kind == "according_to" and r.cue_tokens]
        # the "according to" cues by position (with their order in ``according``), looked up by bisection
        by_cue = sorted((a.cue_tokens[0].idx, n) for n, a in enumerate(according))
        cue_at = [c for c, _ in by_cue]
        for i, row in enumerate(ordered):
            if row.kind != "direct" or row.speaker_head is not None or row.speaker_span is not None:
                continue
            gap_end = min(len(self.text), row.end + 6)
            window = sorted(n for _, n in by_cue[bisect.bisect_left(cue_at, row.end):bisect.bisect_right(
                cue_at, gap_end)])  # the cues with row.end <= idx <= gap_end, first in ``according`` first
            near = next((according[n] for n in window if not re.search(
                r"[.!?]\s", self.text[row.end:according[n].cue_tokens[0].idx])), None)
            if near is not None:
                row.speaker_head, row.cue_tokens, row.note = near.speaker_head, near.cue_tokens, "according to after"
                continue
            sent = self.sentence_of(row.start)
            if sent is None:
                continue
            later = None
            for r in itertools.islice(ordered, i + 1, None):
                if r.start >= sent.end_char:
                    break  # ordered by start: no later row starts inside the sentence
                if r.kind == "direct" and r.speaker_head is not None and r.cue_tokens and not r.continued:
                    later = r
                    break
            if later is not None and "\n" not in self.text[row.end:later.start]:
                row.speaker_head, row.cue_tokens, row.via = later.speaker_head, later.cue_tokens, later.via
                row.note = "attributed with the next quote of its sentence"

    def _join_interrupted(self) -> None:
        """One row for a quotation interrupted by its own cue ("“A,” X said. “B.”") or continued in the same
        paragraph: one attribution, as attribution corpora annotate it. ``start``/``end`` become the whole
        extent and ``fragments`` the quoted parts (the cue words between them are not the source's)."""
        out: list[_Row] = []
        last: _Row | None = None
        for row in sorted(self.rows, key=lambda r: r.start):
            if row.kind != "direct":
                out.append(row)
                continue
            if last is not None and row.cue_tokens and [t.i for t in row.cue_tokens] == [
                    t.i for t in last.cue_tokens] and "\n\n" not in self.text[last.end:row.start]:
                last.fragments = (last.fragments or [(last.start, last.end)]) + [(row.start, row.end)]
                last.end = row.end
                last.note = "quote interrupted by its cue"
                continue
            out.append(row)
            last = row
        self.rows = out

    # ----------------------------------------------------------------- cue frames learnt from news
    def _frame_cues(self) -> None:
        """Attributions of beliefs, intentions, stances and acts of speech beyond "say": a verb of the frames
        table (``analysis/data/attribution_frames.csv``) with its content in a clause ("believes that ..."),
        an infinitive ("vowed to ...", "plans to ..."), an object ("criticized the plan", "polls show a
        lead") or a prepositional object ("accused X of ...", "called for ...")."""
        frames = _frames()
        for tok in self._where(lemmas=frames, pos=("VERB",)):  # the only tokens the test below can keep
            if tok.pos_ != "VERB" or tok.i in self.used_cues or tok.idx < self.headline_end or self.in_quote(tok):
                continue
            wanted = frames.get(tok.lemma_.lower())
            if not wanted or (tok.tag_ == "VBN" and tok.dep_ in ("amod", "acl") and not any(
                    c.dep_ == "agent" for c in tok.children)):
                continue
            content = None
            for frame in wanted:
                content = self._frame_content(tok, frame)
                if content is not None:
                    break
            if content is None:
                continue
            start, end = content
            inside = self.quotes.overlap_total(start, end)
            if end - start <= 0 or inside > 0.5 * (end - start):
                continue
            speaker = self._outer_speaker(tok, self._subject_of(tok))
            if speaker is None or self.in_quote(speaker) or speaker.lower_ in (
                    "i", "we", "you", "me", "us", "that", "which"):
                continue
            self.rows.append(_Row("indirect", start, end, cue_tokens=self._cue_group(tok), speaker_head=speaker,
                                  via=self._channel_of(tok), note="cue frame " + frame))
            self.used_cues.add(tok.i)

    def _frame_content(self, tok, frame: str) -> tuple[int, int] | None:
        if frame == "ccomp":
            return self._content_of(tok) if any(c.dep_ == "ccomp" for c in tok.children) else None
        if frame in ("dobj", "xcomp"):
            deps = [c for c in tok.children if c.dep_ == frame]
            if not deps or (frame == "dobj" and deps[0].pos_ == "PRON" and deps[0].lower_ in (
                    "it", "this", "that", "them")):
                return None
            return _trim(self.text, *_span_of(list(deps[0].subtree)))
        if frame.startswith("prep:"):
            word = frame[5:]
            for p in tok.children:
                if p.dep_ == "prep" and p.lower_ == word:
                    objs = [o for o in p.children if o.dep_ in ("pobj", "pcomp")]
                    if objs:
                        return _trim(self.text, *_span_of(list(objs[0].subtree)))
        return None

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
                row.speaker_head = self._outer_speaker(verb, self._subject_of(verb)) if not colon else next(
                    (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if row.speaker_head is None and not colon and verb.idx > q.content_end:
                    # inverted after the quote, the speaker parsed as an object: '"...," wrote a man', 'asked Mr. X'
                    row.speaker_head = next((c for c in verb.children if c.i > verb.i and c.dep_ in (
                        "dobj", "attr", "npadvmod", "dative", "oprd", "appos") and c.pos_ in ("PROPN", "NOUN")), None)
                if row.speaker_head is not None and self.in_quote(row.speaker_head) and not colon:
                    # the parser took words of the quote for the subject ("“Like X. Or Y,” Ann said."):
                    # the phrase written beside the cue, outside the marks
                    row.speaker_head = self._speaker_beside(verb)
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
                found = self._speaker_without_cue(q)
                if found is not None:
                    row.speaker_head, row.cue_tokens, row.note = found
                else:
                    row.note = "no cue or speaker found"
            row.start, row.end = _trim(self.text, row.start, row.end, drop_that=False)
            self.rows.append(row)
            if row.speaker_head is not None or row.speaker_span is not None:
                previous = row
            previous_paragraph = q.paragraph

    def _speaker_beside(self, verb):
        """The noun phrase right before a cue verb (“...,” Ann Lee said) or right after it (said Ann Lee),
        outside quotation marks and within its sentence: its head (the token whose head lies outside it)."""
        sent = _sent(verb)
        before = []
        for t in reversed(self.doc[sent.start:verb.i]):
            if self.in_quote(t) or t.is_punct and t.text not in ".-'’" or t.pos_ in ("VERB", "AUX") and t.dep_ not in (
                    "aux", "auxpass"):
                break
            before.insert(0, t)
        after = []
        for t in self.doc[verb.i + 1:sent.end]:
            if self.in_quote(t) or t.is_punct and t.text not in ".-'’" or t.pos_ in ("VERB", "AUX", "ADP"):
                break
            after.append(t)
        for run in (before, after):
            words = [t for t in run if t.pos_ in ("PROPN", "NOUN", "PRON") and t.dep_ not in ("aux", "auxpass")]
            ids = {t.i for t in run}
            heads = [t for t in words if t.head.i not in ids or t.head.i == t.i]
            if heads or words:
                return (heads or words)[-1 if run is before else 0]
        return None

    _ANAPHORS = {"he", "she", "they", "it"}

    def _outer_speaker(self, tok, speaker):
        """A pronoun subject of a cue inside the content of a speech verb ("X said she opposes ...", "telling
        reporters that he thinks ..."): the attribution is the outer one, its source the outer subject."""
        if speaker is None or speaker.lower_ not in self._ANAPHORS or tok.dep_ != "ccomp":
            return speaker
        outer = tok.head
        if not self.is_cue_verb(outer) or outer.lemma_.lower() not in _SPEECH_VERBS:
            return speaker
        subj = self._subject_of(outer)
        if subj is None or self.in_quote(subj) or subj.lower_ in self._NOT_SPEAKERS | {"i", "we", "me", "us"}:
            return speaker
        return subj

    _NOT_SPEAKERS = {"it", "that", "which", "who", "whom", "there", "this", "what", "these", "those", "you"}

    def _speaker_without_cue(self, q: QuoteMarks):
        """(speaker head, cue tokens, note) of a quotation no cue verb governs, or None.

        * a quote inside a clause whose verb is not a cue: the subject of the verb governing it ("Cruz
          blamed the law on “...”", "X decried the “...”", "Ramos believes in journalism that “...”");
        * a quote opening its sentence after a sentence that names a speech act without content ("X said
          in a statement.", "X tweeted a warning."): that act's subject;
        * a name and a colon before the quote ("Jane Roe: “...”")."""
        text = self.text
        inside = self.doc.char_span(q.content_start, q.content_end, alignment_mode="expand")
        if inside is None or not len(inside):
            return None
        para_start = _last_start_at_most(self._paragraph_starts, q.open)
        m = _HEADLINE_SPEAKER.match(text, para_start, q.open)
        if m is not None:  # a headline or lead in the form "Name: ... “quote”", "Name on X: ‘quote’"
            head = self.doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
            if head is not None and len(head) and all(t.pos_ == "PROPN" for t in head):
                return head.root, [], "name and colon heading its paragraph"
        first = inside[0]
        sent = self.sentence_of(q.open)
        lead_tokens = [t for t in self.tokens_between(sent.start_char, q.open)] if sent is not None else []
        if lead_tokens and lead_tokens[-1].text == ":" and len(lead_tokens) <= 9 and not any(
                t.pos_ in ("VERB", "AUX") for t in lead_tokens):
            heads = [t for t in lead_tokens if t.pos_ in ("PROPN", "NOUN") and t.head.i >= lead_tokens[-1].i or
                     t.pos_ in ("PROPN", "NOUN") and t.head.i == t.i]
            nouns = [t for t in lead_tokens if t.pos_ in ("PROPN", "NOUN")]
            if nouns:  # "Jane Roe: “...”", "The editorial: “...”": a name and a colon
                return (heads or nouns)[-1], [lead_tokens[-1]], "name and colon"
        if first.i > 0 and not self._quote_opens_sentence(q):
            outside = [a for a in first.ancestors if not self.in_quote(a) and a.idx < q.open]
            for anc in outside:  # a cue verb higher up ("X said, the media considered him a “...”")
                if self.is_cue_verb(anc) and not _is_negated(anc):
                    subj = self._subject_of(anc)
                    if subj is not None and subj.lower_ not in self._NOT_SPEAKERS:
                        return subj, self._cue_group(anc), "cue verb over the quote"
            for anc in outside:
                for c in anc.children:  # a parenthetical cue: "Trump, Sexton said, has created a “...”"
                    if c.dep_ == "parataxis" and self.is_cue_verb(c) and c.i not in self.used_cues:
                        subj = self._subject_of(c)
                        if subj is not None and subj.lower_ not in self._NOT_SPEAKERS:
                            return subj, self._cue_group(c), "cue verb beside the quote"
            for anc in outside:
                if anc.pos_ not in ("VERB", "AUX"):
                    continue
                subj = next((c for c in anc.children if c.dep_ in ("nsubj",) and not self.in_quote(c)), None)
                if subj is None and anc.dep_ in ("conj", "xcomp", "advcl") and anc.head.pos_ in ("VERB", "AUX"):
                    subj = next((c for c in anc.head.children if c.dep_ == "nsubj" and not self.in_quote(c)), None)
                if subj is not None and subj.lower_ not in self._NOT_SPEAKERS and subj.pos_ in (
                        "PROPN", "PRON", "NOUN") and not _is_negated(anc):
                    return subj, self._cue_group(anc), "verb governing the quote"
                break
            return None
        # the quote opens its sentence: the sentence before, in the same paragraph
        para_start = _last_start_at_most(self._paragraph_starts, q.open)
        if sent is None or sent.start == 0:
            return None
        prev = _sent(self.doc[sent.start - 1])
        last = q.open  # "X said:" closing the paragraph before a block quote (the text before, spaces off)
        while last > 0 and text[last - 1].isspace():
            last -= 1
        introduced = last > 0 and text[last - 1] == ":"
        if prev.start_char < para_start and not introduced or self.quotes.overlaps(prev.start_char, prev.end_char):
            return None
        verbs = [t for t in prev if self.is_cue_verb(t) and t.i not in self.used_cues and not _is_negated(t)
                 and not any(c.dep_ == "ccomp" for c in t.children)]
        if not verbs and text[prev.start_char:prev.end_char].rstrip().endswith(":"):
            # "X released the following statement:" / "The statement read:": the clause before the colon
            verbs = [t for t in prev if t.pos_ in ("VERB", "AUX") and t.dep_ == "ROOT"]
        if verbs:
            subj = self._subject_of(verbs[-1])
            if subj is not None and subj.lower_ not in self._NOT_SPEAKERS:
                return subj, self._cue_group(verbs[-1]), "cue in the sentence before"
        return None

    def _quote_opens_sentence(self, q: QuoteMarks) -> bool:
        sent = self.sentence_of(q.open)
        lead = self.text[sent.start_char:q.open] if sent is not None else ""
        return not lead.strip(" \n\t—–-")

    def _paragraph_is_all_quote(self, q: QuoteMarks) -> bool:
        n = bisect.bisect_right(self._paragraph_starts, q.open) - 1  # paragraphs are disjoint and in order
        if n >= 0 and q.open < self.paragraphs[n][1]:
            s, e = self.paragraphs[n]
            return self.text[s:e].lstrip()[:1] in '"“‘\''
        return False

    def _cue_for_quote(self, q: QuoteMarks):
        """(verb token, colon-cue tokens or None) governing a quote, looking after it then before it."""
        text = self.text
        end = q.close + 1 if q.close is not None else q.content_end
        if q.close is not None and text[q.close] == "'" and text[end:end + 1] == "'":
            end += 1  # a double mark written as two apostrophes
        # after: up to the end of the sentence that the closing mark ends or continues
        stop = _sentence_stop(text, end, end + 250)
        after_end = stop.end() if stop else min(end + 250, len(text))
        after = self.tokens_between(end, after_end)
        new_sentence = after and after[0].is_sent_start and after[0].idx > end and text[q.content_end - 1] in ".!?"
        if after and not (new_sentence and (after[0].idx > end + 1 or stop is not None and stop.group(0) in '“"‘')):
            verbs = [t for t in after if self.is_cue_verb(t)]
            if verbs:
                verb = verbs[0]
                between = [t for t in after if t.i < verb.i and t.pos_ in ("VERB", "AUX") and t.dep_ not in (
                    "aux", "auxpass", "compound", "amod", "nmod", "npadvmod", "acl", "relcl")]
                span = self.doc.char_span(q.content_start, q.content_end, alignment_mode="expand")
                inside_first = span[0] if span is not None and len(span) else None
                # "“...” until Y said ...": a cue in a subordinate clause after the quote is not its cue
                subordinate = any(t.dep_ == "mark" and t.head.i == verb.i and t.i < verb.i for t in after)
                if not between and not subordinate or inside_first is not None and verb in inside_first.ancestors:
                    return verb, None
        # before: from the start of the sentence (or the previous quote) to the opening mark
        prev_close = self.quotes.last_end_at_most(q.open)
        sent = self.sentence_of(q.open)
        start = max(sent.start_char if sent is not None else 0, prev_close + 1 if prev_close else 0)
        para_start = _last_start_at_most(self._paragraph_starts, q.open)
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
        for tok in self._where(lemmas=self.cues["verb"], pos=("VERB", "AUX")):  # the only ones is_cue_verb keeps
            if tok.idx < self.headline_end or tok.i in self.used_cues or not self.is_cue_verb(tok):
                continue
            if _is_negated(tok) or (tok.tag_ == "VBN" and tok.dep_ in ("amod", "acl") and not any(
                    c.dep_ == "agent" for c in tok.children)):
                continue
            content = self._content_of(tok)
            if content is None:
                continue
            start, end = content
            inside = self.quotes.overlap_total(start, end)
            if end - start <= 0 or inside > 0.5 * (end - start):
                continue  # the content is a direct quote, already attributed
            speaker = self._outer_speaker(tok, self._subject_of(tok))
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
        for level in range(4):
            passive = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if level and passive is not None:
                return passive  # "X was booed by Y after telling ...": the participle's subject is X
            for c in tok.children:
                if c.dep_ == "agent":
                    objs = [o for o in c.children if o.dep_ == "pobj"]
                    if objs:
                        return objs[0]
            for c in tok.children:
                if c.dep_ in ("nsubj", "csubj"):
                    noun = tok.head if tok.dep_ == "relcl" else None
                    if c.lower_ == "that" and noun is not None and noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
                        # "X ran a piece that noted ...", "X released data that suggest ...": X speaks through it
                        outer = next((o for o in noun.head.children if o.dep_ == "nsubj"), None)
                        if outer is not None and outer.lower_ not in ("that", "which", "who"):
                            return outer
                    return c
            if passive is not None:
                return None
            if tok.dep_ in ("conj", "advcl", "xcomp", "pcomp") and tok.head.i != tok.i:
                tok = tok.head
                if tok.dep_ == "prep" and tok.pos_ in ("ADP", "SCONJ") and tok.head.pos_ in ("VERB", "AUX"):
                    tok = tok.head  # "began by saying", "deflected questions before saying": the verb's subject
                continue
            if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.dep_ == "dobj" and tok.head.head.pos_ == "VERB":
                # "X issued a statement saying ...", "X released an ad calling ...": the issuer speaks
                tok = tok.head.head
                continue
            if tok.dep_ == "dep" and tok.head.tag_ == "VBG" and tok.head.i < tok.i:
                # misparse of "X, noting ..., said": the participle was taken for the main verb
                subj = next((c for c in tok.head.children if c.dep_ == "nsubj" and c.i < tok.head.i), None)
                if subj is not None:
                    return subj
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
        for tok in self._where(lowers=_ACCORDING_WORDS):  # the first words of every cue below
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
            if low == "referring" and obj.lemma_.lower() not in _DOCUMENTS | {"source", "sources", "media", "press"}:
                continue  # "referring to the candidate's vow": what is talked about, not a source
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
        # the only tokens either branch below can keep: a carrier verb or a message noun, in the Doc's order
        candidates = self._where(lemmas=carriers, pos=("VERB",)) + self._where(lemmas=nouns, pos=("NOUN",))
        for tok in sorted(candidates, key=lambda t: t.i):
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
