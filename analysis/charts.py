"""Charts: each takes a table and an optional matplotlib ``ax``, returns the Axes, never calls show().

One colour per outlet, the same in every chart of every notebook and report (``outlet_colors``): Paul Tol's
colour-blind-safe "bright" scheme, given out in order of the sorted outlet names of the whole corpus
(``set_outlets``), with a hatch (bars) and a marker shape (points) as a second cue beyond seven outlets.
Every bar carries the number behind it.
"""

from __future__ import annotations

import matplotlib
import matplotlib.dates
import matplotlib.pyplot as plt
import matplotlib.ticker
import pandas as pd

__all__ = ["outlet_colors", "outlet_styles", "set_outlets", "article_lengths", "share_bars", "count_heatmap",
           "timeline", "polarity_heatmap", "term_dots", "value_heatmap", "grouped_bars", "bars",
           "SOURCE_TYPE_COLORS", "PALETTE"]

#: Paul Tol's "bright" qualitative scheme (distinct under every common colour-vision deficiency, and in grey).
PALETTE = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]
#: The second cue once the colours run out: outlet 8 gets the first colour again with "//", and so on.
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "+++", "---", "ooo"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
_CORPUS_OUTLETS: list[str] = []


def set_outlets(outlets) -> list[str]:
    """Register the corpus's outlets (or any grouping's values), so that a chart of a few of them (one
    story's outlets) gives each the colour it has everywhere else. Call it once, on the whole corpus, before
    drawing; returns the sorted names.

    >>> _ = set_outlets(["C", "A", "B"]); outlet_colors(["C"])
    {'C': '#228833'}
    >>> _ = set_outlets([])
    """
    global _CORPUS_OUTLETS
    _CORPUS_OUTLETS = sorted({str(o) for o in outlets if o is not None and not (isinstance(o, float) and pd.isna(o))})
    return list(_CORPUS_OUTLETS)


def _order(outlets) -> list[str]:
    """Registered outlets first (in their sorted order), then any others, sorted: position = style."""
    names = {str(o) for o in outlets}
    registered = list(_CORPUS_OUTLETS)
    known = set(registered)
    return registered + sorted(names - known)


def outlet_styles(outlets) -> dict[str, dict]:
    """For each outlet a ``{"color", "hatch", "marker"}``: the colour cycles through ``PALETTE``, the hatch
    and the marker change each time it wraps, so up to 56 outlets look different without relying on colour.

    >>> s = outlet_styles([f"o{i:02d}" for i in range(9)])
    >>> s["o00"]["color"] == s["o07"]["color"], s["o00"]["hatch"], s["o07"]["hatch"]
    (True, '', '///')
    """
    order = _order(outlets)
    wanted = {str(o) for o in outlets}
    out = {}
    for i, name in enumerate(order):
        if name in wanted:
            turn = i // len(PALETTE)
            out[name] = {"color": PALETTE[i % len(PALETTE)], "hatch": HATCHES[turn % len(HATCHES)],
                         "marker": MARKERS[turn % len(MARKERS)]}
    return out


def outlet_colors(outlets) -> dict[str, str]:
    """A fixed colour per outlet: by position among the corpus's sorted outlet names (``set_outlets``),
    or among the names given when none are registered, so the same corpus always gets the same colours.

    >>> outlet_colors(["B", "A"])
    {'A': '#4477AA', 'B': '#EE6677'}
    """
    return {name: style["color"] for name, style in sorted(outlet_styles(outlets).items())}


def _text_on(color: str) -> str:
    """Black or white, whichever reads better on ``color``."""
    r, g, b = matplotlib.colors.to_rgb(color)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


