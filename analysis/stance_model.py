"""A trained, explainable target-stance model: a logistic regression a reader can follow.

The model reads one mention of a target in its sentence and says whether the sentence presents the target
negatively, neutrally or positively. It is trained on NewsMTSC's train split (Hamborg and Donnay, EACL 2021;
MIT licence, shipped compressed in ``analysis/data/newsmtsc_train.jsonl.gz`` with ``NEWSMTSC_LICENSE``),
without a part held aside by article (:func:`held_aside`: a hash of the article id), which is never trained on
and on which ``make eval-dev`` measures it.

Every feature is something a reader can check in the sentence (:func:`mention_features`):

- the words around the mention, with the mention itself masked (``"blasted"``, ``"blasted" just before``);
- the dependency path from the mention to each evaluative word (a word with a VADER or TextBlob score),
  its sign and how far it is in the parse (``negative word "failure" linked to the mention``);
- the syntactic role: the mention holds an attitude (the subject of the verb: "Russia warned") or is its
  object ("warned Russia"), with that verb;
- TextBlob polarity and subjectivity of the clause around the mention and of the sentence, and VADER's scores;
- negation in the clause;
- the lexicon method's score of the clause (``analysis.stance``: loaded terms, attitude words that do not count
  against their holder nor in the author's voice), so the model weighs that evidence by what NewsMTSC shows.

The logistic regression is trained without class weights, so its probabilities are p(label | mention) under
NewsMTSC's label shares, and a temperature fitted on five folds (by article) of the training part makes them
calibrated. NewsMTSC's sentences were chosen to carry sentiment (a third of its mentions are neutral); in
ordinary news most mentions are neutral. :func:`adapt_priors` therefore re-estimates the class priors of the
corpus being analysed from the model's probabilities, without labels (the EM of Saerens, Latinne and
Decaestecker 2002), and adjusts the probabilities to them when their likelihood-ratio test says the corpus's
priors differ from the training ones; ``analysis.stance`` does so over every mention of the corpus.

Training is deterministic (``python -m analysis train-stance`` or ``make train``). The coefficients and the
vocabulary are stored as plain JSON (``analysis/data/stance_model.json.gz``, nothing pickled) with the hash of
what they were trained from (the data, this module's code, the spaCy model and the library versions); at load
the hash is checked, and a model that does not match is trained again from the shipped data and cached by its
hash, offline. :func:`predict` returns, for each mention, the label, the probabilities and the evidence: the
features that weighed most, in words, each with its sign. Many mentions are scored at once (:func:`score_mentions`:
one look-up of the vocabulary per feature and one matrix product for the lot), and TextBlob's and VADER's scores
of a clause or a sentence are computed once per distinct text.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import json
import os
import re
import time
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["load_newsmtsc", "held_aside", "article_of", "mention_features", "train", "load_model", "predict",
           "find_mentions", "sentence_index", "model_hash", "StanceModel", "LABELS", "DATA", "MODEL_PATH",
           "vader_label", "textblob_label", "lexicon_label", "lexicon_score", "adapt_priors", "prior_shift_p",
           "evidence_text", "score_mentions"]

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "newsmtsc_train.jsonl.gz"
MODEL_PATH = HERE / "data" / "stance_model.json.gz"
LABELS = ("negative", "neutral", "positive")
POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
HELD_ASIDE_SHARE = 5  # one article in five (by hash) is held aside
#: inverse L2 strength of the logistic regression: the minimum of the calibrated log-loss in cross-validation by
#: article (:data:`CV_FOLDS` folds of the training part) over 0.02, 0.03, 0.05, 0.08, 0.12 and 0.2
C = 0.12
MIN_COUNT = 2  # a feature seen in fewer training mentions is dropped
SKIP_STOP = True  # function words ("and", "the", "of") are not evidence a reader can use
SENTENCE_BAG = True  # the sentence's words (beyond the window) are features
WINDOW = 4  # words either side of the mention that count as "near"
#: the signature of the dependency path to each evaluative word (``nsubj^ dobj``) as a feature of its own: off, as
#: in cross-validation by article on the training part (and on the held-aside part) the model is better without
#: them (macro-F1 0.650 vs 0.646); the path's length still weighs each evaluative word (near / linked)
PATH_SIGNATURES = False
LEXICON_FEATURES = True  # the lexicon method's clause score (holders, attitudes, loaded terms) is a feature
#: the words above the mention in the parse, each with the side the mention is on: inside what the word says
#: something about ("opposed providing bases to the US", "would not accept US forces operating": its object or
#: content) or its subject's side (the one who opposes, accepts, says). The holder of an attitude and its object are
#: told apart at any depth, not only for the nearest verb (``holder_of:`` / ``object_of:``). In cross-validation by
#: article on the training part: macro-F1 0.653 against 0.649 without (a side that, once a subject, stays the
#: subject's for every word further up: 0.652)
SCOPE_FEATURES = True
SCOPE_DEPTH = 4  # how many words up from the mention name the words above it (the evaluative one: up to 7)
CV_FOLDS = 5  # folds (by article) of the training part on which the temperature is fitted
#: Corpus-level prior adaptation (Saerens, Latinne and Decaestecker 2002): the class priors of the corpus being
#: analysed are re-estimated by EM on the model's probabilities, with this many mentions' worth of the training
#: prior added as a Dirichlet pseudo-count, so that a corpus of a few mentions stays near the training prior.
PRIOR_PSEUDOCOUNT = 10.0
#: ... and only when the corpus's priors differ from the training prior beyond chance: the likelihood-ratio test
#: of Saerens et al. (2002, section 3), chi-squared with (labels - 1) degrees of freedom, at this level.
PRIOR_TEST_LEVEL = 0.01
#: The estimator was chosen on the held-aside part drawn down to 70 % neutral (300 draws each of 160, 400 and 900
#: mentions): accuracy 0.744-0.745 against all-neutral's 0.700 and about 0.66 with the training prior; EM without
#: the test, EM without the pseudo-count and black-box shift estimation (Lipton et al. 2018) did no better
#: (tests/test_devdata_stance.py checks this at 400 mentions).
_NEGATORS = {"not", "no", "never", "n't", "neither", "nor", "without", "nobody", "nothing", "hardly"}
_CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "conj", "parataxis", "acl", "xcomp", "csubj"}
_SUBJECT_DEPS = {"nsubj", "csubj", "expl"}  # a path up through one of these reaches its head from the subject's side
_QUOTES = re.compile(r"[\"“”]")


# ------------------------------------------------------------------------------------------------- data
def article_of(gid: str) -> str:
    """The article a NewsMTSC sentence comes from: the first three parts of its ``primary_gid``
    (``allsides_1000_401``, ``polusa_v1_113704059``)."""
    return "_".join(str(gid).split("_")[:3])


def held_aside(article: str) -> bool:
    """Is the article in the held-aside part (never trained on)? One in five articles, by a hash of its id."""
    return int(hashlib.sha256(article.encode("utf-8")).hexdigest(), 16) % HELD_ASIDE_SHARE == 0


def load_newsmtsc(path=None) -> pd.DataFrame:
    """NewsMTSC (``train.jsonl`` or the shipped ``.jsonl.gz``) as one row per target mention: article,
    gid, sentence, start, end, mention, label (negative / neutral / positive), held_aside."""
    path = Path(path) if path is not None else DATA
    opener = gzip.open if path.suffix == ".gz" else open
    rows = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            art = article_of(rec["primary_gid"])
            for t in rec["targets"]:
                rows.append({"article": art, "gid": t.get("Input.gid", rec["primary_gid"]),
                             "sentence": rec["sentence_normalized"], "start": int(t["from"]), "end": int(t["to"]),
                             "mention": t["mention"], "label": POLARITY[float(t["polarity"])]})
    out = pd.DataFrame(rows)
    out["held_aside"] = out["article"].map(held_aside)
    return out


# --------------------------------------------------------------------------------------------- lexicons
@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=131072)
def vader_scores(text: str) -> tuple[float, float, float]:
    s = _vader().polarity_scores(text)
    return s["compound"], s["neg"], s["pos"]


@lru_cache(maxsize=1)
def _pattern():
    """TextBlob's sentiment analyser itself (``TextBlob(text).sentiment`` is this applied to ``text``, after
    building a blob and a named-tuple class per call, which cost as much as the scoring)."""
    from textblob.en import sentiment

    return sentiment


@lru_cache(maxsize=131072)
def textblob_scores(text: str) -> tuple[float, float]:
    """TextBlob's polarity and subjectivity of ``text`` (what ``TextBlob(text).sentiment`` gives)."""
    polarity, subjectivity = _pattern()(text)
    return float(polarity), float(subjectivity)


