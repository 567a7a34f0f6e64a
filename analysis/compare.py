"""The comparative report: findings about all outlets at once, each a sentence, a chart and its evidence.

``findings(articles)`` runs every layer once (one parse per article) and returns a list of ``Finding``:
a title, one plain-language sentence computed from the tables, the evidence table behind it, and a
``chart(ax=None)`` that draws it. ``06_comparison.ipynb`` prints them for a reader who runs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from . import charts
from .dates import dates, timeline_table
from .entities import entities
from .framing import distinctive_terms, facts, frame_summary, frames, loaded_language, loaded_summary
from .nlp import analysable, parse
from .sources import quotes
from .stance import intervals_overlap, stance, stance_summary
from .voices import NO_SPEAKER, media_citations, source_key, source_shares, source_summary, voice_coverage

__all__ = ["Finding", "findings"]


@dataclass
class Finding:
    """One comparative finding: what it says, the rows that show it, and a chart of it."""

    title: str
    sentence: str
    evidence: pd.DataFrame
    chart: Callable | None = field(default=None, repr=False)


def _n(n: int, word: str) -> str:
    """ "1 fact", "3 facts"."""
    return f"{n} {word if n == 1 else word + 's'}"


def _no_speaker_note(n: int) -> str:
    """ " 2 attributions with no speaker found are counted apart, not as a voice." ("" for none)."""
    if not n:
        return ""
    return f" {_n(n, 'attribution')} with no speaker found {'is' if n == 1 else 'are'} counted apart, not as a voice."


def _the(name: str, ents: pd.DataFrame | None = None, articles: pd.DataFrame | None = None) -> str:
    """ "the United States", "the European Union": a name takes "the" when it starts with "United " or when
    the corpus writes "the" before most of its mentions."""
    if name.startswith("United "):
        return f"the {name}"
    if ents is not None and articles is not None and len(ents):
        texts = dict(zip(articles["article_id"], articles["text"]))
        rows = ents[ents["canonical"] == name]
        before = [texts.get(a, "")[max(0, int(s) - 4):int(s)].lower()
                  for a, s in zip(rows["article_id"], rows["start"])]
        if before and sum(b == "the " for b in before) > len(before) / 2:
            return f"the {name}"
    return name


def _ends(series: pd.Series) -> tuple[list, list]:
    """The labels holding the highest and the lowest value (several when tied)."""
    return series[series == series.max()].index.tolist(), series[series == series.min()].index.tolist()


def _names(items, limit: int = 4) -> str:
    items = [str(i) for i in items]
    if len(items) > limit:
        items = items[:limit] + [f"{len(items) - limit} more"]
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1] if items else "none"


def _unquoted_government(q: pd.DataFrame, usable: pd.DataFrame, *, by: str = "outlet") -> tuple[str, list]:
    """The country whose government sources some outlets quote and others do not (the most quoted such
    country), and the outlets that quote none of them; ("", []) when every outlet quotes the same states."""
    gov = q[(q["source_type"] == "government") & (q["country"].fillna("") != "")].merge(usable[["article_id", by]])
    outlets = sorted(usable[by].unique())
    for country, _n_quotes in gov["country"].value_counts().items():
        quoting = set(gov.loc[gov["country"] == country, by])
        silent = [o for o in outlets if o not in quoting]
        if silent and len(silent) < len(outlets):
            return str(country), silent
    return "", []


def findings(articles, *, targets: dict | None = None, by: str = "outlet") -> list[Finding]:
    """Comparative findings for a journalist, from an articles table or a ``Bundle`` from ``analyze`` (whose
    tables are reused): sourcing, voices left out, outlets relied on, loaded language, stance toward the
    main actor, facts only one outlet reports, history recalled, the words and frames that set each outlet
    apart. Each sentence is computed from the tables it shows."""
    bundle = articles if hasattr(articles, "quotes") and hasattr(articles, "articles") else None
    if bundle is not None:
        articles = bundle.articles
    usable = analysable(articles)
    if usable.empty:
        return [Finding("Nothing to compare", "No article could be read, so there is nothing to compare.",
                        articles[["article_id", "status", "problem"]])]
    docs = parse(usable)
    q = bundle.quotes if bundle is not None else quotes(usable, docs=docs)
    ents = bundle.entities if bundle is not None else entities(usable, docs=docs)
    out: list[Finding] = []
    outlets = sorted(usable[by].unique())
    if len(outlets) < 2:
        out.append(Finding("One outlet only", f"The corpus has one outlet ({outlets[0]}): the findings below "
                           "describe it, but there is nothing to compare it with.", usable[[by, "title"]]))

    # 1. sourcing diversity
    summary = source_summary(q, usable, by=by)
    if summary["quotes"].sum():
        top, bottom = _ends(summary["sources"])
        if top == bottom:
            first = f"Every outlet gives room to {_n(int(summary['sources'].iloc[0]), 'distinct source')}. "
        else:
            first = (f"{_names(top)} give{'s' if len(top) == 1 else ''} room to the most distinct sources "
                     f"({summary.loc[top[0], 'sources']}); {_names(bottom)} to the fewest "
                     f"({summary.loc[bottom[0], 'sources']}). ")
        out.append(Finding(
            "Who gets a voice",
            first + f"Direct quotation ranges from {summary['direct'].min():.0%} to {summary['direct'].max():.0%} "
            "of an outlet's attributions; Shannon diversity (bits) is in the table."
            + _no_speaker_note(int(summary["no_speaker_found"].sum())),
            summary.reset_index(), lambda ax=None: charts.share_bars(source_shares(q, usable, by=by), by=by, ax=ax,
                                                                   title="share of attributions by source type")))
    else:
        out.append(Finding("Who gets a voice", "No outlet quotes anyone in this corpus.", summary.reset_index()))

    # 2. voices everyone quotes, voices one outlet alone quotes; who quotes no government source of a state
    # that the other outlets quote
    coverage = voice_coverage(q, usable, by=by)
    if len(coverage):
        every = coverage[coverage["coverage"] == "every outlet"]["source"].tolist()
        alone = coverage[coverage["coverage"] == "one outlet only"]
        alone_named = alone[~alone["source"].str.startswith("unnamed") & (alone["source"] != NO_SPEAKER)]
        per = alone_named.groupby("quoted_by")["source"].apply(list)
        parts = [f"{o} alone quotes {_names(s, 3)}" for o, s in per.items()]
        sentence = (f"Every outlet quotes {_names(every)}. " if every else "No source is quoted by every outlet. ")
        sentence += ("; ".join(parts) + ". ") if parts else ""
        country, silent = _unquoted_government(q, usable, by=by)
        if country:
            verb = "quotes" if len(silent) == 1 else "quote"
            sentence += f"{_names(silent)} {verb} no government source of {_the(country)}."
        with_outlet = q.merge(usable[["article_id", by]])
        with_outlet = with_outlet[source_key(with_outlet) != NO_SPEAKER]  # a missed speaker is not a voice
        grid = pd.crosstab(with_outlet[by], with_outlet["speaker_canonical"].replace("", "(unnamed)"))
        grid = grid.reindex(outlets, fill_value=0)
        out.append(Finding("Voices shared and voices left out", sentence, coverage,
                           lambda ax=None: charts.count_heatmap(grid, ax=ax,
                                                                title="attributions per outlet and source")))

    # 3. outlets relied on
    cites = media_citations(q, usable, by=by)
    if len(cites):
        counts = cites.groupby([by, "cites"]).size().sort_values(ascending=False)
        top = [f"{o} cites {c} {n} time{'s' if n > 1 else ''}" for (o, c), n in counts.head(4).items()]
        out.append(Finding("Outlets relying on other outlets", "; ".join(top) + ".",
                           cites.drop(columns=["start", "end"])))

    # 4. loaded language in the outlet's own voice
    loaded = bundle.loaded if bundle is not None and by == "outlet" else loaded_language(usable, q, by=by)
    lsum = loaded_summary(loaded, usable, by=by)
    if lsum["author_terms"].sum():
        top, bottom = _ends(lsum["author_per_1000_words"])
        examples = loaded[(loaded[by].isin(top)) & (loaded["voice"] == "author")]["term"].value_counts().index[:5]
        if top == bottom:
            sentence = (f"Every outlet uses loaded or evaluative terms in its own voice at the same rate "
                        f"({lsum['author_per_1000_words'].iloc[0]:.1f} per 1,000 words).")
        else:
            rate = lsum.loc[top[0], "author_per_1000_words"]
            sentence = (f"{_names(top)} use{'s' if len(top) == 1 else ''} the most loaded or evaluative terms in "
                        f"{'its' if len(top) == 1 else 'their'} own voice ({rate:.1f}"
                        f" per 1,000 words, e.g. {_names(list(examples), 5)}); {_names(bottom)} the fewest "
                        f"({lsum.loc[bottom[0], 'author_per_1000_words']:.1f}). Terms inside quotes are counted apart.")
        out.append(Finding(
            "Loaded language in the outlets' own words", sentence,
            loaded[loaded["voice"] == "author"][[by, "term", "category", "sentence"]],
            lambda ax=None: charts.grouped_bars(lsum.assign(quoted_per_1000_words=(
                1000 * lsum["quoted_terms"] / lsum["words"]).round(2)),
                ["author_per_1000_words", "quoted_per_1000_words"], ax=ax, xlabel="loaded terms per 1,000 words")))

    # 5. stance toward the main actors in the author's voice
    st = bundle.stance if bundle is not None and targets is None else stance(
        usable, targets, docs=docs, quotes_table=q, entities_table=ents)
    if len(st):
        ssum = stance_summary(st, usable, by=by)
        author = ssum[ssum["voice"] == "author"]
        reach = author.groupby("target")[by].nunique()
        mentions = author.groupby("target")["mentions"].sum()
        shared = [t for t in mentions.sort_values(ascending=False).index if reach.get(t, 0) >= 2]
        if shared:
            main = shared[0]
            the_main = _the(main, ents, usable)
            part = author[author["target"] == main].set_index(by)
            worst, best = _ends(-part["mean_polarity"])
            if worst == best:
                sentence = (f"Every outlet writes about {the_main} in the same tone in its own voice (mean "
                            f"polarity {part['mean_polarity'].iloc[0]:+.2f}).")
            else:
                w, b = worst[0], best[0]
                sentence = (f"Writing in their own voice about {the_main} (the actor most outlets mention), "
                            f"{_names(worst)} {'is' if len(worst) == 1 else 'are'} the most negative (mean polarity "
                            f"{part.loc[w, 'mean_polarity']:+.2f}, {part.loc[w, 'negative']:.0%} of "
                            f"{_n(int(part.loc[w, 'mentions']), 'mention')} negative) and {_names(best)} the least "
                            f"({part.loc[b, 'mean_polarity']:+.2f}).")
                if "polarity_low" in part.columns:  # bootstrap intervals over the mentions
                    lo_w, hi_w = part.loc[w, "polarity_low"], part.loc[w, "polarity_high"]
                    lo_b, hi_b = part.loc[b, "polarity_low"], part.loc[b, "polarity_high"]
                    span = f"95% intervals {lo_w:+.2f} to {hi_w:+.2f} and {lo_b:+.2f} to {hi_b:+.2f}"
                    if intervals_overlap(author, w, b, target=main, by=by):
                        sentence += (f" The intervals overlap ({span}): with so few mentions the difference may be "
                                     f"noise.")
                    else:
                        sentence += f" The intervals do not overlap ({span})."
            cols = [c for c in (by, "mentions", "mean_polarity", "polarity_low", "polarity_high", "negative",
                                "neutral", "positive", "evidence_words", "evidence") if c in part.reset_index().columns]
            evidence = part.reset_index()[cols]
            out.append(Finding(f"How outlets write about {the_main}", sentence, evidence,
                               lambda ax=None: charts.polarity_heatmap(ssum, voice="author", by=by, ax=ax)))

    # 6. facts only one outlet reports
    ft = facts(usable, by=by, docs=docs)
    if len(ft):
        only = ft[ft["outlets"] == 1]
        shared = ft[ft["outlets"] > 1]["fact"].nunique()
        per = only.groupby(by).size().reindex(outlets, fill_value=0)
        top, bottom = _ends(per)
        sentence = f"{_n(shared, 'fact')} {'is' if shared == 1 else 'are'} stated by more than one outlet. "
        if top == bottom:
            sentence += f"Every outlet reports {_n(int(per.iloc[0]), 'sentence')} that no other outlet does."
        else:
            sentence += (f"{_names(top)} report{'s' if len(top) == 1 else ''} the most that no other outlet does "
                         f"({_n(int(per[top[0]]), 'sentence')}), {_names(bottom)} the fewest ({per[bottom[0]]}).")
        out.append(Finding(
            "What each outlet includes that the others leave out", sentence, only[[by, "sentence"]],
            lambda ax=None: charts.grouped_bars(per.to_frame("facts only this outlet reports"),
                                                ["facts only this outlet reports"], ax=ax)))

    # 7. history recalled
    dt = timeline_table(bundle.dates if bundle is not None else dates(usable, docs=docs), usable, by=by)
    years = dt[(dt["type"] == "DATE") & dt["value"].str.fullmatch(r"\d{4}(-\d\d)?(-\d\d)?") & ~dt["relative"]]
    if len(years):
        recalled = years.assign(year=years["value"].str[:4]).groupby(by)["year"].apply(lambda s: sorted(set(s)))
        parts = [f"{o} recalls {_names(y, 5)}" for o, y in recalled.items()]
        none = [o for o in outlets if o not in recalled.index]
        sentence = "; ".join(parts) + "."
        if none:
            sentence += f" {_names(none)} name{'s' if len(none) == 1 else ''} no year."
        out.append(Finding("The history each outlet recalls", sentence, years[[by, "text", "value", "sentence"]],
                           lambda ax=None: charts.timeline(dt, by=by, ax=ax)))

    # 8. words and frames that set each outlet apart
    words = distinctive_terms(usable, by=by, docs=docs, top=3)
    if len(words):
        parts = [f"{o}: {_names(list(w['term']), 3)}" for o, w in words.groupby(by)]
        out.append(Finding("Words that set each outlet apart",
                           "Most distinctive words (weighted log-odds against all other outlets) — " + "; ".join(parts)
                           + ".", words, lambda ax=None: charts.term_dots(distinctive_terms(usable, by=by, docs=docs,
                                                                                           top=6), by=by, ax=ax)))
    fr = frame_summary(frames(usable, by=by), by=by)
    if not fr.empty and fr.to_numpy().sum():
        leading = fr.drop(columns=["other"], errors="ignore").idxmax(axis=1)
        parts = [f"{o}: {f}" for o, f in leading.items()]
        out.append(Finding("Frames", "The frame each outlet evokes most (frame words per 100 words, Policy Frames "
                           "Codebook) — " + "; ".join(parts) + ".", fr.reset_index(),
                           lambda ax=None: charts.value_heatmap(fr, ax=ax)))
    return out
