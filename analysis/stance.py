"""How each outlet, and each voice it quotes, positions itself toward the main actors.

``stance(articles, targets)`` finds every mention of each target (a canonical entity and its aliases,
from the entities layer), decides whose voice it is in (the author's, or a quoted source's, from the
quotes layer), and scores the words that bear on the target: the clause the mention sits in (not the
whole sentence), read with TextBlob's lexicon plus a news lexicon of loaded terms
(``analysis/data/loaded_terms.csv``) that TextBlob does not know ("aggression", "pretext", "so-called"),
with negation flipping a term. ``stance_summary`` aggregates per outlet × target × voice, with the
strongest evidence sentences.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from . import lexicons
from .nlp import analysable, parse

__all__ = ["stance", "stance_summary", "intervals_overlap", "sentence_baseline", "default_targets", "loaded_terms",
           "STANCE_COLUMNS", "GOLD_TARGETS", "DEFAULT_TARGETS"]

STANCE_COLUMNS = ["article_id", "target", "mention", "start", "end", "sentence_start", "sentence_end", "voice",
                  "speaker", "polarity", "subjectivity", "label", "scope", "terms", "baseline_polarity", "sentence",
                  "resolved", "evidence", "method"]
#: The four targets of the hand-made stance gold of the sample corpus (``tests/gold/STANCE.md``) and the words
#: that name them: what ``analysis.evaluate`` scores the seeds with. Never a default: with no targets, the
#: stance layer takes the corpus's own most named actors (``default_targets``).
GOLD_TARGETS = {
    "United States": ["US", "U.S.", "United States", "America", "Washington", "American", "Americans", "USA",
                      "Pentagon", "Biden administration"],
    "Russia": ["Russia", "Moscow", "Russian", "Kremlin", "Russians"],
    "Taliban": ["Taliban"],
    "China": ["China", "Beijing", "Chinese"],
}
DEFAULT_TARGETS = GOLD_TARGETS  # the former name, still imported by analysis.evaluate and bench/bench.py
THRESHOLD = 0.1  # |polarity| above this is negative / positive
LEXICON_WEIGHT = 0.6  # how much one loaded term moves the polarity
_NEGATORS = {"not", "no", "never", "n't", "neither", "nor", "without"}


@lru_cache(maxsize=4)
def _lexicon(extra_key=None) -> list[tuple[re.Pattern, float, str, str]]:
    table = lexicons.table("loaded_terms")
    return [(re.compile(r"(?<![\w-])" + re.escape(t.lower()) + r"(?![\w-])"), float(p), t, c)
            for t, p, c in zip(table["term"], table["polarity"], table["category"]) if c != "hedging"]


#: Words TextBlob scores that say nothing about an actor in news ("more troops", "the largest base", "a
#: special envoy", "the past year"): TextBlob's lexicon was built on product reviews.
_NOT_EVALUATIVE = {"more", "most", "less", "least", "many", "much", "last", "first", "new", "old", "large", "larger",
                   "largest", "great", "greater", "big", "bigger", "small", "military", "foreign", "former", "other",
                   "only", "current", "currently", "direct", "full", "whole", "high", "higher", "low", "long", "short",
                   "early", "late", "real", "certain", "several", "particular", "central", "general", "main", "major",
                   "previous", "open", "public", "final", "formal", "international", "regional", "national", "local",
                   "important", "necessary", "possible", "impossible", "clear", "likely", "unlikely", "same",
                   "different", "own", "free", "top", "senior", "deputy", "northern", "southern", "eastern", "western",
                   "political", "economic", "social", "special", "significant", "common", "single", "natural", "past",
                   "base"}


def loaded_terms(extra=None) -> pd.DataFrame:
    """The loaded-language lexicon: term, polarity (-1..1), category, note (plus the user's rows)."""
    return lexicons.table("loaded_terms", extra)


#: Words for the feelings of the one who has them: when the target is their holder ("Russia got frustrated"),
#: they say how it feels, not how the text positions it.
_EMOTIONS = {"frustrated", "worried", "concerned", "angry", "upset", "disappointed", "unhappy", "happy", "pleased",
             "satisfied", "alarmed", "nervous", "afraid", "scared", "anxious", "furious", "annoyed", "relieved",
             "optimistic", "pessimistic", "confident", "hopeful", "eager", "reluctant", "sad", "glad", "proud"}


@lru_cache(maxsize=65536)
def _polarity(text: str, *, filtered: bool = False, holder: bool = False) -> tuple[float, float]:
    """TextBlob polarity and subjectivity; ``filtered`` drops the assessments made only of words that are
    not evaluative in news (``_NOT_EVALUATIVE``), which TextBlob's review-trained lexicon scores."""
    from textblob import TextBlob

    blob = TextBlob(text)
    if not filtered:
        s = blob.sentiment
        return float(s.polarity), float(s.subjectivity)
    ignored = _NOT_EVALUATIVE | (_EMOTIONS if holder else set())
    kept = [(pol, subj) for words, pol, subj, _ in blob.sentiment_assessments.assessments
            if not set(w.lower() for w in words) <= ignored]
    if not kept:
        return 0.0, 0.0
    return sum(p for p, _ in kept) / len(kept), sum(s for _, s in kept) / len(kept)


def _terms_in(text: str, lexicon, *, holder: bool = False) -> list[tuple[str, float]]:
    """Loaded terms in a stretch of text, with their polarity; a negator just before a term flips it.
    Attitude words ("opposed", "warned", "frustrated") express the holder's stance toward something
    else, so they do not count against the target when the target is their holder (the subject)."""
    low = text.lower()
    found = []
    for rx, pol, term, category in lexicon:
        if holder and category == "attitude":
            continue
        for m in rx.finditer(low):
            before = re.findall(r"[\w']+", low[max(0, m.start() - 25):m.start()])[-3:]
            sign = -1 if any(w in _NEGATORS for w in before) else 1
            found.append((term, sign * pol))
    return found


def _label(polarity: float) -> str:
    return "negative" if polarity < -THRESHOLD else ("positive" if polarity > THRESHOLD else "neutral")


def _score(text: str, lexicon, *, holder: bool = False, experiencer: bool = False) -> tuple[float, float, list]:
    tb_pol, tb_subj = _polarity(text, filtered=True, holder=experiencer)
    terms = _terms_in(text, lexicon, holder=holder)
    polarity = max(-1.0, min(1.0, tb_pol + LEXICON_WEIGHT * sum(p for _, p in terms)))
    subjectivity = min(1.0, tb_subj + 0.15 * len(terms))
    return polarity, subjectivity, terms


_CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "conj", "parataxis", "acl", "xcomp", "csubj"}