@lru_cache(maxsize=65536)
def word_valence(word: str) -> float:
    """How evaluative one word is, -1..1: VADER's lexicon (scaled from -4..4), else TextBlob's."""
    low = word.lower()
    v = _vader().lexicon.get(low)
    if v is not None:
        return max(-1.0, min(1.0, v / 4.0))
    from textblob.en import sentiment

    if low in sentiment:
        return float(sentiment(low)[0])
    return 0.0


def vader_label(sentence: str) -> str:
    """VADER on the whole sentence (compound beyond ±0.05, VADER's own thresholds)."""
    c = vader_scores(sentence)[0]
    return "negative" if c <= -0.05 else ("positive" if c >= 0.05 else "neutral")


def textblob_label(sentence: str) -> str:
    """TextBlob on the whole sentence (polarity beyond ±0.1, the lexicon method's threshold)."""
    p = textblob_scores(sentence)[0]
    return "negative" if p < -0.1 else ("positive" if p > 0.1 else "neutral")


def lexicon_label(doc, start: int, end: int, *, limit=None, voice: str = "author") -> tuple[str, float]:
    """The lexicon method of ``analysis.stance`` (clause around the mention, TextBlob + loaded terms) on
    one mention given by its character offsets."""
    polarity, _ = lexicon_score(doc, start, end, limit=limit, voice=voice)
    label = "negative" if polarity < -0.1 else ("positive" if polarity > 0.1 else "neutral")
    return label, polarity


# --------------------------------------------------------------------------------------------- features
def sentence_index(doc) -> list[tuple[int, int, int, int]]:
    """``(start_char, end_char, start_token, end_token)`` of every sentence, computed once per document so
    that finding a mention's sentence is a binary search, not a walk over the document."""
    return [(s.start_char, s.end_char, s.start, s.end) for s in doc.sents]


def _sentence_of(index, start: int) -> tuple[int, int, int, int]:
    starts = [s[0] for s in index] if not hasattr(index, "starts") else index.starts
    i = max(0, bisect.bisect_right(starts, start) - 1)
    return index[i]


class _Index(list):
    """A sentence index with its start offsets ready for bisect."""

    def __init__(self, doc):
        super().__init__(sentence_index(doc))
        self.starts = [s[0] for s in self]


def _mention_tokens(doc, start: int, end: int, lo: int, hi: int) -> list:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return []
    return [t for t in span if lo <= t.i < hi]


def _root(tokens):
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[0]


def _governor(tok, lo: int, hi: int):
    """The nearest verb above the mention (the head of its clause), within the sentence."""
    head = tok
    for _ in range(8):
        if head is not tok and head.pos_ in ("VERB", "AUX"):
            return head
        if head.head.i == head.i or not (lo <= head.head.i < hi):
            return None
        head = head.head
    return None


