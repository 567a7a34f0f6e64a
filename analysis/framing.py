"""Framing: the words each outlet chooses, the frames they evoke, and the facts each outlet includes or omits.

* ``loaded_language``: every loaded or evaluative term (``analysis/data/loaded_terms.csv``), in the
  author's voice or a quoted one, with the sentence as evidence; ``loaded_summary`` per outlet.
* ``subjectivity``: mean TextBlob subjectivity of each outlet's own sentences (quotes excluded).
* ``distinctive_terms``: each outlet against all the others, weighted log-odds with an informative
  Dirichlet prior (Monroe, Colaresi and Quinn 2008), with z-scores; works for any number of outlets.
* ``frames``: scores on the 15 dimensions of the Policy Frames Codebook (Boydstun et al.) from a
  documented lexicon (``analysis/data/frames.csv``), each with the words that triggered it.
* ``facts``: sentences from different outlets that state the same thing, grouped by TF-IDF cosine
  similarity; ``fact_matrix`` (outlet × fact) and the facts only one outlet reports.
"""

from __future__ import annotations

import bisect
import math
import re
import sys
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd

from . import lexicons
from .doctools import _Taken
from .nlp import analysable, parse
from .tables import UnionFind, candidate_pairs, default_max_df, positions_by

__all__ = ["loaded_language", "loaded_summary", "subjectivity", "distinctive_terms", "frames", "frame_summary",
           "facts", "fact_matrix", "FRAMES", "FACT_THRESHOLD", "sentence_part", "join_facts", "term_counts",
           "log_odds", "subjectivity_part", "subjectivity_table"]

FRAMES = ["economic", "capacity and resources", "morality", "fairness and equality", "legality",
          "policy prescription", "crime and punishment", "security and defense", "health and safety",
          "quality of life", "cultural identity", "public opinion", "political",
          "external regulation and reputation", "other"]
#: Two sentences from different outlets state the same fact at or above this TF-IDF cosine similarity.
FACT_THRESHOLD = 0.35


def _outlet_of(articles: pd.DataFrame, by: str) -> dict:
    return dict(zip(articles["article_id"], articles[by]))


def _quote_mask(quotes: pd.DataFrame | None, art_id: str) -> list[tuple[int, int, str]]:
    """The spans in a source's own words: direct quotes (inside quotation marks). A paraphrase, a belief or an
    intention reported without quotation marks is worded by the outlet, so its words count as the outlet's."""
    if quotes is None or quotes.empty:
        return []
    return quote_mask_rows(quotes[quotes["article_id"] == art_id].to_dict("records"))


def quote_mask_rows(quote_rows: list[dict]) -> list[tuple[int, int, str]]:
    """:func:`_quote_mask` of one article from its quote rows (dicts, as a worker has them): no table built."""
    from .voices import quote_fragments

    # a quotation interrupted by its cue ("A," X said. "B.") masks its quoted parts, not the cue between them
    out = []
    for r in quote_rows:
        if "kind" in r and r["kind"] != "direct":
            continue
        who = r.get("speaker_canonical") or r.get("speaker")
        out += [(s, e, who) for s, e in quote_fragments(r.get("fragments"), r["start"], r["end"])]
    return out


def _voice(spans, start: int, lookup: _Stabbing | None = None) -> tuple[str, str]:
    """The voice of the term starting at ``start``: quoted (by the speaker of the shortest span holding it) or
    the author's. ``lookup`` (a ``_Stabbing`` of the same spans) finds the spans holding it without a scan."""
    if lookup is None:
        inside = [(e - s, sp) for s, e, sp in spans if s <= start < e]
    else:
        inside = [(spans[i][1] - spans[i][0], spans[i][2]) for i in lookup.holding(start)]
    if inside:
        return "quoted", min(inside)[1]
    return "author", ""