def _is_holder(tok) -> bool:
    """Is the mention the one holding an attitude: the subject of an active clause or the agent of a
    passive one (also inside a compound or coordination: "Russia and China got frustrated")?"""
    for _ in range(3):
        if tok.dep_ in ("nsubj", "csubj"):
            return True
        if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
            return True
        if tok.dep_ in ("compound", "conj", "poss", "amod", "nmod") and tok.head.i != tok.i:
            tok = tok.head
            continue
        return False
    return False


def _scope(doc, start: int, end: int, limit: tuple[int, int] | None,
           sent: tuple[int, int, int, int] | None = None) -> tuple[int, int, str, bool]:
    """The words that bear on a mention: the clause it sits in, without the other clauses of the sentence;
    and whether the mention holds the clause's attitude (its subject)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return start, end, doc.text[start:end], False
    tok = span.root
    head = tok
    for _ in range(8):  # the nearest verb above the mention heads its clause
        if head.pos_ in ("VERB", "AUX") and head is not tok:
            break
        if head.head.i == head.i:
            break
        head = head.head
    if head.pos_ not in ("VERB", "AUX"):  # the sentence (from the index when given: no walk over the doc)
        tokens = list(doc[sent[2]:sent[3]]) if sent is not None else list(tok.sent)
    else:
        inside = {t.i for t in span}
        tokens = []
        skip = set()
        for child in head.children:
            if child.dep_ in _CLAUSE_DEPS and child.pos_ in ("VERB", "AUX") and not (
                    {t.i for t in child.subtree} & inside):
                skip.update(t.i for t in child.subtree)
        tokens = [t for t in head.subtree if t.i not in skip]
    if limit is not None:
        tokens = [t for t in tokens if limit[0] <= t.idx < limit[1]] or list(span)
    tokens = [t for t in tokens if not t.is_space]
    s, e = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    # the clause's words, in order, without the gaps left by the clauses taken out
    ordered = sorted(tokens, key=lambda t: t.i)
    words = "".join(t.text_with_ws if nxt.i == t.i + 1 else t.text + " " for t, nxt in zip(ordered, ordered[1:]))
    words = (words + ordered[-1].text).strip()
    return s, e, words, _is_holder(tok)


def _mentions(ents: pd.DataFrame, targets: dict[str, list[str]]) -> pd.DataFrame:
    alias_of = {a.lower(): t for t, aliases in targets.items() for a in [t, *aliases]}
    rows = []
    for r in ents.itertuples():
        target = None
        for key in (r.canonical, r.government, r.country if r.label == "NORP" else None, r.text):
            if isinstance(key, str) and key and (key in targets or key.lower() in alias_of):
                target = key if key in targets else alias_of[key.lower()]
                break
        if target is not None:
            rows.append({"article_id": r.article_id, "target": target, "mention": r.text, "start": r.start,
                         "end": r.end, "sentence_start": r.sentence_start, "sentence_end": r.sentence_end})
    return pd.DataFrame(rows, columns=["article_id", "target", "mention", "start", "end", "sentence_start",
                                       "sentence_end"])


def _all_mentions(docs: dict, ents: pd.DataFrame, q: pd.DataFrame, targets: dict[str, list[str]]) -> pd.DataFrame:
    """Every mention of every target: each alias found in the text (word boundaries; short acronyms as
    written), whether or not the NER tagged it; the entities whose canonical name, government or country is
    a target; and the speakers (pronouns, descriptions) the names layer resolved to a target, flagged
    ``resolved``. Overlaps keep the first found, in that order."""
    from .stance_model import find_mentions

    alias_of = {a.lower(): t for t, aliases in targets.items() for a in [t, *aliases]}
    rows: dict[str, list[tuple]] = {}
    for art, doc in docs.items():
        if doc is None:
            continue
        text = doc.text  # Doc.text joins every token: once per document
        rows[art] = [(s, e, t, text[s:e], False) for s, e, t in find_mentions(text, targets)]
    ner = _mentions(ents, targets)
    for r in ner.itertuples():
        if r.mention.lower() in alias_of and not find_mentions(r.mention, targets):
            continue  # an alias in the wrong case ("us" is not "US"): the alias rules decide
        if r.article_id in rows:
            rows[r.article_id].append((int(r.start), int(r.end), r.target, r.mention, False))
    if q is not None and len(q) and "speaker_start" in q.columns:
        for r in q.itertuples():
            who = r.speaker_canonical if isinstance(r.speaker_canonical, str) and r.speaker_canonical else r.speaker
            if not isinstance(who, str) or r.article_id not in rows or pd.isna(r.speaker_start):
                continue
            target = who if who in targets else alias_of.get(who.lower())
            if target is not None:
                rows[r.article_id].append((int(r.speaker_start), int(r.speaker_end), target,
                                           str(r.speaker), True))
    out = []
    for art, found in rows.items():
        kept: list[tuple] = []
        for m in found:  # in order of priority: aliases, then NER, then resolved
            if all(m[1] <= k[0] or m[0] >= k[1] for k in kept):
                kept.append(m)
        out += [(art, *m) for m in sorted(kept)]
    return pd.DataFrame(out, columns=["article_id", "start", "end", "target", "mention", "resolved"])


def stance(articles: pd.DataFrame, targets: dict | None = None, *, docs: dict | None = None,
           quotes_table: pd.DataFrame | None = None, entities_table: pd.DataFrame | None = None,
           top: int = 4, text_col: str = "text", method: str = "model") -> pd.DataFrame:
    """Each mention of a target, in whose voice, with what polarity toward it (the stance table).

    Args:
        articles: the articles table.
        targets: ``{canonical target: [aliases]}``; None takes the ``top`` most mentioned people,
            organisations and places (with the aliases the entities layer found for them).
        docs, quotes_table, entities_table: reuse what was computed already (computed when missing).

    Returns:
        A new DataFrame with ``STANCE_COLUMNS``: the mention and its sentence offsets, ``voice`` (author /
        quoted) and ``speaker``, ``polarity`` (-1..1) and ``subjectivity`` (0..1) of the clause around the
        mention (``scope``), the loaded ``terms`` found there, the ``label`` (negative / neutral / positive,
        |polarity| > 0.1) and, for comparison, ``baseline_polarity``: TextBlob on the whole sentence.
        ``method="model"`` (the default) labels each mention with the trained model of
        ``analysis.stance_model`` (polarity = P(positive) − P(negative)); ``method="lexicon"`` with the
        clause's TextBlob score plus the loaded-terms lexicon. ``evidence`` names the words and features
        that pushed the label, each with its sign; ``resolved`` flags a pronoun or description that the
        names layer resolved to the target. Every alias of a target in the text is a mention.
    """
    if method not in ("model", "lexicon"):
        raise ValueError(f"method must be 'model' or 'lexicon', not {method!r}")
    from .entities import entities
    from .sources import quotes

    usable = analysable(articles, text_col=text_col)
    if docs is None:
        docs = parse(usable, text_col=text_col)
    ents = entities_table if entities_table is not None else entities(usable, docs=docs)
    if targets is None:
        targets = default_targets(ents, top=top)
    q = quotes_table if quotes_table is not None else quotes(usable, docs=docs)
    lexicon = _lexicon()
    rows = []
    mentions = _all_mentions(docs, ents, q, targets)
    from . import stance_model

    model = stance_model.load_model() if method == "model" else None
    indexes: dict = {}
    texts: dict = {}
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for art, start, end, canonical, speaker in zip(q["article_id"], q["start"], q["end"], q["speaker_canonical"],
                                                    q["speaker"]):
        spans.setdefault(art, []).append((int(start), int(end), canonical or speaker))
    for r in mentions.itertuples():
        doc = docs.get(r.article_id)
        if doc is None:
            continue
        inside = [(e - s, s, e, who) for s, e, who in spans.get(r.article_id, []) if s <= r.start and e >= r.end]
        if inside:
            _, qs, qe, who = min(inside)
            voice, speaker, limit = "quoted", who, (qs, qe)
        else:
            voice, speaker, limit = "author", "", None
        if r.article_id not in indexes:  # each document's sentences and text, once: no walk per mention
            indexes[r.article_id] = stance_model._Index(doc)
            texts[r.article_id] = doc.text
        sent = stance_model.sentence_for(indexes[r.article_id], r.start)
        s, e, words, holder = _scope(doc, r.start, r.end, limit, sent)
        # attitude words ("opposed", "warned") report someone's stance: in the author's voice they are the
        # source's attitude, not the outlet's, so they count only inside a quote, and not against its holder
        polarity, subjectivity, terms = _score(words, lexicon, holder=holder or voice == "author", experiencer=holder)
        label = _label(polarity)
        evidence = ", ".join(f'"{t}" ({"+" if p > 0 else "−"})' for t, p in terms)
        if model is not None:
            (pred,) = stance_model.predict(model, [stance_model.mention_features(doc, r.start, r.end, sent,
                                                                                  text=texts[r.article_id])])
            polarity, label, evidence = pred["polarity"], pred["label"], pred["evidence"]
        sentence = texts[r.article_id][sent[0]:sent[1]]
        base_pol, _ = _polarity(sentence)
        rows.append({"article_id": r.article_id, "target": r.target, "mention": r.mention, "start": r.start,
                     "end": r.end, "sentence_start": sent[0], "sentence_end": sent[1],
                     "voice": voice, "speaker": speaker, "polarity": round(polarity, 3),
                     "subjectivity": round(subjectivity, 3), "label": label, "scope": words,
                     "terms": ", ".join(t for t, _ in terms), "baseline_polarity": round(base_pol, 3),
                     "sentence": sentence.strip(), "resolved": bool(r.resolved), "evidence": evidence,
                     "method": method})
    table = pd.DataFrame(rows, columns=STANCE_COLUMNS)
    if "outlet" in usable.columns:  # so that per-outlet summaries need nothing else
        table["outlet"] = table["article_id"].map(dict(zip(usable["article_id"], usable["outlet"])))
    return table


def default_targets(ents: pd.DataFrame, *, top: int = 4) -> dict[str, list[str]]:
    """The corpus's own ``top`` most named actors (people, organisations, places and states), each with the
    words the corpus uses for it. A state's count includes its capital standing for it ("Moscow" for
    Russia) and its demonyms ("Russian"), as the stance layer finds those mentions too. The corpus's own
    outlets (the ``outlet`` column, when the table has one) are not actors of the story."""
    if ents is None or ents.empty:
        return {}
    government = ents["government"].fillna("") if "government" in ents.columns else pd.Series("", index=ents.index)
    country = ents["country"].fillna("") if "country" in ents.columns else pd.Series("", index=ents.index)
    actor = ents["canonical"].where(government == "", government)
    actor = actor.where(ents["label"] != "NORP", country)
    keep = ents["label"].isin(["GPE", "ORG", "PERSON", "NORP"]) & (actor.fillna("") != "")
    if "outlet" in ents.columns:
        keep &= ~actor.isin(set(ents["outlet"].dropna()))
    counts = actor[keep].value_counts()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    named = ents.loc[keep, "text"].groupby(actor[keep]).agg(lambda t: sorted(set(t)))
    return {name: named[name] for name, _ in ranked}


def sentence_baseline(table: pd.DataFrame) -> pd.Series:
    """The whole-sentence TextBlob label for each row (the baseline the scoped method must beat)."""
    return table["baseline_polarity"].map(_label)


def stance_summary(table: pd.DataFrame, articles: pd.DataFrame | None = None, *, by: str = "outlet",
                   evidence: int = 2, boot: int = 1000, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Per ``by`` (any column: outlet, article_id, ...) × target × voice: mentions, mean polarity with a
    bootstrap interval over the mentions (``polarity_low`` .. ``polarity_high``, ``level`` of ``boot``
    resamples, a fixed ``seed``), shares of negative / neutral / positive mentions, the words that pushed the
    labels most often (``evidence_words``) and the strongest evidence sentences (most negative and most
    positive). ``by`` comes from the stance table when it has that column, else from ``articles``."""
    import numpy as np

    if articles is not None and by not in table.columns:
        t = table.merge(articles[["article_id", by]].drop_duplicates("article_id"), on="article_id")
    elif articles is not None and by != "article_id":
        t = table.drop(columns=[by]).merge(articles[["article_id", by]].drop_duplicates("article_id"),
                                           on="article_id")
    else:
        t = table
    columns = [by, "target", "voice", "mentions", "mean_polarity", "polarity_low", "polarity_high", "negative",
               "neutral", "positive", "evidence_words", "evidence"]
    if t.empty or by not in t.columns:
        return pd.DataFrame(columns=columns)
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2
    rows = []
    for (group, target, voice), part in t.groupby([by, "target", "voice"]):
        shares = part["label"].value_counts(normalize=True)
        values = part["polarity"].to_numpy(dtype=float)
        means = values[rng.integers(0, len(values), size=(boot, len(values)))].mean(axis=1)
        low, high = np.quantile(means, [alpha, 1 - alpha])
        ordered = part.sort_values("polarity")
        strongest = pd.concat([ordered.head(evidence), ordered.tail(evidence)]).drop_duplicates("start")
        strongest = strongest[strongest["label"] != "neutral"]
        sentences = [f"{r.polarity:+.2f} · {r.sentence}" for r in strongest.itertuples()]
        words: dict[str, int] = {}
        if "evidence" in part.columns:
            for ev, label in zip(part["evidence"].fillna(""), part["label"]):
                if label == "neutral":
                    continue
                for item in filter(None, (x.strip() for x in re.split(r",\s(?=[^,]*\()", ev))):
                    words[item] = words.get(item, 0) + 1
        top = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        rows.append({by: group, "target": target, "voice": voice, "mentions": len(part),
                     "mean_polarity": round(float(values.mean()), 3), "polarity_low": round(float(low), 3),
                     "polarity_high": round(float(high), 3),
                     "negative": round(float(shares.get("negative", 0.0)), 3),
                     "neutral": round(float(shares.get("neutral", 0.0)), 3),
                     "positive": round(float(shares.get("positive", 0.0)), 3),
                     "evidence_words": "; ".join(f"{w} ×{n}" for w, n in top),
                     "evidence": " | ".join(dict.fromkeys(sentences))})
    return pd.DataFrame(rows, columns=columns)


def intervals_overlap(summary: pd.DataFrame, a, b, *, target: str, voice: str = "author", by: str = "outlet") -> bool:
    """Do the polarity intervals of two groups (outlets, articles) toward ``target`` overlap, i.e. is their
    difference within the noise of which mentions each happened to write?"""
    rows = summary[(summary["target"] == target) & (summary["voice"] == voice)].set_index(by)
    if a not in rows.index or b not in rows.index:
        return True
    ra, rb = rows.loc[a], rows.loc[b]
    return not (ra["polarity_high"] < rb["polarity_low"] or rb["polarity_high"] < ra["polarity_low"])