def _role(tok) -> str:
    """holder (subject of the clause, agent of a passive) / object / other, through compounds and
    coordination ("Russia and China warned")."""
    for _ in range(3):
        if tok.dep_ in ("nsubj", "csubj"):
            return "holder"
        if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
            return "holder"
        if tok.dep_ in ("dobj", "nsubjpass", "dative", "attr", "oprd") or (
                tok.dep_ == "pobj" and tok.head.dep_ == "prep"):
            return "object"
        if tok.dep_ in ("compound", "conj", "poss", "amod", "nmod", "appos") and tok.head.i != tok.i:
            tok = tok.head
            continue
        return "other"
    return "other"


def _path(a, b, lo: int, hi: int) -> tuple[int, str]:
    """Length and signature of the dependency path from token a to token b (up to their common ancestor,
    then down): ``nsubj^ dobj`` means up from a as a subject, down to b as an object."""
    up_a = [a]
    while up_a[-1].head.i != up_a[-1].i and lo <= up_a[-1].head.i < hi and len(up_a) < 30:
        up_a.append(up_a[-1].head)
    pos = {t.i: k for k, t in enumerate(up_a)}
    up_b = [b]
    while up_b[-1].i not in pos and up_b[-1].head.i != up_b[-1].i and lo <= up_b[-1].head.i < hi \
            and len(up_b) < 30:
        up_b.append(up_b[-1].head)
    if up_b[-1].i not in pos:
        return 99, "far"
    k = pos[up_b[-1].i]
    ups = [t.dep_ for t in up_a[:k]]
    downs = [t.dep_ for t in reversed(up_b[:-1])]
    sig = " ".join([d + "^" for d in ups[:2]] + downs[-2:])
    return k + len(up_b) - 1, sig or "self"


def _clause(tok, gov, lo: int, hi: int, mention_ids: set) -> list:
    """The words of the clause the mention sits in, without the other clauses hanging off its verb."""
    if gov is None:
        return [t for t in tok.doc[lo:hi]]
    skip = set()
    for child in gov.children:
        if child.dep_ in _CLAUSE_DEPS and child.pos_ in ("VERB", "AUX") and not (
                {t.i for t in child.subtree} & mention_ids):
            skip.update(t.i for t in child.subtree)
    return [t for t in gov.subtree if t.i not in skip and lo <= t.i < hi]


def _in_quote(text: str, offset: int) -> bool:
    return len(_QUOTES.findall(text[:offset])) % 2 == 1


def lexicon_score(doc, start: int, end: int, *, limit=None, voice: str = "author",
                  sent: tuple[int, int, int, int] | None = None) -> tuple[float, int]:
    """The lexicon method's polarity of the clause around a mention and how many loaded terms it holds
    (attitude words do not count against their holder, nor in the author's voice)."""
    import importlib

    lex = importlib.import_module(__package__ + ".stance")  # the module (analysis.stance is also the function)

    _, _, words, holder = lex._scope(doc, start, end, limit, sent)
    polarity, _, terms = lex._score(words, lex._lexicon(), holder=holder or voice == "author", experiencer=holder)
    return polarity, len(terms)


def _lexicon_features(polarity: float, n_terms: int) -> dict:
    label = "negative" if polarity < -0.1 else ("positive" if polarity > 0.1 else "neutral")
    return {"lex_pos": max(polarity, 0.0), "lex_neg": max(-polarity, 0.0), "lex_label:" + label: 1.0,
            "lex_terms": float(n_terms)}


def _sentence_words(doc, lo: int, hi: int, memo: dict | None) -> list[tuple]:
    """The sentence's words (no spaces) as ``(index, lower case, is_punct, is_stop, valence, token)``, read from
    the parse once per sentence when the caller keeps a ``memo`` for the document (its other mentions in the
    same sentence reuse them)."""
    if memo is not None and (lo, hi) in memo:
        return memo[(lo, hi)]
    rows = [(t.i, t.lower_, t.is_punct, t.is_stop, word_valence(t.text), t) for t in doc[lo:hi] if not t.is_space]
    if memo is not None:
        memo[(lo, hi)] = rows
    return rows