class _Stabbing:
    """The indices of the spans ``[(start, end, ...), ...]`` holding a character (``s <= i < e``), in the spans'
    own order, found by bisection: the spans may nest or overlap, so the characters are cut at every start and
    end into pieces each held by a fixed set of spans, listed once by a sweep (built once per article)."""

    def __init__(self, spans):
        cuts = sorted({x for s, e, *_ in spans if s < e for x in (s, e)})
        opens: dict = {}
        closes: dict = {}
        for n, (s, e, *_) in enumerate(spans):
            if s < e:  # an empty or reversed span holds no character
                opens.setdefault(s, []).append(n)
                closes.setdefault(e, []).append(n)
        self.cuts = cuts
        self.held: list[tuple[int, ...]] = []
        active: set = set()
        for x in cuts:
            active.difference_update(closes.get(x, ()))
            active.update(opens.get(x, ()))
            self.held.append(tuple(sorted(active)))  # the piece [x, next cut)

    def holding(self, i) -> tuple[int, ...]:
        """``tuple(n for n, (s, e, *_) in enumerate(spans) if s <= i < e)``."""
        k = bisect.bisect_right(self.cuts, i) - 1
        return self.held[k] if k >= 0 else ()


def _compile_loaded(table: pd.DataFrame) -> list[tuple]:
    """The loaded terms as (regex, term, category, polarity, lower-cased term), longest term first."""
    patterns = [(re.compile(r"(?<![\w-])" + re.escape(t.lower()) + r"(?![\w-])"), t, c, float(p), t.lower())
                for t, c, p in zip(table["term"], table["category"], table["polarity"])]
    return sorted(patterns, key=lambda p: -len(p[1]))


@lru_cache(maxsize=1)
def _loaded_patterns() -> list[tuple]:
    """The shipped lexicon, compiled once per process (``loaded_language`` runs once per article)."""
    return _compile_loaded(lexicons.table("loaded_terms"))


def article_loaded_language(article: dict, quote_rows: list[dict], *, by: str = "outlet") -> list[dict]:
    """``loaded_language`` of one article (a record of the articles table) with its quote records, as records:
    the same rows, without building a table per article (``analysis.pipeline`` runs it on every article)."""
    direct = [r for r in quote_rows if r.get("kind", "direct") == "direct"]
    from .voices import quote_fragments

    spans = [(s, e, r.get("speaker_canonical") or r.get("speaker"))
             for r in direct for s, e in quote_fragments(r.get("fragments"), r["start"], r["end"])]
    rows = _loaded_in(article["text"], article["article_id"], article.get(by, ""), spans, _loaded_patterns(), by)
    return sorted(rows, key=lambda r: r["start"])


def _loaded_in(text: str, art_id, outlet, spans: list, patterns: list, by: str) -> list[dict]:
    """The loaded terms of one text, longest term first, none inside a longer one already found."""
    low = text.lower()
    lookup = _Stabbing(spans)
    taken = _Taken()
    rows = []
    for rx, term, category, polarity, needle in patterns:
        if needle not in low:  # a plain substring test first: most terms are in no given article
            continue
        for m in rx.finditer(low):
            if taken.overlaps(m.start(), m.end()):
                continue  # "inevitable losses" already counted, not "losses" again
            taken.add(m.start(), m.end())
            voice, speaker = _voice(spans, m.start(), lookup)
            dot = text.rfind(". ", 0, m.start())
            s = max(dot + 2 if dot >= 0 else 0, text.rfind("\n", 0, m.start()) + 1)
            e = min([x for x in (text.find(". ", m.end()), text.find("\n", m.end())) if x >= 0] + [len(text)])
            rows.append({by: outlet, "article_id": art_id, "term": term, "surface": text[m.start():m.end()],
                         "category": category, "polarity": polarity, "start": m.start(), "end": m.end(),
                         "voice": voice, "speaker": speaker, "sentence": text[s:e + 1].strip()})
    return rows


def loaded_language(articles: pd.DataFrame, quotes: pd.DataFrame | None = None, *, by: str = "outlet",
                    extra=None, text_col: str = "text") -> pd.DataFrame:
    """Every loaded or evaluative term in each article: outlet, term, category, polarity, offsets, voice
    (author / quoted, with the speaker) and the sentence around it."""
    patterns = _loaded_patterns() if extra is None else _compile_loaded(lexicons.table("loaded_terms", extra))
    usable = analysable(articles, text_col=text_col)
    outlet = _outlet_of(usable, by) if by in usable.columns else {}
    rows = []
    for art_id, text in zip(usable["article_id"], usable[text_col]):
        rows += _loaded_in(text, art_id, outlet.get(art_id, ""), _quote_mask(quotes, art_id), patterns, by)
    return pd.DataFrame(rows, columns=[by, "article_id", "term", "surface", "category", "polarity", "start", "end",
                                       "voice", "speaker", "sentence"]).sort_values(["article_id", "start"],
                                                                                    ignore_index=True)