def article_lengths(articles: pd.DataFrame, *, ax=None, max_bars: int = 60):
    """Bar chart of words per article, coloured by outlet; articles that could not be read show as gaps.
    Beyond ``max_bars`` articles, one bar per outlet instead: its median length, labelled with the median
    and the number of articles behind it. Returns the Axes.
    """
    if len(articles) > max_bars:
        read = articles[articles["status"] != "error"] if "status" in articles.columns else articles
        per = read.groupby(read["outlet"].astype(str))["n_words"].agg(["median", "count"])
        ax = bars(per["median"], ax=ax, fmt="{:.0f}", top=max_bars,
                  title=f"Median article length by outlet ({len(read):,} articles)",
                  xlabel="median words in the article body (after boilerplate was removed)")
        for text, n in zip(ax.texts, per.sort_values("median", ascending=False)["count"]
                           if len(per) > max_bars else per["count"]):
            text.set_text(f"{text.get_text()}  ({n:,} article{'s' if n != 1 else ''})")
        return ax
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * max(len(articles), 3) + 1))
    styles = outlet_styles(articles["outlet"])
    data = articles.assign(label=articles["outlet"].astype(str) + " · " + articles["article_id"].astype(str))
    data = data.iloc[::-1]
    bars_ = ax.barh(data["label"], data["n_words"], color=[styles[str(o)]["color"] for o in data["outlet"]],
                    edgecolor="white")
    for bar, o in zip(bars_, data["outlet"]):
        bar.set_hatch(styles[str(o)]["hatch"])
    for y, (n, status) in enumerate(zip(data["n_words"], data["status"])):
        ax.text(n, y, f" {n}" + ("" if status == "ok" else f"  ({status})"), va="center", fontsize=8)
    ax.set_xlabel("words in the article body (after boilerplate was removed)")
    ax.set_title("Article length by outlet")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


#: One colour per source type, the same in every chart (Paul Tol's colour-blind-safe "muted" scheme).
SOURCE_TYPE_COLORS = {
    "government": "#332288", "media": "#88CCEE", "expert": "#117733", "anonymous": "#888888",
    "organisation": "#AA4499", "document": "#DDCC77", "other": "#CC6677", "unknown": "#DDDDDD",
    "(unknown)": "#DDDDDD", "no speaker found": "#F2F2F2",
}
#: Colours for categories that have none of their own (Tol muted, then light variants).
_CATEGORY_COLORS = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
                    "#AA4499", "#DDDDDD"]


def share_bars(shares: pd.DataFrame, *, by: str = "outlet", category: str = "source_type", ax=None,
               colors: dict | None = None, title: str | None = None):
    """Stacked horizontal bars: for each outlet, the share of each category (a ``source_shares`` table).

    The number of quotes behind each bar is written at its end, so a 100% bar of one quote is not
    mistaken for a pattern. Returns the Axes.
    """
    if shares.empty:
        return _empty(ax, "No quotes were found, so there are no shares to show.")
    table = shares.pivot_table(index=by, columns=category, values="share", fill_value=0.0)
    totals = shares.groupby(by)["n"].sum()
    order = table.sum().sort_values(ascending=False).index if category != "source_type" else [
        c for c in SOURCE_TYPE_COLORS if c in table.columns] + [c for c in table.columns if c not in SOURCE_TYPE_COLORS]
    table = table[order]
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.55 * max(len(table), 2) + 1.2))
    palette = colors or (SOURCE_TYPE_COLORS if category == "source_type" else {})
    left = pd.Series(0.0, index=table.index)
    for i, col in enumerate(table.columns):
        color = palette.get(col, _CATEGORY_COLORS[i % len(_CATEGORY_COLORS)])
        hatch = "" if i < len(_CATEGORY_COLORS) else "///"
        ax.barh(table.index, table[col], left=left, label=col, color=color, hatch=hatch, edgecolor="white")
        for y, (x0, w) in enumerate(zip(left, table[col])):
            if w >= 0.08:
                ax.text(x0 + w / 2, y, f"{w:.0%}", ha="center", va="center", fontsize=8, color=_text_on(color))
        left += table[col]
    for y, outlet in enumerate(table.index):
        ax.text(1.01, y, f"n={int(totals.get(outlet, 0))}", va="center", fontsize=8)
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.legend(ncol=min(len(table.columns), 4), bbox_to_anchor=(0, 1.02, 1, 0.2), loc="lower left", frameon=False,
              fontsize=8)
    if title:
        ax.set_title(title, pad=40)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def count_heatmap(matrix: pd.DataFrame, *, ax=None, cmap: str = "Blues", title: str | None = None,
                  max_columns: int = 30):
    """A heatmap of counts (rows × columns, e.g. outlet × source from ``voice_matrix``) with each count
    written in its cell and empty cells left blank. Returns the Axes."""
    if matrix.empty or matrix.shape[1] == 0:
        return _empty(ax, "Nothing to show: the table is empty.")
    matrix = matrix.iloc[:, :max_columns]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6, 0.45 * len(matrix.columns) + 3), 0.5 * len(matrix.index) + 2.5))
    values = matrix.to_numpy(dtype=float)
    ax.imshow(values, cmap=cmap, aspect="auto", vmin=0, vmax=max(values.max(), 1) if values.size else 1)
    ax.set_xticks(range(len(matrix.columns)), [str(c) for c in matrix.columns], rotation=60, ha="right",
                  fontsize=8)
    ax.set_yticks(range(len(matrix.index)), [str(i) for i in matrix.index], fontsize=9)
    top = values.max() if values.size else 0
    for (y, x), v in pd.DataFrame(values).stack().items():
        if v:
            ax.text(x, y, f"{int(v)}", ha="center", va="center", fontsize=8,
                    color="white" if v > top * 0.6 else "black")
    if title:
        ax.set_title(title)
    return ax


