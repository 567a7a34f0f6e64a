"""The comparative report: the outlets compared within each story, then what holds across stories.

A framing difference only means something between articles about the same event, so ``findings(articles)``
first groups the articles into stories (:func:`analysis.stories`, or a ``story`` column the user gave) and
compares the outlets *within* each story covered by at least two of them: who gets a voice, voices left
out, outlets relied on, loaded language, stance toward the story's main actor, facts only one outlet
reports, the same quotes cut differently, history recalled, and the words and frames that set each outlet
apart. Stories come largest first. Then a cross-story summary keeps only what holds in most of the stories
an outlet shares with others (an outlet leading a measure in one story of five is not a pattern).

Each result is a ``Finding``: a title, one plain-language sentence computed from the tables, the evidence
table behind it, a ``chart(ax=None)`` that draws it, and the ``story`` (and ``story_title``) it belongs to
(``""`` for the cross-story summary). ``by`` is any column of the articles table (``outlet``, a user's
``lean`` or ``country``); ``within`` is the column that holds a story (``None``: the whole corpus at once,
the old pooled comparison). ``06_comparison.ipynb`` prints them for a reader who runs nothing.
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
from .stories import story_order, with_stories
from .voices import (
    NO_SPEAKER,
    media_citations,
    same_quotes,
    source_key,
    source_shares,
    source_summary,
    voice_coverage,
)

__all__ = ["Finding", "findings", "sections", "attach", "story_stance", "story_targets", "story_leads", "MEASURES"]

#: The measures a cross-story summary counts: key -> what leading it means, in words.
MEASURES = {
    "most_sources": "gives room to the most distinct sources",
    "fewest_sources": "gives room to the fewest distinct sources",
    "most_loaded": "uses the most loaded or evaluative terms in its own voice (per 1,000 words)",
    "most_negative": "writes most negatively, in its own voice, about the story's main actor",
    "most_unique": "reports the largest share of sentences that no other outlet in the story reports",
    "most_cut": "cuts the most words from quotes other outlets carry in full",
}


#: A stance difference needs at least this many mentions on each side before it can lead (a single mention's
#: bootstrap interval has no width, so two single mentions never "overlap").
MIN_MENTIONS = 3


@dataclass
class Finding:
    """One comparative finding: what it says, the rows that show it, and a chart of it."""

    title: str
    sentence: str
    evidence: pd.DataFrame
    chart: Callable | None = field(default=None, repr=False)
    story: str = ""
    story_title: str = ""
    #: How marked the difference is, for ranking findings (None: a finding that ranks nothing): the gap between
    #: the leading and the trailing group relative to the scale (0..1), times n / (n + 2) for a story of n
    #: articles; a pattern that holds across stories scores 1 + the share of stories where it holds.
    strength: float | None = None


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


def attach(table: pd.DataFrame, articles: pd.DataFrame, by: str) -> pd.DataFrame:
    """``table`` (keyed by ``article_id``) restricted to the articles of ``articles``, with their ``by``
    value as a column (replacing one of that name already there)."""
    if by == "article_id":
        return table[table["article_id"].isin(set(articles["article_id"]))]
    keys = articles[["article_id", by]].drop_duplicates("article_id")
    return table.drop(columns=[by], errors="ignore").merge(keys, on="article_id", how="inner")


def _quotes_for(q: pd.DataFrame, arts: pd.DataFrame, by: str) -> pd.DataFrame:
    """The quotes of ``arts``, for the voices functions, which attach the ``by`` column themselves (a ``by`` that
    is also a quotes column, such as ``country``, must not overwrite the speaker's own)."""
    return q[q["article_id"].isin(set(arts["article_id"]))].drop(columns=["outlet"], errors="ignore")


def _unquoted_government(q: pd.DataFrame, usable: pd.DataFrame, *, by: str = "outlet") -> tuple[str, list]:
    """The country whose government sources some outlets quote and others do not (the most quoted such
    country), and the outlets that quote none of them; ("", []) when every outlet quotes the same states."""
    gov = q[(q["source_type"] == "government") & (q["country"].fillna("") != "")]
    # the speaker's country under its own name, so that by="country" (the outlet's) cannot overwrite it
    gov = attach(gov.rename(columns={"country": "_speaker_country"}), usable, by)
    outlets = sorted(usable[by].unique())
    for country, _n_quotes in gov["_speaker_country"].value_counts().items():
        quoting = set(gov.loc[gov["_speaker_country"] == country, by])
        silent = [o for o in outlets if o not in quoting]
        if silent and len(silent) < len(outlets):
            return str(country), silent
    return "", []


def _sole(items: list) -> str:
    """The one leader of a measure (``""`` when several tie: a tie leads nothing)."""
    return str(items[0]) if len(items) == 1 else ""


def stories_sharing_a_target(stance_rows: pd.DataFrame, story_of: dict, group_of: dict) -> set:
    """The stories (``story_of``: article -> story) in which two groups (``group_of``: article -> outlet, ...)
    write about one target of ``stance_rows`` in their own voice: those the corpus's targets serve."""
    author = stance_rows[stance_rows["voice"] == "author"]
    if not len(author):
        return set()
    keyed = pd.DataFrame({"story": author["article_id"].map(story_of), "target": author["target"],
                          "group": author["article_id"].map(group_of)})
    counted = keyed.groupby(["story", "target"])["group"].nunique()
    return set(counted[counted >= 2].index.get_level_values("story"))


def story_targets(stance_rows: pd.DataFrame, arts: pd.DataFrame, entities_table: pd.DataFrame | None, *,
                  by: str = "outlet", top: int = 4) -> dict | None:
    """The targets :func:`story_stance` reads one story for: None when the corpus's stance rows serve (two ``by``
    groups of the story write about one of the corpus's targets in their own voice, or the story names no
    actor), else the story's own ``top`` most named actors."""
    from .stance import default_targets

    ids = set(arts["article_id"])
    rows = stance_rows[stance_rows["article_id"].isin(ids)]
    if stories_sharing_a_target(rows, dict.fromkeys(ids, ""), dict(zip(arts["article_id"], arts[by]))):
        return None
    ents = entities_table[entities_table["article_id"].isin(ids)] if entities_table is not None else None
    if ents is None or ents.empty:
        return None
    return default_targets(ents, top=top) or None


def story_stance(stance_rows: pd.DataFrame, arts: pd.DataFrame, *, docs: dict | None = None,
                 quotes_table: pd.DataFrame | None = None, entities_table: pd.DataFrame | None = None,
                 by: str = "outlet", top: int = 4, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The stance rows of one story's articles: the corpus's (``stance_rows``, for the corpus's targets) when
    two ``by`` groups of the story write about one of those targets in their own voice; otherwise the stance
    layer is run on the story alone with the story's own ``top`` most named actors as targets (a story about
    an earthquake is not about the corpus's most named politicians).

    ``table``: a ``Bundle``'s ``story_stance`` (every story's rows, computed so by ``analyze`` for ``by="outlet"``),
    whose rows of these articles are returned instead (nothing parsed)."""
    ids = set(arts["article_id"])
    if table is not None:
        return table[table["article_id"].isin(ids)].reset_index(drop=True)
    rows = stance_rows[stance_rows["article_id"].isin(ids)]
    targets = story_targets(stance_rows, arts, entities_table, by=by, top=top)
    if targets is None:
        return rows
    ents = entities_table[entities_table["article_id"].isin(ids)]
    q = quotes_table[quotes_table["article_id"].isin(ids)] if quotes_table is not None else None
    docs = {a: d for a, d in docs.items() if a in ids} if docs is not None else None
    return stance(arts, targets, docs=docs, quotes_table=q, entities_table=ents)


class _Tables:
    """The corpus-wide tables, computed once (or read from a bundle), cut per story. With a bundle compared by
    outlet within its stories, every table is the bundle's (facts, distinctive words and each story's stance
    included) and nothing is parsed."""

    NAMES = ("q", "ents", "stance", "loaded", "dates", "facts", "story_rows")

    def __init__(self, bundle, usable: pd.DataFrame, targets, *, by: str = "outlet", within: str | None = None,
                 docs: dict | None = None):
        self.usable = usable
        # the bundle's story-level tables hold for its own grouping: the outlets within analyze's stories
        ready = (bundle is not None and targets is None and by == "outlet" and within == "story"
                 and getattr(bundle, "facts", None) is not None)
        self.docs = docs if docs is not None or ready else parse(usable)
        self.q = bundle.quotes if bundle is not None else quotes(usable, docs=self.docs)
        self.ents = bundle.entities if bundle is not None else entities(usable, docs=self.docs)
        self.stance = bundle.stance if bundle is not None and targets is None else stance(
            usable, targets, docs=self.docs, quotes_table=self.q, entities_table=self.ents)
        self.loaded = bundle.loaded if bundle is not None else loaded_language(usable, self.q)
        self.dates = bundle.dates if bundle is not None else dates(usable, docs=self.docs)
        # facts: sentences compared within each story only (pairs inside a story), IDF over the corpus
        self.facts = bundle.facts if ready else facts(usable, by=by, docs=self.docs, within=within) if within else None
        self.story_rows = bundle.story_stance if ready else None  # each story's stance rows (story_stance)
        self.words = bundle.distinctive if ready else None  # story, outlet, term ...: the top 6 of each story
        self._parts: dict[str, dict] = {}
        self._words: dict = {}
        if within:  # every table's rows of each story found once (positions), so that a story's findings never
            # scan the whole corpus; a story's rows are cut when it is compared (a report shows a few of thousands)
            story_of = dict(zip(usable["article_id"], usable[within]))
            for name in self.NAMES:
                table = getattr(self, name)
                if table is None:
                    continue
                keys = table["article_id"].map(story_of)
                self._parts[name] = table.groupby(keys, sort=False).indices
            if self.words is not None:
                self._words = self.words.groupby("story", sort=False).indices

    def story(self, story: str) -> _Tables:
        """The same tables cut to one story (the parses are shared)."""
        if not self._parts:
            return self
        view = object.__new__(_Tables)
        view.usable, view.docs, view._parts, view._words = self.usable, self.docs, {}, {}
        for name in self.NAMES:
            table = getattr(self, name)
            if table is not None:
                rows = self._parts[name].get(story)
                table = table.iloc[rows] if rows is not None else table.iloc[:0]
            setattr(view, name, table)
        if self.words is not None:
            rows = self._words.get(story)
            words = self.words.iloc[rows] if rows is not None else self.words.iloc[:0]
            view.words = words.drop(columns=["story"]).reset_index(drop=True)
        else:
            view.words = None
        return view


def _compare(t: _Tables, arts: pd.DataFrame, by: str, *, scope: str = "this story",
             measure_stance: bool = False, leads_only: bool = False,
             same: pd.DataFrame | None = None) -> tuple[list[Finding], dict]:
    """The findings comparing the ``by`` groups of ``arts`` (one story, or the whole corpus), and the leader
    of each measure (``MEASURES``; ``""`` when tied or not measured). ``leads_only``: only what the leaders
    are computed from (the same leaders; the findings that lead nothing, their charts and tables, are left
    out), for the stories a report counts but does not show. ``same``: these articles' ``same_quotes`` rows
    when they are known already (the bundle's, compared within the story: the same groups)."""
    docs = t.docs
    out: list[Finding] = []
    lead: dict[str, str] = {}
    groups = sorted(arts[by].astype(str).unique())
    arts = arts.assign(**{by: arts[by].astype(str)})
    unit = "outlet" if by == "outlet" else by  # the word for one group in the sentences
    every = f"every {unit}"
    unit_every = f"Every {unit}"
    q = _quotes_for(t.q, arts, by)
    gaps: dict[str, float] = {}

    # 1. sourcing diversity
    summary = source_summary(q, arts, by=by)
    if summary["quotes"].sum():
        top, bottom = _ends(summary["sources"])
        if top == bottom:
            first = f"{unit_every} gives room to {_n(int(summary['sources'].iloc[0]), 'distinct source')}. "
        else:
            first = (f"{_names(top)} give{'s' if len(top) == 1 else ''} room to the most distinct sources "
                     f"({summary.loc[top[0], 'sources']}); {_names(bottom)} to the fewest "
                     f"({summary.loc[bottom[0], 'sources']}). ")
            lead["most_sources"], lead["fewest_sources"] = _sole(top), _sole(bottom)
            gaps["Who gets a voice"] = (summary["sources"].max() - summary["sources"].min()) / summary["sources"].max()
        shares = None if leads_only else source_shares(q, arts, by=by)
        out.append(Finding(
            "Who gets a voice",
            first + f"Direct quotation ranges from {summary['direct'].min():.0%} to {summary['direct'].max():.0%} "
            "of an outlet's attributions; Shannon diversity (bits) is in the table."
            + _no_speaker_note(int(summary["no_speaker_found"].sum())),
            summary.reset_index(), lambda ax=None, shares=shares: charts.share_bars(shares, by=by, ax=ax,
                                                                   title="share of attributions by source type")))
    else:
        out.append(Finding("Who gets a voice", f"No {unit} quotes anyone in {scope}.", summary.reset_index()))

    # 2. voices everyone quotes, voices one outlet alone quotes; who quotes no government source of a state
    # that the other outlets quote
    coverage = voice_coverage(q, arts, by=by) if not leads_only else None
    if coverage is not None and len(coverage):
        everyone = coverage[coverage["coverage"] == "every outlet"]["source"].tolist()
        alone = coverage[coverage["coverage"] == "one outlet only"]
        alone_named = alone[~alone["source"].str.startswith("unnamed") & (alone["source"] != NO_SPEAKER)]
        per = alone_named.groupby("quoted_by")["source"].apply(list)
        parts = [f"{o} alone quotes {_names(s, 3)}" for o, s in per.items()]
        sentence = (f"{every.capitalize()} quotes {_names(everyone)}. " if everyone
                    else f"No source is quoted by {every}. ")
        sentence += ("; ".join(parts) + ". ") if parts else ""
        country, silent = _unquoted_government(t.q[t.q["article_id"].isin(set(arts["article_id"]))], arts, by=by)
        if country:
            verb = "quotes" if len(silent) == 1 else "quote"
            sentence += f"{_names(silent)} {verb} no government source of {_the(country)}."
        with_by = attach(t.q, arts, by)
        with_by = with_by[source_key(with_by) != NO_SPEAKER]  # a missed speaker is not a voice
        grid = pd.crosstab(with_by[by], with_by["speaker_canonical"].replace("", "(unnamed)"))
        grid = grid.reindex(groups, fill_value=0)
        grid = grid[grid.sum().sort_values(ascending=False).index[:25]]
        out.append(Finding("Voices shared and voices left out", sentence.strip(), coverage,
                           lambda ax=None, grid=grid: charts.count_heatmap(grid, ax=ax,
                                                                title="attributions per outlet and source")))

    # 3. the same quote, cut differently
    same = same_quotes(q, arts, by=by) if same is None else same
    if len(same):
        n_groups = same["group"].nunique()
        ref_of = same[same["relation"] == "reference"].set_index("group")[by]
        cut = same[same["relation"].isin(["shortened", "reworded", "paraphrased"])]
        cut = cut[cut[by] != cut["group"].map(ref_of)]  # cut from another outlet's fuller version, not its own
        cut_words = cut.groupby(by)["words_cut"].sum().reindex(groups, fill_value=0)
        sentence = f"{_n(n_groups, 'statement')} {'is' if n_groups == 1 else 'are'} quoted by more than one {unit}. "
        if cut_words.sum():
            top, _ = _ends(cut_words)
            lead["most_cut"] = _sole(top)
            sentence += (f"{_names(top)} cut{'s' if len(top) == 1 else ''} the most words from the fullest version "
                         f"({_n(int(cut_words[top[0]]), 'word')} in all).")
        else:
            sentence += f"{unit_every} quotes them in the same words."
        out.append(Finding("The same quotes, cut differently", sentence.strip(),
                           same.drop(columns=["diff_html", "start", "end"]),
                           lambda ax=None, cut_words=cut_words: charts.bars(cut_words, ax=ax, fmt="{:g}",
                                                       title="words cut from quotes other outlets carry")))

    # 4. outlets relied on
    cites = media_citations(q, arts, by=by) if not leads_only else None
    if cites is not None and len(cites):
        counts = cites.groupby([by, "cites"]).size().sort_values(ascending=False)
        top = [f"{o} cites {c} {n} time{'s' if n > 1 else ''}" for (o, c), n in counts.head(4).items()]
        out.append(Finding("Outlets relying on other outlets", "; ".join(top) + ".",
                           cites.drop(columns=["start", "end"])))

    # 5. loaded language in the outlet's own voice
    loaded = attach(t.loaded, arts, by)
    lsum = loaded_summary(loaded, arts, by=by)
    if len(lsum) and lsum["author_terms"].sum():
        top, bottom = _ends(lsum["author_per_1000_words"])
        examples = loaded[(loaded[by].isin(top)) & (loaded["voice"] == "author")]["term"].value_counts().index[:5]
        if top == bottom:
            sentence = (f"{unit_every} uses loaded or evaluative terms in its own voice at the same rate "
                        f"({lsum['author_per_1000_words'].iloc[0]:.1f} per 1,000 words).")
        else:
            lead["most_loaded"] = _sole(top)
            rates = lsum["author_per_1000_words"]
            gaps["Loaded language in the outlets' own words"] = (rates.max() - rates.min()) / rates.max()
            rate = lsum.loc[top[0], "author_per_1000_words"]
            sentence = (f"{_names(top)} use{'s' if len(top) == 1 else ''} the most loaded or evaluative terms in "
                        f"{'its' if len(top) == 1 else 'their'} own voice ({rate:.1f}"
                        f" per 1,000 words, e.g. {_names(list(examples), 5)}); {_names(bottom)} the fewest "
                        f"({lsum.loc[bottom[0], 'author_per_1000_words']:.1f}). Terms inside quotes are counted apart.")
        view = lsum.assign(quoted_per_1000_words=(1000 * lsum["quoted_terms"] / lsum["words"]).round(2))
        out.append(Finding(
            "Loaded language in the outlets' own words", sentence,
            loaded[loaded["voice"] == "author"][[by, "term", "category", "sentence"]],
            lambda ax=None, view=view: charts.grouped_bars(
                view, ["author_per_1000_words", "quoted_per_1000_words"], ax=ax,
                xlabel="loaded terms per 1,000 words")))

    # 6. stance toward the main actor in the author's voice
    st = attach(story_stance(t.stance, arts, docs=docs, quotes_table=t.q, entities_table=t.ents, by=by,
                             table=t.story_rows) if measure_stance else t.stance, arts, by)
    if len(st):
        ssum = stance_summary(st, arts, by=by)
        author = ssum[ssum["voice"] == "author"]
        reach = author.groupby("target")[by].nunique()
        mentions = author.groupby("target")["mentions"].sum()
        shared = [x for x in mentions.sort_values(ascending=False).index if reach.get(x, 0) >= 2]
        if shared:
            main = shared[0]
            the_main = _the(main, t.ents, arts)
            part = author[author["target"] == main].set_index(by)
            worst, best = _ends(-part["mean_polarity"])
            if worst == best:
                sentence = (f"{unit_every} writes about {the_main} in the same tone in its own voice (mean "
                            f"polarity {part['mean_polarity'].iloc[0]:+.2f}).")
            else:
                w, b = worst[0], best[0]
                sentence = (f"Writing in their own voice about {the_main} (the actor most outlets mention), "
                            f"{_names(worst)} {'is' if len(worst) == 1 else 'are'} the most negative (mean polarity "
                            f"{part.loc[w, 'mean_polarity']:+.2f}, {part.loc[w, 'negative']:.0%} of "
                            f"{_n(int(part.loc[w, 'mentions']), 'mention')} negative) and {_names(best)} the least "
                            f"({part.loc[b, 'mean_polarity']:+.2f}).")
                span = (f"95% intervals {part.loc[w, 'polarity_low']:+.2f} to {part.loc[w, 'polarity_high']:+.2f} "
                        f"and {part.loc[b, 'polarity_low']:+.2f} to {part.loc[b, 'polarity_high']:+.2f}")
                few = min(int(part.loc[w, "mentions"]), int(part.loc[b, "mentions"]))
                if few < MIN_MENTIONS:
                    sentence += (f" With {_n(few, 'mention')} on one side, too few to tell a difference from "
                                 f"chance ({span}).")
                elif intervals_overlap(author, w, b, target=main, by=by):
                    sentence += f" The intervals overlap ({span}): with so few mentions the difference may be noise."
                else:
                    sentence += f" The intervals do not overlap ({span})."
                    lead["most_negative"] = _sole(worst)  # a lead inside the noise is no lead
                    gaps["stance"] = min(1.0, abs(part.loc[w, "mean_polarity"] - part.loc[b, "mean_polarity"]))
            cols = [c for c in (by, "mentions", "mean_polarity", "polarity_low", "polarity_high", "negative",
                                "neutral", "positive", "evidence_words", "evidence") if c in part.reset_index().columns]
            out.append(Finding(f"How outlets write about {the_main}", sentence, part.reset_index()[cols],
                               lambda ax=None, ssum=ssum: charts.polarity_heatmap(ssum, voice="author", by=by, ax=ax)))

    # 7. facts only one outlet reports (also as a share of its sentences: a long article has more of them)
    ft = (t.facts[t.facts["article_id"].isin(set(arts["article_id"]))] if t.facts is not None
          else facts(arts, by=by, docs=docs))
    if len(ft):
        ft = ft.assign(**{by: ft[by].astype(str)})
        only = ft[ft["outlets"] == 1]
        shared_n = ft[ft["outlets"] > 1]["fact"].nunique()
        in_all = ft[ft["outlets"] == len(groups)]["fact"].nunique() if len(groups) > 1 else 0
        per = only.groupby(by).size().reindex(groups, fill_value=0)
        total = ft.groupby(by).size().reindex(groups, fill_value=0)
        share = (per / total.where(total > 0)).fillna(0).round(3)
        top, bottom = _ends(share)
        sentence = (f"{_n(shared_n, 'fact')} {'is' if shared_n == 1 else 'are'} stated by more than one {unit} "
                    f"({in_all} by {every}). ")
        if top == bottom:
            sentence += f"{unit_every} has the same share of sentences no other {unit} reports ({share.iloc[0]:.0%})."
        else:
            lead["most_unique"] = _sole(top)
            gaps["What each outlet includes that the others leave out"] = float(share.max() - share.min())
            sentence += (f"{_names(top)} report{'s' if len(top) == 1 else ''} the most that no other {unit} in "
                         f"{scope} does ({per[top[0]]} of {_n(int(total[top[0]]), 'sentence')}, "
                         f"{share[top[0]]:.0%}); {_names(bottom)} the least ({per[bottom[0]]} of "
                         f"{total[bottom[0]]}, {share[bottom[0]]:.0%}).")
        unique = pd.DataFrame({"facts only this outlet reports": per, "sentences": total, "share": share})
        out.append(Finding(
            "What each outlet includes that the others leave out", sentence,
            only[[by, "sentence"]].reset_index(drop=True),
            lambda ax=None, unique=unique: charts.bars(unique["facts only this outlet reports"], ax=ax,
                                        title="sentences no other outlet reports")))

    if leads_only:  # the rest leads no measure
        return out, lead

    # 8. history recalled
    dt = timeline_table(attach(t.dates, arts, "article_id"), arts, by=by)
    dt = dt.assign(**{by: dt[by].astype(str)})
    value = dt["value"].fillna("").astype(str)
    years = dt[(dt["type"] == "DATE") & value.str.fullmatch(r"\d{4}(-\d\d)?(-\d\d)?") & ~dt["relative"].astype(bool)]
    if len(years):
        published = pd.to_datetime(arts["published"], errors="coerce").dt.year.dropna().astype(int).astype(str)
        recalled = years.assign(year=years["value"].str[:4]).groupby(by)["year"].apply(lambda s: sorted(set(s)))
        parts = [f"{o} recalls {_names(y, 5)}" for o, y in recalled.items()]
        none = [o for o in groups if o not in recalled.index]
        sentence = "; ".join(parts) + "."
        if none:
            sentence += f" {_names(none)} name{'s' if len(none) == 1 else ''} no year."
        if len(published):
            sentence += f" (The articles were published in {_names(sorted(set(published)))}.)"
        out.append(Finding("The history each outlet recalls", sentence,
                           years[[by, "text", "value", "display", "sentence"]].reset_index(drop=True),
                           lambda ax=None, dt=dt: charts.timeline(dt, by=by, ax=ax)))

    # 9. words and frames that set each outlet apart
    words = t.words if t.words is not None else distinctive_terms(arts, by=by, docs=docs, top=6)
    if len(words):
        words = words.assign(**{by: words[by].astype(str)})
        parts = [f"{o}: {_names(list(w['term'].head(3)), 3)}" for o, w in words.groupby(by)]
        out.append(Finding("Words that set each outlet apart",
                           f"Most distinctive words against the other outlets in {scope} (weighted log-odds) — "
                           + "; ".join(parts) + ".", words,
                           lambda ax=None, words=words: charts.term_dots(words, by=by, ax=ax)))
    fr = frame_summary(frames(arts, by=by), by=by)
    if not fr.empty and fr.to_numpy().sum():
        leading = fr.drop(columns=["other"], errors="ignore").idxmax(axis=1)
        parts = [f"{o}: {f}" for o, f in leading.items()]
        out.append(Finding("Frames", "The frame each outlet evokes most (frame words per 100 words, Policy Frames "
                           "Codebook) — " + "; ".join(parts) + ".", fr.reset_index(),
                           lambda ax=None, fr=fr: charts.value_heatmap(fr, ax=ax)))
    weight = len(arts) / (len(arts) + 2)
    for f in out:
        gap = gaps.get("stance" if f.title.startswith("How outlets write about") else f.title)
        f.strength = None if gap is None else round(float(gap) * weight, 3)
    return out, lead


def _summary(leads: dict[str, dict], groups_of: dict[str, list], *, by: str) -> list[Finding]:
    """What holds in most stories: for each measure, each group that leads it (alone) in more than half of
    the stories it shares with other groups, and in at least two."""
    if len(leads) < 2:
        return [Finding("Across stories", "Only one story is covered by two outlets or more, so nothing can be "
                        "said about what holds across stories.", pd.DataFrame(columns=["measure", by]),
                        story="", story_title="")]
    rows = []
    for measure, words in MEASURES.items():
        for group in sorted({g for gs in groups_of.values() for g in gs}):
            compared = [s for s, gs in groups_of.items() if group in gs]
            led = [s for s in compared if leads[s].get(measure) == group]
            rows.append({"measure": measure, "meaning": words, by: group, "stories_leading": len(led),
                         "stories_compared": len(compared), "stories": ", ".join(led)})
    table = pd.DataFrame(rows)
    holds = table[(table["stories_leading"] >= 2) & (table["stories_leading"] * 2 > table["stories_compared"])]
    if holds.empty:
        sentence = (f"No outlet leads any measure in most of the {len(leads)} stories it shares with others: the "
                    "differences above are story by story, not habits of an outlet.")
        return [Finding("Across stories", sentence, table.sort_values(["measure", by]).reset_index(drop=True))]
    parts = [f"{getattr(r, by)} {r.meaning} in {r.stories_leading} of the {r.stories_compared} stories it shares "
             f"with other outlets" for r in holds.itertuples()]
    evidence = holds.reset_index(drop=True)
    chart_values = pd.Series({f"{getattr(r, by)} · {r.measure.replace('_', ' ')}": r.stories_leading
                              for r in holds.itertuples()})
    strength = 1 + float((holds["stories_leading"] / holds["stories_compared"]).max())
    return [Finding("Across stories", f"Of {len(leads)} stories covered by two outlets or more: "
                    + "; ".join(parts) + ".", evidence,
                    lambda ax=None: charts.bars(chart_values, ax=ax, by_outlet=False,
                                                title="stories in which the outlet leads the measure"),
                    strength=round(strength, 3))]


def findings(articles, *, targets: dict | None = None, by: str = "outlet", within: str | None = "story",
             max_stories: int | None = None, docs: dict | None = None) -> list[Finding]:
    """Comparative findings for a journalist, from an articles table or a ``Bundle`` from ``analyze`` (whose
    tables are reused).

    With ``within="story"`` (the default) the articles are grouped into stories (``analysis.stories``; a
    ``story`` column already in the table is kept) and the ``by`` groups (outlets, or any other column such
    as ``lean``) are compared within each story covered by at least two of them, largest story first; then
    one "Across stories" finding says what holds in most stories. ``within=None`` compares the groups over
    the whole corpus at once. ``max_stories`` keeps the findings of the first stories only (the summary
    still counts every story). ``docs`` reuses parses (``{article_id: Doc}``, e.g. shared with ``headlines``
    and ``naming``). Each sentence is computed from the table it shows."""
    bundle = articles if hasattr(articles, "quotes") and hasattr(articles, "articles") else None
    if bundle is not None:
        articles = bundle.articles
    usable = analysable(articles)
    if usable.empty:
        return [Finding("Nothing to compare", "No article could be read, so there is nothing to compare.",
                        articles[["article_id", "status", "problem"]])]
    if by not in usable.columns:
        raise KeyError(f"the articles table has no '{by}' column to compare by")
    if within == by:
        within = None
    if within == "story" and bundle is not None and getattr(bundle, "stories", None) is not None:
        usable = analysable(bundle.with_stories())  # the stories analyze grouped, not grouped again
    usable = usable.assign(**{by: usable[by].fillna("(none)").astype(str)})
    if within == "story":
        usable = with_stories(usable)
    t = _Tables(bundle, usable, targets, by=by, within=within, docs=docs)
    # the leaders of the stories not shown, computed once by analyze (``story_leads``) when they hold here
    known = _known_leads(bundle) if t.words is not None and within == "story" and max_stories is not None else None
    groups = sorted(usable[by].unique())
    if within is None or len(groups) < 2:
        out = []
        if len(groups) < 2:
            out.append(Finding("One outlet only", f"The corpus has one {'outlet' if by == 'outlet' else by} "
                               f"({groups[0]}): the findings below describe it, but there is nothing to compare it "
                               "with.", usable[[by, "title"]]))
        return out + _compare(t, usable, by, scope="this corpus")[0]
    order = story_order(usable.rename(columns={within: "story"}) if within != "story" else usable, by=by,
                        min_groups=2)
    if not order:
        per = usable.groupby(within).agg(articles=("article_id", "size"), outlets=(by, lambda s: ", ".join(
            sorted(set(s))))).reset_index()
        return [Finding("No story covered by two outlets",
                        f"The corpus has {_n(len(per), 'story')} and {len(groups)} outlets, but no story is covered "
                        "by two outlets: a framing difference only means something between articles about the same "
                        "event, so nothing is compared.", per)]
    out: list[Finding] = []
    leads: dict[str, dict] = {}
    groups_of: dict[str, list] = {}
    for k, story in enumerate(order):
        arts = usable[usable[within] == story]
        title = str(arts["story_title"].iloc[0]) if "story_title" in arts.columns else str(story)
        # a shown story whose actors are not the corpus's targets gets its own (the stance layer on that story)
        if known is not None and k >= max_stories:
            leads[story], groups_of[story] = known.get(story, {}), sorted(arts[by].unique())
            continue
        found, lead = _compare(t.story(story), arts, by, measure_stance=max_stories is None or k < max_stories)
        leads[story], groups_of[story] = lead, sorted(arts[by].unique())
        if max_stories is None or k < max_stories:
            for f in found:
                f.story, f.story_title = str(story), title
            out += found
    alone = [s for s in story_order(usable.rename(columns={within: "story"}) if within != "story" else usable,
                                    by=by) if s not in set(order)]
    out += _summary(leads, groups_of, by=by)
    if alone:
        left = usable[usable[within].isin(alone)]
        cols = [c for c in (within, "story_title", by, "title") if c in left.columns]
        out.append(Finding("Stories covered by one outlet only",
                           f"{_n(len(alone), 'story')} ({_n(len(left), 'article')}) "
                           f"{'is' if len(alone) == 1 else 'are'} "
                           "covered by one outlet only: with nothing to compare them with, they are left out of the "
                           "findings above.", left[cols].reset_index(drop=True)))
    return out


def _known_leads(bundle) -> dict[str, dict] | None:
    """``{story: {measure: leader}}`` from the bundle's ``leads`` table, or None when it has none."""
    table = getattr(bundle, "leads", None)
    if table is None or "story" not in table.columns or not len(table):
        return None
    out: dict[str, dict] = {}
    for story, measure, leader in zip(table["story"], table["measure"], table["leader"]):
        lead = out.setdefault(str(story), {})
        if isinstance(measure, str) and measure:  # a row with no measure: a story compared, nobody leading
            lead[measure] = leader
    return out


class _TableSet:
    """Named tables standing for a ``Bundle`` (what ``story_leads`` reads), for analyze before its bundle exists."""

    def __init__(self, **tables):
        self.__dict__.update(tables)

    def with_stories(self) -> pd.DataFrame:
        from .pipeline import _with_story

        return _with_story(self.articles, self.stories)


def story_leads(bundle=None, **tables) -> pd.DataFrame:
    """Which outlet leads each measure (``MEASURES``) in every story covered by two outlets or more, as
    ``findings(bundle)`` counts them for its cross-story summary (stance toward the corpus's targets): one row
    per story and measure led (``story, measure, leader``; a story where nothing leads has one row with an
    empty measure). ``analyze`` keeps it as ``bundle.leads``, so that a report shows a few stories and still
    counts every one without comparing each again. Without a bundle, its tables by name (``articles``,
    ``stories``, ``quotes``, ``entities``, ``stance``, ``loaded``, ``facts``, ``story_stance``, ``distinctive``)."""
    if bundle is None:
        bundle = _TableSet(dates=None, **tables)
    columns = ["story", "measure", "leader"]
    usable = analysable(bundle.articles)
    if usable.empty or getattr(bundle, "stories", None) is None:
        return pd.DataFrame(columns=columns)
    raw = analysable(bundle.with_stories())
    usable = with_stories(raw.assign(outlet=raw["outlet"].fillna("(none)").astype(str)))
    if usable["outlet"].nunique() < 2:
        return pd.DataFrame(columns=columns)
    t = _Tables(bundle, usable, None, by="outlet", within="story")
    # the bundle's same quotes (compared within each story) serve a story whose articles all name their outlet:
    # the same groups as comparing its quotes alone (an article without one is "(none)" here, NaN there)
    known = getattr(bundle, "same_quotes", None)
    same_at: dict = {}
    missing: set = set()
    if known is not None:
        story_of = dict(zip(usable["article_id"], usable["story"]))
        same_at = known.groupby(known["article_id"].map(story_of), sort=False).indices if len(known) else {}
        missing = set(raw.loc[raw["outlet"].isna(), "story"])
    rows = []
    for story in story_order(usable, by="outlet", min_groups=2):
        arts = usable[usable["story"] == story]
        same = None
        if known is not None and story not in missing:
            at = same_at.get(story)
            same = known.iloc[at] if at is not None else known.iloc[:0]
        _, lead = _compare(t.story(story), arts, "outlet", leads_only=True, same=same)
        rows += [(str(story), m, o) for m, o in lead.items()] or [(str(story), "", "")]
    return pd.DataFrame(rows, columns=columns)


def sections(report: list[Finding]) -> list[tuple[str, str, list[Finding]]]:
    """The findings grouped for reading: ``(story, story_title, findings)`` in the report's order (the
    cross-story and corpus-wide findings have story ``""``)."""
    out: list[tuple[str, str, list[Finding]]] = []
    for f in report:
        if out and out[-1][0] == f.story:
            out[-1][2].append(f)
        else:
            out.append((f.story, f.story_title, [f]))
    return out