def loaded_summary(loaded: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """Per outlet: loaded terms in the author's own voice and in quotes, per 1,000 words of the outlet,
    and its most used author-voice terms."""
    articles = analysable(articles)
    words = articles.groupby(by)["n_words"].sum() if "n_words" in articles.columns else articles.groupby(by)[
        "text"].apply(lambda s: s.str.split().str.len().sum())
    rows = []
    for group in sorted(articles[by].dropna().unique()):
        part = loaded[loaded[by] == group]
        author = part[part["voice"] == "author"]
        n = max(int(words.get(group, 0)), 1)
        rows.append({by: group, "words": n, "author_terms": len(author),
                     "quoted_terms": int((part["voice"] == "quoted").sum()),
                     "author_per_1000_words": round(1000 * len(author) / n, 2),
                     "author_negative": int((author["polarity"] < 0).sum()),
                     "top_author_terms": ", ".join(
                         f"{t} ({c})" for t, c in author["term"].value_counts().head(6).items())})
    return pd.DataFrame(rows).set_index(by)


def subjectivity_part(doc, spans: list) -> list[tuple[float, int, int]]:
    """(subjectivity, start, end) of each sentence of one parse in the outlet's own voice: at least four words and
    at most half inside the direct-quote ``spans`` (``_quote_mask``). Plain values: a worker keeps these, not the
    Doc (:func:`subjectivity` joins the articles)."""
    from .stance_model import textblob_scores  # = TextBlob(text).sentiment, without a blob per sentence

    rows = []
    for sent in doc.sents:
        text = sent.text.strip()
        if len(text.split()) < 4:
            continue
        quoted = sum(max(0, min(e, sent.end_char) - max(s, sent.start_char)) for s, e, _ in spans)
        if quoted > 0.5 * len(sent.text):
            continue
        rows.append((textblob_scores(text)[1], sent.start_char, sent.end_char))
    return rows


def subjectivity_table(parts: list[tuple[str, str, list[tuple[float, int, int]]]], *,
                       by: str = "outlet") -> pd.DataFrame:
    """The outlet table of :func:`subjectivity` from each article's ``(group, text, subjectivity_part)``."""
    table = pd.DataFrame([(group, score, text[s:e].strip()) for group, text, rows in parts for score, s, e in rows],
                         columns=[by, "subjectivity", "sentence"])
    if table.empty:
        return pd.DataFrame(columns=["sentences", "mean_subjectivity", "most_subjective"])
    out = table.groupby(by).agg(sentences=("sentence", "size"), mean_subjectivity=("subjectivity", "mean"))
    out["mean_subjectivity"] = out["mean_subjectivity"].round(3)
    out["most_subjective"] = table.loc[table.groupby(by)["subjectivity"].idxmax()].set_index(by)["sentence"]
    return out


def subjectivity(articles: pd.DataFrame, quotes: pd.DataFrame | None = None, *, by: str = "outlet",
                 docs: dict | None = None, text_col: str = "text") -> pd.DataFrame:
    """Mean TextBlob subjectivity (0 = factual, 1 = opinion) of each outlet's sentences in its own voice
    (sentences mostly inside quotes are left out), with the most subjective sentence as evidence. ``analyze``
    computes the same per article in its second pass (``Bundle.subjectivity``, the outlet as a column)."""
    usable = analysable(articles, text_col=text_col)
    docs = docs if docs is not None else parse(usable, text_col=text_col)
    outlet = _outlet_of(usable, by)
    parts = [(outlet[art_id], docs[art_id].text, subjectivity_part(docs[art_id], _quote_mask(quotes, art_id)))
             for art_id in usable["article_id"] if docs.get(art_id) is not None]
    return subjectivity_table(parts, by=by)


def _terms(doc) -> list[str]:
    return [t.lemma_.lower() for t in doc if t.is_alpha and not t.is_stop and len(t.text) > 2 and t.pos_ in (
        "NOUN", "VERB", "ADJ", "PROPN", "ADV")]


#: Entity types whose words say when or how much, not how: left out of distinctive words (an outlet that
#: published on a Sunday is not distinguished by "Sunday").
TIMING_TYPES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}