def mention_features(doc, start: int, end: int, sent: tuple[int, int, int, int] | None = None, *,
                     text: str | None = None, lexicon: tuple[float, int] | None = None,
                     memo: dict | None = None) -> dict:
    """The features of one mention (character offsets into ``doc``) in its sentence ``sent`` (a row of
    :func:`sentence_index`; the whole document when None); ``text`` is ``doc.text`` when the caller has it
    (building it joins every token); ``lexicon`` is the lexicon method's ``(polarity, loaded terms)`` for the
    mention when the caller has it (:func:`lexicon_score`, else computed here with the voice read from the
    quote marks); ``memo`` is a dict the caller keeps for one ``doc`` (and only that one), so that what is read
    of a sentence once serves every mention in it. Names say what each one is (see :func:`describe`)."""
    text = doc.text if text is None else text
    if sent is None:
        sent = (0, len(text), 0, len(doc))
    s_char, e_char, lo, hi = sent
    f: dict[str, float] = {"bias_mention": 1.0}
    if LEXICON_FEATURES:
        if lexicon is None:
            voice = "quoted" if _in_quote(text[s_char:e_char], start - s_char) else "author"
            lexicon = lexicon_score(doc, start, end, voice=voice, sent=sent)
        f.update(_lexicon_features(*lexicon))
    mtoks = _mention_tokens(doc, start, end, lo, hi)
    sentence = text[s_char:e_char]
    if not mtoks:
        f.update(_scores("sent", sentence))
        return f
    ids = {t.i for t in mtoks}
    root = _root(mtoks)
    # 1. the words around the mention, the mention masked
    words = [r for r in _sentence_words(doc, lo, hi, memo) if r[0] not in ids]
    first, last = min(ids), max(ids)
    for i, w, punct, stop, _, _ in words:
        if punct and w not in ('"', "“", "”", "!", "?"):
            continue
        if SKIP_STOP and stop and w not in _NEGATORS:
            continue
        if SENTENCE_BAG:
            f["w:" + w] = 1.0
        dist = first - i if i < first else i - last
        if dist <= WINDOW:
            f["n:" + w] = 1.0
        if i == first - 1:
            f["l1:" + w] = 1.0
        elif i == last + 1:
            f["r1:" + w] = 1.0
    # 2. syntax: role, the governing verb, modifiers of the mention
    gov = _governor(root, lo, hi)
    role = _role(root)
    f["role:" + role] = 1.0
    f["dep:" + root.dep_] = 1.0
    if root.head.i != root.i and lo <= root.head.i < hi:
        f["head:" + root.head.lemma_.lower()] = 1.0
    if gov is not None:
        f[f"{role}_of:" + gov.lemma_.lower()] = 1.0
    for child in root.children:
        if child.dep_ in ("amod", "compound", "appos", "acl", "relcl") and child.i not in ids:
            f["mod:" + child.lemma_.lower()] = 1.0
    # 3. evaluative words and their dependency path from the mention
    clause = _clause(root, gov, lo, hi, ids)
    clause_ids = {t.i for t in clause}
    negated = any(t.dep_ == "neg" or t.lower_ in _NEGATORS for t in clause)
    near_pos = near_neg = 0.0
    for _, _, _, stop, v, t in words:
        if abs(v) < 0.05 or stop:
            continue
        steps, sig = _path(root, t, lo, hi)
        neg_here = any(c.dep_ == "neg" for c in t.head.children) or any(c.dep_ == "neg" for c in t.children)
        sign = -1 if neg_here else 1
        v *= sign
        weight = 1.0 / steps if steps < 99 else 0.05
        if v > 0:
            near_pos += v * weight
        else:
            near_neg += -v * weight
        pol = "pos" if v > 0 else "neg"
        if PATH_SIGNATURES:
            f[f"ev_{pol}_path:{sig}"] = f.get(f"ev_{pol}_path:{sig}", 0.0) + 1.0
        if steps <= 2:
            f[f"ev_{pol}_linked"] = f.get(f"ev_{pol}_linked", 0.0) + abs(v)
        if t.i in clause_ids:
            f[f"ev_{pol}_clause:{role}"] = f.get(f"ev_{pol}_clause:{role}", 0.0) + abs(v)
    f["ev_pos_near"], f["ev_neg_near"] = near_pos, near_neg
    # 4. TextBlob and VADER on the clause and on the sentence
    clause_text = " ".join(t.text for t in clause if t.i not in ids)
    f.update(_scores("clause", clause_text))
    f.update(_scores("sent", sentence))
    if negated:
        f["negated"] = 1.0
        tb = textblob_scores(clause_text)[0]
        f["negated_tb_clause"] = tb
    # 5. voice and role interactions
    quoted = _in_quote(sentence, start - s_char)
    if quoted:
        f["in_quote"] = 1.0
    f[f"role:{role}_tb_clause"] = textblob_scores(clause_text)[0]
    f[f"role:{role}_vader_clause"] = vader_scores(clause_text)[0]
    # 6. the words above the mention, on its side (the subject's, or what the word is about)
    if SCOPE_FEATURES:
        f.update(_scope_features(root, lo, hi))
    return {k: v for k, v in f.items() if v}


def _scope_features(root, lo: int, hi: int) -> dict:
    """The words above the mention in the parse (its head, the head's head, ...), each with the side the path
    reaches it from: ``holder`` when the step into it is from its subject (or the agent of a passive: "Russia
    warned", "was criticised by Russia"), else ``arg``, inside what the word is about ("warned the US against",
    "opposed providing bases to the US"). Each step decides for its own head: in "the Journal said Russia had
    discussed ..." Russia is on the subject's side of "discuss" and inside what "say" is about. The nearest
    evaluative word above the mention (VADER, else TextBlob; a negated one flipped: "would not accept US forces")
    gives its valence by side (``scope_neg:arg``), and the first :data:`SCOPE_DEPTH` content words above it give
    their lemmas (``above_arg:oppose``, ``above_holder:not accept``)."""
    f: dict[str, float] = {}
    evaluated = False
    tok = root
    for depth in range(1, 8):
        head = tok.head
        if head.i == tok.i or not (lo <= head.i < hi):
            break
        holder = tok.dep_ in _SUBJECT_DEPS or (tok.dep_ == "pobj" and head.dep_ == "agent")
        tok = head
        if tok.is_stop:
            continue
        side = "holder" if holder else "arg"
        negated = any(c.dep_ == "neg" for c in tok.children)
        if depth <= SCOPE_DEPTH and tok.pos_ in ("VERB", "NOUN", "ADJ"):
            f[f"above_{side}:" + ("not " if negated else "") + tok.lemma_.lower()] = 1.0
        if not evaluated:
            v = word_valence(tok.text)
            if abs(v) >= 0.05:
                v = -v if negated else v
                f[f"scope_{'pos' if v > 0 else 'neg'}:{side}"] = abs(v)
                evaluated = True
    return f


def _scores(where: str, text: str) -> dict:
    tb_p, tb_s = textblob_scores(text)
    vc, vneg, vpos = vader_scores(text)
    return {f"tb_{where}_pos": max(tb_p, 0.0), f"tb_{where}_neg": max(-tb_p, 0.0), f"tb_{where}_subj": tb_s,
            f"vader_{where}_pos": vpos, f"vader_{where}_neg": vneg, f"vader_{where}": vc}