def _empty(ax, message: str):
    """An Axes that says why it is empty, instead of an error or a blank frame."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 1.2))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10, color="#555", transform=ax.transAxes)
    return ax


#: the most points of one outlet labelled with their words on a timeline (more would overlap unreadably)
LABELS_PER_OUTLET = 40


def timeline(table: pd.DataFrame, *, by: str = "outlet", ax=None, start=None, end=None, label_words: bool = True,
             title: str | None = None):
    """Every dated reference on one time axis, one row per outlet, each point labelled with the words the
    outlet used ("last month", "June 16"; past ``LABELS_PER_OUTLET`` points, the outlet's most repeated
    ones). Hollow markers are relative dates resolved against the article's publication date; filled ones were
    written as dates. A ``timeline_table`` in, the Axes out."""
    placed = table.dropna(subset=["when"])
    if start is not None:
        placed = placed[placed["when"] >= pd.Timestamp(start)]
    if end is not None:
        placed = placed[placed["when"] <= pd.Timestamp(end)]
    outlets = sorted(table[by].dropna().unique())
    if ax is None:
        _, ax = plt.subplots(figsize=(12, 0.9 * max(len(outlets), 2) + 1.5))
    if placed.empty:
        return _empty(ax, "No dated reference falls in this window.")
    styles = outlet_styles(table[by].dropna())
    ypos = {o: i for i, o in enumerate(outlets)}
    for outlet, part in placed.groupby(by):
        y = ypos[outlet]
        color, marker = styles[str(outlet)]["color"], styles[str(outlet)]["marker"]
        part = part.sort_values("when", kind="stable")
        relative = part["relative"].fillna(False).astype(bool)
        for hollow in (False, True):  # one scatter per outlet and kind: a point at a time redraws the axes
            pts = part[relative == hollow]
            if len(pts):
                ax.scatter(pts["when"], [y] * len(pts), s=60, color="white" if hollow else color, marker=marker,
                           edgecolors=color, linewidths=1.8, zorder=3)
        if label_words:
            # every point's words when there are few; else the outlet's most repeated (date, words) pairs
            labels = part[["when", "text"]]
            if len(labels) > LABELS_PER_OUTLET:
                counts = labels.value_counts(sort=False).rename("n").reset_index()
                labels = counts.sort_values(["n", "when"], ascending=[False, True], kind="stable").head(
                    LABELS_PER_OUTLET).sort_values("when", kind="stable")
            for k, (when, words) in enumerate(zip(labels["when"], labels["text"])):
                ax.annotate(words, (when, y), xytext=(0, 9 if k % 2 == 0 else -14), textcoords="offset points",
                            ha="center", fontsize=7, color="#333")
    ax.set_yticks(range(len(outlets)), outlets)
    ax.set_ylim(-0.7, len(outlets) - 0.3)
    ax.invert_yaxis()
    first, last = placed["when"].min(), placed["when"].max()
    days = (last - first).days
    if days <= 21:  # a few days: whole days, named ("6 Mar 2023"), never hours
        ax.set_xlim(first - pd.Timedelta(days=1), last + pd.Timedelta(days=1))
        ax.xaxis.set_major_locator(matplotlib.dates.DayLocator(interval=max(1, (days + 2) // 8)))
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%-d %b %Y"))
    else:  # months and years, in words ("Mar", "2023")
        locator = matplotlib.dates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator, show_offset=False))
    ax.grid(axis="x", color="#ddd")
    ax.spines[["top", "right", "left"]].set_visible(False)
    if title:
        ax.set_title(title)
    return ax


def polarity_heatmap(summary: pd.DataFrame, *, voice: str = "author", by: str = "outlet", ax=None,
                     title: str | None = None):
    """Mean polarity toward each target, outlet by outlet, in one voice (a ``stance_summary`` table):
    red is negative, blue positive; each cell shows the mean and, below it, the number of mentions."""
    part = summary[summary["voice"] == voice]
    if part.empty:
        return _empty(ax, "No mention of a target " + ("in the outlets' own voice." if voice == "author"
                                                       else "inside quotes."))
    mean = part.pivot_table(index=by, columns="target", values="mean_polarity")
    count = part.pivot_table(index=by, columns="target", values="mentions").reindex_like(mean)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.6 * len(mean.columns) + 3, 0.6 * len(mean.index) + 1.5))
    ax.imshow(mean.to_numpy(dtype=float), cmap="RdBu", vmin=-0.5, vmax=0.5, aspect="auto")
    ax.set_xticks(range(len(mean.columns)), mean.columns)
    ax.set_yticks(range(len(mean.index)), mean.index)
    for y, outlet in enumerate(mean.index):
        for x, target in enumerate(mean.columns):
            v = mean.loc[outlet, target]
            if pd.notna(v):
                ax.text(x, y, f"{v:+.2f}\nn={int(count.loc[outlet, target])}", ha="center", va="center", fontsize=8)
    ax.set_title(title or ("mean polarity toward each target, in the outlets' own voice" if voice == "author"
                           else "mean polarity toward each target, inside quotes"))
    return ax


def term_dots(table: pd.DataFrame, *, by: str = "outlet", ax=None, top: int = 8, title: str | None = None):
    """The most distinctive terms of each outlet (a ``distinctive_terms`` table) as dots on a z-score axis,
    outlets stacked, one colour each; the dashed line is z = 1.96."""
    if table.empty:
        return _empty(ax, "Too few outlets or words to compare.")
    table = table.groupby(by, group_keys=False).head(top)
    colors = outlet_colors(table[by])
    labels, values, cols = [], [], []
    for outlet, part in table.groupby(by):
        for r in part.itertuples():
            labels.append(f"{outlet} · {r.term}")
            values.append(r.z)
            cols.append(colors[outlet])
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.22 * len(labels) + 1.2))
    y = list(range(len(labels)))
    ax.hlines(y, 0, values, color=cols, alpha=0.5)
    ax.scatter(values, y, color=cols, zorder=3)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(1.96, color="#999", linestyle="--", linewidth=1)
    ax.set_xlabel("z-score of the weighted log-odds (this outlet against all the others)")
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    return ax


def value_heatmap(matrix: pd.DataFrame, *, ax=None, cmap: str = "YlOrBr", fmt: str = "{:.1f}",
                  title: str | None = None):
    """A heatmap of numbers (e.g. outlet × frame scores from ``frame_summary``) with each value written in
    its cell. Returns the Axes."""
    if matrix.empty:
        return _empty(ax, "Nothing to show: the table is empty.")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.6 * len(matrix.columns) + 3, 0.55 * len(matrix.index) + 2.8))
    values = matrix.to_numpy(dtype=float)
    ax.imshow(values, cmap=cmap, aspect="auto", vmin=0)
    ax.set_xticks(range(len(matrix.columns)), [str(c) for c in matrix.columns], rotation=50, ha="right", fontsize=8)
    ax.set_yticks(range(len(matrix.index)), [str(i) for i in matrix.index], fontsize=9)
    top = values.max() if values.size else 0
    for (y, x), v in pd.DataFrame(values).stack().items():
        if v:
            ax.text(x, y, fmt.format(v), ha="center", va="center", fontsize=7,
                    color="white" if v > 0.6 * top else "black")
    if title:
        ax.set_title(title)
    return ax


def grouped_bars(table: pd.DataFrame, columns: list[str], *, ax=None, title: str | None = None,
                 xlabel: str | None = None):
    """Side-by-side horizontal bars of some numeric columns per row (e.g. author vs quoted loaded terms
    per outlet). Returns the Axes."""
    if table.empty:
        return _empty(ax, "Nothing to show: the table is empty.")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.7 * len(table) + 1.2))
    height = 0.8 / len(columns)
    palette = ["#CC6677", "#888888", "#332288", "#117733", "#DDCC77", "#88CCEE"]
    for k, col in enumerate(columns):
        ys = [i + k * height for i in range(len(table))]
        ax.barh(ys, table[col], height=height, label=col, color=palette[k % len(palette)])
        for y, v in zip(ys, table[col]):
            ax.text(v, y, f" {v:g}", va="center", fontsize=8)
    ax.set_yticks([i + 0.4 - height / 2 for i in range(len(table))], [str(i) for i in table.index])
    ax.invert_yaxis()
    ax.legend(frameon=False, fontsize=8)
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def bars(values, *, ax=None, title: str | None = None, xlabel: str | None = None, fmt: str = "{:g}",
         colors: dict | None = None, by_outlet: bool = True, top: int | None = 30):
    """One horizontal bar per key of ``values`` (a Series, e.g. facts per outlet), each labelled with its
    number; keys that are outlets get their fixed colour and hatch (``by_outlet=False``: one neutral
    colour). At most ``top`` bars (the largest), the rest named in the title. Returns the Axes.

    >>> ax = bars(pd.Series({"A": 3, "B": 1}), title="facts"); [t.get_text() for t in ax.texts]
    [' 3', ' 1']
    """
    values = pd.Series(values).dropna()
    if values.empty:
        return _empty(ax, "Nothing to show: the table is empty.")
    hidden = 0
    if top is not None and len(values) > top:
        hidden = len(values) - top
        values = values.sort_values(ascending=False).head(top)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.4 * len(values) + 1.2))
    styles = outlet_styles(values.index) if by_outlet else {}
    labels = [str(k) for k in values.index]
    for y, (label, v) in enumerate(zip(labels, values)):
        style = styles.get(label, {"color": "#4477AA", "hatch": ""})
        color = (colors or {}).get(label, style["color"])
        ax.barh(y, v, color=color, hatch=style["hatch"], edgecolor="white")
        ax.text(v, y, " " + fmt.format(v), va="center", fontsize=8)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    if xlabel:
        ax.set_xlabel(xlabel)
    if title or hidden:
        ax.set_title((title or "") + (f" (largest {len(values)}; {hidden} more in the table)" if hidden else ""))
    ax.spines[["top", "right"]].set_visible(False)
    return ax