def _framing_terms(doc) -> list[str]:
    return [t.lemma_.lower() for t in doc if t.is_alpha and not t.is_stop and len(t.text) > 2 and t.pos_ in (
        "NOUN", "VERB", "ADJ", "PROPN", "ADV") and t.ent_type_ not in TIMING_TYPES]


def distinctive_terms(articles: pd.DataFrame, *, by: str = "outlet", docs: dict | None = None,
                      counts: dict | None = None, prior: float = 500.0, min_count: int = 2, top: int | None = 15,
                      text_col: str = "text") -> pd.DataFrame:
    """Words that set each outlet apart from all the others: weighted log-odds ratios with an informative
    Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' Words"), one outlet against the rest.

    The prior is the whole corpus's word distribution scaled to ``prior`` pseudo-counts, which shrinks
    the estimates for rare words. ``z`` is the log-odds divided by its standard error: |z| > 1.96 is
    conventionally distinctive. Returns outlet, term, count (in the outlet), count_rest, log_odds, z,
    the ``top`` terms per outlet by z (all when None). Works for any number of outlets. Words inside dates,
    times, numbers and amounts ("Sunday", "March", "twelve") are left out: they say when an article ran or how
    much, not how the outlet frames the story.

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "text": [
    ...     "The aggression continued. The aggression was condemned. Troops left.",
    ...     "The withdrawal continued. The withdrawal was praised. Troops left."]})
    >>> t = distinctive_terms(arts, min_count=1, top=1)
    >>> t[["outlet", "term"]].values.tolist()
    [['X', 'aggression'], ['Y', 'withdrawal']]

    ``counts`` (``{article_id: {term: count}}``, :func:`term_counts` of each parse, as ``analyze`` keeps them)
    replaces the parses.
    """
    usable = analysable(articles, text_col=text_col)
    if counts is None:
        docs = docs if docs is not None else parse(usable, text_col=text_col)
        counts = {a: term_counts(docs[a]) for a in usable["article_id"] if docs.get(a) is not None}
    return log_odds([(group, counts[a]) for a, group in zip(usable["article_id"], usable[by]) if a in counts],
                    by=by, prior=prior, min_count=min_count, top=top)


def term_counts(doc) -> dict[str, int]:
    """The framing words of one parse and how often it uses each (content-word lemmas outside dates and
    amounts): what :func:`distinctive_terms` counts, kept per article by ``analyze`` instead of the Doc."""
    return dict(Counter(_framing_terms(doc)))


def log_odds(parts: list[tuple[str, dict]], *, by: str = "outlet", prior: float = 500.0, min_count: int = 2,
             top: int | None = 15) -> pd.DataFrame:
    """:func:`distinctive_terms` from ``(group, term counts)`` of each article (:func:`term_counts`)."""
    counts: dict[str, Counter] = {}
    for group, c in parts:
        counts.setdefault(group, Counter()).update(c)
    total = Counter()
    for c in counts.values():
        total.update(c)
    n_all = sum(total.values())
    if n_all == 0 or len(counts) < 2:
        return pd.DataFrame(columns=[by, "term", "count", "count_rest", "log_odds", "z"])
    alpha = {w: prior * c / n_all for w, c in total.items()}
    rows = []
    for group, c in counts.items():
        n_i = sum(c.values())
        n_r = n_all - n_i
        for w, a_w in alpha.items():
            y_i, y_r = c.get(w, 0), total[w] - c.get(w, 0)
            if y_i + y_r < min_count:
                continue
            delta = (math.log((y_i + a_w) / (n_i + prior - y_i - a_w))
                     - math.log((y_r + a_w) / (n_r + prior - y_r - a_w)))
            var = 1 / (y_i + a_w) + 1 / (y_r + a_w)
            rows.append({by: group, "term": w, "count": y_i, "count_rest": y_r, "log_odds": round(delta, 4),
                         "z": round(delta / math.sqrt(var), 3)})
    table = pd.DataFrame(rows).sort_values([by, "z"], ascending=[True, False])
    if top:
        table = table.groupby(by, group_keys=False).head(top)
    return table.reset_index(drop=True)


def _frame_patterns(extra=None):
    """One alternation per frame (longest terms first); the matched words say which term fired."""
    table = lexicons.table("frames", extra)
    out = []
    for frame, terms in zip(table["frame"], table["terms"]):
        words = sorted({t.lower() for t in terms.split("|") if t}, key=len, reverse=True)
        if words:
            out.append((frame, re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])")))
    return out