_DESCRIBE = {
    "tb_clause_pos": "TextBlob: clause positive", "tb_clause_neg": "TextBlob: clause negative",
    "tb_clause_subj": "TextBlob: clause subjective", "tb_sent_pos": "TextBlob: sentence positive",
    "tb_sent_neg": "TextBlob: sentence negative", "tb_sent_subj": "TextBlob: sentence subjective",
    "vader_clause_pos": "VADER: clause positive", "vader_clause_neg": "VADER: clause negative",
    "vader_clause": "VADER: clause", "vader_sent_pos": "VADER: sentence positive",
    "vader_sent_neg": "VADER: sentence negative", "vader_sent": "VADER: sentence",
    "ev_pos_near": "positive words near in the parse", "ev_neg_near": "negative words near in the parse",
    "ev_pos_linked": "a positive word linked to the mention", "ev_neg_linked": "a negative word linked to the mention",
    "negated": "negation in the clause", "negated_tb_clause": "negated clause polarity", "in_quote": "inside a quote",
    "bias_mention": "(base rate)", "lex_pos": "lexicon: clause positive", "lex_neg": "lexicon: clause negative",
    "lex_terms": "loaded terms in the clause",
}


@lru_cache(maxsize=65536)
def describe(name: str) -> str:
    """A feature's name in words: ``w:blasted`` is ``"blasted"``, ``holder_of:warn`` is ``subject of "warn"``."""
    if name in _DESCRIBE:
        return _DESCRIBE[name]
    kind, _, value = name.partition(":")
    if kind == "w":
        return f'"{value}"'
    if kind == "n":
        return f'"{value}" (near)'
    if kind == "l1":
        return f'"{value}" just before'
    if kind == "r1":
        return f'"{value}" just after'
    if kind == "head":
        return f'head word "{value}"'
    if kind == "mod":
        return f'"{value}" describing it'
    if kind.endswith("_of"):
        role = kind[:-3]
        return {"holder": f'subject of "{value}"', "object": f'object of "{value}"'}.get(role, f'under "{value}"')
    if kind.startswith("ev_"):
        pol = "positive" if kind.startswith("ev_pos") else "negative"
        if "_path" in kind:
            return f"{pol} word at path {value}"
        return f"{pol} word in the clause ({value})"
    if kind == "role":
        return {"holder": "subject (holder)", "object": "object"}.get(value.split("_")[0], "other role") + (
            " × " + value.split("_", 1)[1].replace("_", " ") if "_" in value else "")
    if kind == "dep":
        return f"dependency {value}"
    if kind in ("above_arg", "above_holder"):
        return (f'inside what "{value}" is about' if kind == "above_arg" else f'on the subject\'s side of "{value}"')
    if kind in ("scope_pos", "scope_neg"):
        pol = "positive" if kind == "scope_pos" else "negative"
        return f"a {pol} word above it" + (" (as its subject)" if value == "holder" else " (inside what it is about)")
    if kind == "lex_label":
        return f"lexicon method says {value}"
    return name


# --------------------------------------------------------------------------------------------- the model
def _code_hash() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def model_hash(data: Path | None = None) -> str:
    """What the model depends on: the training data, this module's code, the spaCy model and the versions of
    scikit-learn, TextBlob and vaderSentiment. Computed once per state of the files (their size and time of
    change): :func:`load_model` asks for it for every article."""
    from . import nlp

    path = Path(data or DATA)
    data_stat, code_stat = path.stat(), Path(__file__).stat()
    return _model_hash(str(path.resolve()), data_stat.st_mtime_ns, data_stat.st_size, code_stat.st_mtime_ns,
                       code_stat.st_size, nlp._model_key(nlp.load_nlp()))


@lru_cache(maxsize=16)
def _model_hash(path: str, _data_mtime: int, _data_size: int, _code_mtime: int, _code_size: int,
                model_key: str) -> str:
    from importlib.metadata import version

    h = hashlib.sha256()
    h.update(Path(path).read_bytes())
    h.update(_code_hash().encode())
    h.update(model_key.encode())
    for pkg in ("scikit-learn", "textblob", "vaderSentiment"):
        h.update(f"{pkg}={version(pkg)}".encode())
    return h.hexdigest()[:16]


