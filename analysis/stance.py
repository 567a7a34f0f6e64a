"""How each outlet, and each voice it quotes, positions itself toward the main actors.

``stance(articles, targets)`` finds every mention of each target (a canonical entity and its aliases,
from the entities layer), decides whose voice it is in (the author's, or a quoted source's, from the
quotes layer), and scores the words that bear on the target: the clause the mention sits in (not the
whole sentence), read with TextBlob's lexicon plus a news lexicon of loaded terms
(``analysis/data/loaded_terms.csv``) that TextBlob does not know ("aggression", "pretext", "so-called"),
with negation flipping a term; by default the trained model of ``analysis.stance_model`` labels each mention
from those and other features, with its probabilities adjusted to the class priors of the corpus analysed
(estimated from the corpus itself, without labels). ``stance_article`` does one article (what a worker process
runs) and ``stance_table`` joins the articles' rows. ``stance_summary`` aggregates per outlet × target × voice,
with the strongest evidence sentences.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from . import lexicons
from .nlp import analysable, parse

__all__ = ["stance", "stance_article", "stance_table", "stance_summary", "intervals_overlap", "sentence_baseline",
           "default_targets", "loaded_terms", "STANCE_COLUMNS", "GOLD_TARGETS", "DEFAULT_TARGETS"]

STANCE_COLUMNS = ["article_id", "target", "mention", "start", "end", "sentence_start", "sentence_end", "voice",
                  "speaker", "polarity", "subjectivity", "label", "scope", "terms", "baseline_polarity", "sentence",
                  "resolved", "evidence", "method", "p_negative", "p_neutral", "p_positive"]
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
def _lexicon(extra_key=None) -> list[tuple[re.Pattern, float, str, str, str]]:
    table = lexicons.table("loaded_terms")
    return [(re.compile(r"(?<![\w-])" + re.escape(t.lower()) + r"(?![\w-])"), float(p), t, c, t.lower())
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


_IGNORED = {False: frozenset(_NOT_EVALUATIVE), True: frozenset(_NOT_EVALUATIVE | _EMOTIONS)}


@lru_cache(maxsize=65536)
def _polarity(text: str, *, filtered: bool = False, holder: bool = False) -> tuple[float, float]:
    """TextBlob polarity and subjectivity; ``filtered`` drops the assessments made only of words that are
    not evaluative in news (``_NOT_EVALUATIVE``), which TextBlob's review-trained lexicon scores."""
    from .stance_model import _pattern, textblob_scores

    if not filtered:  # the same scores as the model's sentence feature: computed once per sentence
        return textblob_scores(text)
    ignored = _IGNORED[bool(holder)]
    kept = [(pol, subj) for words, pol, subj, _ in _pattern()(text).assessments
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
    for rx, pol, term, category, needle in lexicon:
        if (holder and category == "attitude") or needle not in low:  # no regex run for an absent term
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


def _entity_targets(entity_rows: list[dict], targets: dict[str, list[str]]) -> list[tuple[dict, str]]:
    """The entity rows (dicts) whose canonical name, government, country (of a NORP) or words are a target or
    one of its aliases, each with that target: plain dicts, no DataFrame built per article."""
    alias_of = {a.lower(): t for t, aliases in targets.items() for a in [t, *aliases]}
    out = []
    for r in entity_rows:
        target = None
        for key in (r.get("canonical"), r.get("government"), r.get("country") if r.get("label") == "NORP" else None,
                    r.get("text")):
            if isinstance(key, str) and key and (key in targets or key.lower() in alias_of):
                target = key if key in targets else alias_of[key.lower()]
                break
        if target is not None:
            out.append((r, target))
    return out


def _mentions(ents: pd.DataFrame, targets: dict[str, list[str]]) -> pd.DataFrame:
    rows = [{"article_id": r.get("article_id"), "target": target, "mention": r.get("text"), "start": r.get("start"),
             "end": r.get("end"), "sentence_start": r.get("sentence_start"), "sentence_end": r.get("sentence_end")}
            for r, target in _entity_targets(ents.to_dict("records"), targets)]
    return pd.DataFrame(rows, columns=["article_id", "target", "mention", "start", "end", "sentence_start",
                                       "sentence_end"])


def _article_mentions(article_id, text: str, ents: pd.DataFrame | list[dict] | None, q_rows: list[dict],
                      targets: dict[str, list[str]]) -> list[tuple]:
    """Every mention of every target in one article: each alias found in the text (word boundaries; short
    acronyms as written), whether or not the NER tagged it; the entities whose canonical name, government or
    country is a target; and the speakers (pronouns, descriptions) the names layer resolved to a target,
    flagged ``resolved``. Overlaps keep the first found, in that order. ``(start, end, target, mention,
    resolved)``, in text order."""
    from .stance_model import find_mentions

    alias_of = {a.lower(): t for t, aliases in targets.items() for a in [t, *aliases]}
    found = [(s, e, t, text[s:e], False) for s, e, t in find_mentions(text, targets)]
    if ents is not None and len(ents):
        rows = ents.to_dict("records") if isinstance(ents, pd.DataFrame) else ents
        as_written: dict[str, bool] = {}  # does the alias rule find the entity's words? once per distinct words
        for r, target in _entity_targets(rows, targets):
            mention = r["text"]
            if mention.lower() in alias_of and mention not in as_written:
                as_written[mention] = bool(find_mentions(mention, targets))
            if mention.lower() in alias_of and not as_written[mention]:
                continue  # an alias in the wrong case ("us" is not "US"): the alias rules decide
            found.append((int(r["start"]), int(r["end"]), target, mention, False))
    for r in q_rows:
        canonical, speaker = r.get("speaker_canonical"), r.get("speaker")
        who = canonical if isinstance(canonical, str) and canonical else speaker
        if not isinstance(who, str) or r.get("speaker_start") is None or pd.isna(r.get("speaker_start")):
            continue
        target = who if who in targets else alias_of.get(who.lower())
        if target is not None:
            found.append((int(r["speaker_start"]), int(r["speaker_end"]), target, str(speaker), True))
    kept: list[tuple] = []
    taken: list[tuple[int, int]] = []  # the kept spans, sorted: an overlap is a binary search, not a scan
    for m in found:  # in order of priority: aliases, then NER, then resolved
        k = bisect.bisect_left(taken, (m[0], m[1]))
        if (k > 0 and taken[k - 1][1] > m[0]) or (k < len(taken) and taken[k][0] < m[1]):
            continue
        taken.insert(k, (m[0], m[1]))
        kept.append(m)
    return sorted(kept)


def _voices(mentions: list[tuple], q_rows: list[dict]) -> list[tuple[str, str, tuple[int, int] | None]]:
    """For each mention (in text order), the innermost quote around it: ``(voice, speaker, quote span)``.
    One sweep over the mentions and the quotes, both in text order (no scan of every quote per mention)."""
    spans = sorted((int(r["start"]), int(r["end"]), r.get("speaker_canonical") or r.get("speaker") or "")
                   for r in q_rows if r.get("start") is not None and not pd.isna(r.get("start")))
    out = []
    active: list[tuple[int, int, str]] = []  # quotes opened before the mention that may still enclose it
    j = 0
    for m in mentions:
        while j < len(spans) and spans[j][0] <= m[0]:
            active.append(spans[j])
            j += 1
        active = [sp for sp in active if sp[1] > m[0]]
        inside = [(e - s, s, e, who) for s, e, who in active if e >= m[1]]
        if inside:
            _, qs, qe, who = min(inside)
            out.append(("quoted", who, (qs, qe)))
        else:
            out.append(("author", "", None))
    return out


def _by_article(table: pd.DataFrame) -> dict:
    """The rows of a table (dicts) by article: one ``to_dict`` for the whole table, not one per article."""
    out: dict = {}
    if table is None or not len(table):
        return out
    for r in table.to_dict("records"):
        out.setdefault(r["article_id"], []).append(r)
    return out


def _records(table: pd.DataFrame | None, article_id) -> list[dict]:
    if table is None or not len(table):
        return []
    return table[table["article_id"] == article_id].to_dict("records")


def stance_article(article: dict, doc, targets: dict[str, list[str]], *, quote_rows: list[dict] | None = None,
                   entity_rows: list[dict] | None = None, method: str = "model", top: int = 3,
                   cache: dict | None = None) -> list[dict]:
    """The stance rows of ONE article, as plain picklable dicts: what a worker process computes for its
    articles. ``article`` is the article's row (a dict with at least ``article_id`` and the text), ``doc`` its
    parse, ``quote_rows`` and ``entity_rows`` its rows of the quotes and entities tables (dicts) and
    ``targets`` the corpus's targets. The model's probabilities are the raw ones (under the training prior)
    and the evidence is given for every label: :func:`stance_table` adjusts them to the priors of the whole
    corpus and picks the label, so ``stance_table(rows of every article)`` is ``stance(articles)``. ``cache``:
    a dict shared by calls on the same article and parse (another set of targets): a mention scored once, at the
    same place in the same voice, is not scored again (each mention's score is its own: the same values)."""
    from . import stance_model

    if method not in ("model", "lexicon"):
        raise ValueError(f"method must be 'model' or 'lexicon', not {method!r}")
    if doc is None:
        return []
    art = article["article_id"]
    # the article's text when it is the parse's (Doc.text joins every token: a millisecond an article, per call)
    given = article.get("text")
    last = doc[-1] if len(doc) else None
    same = isinstance(given, str) and last is not None and len(given) == last.idx + len(last.text_with_ws)
    text = given if same else doc.text
    q_rows = [r for r in (quote_rows or []) if r.get("article_id", art) == art]
    mentions = _article_mentions(art, text, entity_rows or None, q_rows, targets)
    voices = _voices(mentions, q_rows)
    model = stance_model.load_model() if method == "model" else None
    lexicon = _lexicon()
    index = stance_model._Index(doc)  # the document's sentences, once: no walk per mention
    outlet = article.get("outlet")
    rows = []
    feats: list[dict] = []
    memo: dict = {}  # what mention_features reads of each sentence of this doc, once
    nan = float("nan")
    cache = {} if cache is None else cache
    todo = []  # the cache keys of the mentions the model has not scored yet, in the order of ``feats``
    for (start, end, target, mention, resolved), (voice, speaker, limit) in zip(mentions, voices):
        key = (art, method, start, end, voice, limit)
        known = cache.get(key)
        if known is None:
            sent = stance_model.sentence_for(index, start)
            s, e, words, holder = _scope(doc, start, end, limit, sent)
            # attitude words ("opposed", "warned") report someone's stance: in the author's voice they are the
            # source's attitude, not the outlet's, so they count only inside a quote, and not against its holder
            polarity, subjectivity, terms = _score(words, lexicon, holder=holder or voice == "author",
                                                   experiencer=holder)
            if model is not None:
                feats.append(stance_model.mention_features(doc, start, end, sent, text=text,
                                                           lexicon=(polarity, len(terms)), memo=memo))
                todo.append(key)
            known = cache[key] = {"sent": sent, "words": words, "polarity": polarity, "subjectivity": subjectivity,
                                  "terms": terms, "base": _polarity(text[sent[0]:sent[1]])[0], "scored": None}
        sent, words, polarity, subjectivity, terms = (known[k] for k in ("sent", "words", "polarity",
                                                                           "subjectivity", "terms"))
        label = _label(polarity)
        evidence = ", ".join(f'"{t}" ({"+" if p > 0 else "−"})' for t, p in terms)
        sentence = text[sent[0]:sent[1]]
        base_pol = known["base"]
        row = {"article_id": art, "target": target, "mention": mention, "start": start, "end": end,
               "sentence_start": sent[0], "sentence_end": sent[1], "voice": voice, "speaker": speaker,
               "polarity": round(polarity, 3), "subjectivity": round(subjectivity, 3), "label": label,
               "scope": words, "terms": ", ".join(t for t, _ in terms), "baseline_polarity": round(base_pol, 3),
               "sentence": sentence.strip(), "resolved": bool(resolved), "evidence": evidence, "method": method,
               "p_negative": nan, "p_neutral": nan, "p_positive": nan, "_evidence": {}, "_limit": limit}
        if outlet is not None:
            row["outlet"] = outlet
        rows.append(row)
    if model is not None and feats:  # every new mention of the article at once: one matrix product for the lot
        proba, evidence = stance_model.score_mentions(model, feats, top=top)
        for key, p, by_label in zip(todo, proba.tolist(), evidence):
            cache[key]["scored"] = (p, by_label)
    if model is not None:
        for row in rows:
            p, by_label = cache[(art, method, row["start"], row["end"], row["voice"], row.pop("_limit"))]["scored"]
            row["p_negative"], row["p_neutral"], row["p_positive"] = p
            row["_evidence"] = by_label
    else:
        for row in rows:
            row.pop("_limit")
    return rows


def stance_table(rows: list[dict], *, priors: str = "corpus") -> pd.DataFrame:
    """The stance table from the rows of :func:`stance_article` for every article of a corpus.

    With the model (``method="model"``) and ``priors="corpus"`` (the default), the class priors of this corpus
    are estimated from the model's probabilities over all its mentions, without labels, and the probabilities
    are adjusted to them (``stance_model.adapt_priors``, Saerens et al. 2002): NewsMTSC's sentences were chosen
    to carry sentiment, while in ordinary news most mentions are neutral, and the corpus itself says how many.
    ``priors="trained"`` keeps the training prior. The label is the most probable one, ``polarity`` is
    P(positive) − P(negative), ``p_*`` are the adjusted probabilities and ``evidence`` names what pushed the
    label. The probabilities are adjusted only when the corpus's priors differ from the training prior beyond
    chance (the likelihood-ratio test of Saerens et al., ``stance_model.PRIOR_TEST_LEVEL``): a corpus like the
    training data keeps the model's own decisions. ``table.attrs`` holds the estimated ``priors``, the test's
    ``prior_shift_p`` and ``priors_adapted``."""
    from . import stance_model

    if priors not in ("corpus", "trained"):
        raise ValueError(f"priors must be 'corpus' or 'trained', not {priors!r}")
    has_outlet = any("outlet" in r for r in rows)
    columns = STANCE_COLUMNS + (["outlet"] if has_outlet else [])
    # the model's rows finished as dicts before the one table is built (a table's .loc assignments cost
    # milliseconds each, and analyze joins every story's rows again); the rows given are not changed
    model_at = [i for i, r in enumerate(rows) if r.get("method") == "model"]
    estimated = None
    if model_at:
        model = stance_model.load_model()
        raw = np.array([[rows[i].get("p_negative"), rows[i].get("p_neutral"), rows[i].get("p_positive")]
                        for i in model_at], dtype=float)
        adjusted, estimated = stance_model.adapt_priors(raw, model.prior, level=None)
        p_value = stance_model.prior_shift_p(raw, model.prior, estimated)
        adapt = priors == "corpus" and p_value < stance_model.PRIOR_TEST_LEVEL
        probs = adjusted if adapt else raw
        labels = [model.labels[k] for k in probs.argmax(axis=1)]
        neg, pos = model.labels.index("negative"), model.labels.index("positive")
        polarity = np.round(probs[:, pos] - probs[:, neg], 3)
        rounded = np.round(probs, 4)
        rows = list(rows)
        for k, i in enumerate(model_at):
            r, label = rows[i], labels[k]
            rows[i] = {**r, "label": label, "polarity": polarity[k], "p_negative": rounded[k, 0],
                       "p_neutral": rounded[k, 1], "p_positive": rounded[k, 2],
                       "evidence": r["_evidence"].get(label, "")}
    table = pd.DataFrame(rows, columns=columns)
    wanted = {"start": int, "end": int, "sentence_start": int, "sentence_end": int, "resolved": bool,
              "polarity": float, "p_negative": float, "p_neutral": float, "p_positive": float}
    cast = {c: t for c, t in wanted.items() if table[c].dtype != np.dtype(t)}
    if cast:
        table = table.astype(cast)
    if estimated is not None:  # what the corpus says, and whether the labels were adjusted to it
        table.attrs["priors"] = {lab: round(float(x), 4) for lab, x in zip(stance_model.LABELS, estimated)}
        table.attrs["prior_shift_p"] = p_value
        table.attrs["priors_adapted"] = bool(adapt)
    return table


def stance(articles: pd.DataFrame, targets: dict | None = None, *, docs: dict | None = None,
           quotes_table: pd.DataFrame | None = None, entities_table: pd.DataFrame | None = None,
           top: int = 4, text_col: str = "text", method: str = "model", priors: str = "corpus") -> pd.DataFrame:
    """Each mention of a target, in whose voice, with what polarity toward it (the stance table).

    Args:
        articles: the articles table.
        targets: ``{canonical target: [aliases]}``; None takes the ``top`` most mentioned people,
            organisations and places (with the aliases the entities layer found for them).
        docs, quotes_table, entities_table: reuse what was computed already (computed when missing).
        priors: ``"corpus"`` adjusts the model's probabilities to the class priors of this corpus, estimated
            from it without labels (:func:`stance_table`); ``"trained"`` keeps the training prior.

    Returns:
        A new DataFrame with ``STANCE_COLUMNS``: the mention and its sentence offsets, ``voice`` (author /
        quoted) and ``speaker``, ``polarity`` (-1..1) and ``subjectivity`` (0..1) of the clause around the
        mention (``scope``), the loaded ``terms`` found there, the ``label`` (negative / neutral / positive)
        and, for comparison, ``baseline_polarity``: TextBlob on the whole sentence.
        ``method="model"`` (the default) labels each mention with the trained model of
        ``analysis.stance_model`` (polarity = P(positive) − P(negative), ``p_*`` its probabilities, adjusted to
        the corpus's priors); ``method="lexicon"`` with the clause's TextBlob score plus the loaded-terms
        lexicon (|polarity| > 0.1; ``p_*`` empty). ``evidence`` names the words and features that pushed the
        label, each with its sign; ``resolved`` flags a pronoun or description that the names layer resolved
        to the target. Every alias of a target in the text is a mention. Per article this is
        :func:`stance_article` (what a worker process runs), and :func:`stance_table` joins the articles.
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
    q_by, e_by = _by_article(q), _by_article(ents)
    keep = ["article_id", "outlet"] if "outlet" in usable.columns else ["article_id"]
    rows = []
    for article in usable[keep].to_dict("records"):
        rows += stance_article(article, docs.get(article["article_id"]), targets,
                               quote_rows=q_by.get(article["article_id"], []),
                               entity_rows=e_by.get(article["article_id"], []), method=method)
    return stance_table(rows, priors=priors)


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
    # each group's rows as positions into plain columns (a pandas sort, head and value count per group cost
    # milliseconds each, and analyze summarises every story); the groups in the order groupby sorts them
    polarity = t["polarity"].to_numpy(dtype=float)
    labels = t["label"].tolist()
    starts = t["start"].tolist()
    said = t["sentence"].tolist()
    evidence_of = t["evidence"].fillna("").tolist() if "evidence" in t.columns else None
    rows = []
    for (group, target, voice), at in t.groupby([by, "target", "voice"]).indices.items():
        n = len(at)
        values = polarity[at]
        counts: dict[str, int] = {}
        for i in at:
            counts[labels[i]] = counts.get(labels[i], 0) + 1
        labelled = sum(c for lab, c in counts.items() if lab == lab)  # the shares of the labelled ones
        means = values[rng.integers(0, n, size=(boot, n))].mean(axis=1)
        low, high = np.quantile(means, [alpha, 1 - alpha])
        known = ~np.isnan(values)  # as part.sort_values("polarity"): the missing ones last, in their order
        order = np.concatenate([at[known][np.argsort(values[known], kind="quicksort")], at[~known]])
        picked = list(order[:evidence]) + list(order[max(n - evidence, 0):])
        seen_starts: set = set()
        sentences = []
        for i in picked:  # the most negative and most positive mentions, once each start, not neutral
            if starts[i] in seen_starts:
                continue
            seen_starts.add(starts[i])
            if labels[i] != "neutral":
                sentences.append(f"{polarity[i]:+.2f} · {said[i]}")
        words: dict[str, int] = {}
        if evidence_of is not None:
            for i in at:
                if labels[i] == "neutral":
                    continue
                for item in filter(None, (x.strip() for x in re.split(r",\s(?=[^,]*\()", evidence_of[i]))):
                    words[item] = words.get(item, 0) + 1
        top = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        rows.append({by: group, "target": target, "voice": voice, "mentions": n,
                     "mean_polarity": round(float(values.mean()), 3), "polarity_low": round(float(low), 3),
                     "polarity_high": round(float(high), 3),
                     **{lab: round(counts.get(lab, 0) / labelled, 3) if labelled else 0.0
                        for lab in ("negative", "neutral", "positive")},
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