def frames(articles: pd.DataFrame, *, by: str = "outlet", extra=None, text_col: str = "text") -> pd.DataFrame:
    """Each article's score on the 15 Policy Frames Codebook dimensions: frame words per 100 words, with
    the words that triggered it (a long table: outlet, article_id, frame, hits, per_100_words, triggers)."""
    usable = analysable(articles, text_col=text_col)
    patterns = _frame_patterns(extra)
    rows = []
    for art_id, group, text in zip(usable["article_id"], usable[by], usable[text_col]):
        low = text.lower()
        n_words = max(len(text.split()), 1)
        hits: dict[str, Counter] = {f: Counter() for f in FRAMES}
        for frame, rx in patterns:
            hits.setdefault(frame, Counter()).update(m.group(1) for m in rx.finditer(low))
        for frame in FRAMES:
            c = hits.get(frame, Counter())
            rows.append({by: group, "article_id": art_id, "frame": frame, "hits": sum(c.values()),
                         "per_100_words": round(100 * sum(c.values()) / n_words, 3),
                         "triggers": ", ".join(f"{t} ({n})" for t, n in c.most_common(8))})
    return pd.DataFrame(rows)


def frame_summary(frame_table: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """Outlet × frame: mean frame words per 100 words over the outlet's articles (for a heatmap)."""
    return frame_table.pivot_table(index=by, columns="frame", values="per_100_words", aggfunc="mean").reindex(
        columns=[f for f in FRAMES if f in set(frame_table["frame"])]).round(2)


def _tfidf(token_lists: list[list[str]], *, df: Counter | None = None, n: int | None = None) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors as dicts (sparse: a corpus of any size fits in memory). ``df`` and ``n``: the
    document frequencies and the number of documents of a larger collection the lists belong to (by default,
    the lists' own)."""
    if df is None:
        df = Counter(t for tokens in token_lists for t in set(tokens))
        n = len(token_lists)
    vectors = []
    for tokens in token_lists:
        weights = {t: c * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in Counter(tokens).items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items()})
    return vectors


def _cosine(a: dict, b: dict) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def facts(articles: pd.DataFrame, *, by: str = "outlet", docs: dict | None = None, threshold: float = FACT_THRESHOLD,
          min_words: int = 5, text_col: str = "text", within: str | None = None) -> pd.DataFrame:
    """Sentences grouped into facts: two sentences from different outlets state the same fact when the
    cosine similarity of their TF-IDF vectors (content-word lemmas, IDF over all sentences) is at least
    ``threshold`` (0.35 by default: read by hand on the seeds, where it joins paraphrases such as "Russia warns
    against US troop deployments in Central Asia" across outlets without joining sentences that share
    only "Russia" and "US"). The most similar pairs are joined first, and a fact holds at most one
    sentence per outlet, so facts do not chain into one large group. Returns one row per sentence: fact id,
    outlet, article_id, sentence, offsets, and how many outlets state that fact.

    ``within`` (e.g. ``"story"``, a column of ``articles``) compares only sentences of articles with the same
    value: a fact is then stated by outlets of one story, and ``outlets`` counts them in that story. The
    IDF is still taken over every sentence of the corpus, so the words a whole story shares ("earthquake",
    the town's name) keep the weight they have against the other stories (the column is returned too)."""
    usable = analysable(articles, text_col=text_col)
    docs = docs if docs is not None else parse(usable, text_col=text_col)
    scope = usable[within].fillna("").astype(str).tolist() if within else [""] * len(usable)
    parts = [(art_id, group, part, docs[art_id].text, sentence_part(docs[art_id])) for art_id, group, part
             in zip(usable["article_id"], usable[by], scope) if docs.get(art_id) is not None]
    return join_facts(parts, by=by, threshold=threshold, min_words=min_words, within=within)


def sentence_part(doc) -> list[tuple[int, int, list[str]]]:
    """Each sentence of one parse with its content-word lemmas: ``(start, end, terms)``, plain values a worker
    keeps instead of the Doc (:func:`join_facts` compares them across articles; the terms are interned, so a
    word is one string however often it occurs)."""
    return [(sent.start_char, sent.end_char, [sys.intern(t) for t in _terms(sent)]) for sent in doc.sents]


def join_facts(parts: list[tuple], *, by: str = "outlet", threshold: float = FACT_THRESHOLD, min_words: int = 5,
               within: str | None = None) -> pd.DataFrame:
    """:func:`facts` from each article's ``(article_id, group, scope, text, sentence_part)`` (scope: its
    ``within`` value, e.g. its story; ``""`` for none). Candidate pairs come from an inverted index over the
    terms, keyed by scope, so only sentences of one scope are ever compared."""
    rows = [{by: group, "article_id": art_id, "sentence": text[start:end].strip(), "start": start, "end": end,
             "_tokens": tokens, "_scope": scope}
            for art_id, group, scope, text, sentences in parts for start, end, tokens in sentences
            if len(tokens) >= min_words]
    columns = ["fact", by, "article_id", "sentence", "start", "end", "outlets", "similarity"]
    if within:
        columns.insert(1, within)
    if not rows:
        return pd.DataFrame(columns=columns)
    # the IDF over every sentence; the comparisons one scope at a time (pairs never cross scopes, so joining
    # each scope's pairs on their own, most similar first, gives the groups of joining all of them at once),
    # holding one scope's vectors and index, not the corpus's
    n = len(rows)
    df = Counter(t for r in rows for t in set(r["_tokens"]))
    limit = default_max_df(n)  # candidate_pairs' default for the whole corpus
    best = np.zeros(n)
    found: list[list[int]] = []
    for idx in positions_by([r["_scope"] for r in rows]):
        vectors = _tfidf([rows[i]["_tokens"] for i in idx], df=df, n=n)
        groups_of = UnionFind(len(idx))
        find = groups_of.find
        members_outlets = [{rows[i][by]} for i in idx]
        scored = ((_cosine(vectors[a], vectors[b]), a, b)
                  for a, b in candidate_pairs([rows[i]["_tokens"] for i in idx], [rows[i][by] for i in idx],
                                              max_df=limit))
        pairs = sorted((p for p in scored if p[0] >= threshold), reverse=True)
        for score, a, b in pairs:  # most similar first; a fact holds at most one sentence per outlet
            ra, rb = find(a), find(b)
            if ra == rb or members_outlets[ra] & members_outlets[rb]:
                continue
            groups_of.union(ra, rb)
            members_outlets[rb] |= members_outlets[ra]
            best[idx[a]], best[idx[b]] = max(best[idx[a]], score), max(best[idx[b]], score)
        local: dict[int, list[int]] = {}
        for k in range(len(idx)):
            local.setdefault(find(k), []).append(idx[k])
        found.extend(local.values())
        del vectors
    out = []
    ordered = sorted(found, key=lambda m: (-len({rows[i][by] for i in m}), min(m)))
    for fact_id, members in enumerate(ordered, 1):
        n_outlets = len({rows[i][by] for i in members})
        for i in members:
            out.append({"fact": fact_id, **({within: rows[i]["_scope"]} if within else {}), by: rows[i][by],
                        "article_id": rows[i]["article_id"],
                        "sentence": rows[i]["sentence"], "start": rows[i]["start"], "end": rows[i]["end"],
                        "outlets": n_outlets, "similarity": round(float(best[i]), 3)})
    return pd.DataFrame(out, columns=columns)


def fact_matrix(fact_table: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet",
                min_outlets: int = 2) -> pd.DataFrame:
    """Outlet × fact (facts stated by at least ``min_outlets`` outlets): 1 where the outlet states it. The
    column names are the fact's shortest sentence, cut to 70 characters."""
    shared = fact_table[fact_table["outlets"] >= min_outlets]
    articles = analysable(articles)
    if shared.empty:
        return pd.DataFrame(index=sorted(articles[by].dropna().unique()))
    labels = shared.loc[shared.groupby("fact")["sentence"].apply(lambda s: s.str.len().idxmin())]
    names = {r.fact: f"{r.fact}. {r.sentence[:70]}{'…' if len(r.sentence) > 70 else ''}" for r in labels.itertuples()}
    matrix = pd.crosstab(shared[by], shared["fact"]).clip(upper=1)
    matrix = matrix.reindex(sorted(articles[by].dropna().unique()), fill_value=0)
    return matrix.rename(columns=names)