class StanceModel:
    """Coefficients, vocabulary and the hash of what they were trained from; predicts without scikit-learn."""

    def __init__(self, features: list[str], coef, intercept, labels=LABELS, meta: dict | None = None):
        self.features = list(features)
        self.index = {f: i for i, f in enumerate(self.features)}
        self.coef = np.asarray(coef, dtype=float)  # (labels, features)
        self.intercept = np.asarray(intercept, dtype=float)
        self.labels = tuple(labels)
        self.meta = dict(meta or {})
        #: the temperature fitted on held-out folds of the training part (1: the raw logistic regression)
        self.temperature = float(self.meta.get("temperature", 1.0))
        #: the class prior the probabilities refer to: the label shares of the training part
        self.prior = np.asarray(self.meta.get("prior", [1.0 / len(self.labels)] * len(self.labels)), dtype=float)

    def to_json(self) -> dict:
        return {"labels": list(self.labels), "features": self.features,
                "coef": [[round(float(x), 5) for x in row] for row in self.coef],
                "intercept": [round(float(x), 6) for x in self.intercept], "meta": self.meta}

    @classmethod
    def from_json(cls, obj: dict) -> StanceModel:
        return cls(obj["features"], obj["coef"], obj["intercept"], obj["labels"], obj.get("meta"))

    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
            fh.write(json.dumps(self.to_json(), separators=(",", ":"), sort_keys=True).encode("utf-8"))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> StanceModel:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls.from_json(json.load(fh))

    def _vector(self, feats: dict) -> tuple[np.ndarray, np.ndarray]:
        get = self.index.get
        pairs = [(i, v) for i, v in ((get(k), v) for k, v in feats.items()) if i is not None]
        return np.fromiter((i for i, _ in pairs), dtype=int, count=len(pairs)), \
            np.fromiter((v for _, v in pairs), dtype=float, count=len(pairs))

    def _matrix(self, many: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The feature dicts of many mentions as one sparse matrix in CSR form ``(indptr, idx, val)``: the
        vocabulary looked up once per feature, in each dict's order."""
        get = self.index.get
        idx: list[int] = []
        val: list[float] = []
        indptr = [0]
        for feats in many:
            for k, v in feats.items():
                i = get(k)
                if i is not None:
                    idx.append(i)
                    val.append(v)
            indptr.append(len(idx))
        return np.asarray(indptr, dtype=np.intp), np.asarray(idx, dtype=np.intp), np.asarray(val, dtype=float)

    def _softmax(self, z: np.ndarray) -> np.ndarray:
        z = (self.intercept + z) / self.temperature
        z = z - z.max(axis=-1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=-1, keepdims=True)

    def proba(self, feats: dict) -> np.ndarray:
        """P(label | mention) under the training prior (``self.prior``), calibrated by the temperature."""
        idx, val = self._vector(feats)
        return self._softmax(self.coef[:, idx] @ val if len(idx) else np.zeros(len(self.labels)))

    def proba_many(self, many: list[dict]) -> np.ndarray:
        """:meth:`proba` of many mentions at once (mentions × labels): one matrix product for the lot."""
        return self.score(many, top=0)[0]

    def score(self, many: list[dict], top: int = 3) -> tuple[np.ndarray, list[dict]]:
        """The probabilities of many mentions (mentions × labels, as :meth:`proba`) and, for each mention and
        each label, what :meth:`explain` says (``{label: [(feature, push), ...]}``; nothing when ``top`` is 0):
        the features' contributions are computed once, for every mention and label together."""
        indptr, idx, val = self._matrix(many)
        n, nl = len(many), len(self.labels)
        contrib = self.coef[:, idx] * val  # (labels, every feature of every mention)
        rows = np.repeat(np.arange(n), np.diff(indptr))
        z = np.stack([np.bincount(rows, weights=contrib[k], minlength=n) for k in range(nl)], axis=1) if n else \
            np.zeros((0, nl))
        proba = self._softmax(z)
        if top <= 0:
            return proba, [{} for _ in range(n)]
        mean = contrib.mean(axis=0)
        direction = contrib[self.labels.index("positive")] - contrib[self.labels.index("negative")]
        toward_all = [contrib[k] - mean for k in range(nl)]
        names = self.features
        out = []
        for m in range(n):
            a, b = indptr[m], indptr[m + 1]
            by = {}
            for k, label in enumerate(self.labels):
                by[label] = self._top(toward_all[k][a:b], direction[a:b], idx[a:b], names, top)
            out.append(by)
        return proba, out

    @staticmethod
    def _top(toward, direction, idx, names, top: int) -> list[tuple[str, float]]:
        if not len(idx):
            return []
        order = np.argsort(-toward, kind="stable")
        out = []
        for j in order[:top]:
            if toward[j] <= 0:
                break
            out.append((names[idx[j]], float(direction[j])))
        return out

    def explain(self, feats: dict, label: str, top: int = 3) -> list[tuple[str, float]]:
        """The features that pushed most toward ``label`` (against the mean of the others), each with its
        push toward positive (> 0) or negative (< 0)."""
        idx, val = self._vector(feats)
        if not len(idx):
            return []
        k = self.labels.index(label)
        contrib = self.coef[:, idx] * val  # (labels, n)
        toward = contrib[k] - contrib.mean(axis=0)
        direction = contrib[self.labels.index("positive")] - contrib[self.labels.index("negative")]
        return self._top(toward, direction, idx, self.features, top)


def _featurize(table: pd.DataFrame) -> list[dict]:
    from . import nlp

    sentences = table["sentence"].drop_duplicates().tolist()
    docs = dict(zip(sentences, nlp.parse_texts(sentences)))
    return [mention_features(docs[s], a, b) for s, a, b in zip(table["sentence"], table["start"], table["end"])]


def _fold(article: str) -> int:
    """The cross-validation fold of a training article (a hash of its id, salted so that it is independent
    of the held-aside split)."""
    return int(hashlib.sha256(("fold:" + article).encode("utf-8")).hexdigest(), 16) % CV_FOLDS


def _fit(X, y):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, max_iter=3000, solver="lbfgs")  # no class weights: p(y | x) under its prior
    clf.fit(X, y)
    order = [list(clf.classes_).index(lab) for lab in LABELS]
    return clf, order


def _temperature(X, y, folds) -> float:
    """The temperature that makes the probabilities honest (calibrated, as prior adaptation needs): fitted by
    log-loss on predictions for folds of the training part that the fold's model never saw."""
    from scipy.optimize import minimize_scalar

    z = np.zeros((X.shape[0], len(LABELS)))
    for k in range(CV_FOLDS):
        inside = folds != k
        clf, order = _fit(X[inside], y[inside])
        z[~inside] = clf.decision_function(X[~inside])[:, order]
    yi = np.array([LABELS.index(v) for v in y])

    def loss(t: float) -> float:
        s = z / t
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(yi)), yi].mean())

    return float(minimize_scalar(loss, bounds=(0.05, 5.0), method="bounded").x)


def train(data=None, *, save: Path | None = None, verbose: bool = False) -> StanceModel:
    """Train on every NewsMTSC mention outside the held-aside part; deterministic (a fixed solver, sorted
    vocabulary, folds by hash, no randomness). The temperature of the probabilities is fitted on
    :data:`CV_FOLDS` folds (by article) of the training part, never on the held-aside part."""
    from sklearn.feature_extraction import DictVectorizer

    t0 = time.perf_counter()
    data_path = Path(data) if data is not None else DATA
    table = load_newsmtsc(data_path)
    part = table[~table["held_aside"]].reset_index(drop=True)
    feats = _featurize(part)
    counts: dict[str, int] = {}
    for fd in feats:
        for k in fd:
            counts[k] = counts.get(k, 0) + 1
    keep = {k for k, n in counts.items() if n >= MIN_COUNT}
    feats = [{k: v for k, v in fd.items() if k in keep} for fd in feats]
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform(feats)
    y = part["label"].to_numpy()
    clf, order = _fit(X, y)
    folds = part["article"].map(_fold).to_numpy()
    temperature = _temperature(X, y, folds) if len(set(folds)) == CV_FOLDS else 1.0
    seconds = time.perf_counter() - t0
    # rounded as stored, so that a model trained here predicts exactly as the same model read back
    model = StanceModel(vec.get_feature_names_out().tolist(), np.round(clf.coef_[order], 5),
                        np.round(clf.intercept_[order], 6), LABELS,
                        {"hash": model_hash(data_path), "trained_on_mentions": int(len(part)),
                         "trained_on_articles": int(part["article"].nunique()),
                         "held_aside_mentions": int(table["held_aside"].sum()),
                         "held_aside_articles": int(table.loc[table["held_aside"], "article"].nunique()),
                         "train_seconds": round(seconds, 1), "C": C, "min_count": MIN_COUNT,
                         "temperature": round(temperature, 4),
                         "prior": [round(float(np.mean(y == lab)), 6) for lab in LABELS]})
    if verbose:
        print(f"trained on {len(part)} mentions ({model.meta['trained_on_articles']} articles) in {seconds:.1f} s; "
              f"{len(model.features)} features; temperature {temperature:.3f}; held aside "
              f"{model.meta['held_aside_mentions']} mentions")
    if save is not None:
        model.save(save)
    return model


def _cache_path(h: str) -> Path:
    from .nlp import cache_dir

    return cache_dir() / "stance_model" / f"{h}.json.gz"


_LOADED: dict[str, StanceModel] = {}


def load_model() -> StanceModel:
    """The shipped model when its hash matches the data and code it would be trained from; else a model
    trained from the shipped data (cached by that hash). Nothing is downloaded."""
    h = model_hash()
    if h in _LOADED:
        return _LOADED[h]
    model = None
    for path in (MODEL_PATH, _cache_path(h)):
        if path.exists():
            try:
                candidate = StanceModel.load(path)
            except (OSError, ValueError, KeyError, EOFError):
                continue
            if candidate.meta.get("hash") == h:
                model = candidate
                break
    if model is None:
        warnings.warn("the shipped stance model does not match its data and code: training it again from "
                      "analysis/data (once; `make train` updates the shipped copy)", stacklevel=2)
        model = train()
        try:
            model.save(_cache_path(h))
        except OSError:
            pass
    _LOADED[h] = model
    return model


def adapt_priors(proba, prior, *, pseudocount: float = PRIOR_PSEUDOCOUNT, level: float | None = PRIOR_TEST_LEVEL,
                 iters: int = 1000, tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """The class priors of the corpus being analysed, estimated without labels, and the probabilities
    adjusted to them (Saerens, Latinne and Decaestecker 2002, "Adjusting the outputs of a classifier to new a
    priori probabilities", Neural Computation 14).

    ``proba`` (mentions × labels) are the model's probabilities under the training ``prior``. EM alternates
    p(y | x) ∝ p_train(y | x) · π(y) / π_train(y) and π(y) = the mean of p(y | x) over the corpus, with
    ``pseudocount`` mentions' worth of the training prior added (a Dirichlet prior, so a corpus of a handful
    of mentions stays near the training prior). The priors are changed only when the likelihood-ratio test
    of Saerens et al. (section 3) rejects "the priors are the training ones" at ``level`` (None: always);
    otherwise the probabilities and the prior are returned unchanged. Returns ``(probabilities, prior)``."""
    p = np.asarray(proba, dtype=float).reshape(-1, len(prior))
    prior = np.asarray(prior, dtype=float)
    if not len(p):
        return p.copy(), prior.copy()
    pi = prior.copy()
    for _ in range(iters):
        q = p * (pi / prior)
        q /= q.sum(axis=1, keepdims=True)
        new = (q.sum(axis=0) + pseudocount * prior) / (len(p) + pseudocount)
        done = np.abs(new - pi).max() < tol
        pi = new
        if done:
            break
    if level is not None and prior_shift_p(p, prior, pi) >= level:
        return p.copy(), prior.copy()
    q = p * (pi / prior)
    q /= q.sum(axis=1, keepdims=True)
    return q, pi


def prior_shift_p(proba, prior, estimated) -> float:
    """The p-value of the likelihood-ratio test that the corpus's priors are the training ones: twice the gain
    in log-likelihood of the corpus's mentions under the ``estimated`` priors, chi-squared with (labels - 1)
    degrees of freedom (Saerens, Latinne and Decaestecker 2002, section 3)."""
    p = np.asarray(proba, dtype=float)
    prior, estimated = np.asarray(prior, dtype=float), np.asarray(estimated, dtype=float)
    gain = np.log(np.clip((p * (estimated / prior)).sum(axis=1), 1e-300, None)).sum()
    stat = max(2.0 * float(gain), 0.0)
    if len(prior) == 3:  # chi-squared with 2 degrees of freedom: exp(-x / 2)
        return float(np.exp(-stat / 2.0))
    from scipy.stats import chi2

    return float(chi2.sf(stat, len(prior) - 1))


def evidence_text(model: StanceModel, feats: dict, label: str, *, top: int = 3) -> str:
    """The features that pushed the mention toward ``label``, in words, each with its sign."""
    return _in_words(model.explain(feats, label, top=top))


def _in_words(pushes: list[tuple[str, float]]) -> str:
    return ", ".join(f"{describe(n)} ({'+' if d > 0 else '−' if d < 0 else '0'})" for n, d in pushes)


def score_mentions(model: StanceModel, feats: list[dict], *, top: int = 3) -> tuple[np.ndarray, list[dict]]:
    """The raw probabilities of many mentions (mentions × labels, under the training prior) and, for each, the
    evidence for every label in words (``{label: evidence_text(...)}``): one matrix product for the lot."""
    proba, pushes = model.score(feats, top=top)
    return proba, [{lab: _in_words(p) for lab, p in by.items()} for by in pushes]


def predict(model: StanceModel, feats: list[dict], *, top: int = 3, adapt: bool = False) -> list[dict]:
    """Label, polarity (P(positive) − P(negative)), probabilities and evidence for each feature dict.

    With ``adapt``, the mentions given are taken as one corpus and the probabilities are adjusted to its
    class priors, estimated from them without labels (:func:`adapt_priors`)."""
    raw, evidence = score_mentions(model, feats, top=top)
    probs = adapt_priors(raw, model.prior)[0] if adapt else raw
    neg, pos = model.labels.index("negative"), model.labels.index("positive")
    out = []
    for ev, p in zip(evidence, probs):
        k = int(np.argmax(p))
        label = model.labels[k]
        out.append({"label": label, "polarity": float(p[pos] - p[neg]), "confidence": float(p[k]),
                    "proba": [float(x) for x in p], "evidence": ev.get(label, "")})
    return out


# ------------------------------------------------------------------------------------------------ mentions
def _alias_pattern(alias: str) -> tuple[str, int]:
    """A regular expression for one alias: word boundaries; a short acronym (US, EU, NATO) matches only as
    written; a name written with a capital keeps its capital (Winner, not winner) and the rest is matched
    in any case; a lowercase description (the president) also matches with a capital."""
    core = re.escape(alias)
    core = core.replace(r"\ ", r"\s+")
    letters = re.sub(r"[^A-Za-z]", "", alias)
    if letters.isupper() and len(letters) <= 5:
        return r"(?<![\w])" + core + r"(?![\w])", 0
    if alias[:1].isupper():
        return r"(?<![\w])" + re.escape(alias[0]) + "(?i:" + core[len(re.escape(alias[0])):] + r")(?![\w])", 0
    return r"(?<![\w])(?i:" + core + r")(?![\w])", 0


@lru_cache(maxsize=64)
def _target_aliases(items: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, str, str | None], ...]:
    """Every ``(alias, target, first word)`` of the targets, the longest alias first (the order of the
    alternatives of :func:`_target_regex`). The first word is in lower case, or None when it is not ASCII."""
    pairs = []
    for target, aliases in items:
        for a in dict.fromkeys([target, *aliases]):
            if a and a.strip():
                pairs.append((a.strip(), target))
    pairs.sort(key=lambda p: (-len(p[0]), p[0]))
    firsts = [alias.split()[0] for alias, _ in pairs]
    return tuple((alias, target, first.lower() if first.isascii() else None)
                 for (alias, target), first in zip(pairs, firsts))


@lru_cache(maxsize=64)
def _target_regex(items: tuple[tuple[str, tuple[str, ...]], ...]):
    """One alternation of every alias of the targets, the longest first."""
    owner = {}
    parts = []
    for k, (alias, target, _) in enumerate(_target_aliases(items)):
        owner[f"a{k}"] = target
        parts.append(f"(?P<a{k}>{_alias_pattern(alias)[0]})")
    return (re.compile("|".join(parts)) if parts else None), owner


@lru_cache(maxsize=8192)
def _alias_starts(alias: str):
    """Where one alias matches, every start (overlapping ones too: a look-ahead finds them all)."""
    return re.compile("(?=(" + _alias_pattern(alias)[0] + "))")


#: the characters Python's ``re`` takes, ignoring case, for an ASCII letter (İ ı ſ K): a text with one of them
#: is matched with the whole alternation, as lower-casing it would not find the aliases' words
_ASCII_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")
#: from this many aliases on, each alias whose first word is in the text is matched on its own
_FEW_ALIASES = 16


def find_mentions(text: str, targets: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    """Every occurrence of every alias of every target: ``(start, end, target)``, the longest alias first,
    never overlapping: what one alternation of the aliases, longest first, finds scanning the text.

    With many aliases (the targets of a corpus's headlines: 200 targets) that alternation is slow to run and to
    build, so each alias whose first word is in the text (in any case; the others cannot match) is matched on
    its own, at every start, and the matches are chosen as the alternation would: the leftmost start, and there
    the first alias in its order, then on from its end."""
    items = tuple((t, tuple(a or [])) for t, a in targets.items())
    aliases = _target_aliases(items)
    if not aliases:
        return []
    if len(aliases) < _FEW_ALIASES or _ASCII_FOLDS.search(text):
        rx, owner = _target_regex(items)
        return [(m.start(), m.end(), owner[m.lastgroup]) for m in rx.finditer(text)]
    low = text.lower()
    hits = []
    for k, (alias, _, first) in enumerate(aliases):
        if first is None or first in low:
            hits += [(m.start(), k, m.end(1)) for m in _alias_starts(alias).finditer(text)]
    hits.sort()
    out, end = [], 0
    for start, k, stop in hits:
        if start >= end:
            out.append((start, stop, aliases[k][1]))
            end = stop
    return out


def sentence_for(index: _Index, start: int) -> tuple[int, int, int, int]:
    return _sentence_of(index, start)
