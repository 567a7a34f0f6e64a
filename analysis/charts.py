"""Charts: each takes a table and an optional matplotlib ``ax``, returns the Axes, never calls show().

One colour per outlet, the same in every chart of every notebook (``outlet_colors``).
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import pandas as pd

__all__ = ["outlet_colors", "article_lengths", "share_bars", "count_heatmap", "timeline", "polarity_heatmap",
           "term_dots", "value_heatmap", "grouped_bars", "SOURCE_TYPE_COLORS"]

# Colour-blind-safe (Okabe-Ito) first, then tab20 for larger corpora.
_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]


def outlet_colors(outlets) -> dict[str, str]:
    """A fixed colour per outlet: sorted by name, so the same corpus always gets the same colours.

    >>> outlet_colors(["B", "A"])
    {'A': '#0072B2', 'B': '#E69F00'}
    """
    names = sorted({str(o) for o in outlets})
    extra = [matplotlib.colors.to_hex(c) for c in plt.get_cmap("tab20").colors]
    palette = _PALETTE + extra
    return {name: palette[i % len(palette)] for i, name in enumerate(names)}


def article_lengths(articles: pd.DataFrame, *, ax=None):
    """Bar chart of words per article, coloured by outlet; articles that could not be read show as gaps.

    Returns the Axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * max(len(articles), 3) + 1))
    colors = outlet_colors(articles["outlet"])
    data = articles.assign(label=articles["outlet"].astype(str) + " · " + articles["article_id"].astype(str))
    data = data.iloc[::-1]
    ax.barh(data["label"], data["n_words"], color=[colors[str(o)] for o in data["outlet"]])
    for y, (n, status) in enumerate(zip(data["n_words"], data["status"])):
        ax.text(n, y, f" {n}" + ("" if status == "ok" else f"  ({status})"), va="center", fontsize=8)
    ax.set_xlabel("words in the article body (after boilerplate was removed)")
    ax.set_title("Article length by outlet")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


#: One colour per source type, the same in every chart.
SOURCE_TYPE_COLORS = {
    "government": "#4C72B0", "media": "#DD8452", "expert": "#55A868", "anonymous": "#8C8C8C",
    "organisation": "#8172B3", "document": "#937860", "other": "#CCB974", "unknown": "#DDDDDD",
    "(unknown)": "#DDDDDD", "no speaker found": "#F2F2F2",
}


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
    fallback = plt.get_cmap("tab20").colors
    left = pd.Series(0.0, index=table.index)
    for i, col in enumerate(table.columns):
        ax.barh(table.index, table[col], left=left, label=col,
                color=palette.get(col, matplotlib.colors.to_hex(fallback[i % len(fallback)])))
        for y, (x0, w) in enumerate(zip(left, table[col])):
            if w >= 0.08:
                ax.text(x0 + w / 2, y, f"{w:.0%}", ha="center", va="center", fontsize=8, color="white")
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


def timeline(table: pd.DataFrame, *, by: str = "outlet", ax=None, start=None, end=None, label_words: bool = True,
             title: str | None = None):
    """Every dated reference on one time axis, one row per outlet, each point labelled with the words the
    outlet used ("last month", "June 16"). Hollow markers are relative dates resolved against the
    article's publication date; filled ones were written as dates. A ``timeline_table`` in, the Axes out."""
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
    colors = outlet_colors(table[by])
    ypos = {o: i for i, o in enumerate(outlets)}
    for outlet, part in placed.groupby(by):
        y = ypos[outlet]
        for k, r in enumerate(part.sort_values("when").itertuples()):
            relative = bool(r.relative)
            ax.scatter(r.when, y, s=60, color=colors[outlet] if not relative else "white",
                       edgecolors=colors[outlet], linewidths=1.8, zorder=3)
            if label_words:
                ax.annotate(r.text, (r.when, y), xytext=(0, 9 if k % 2 == 0 else -14), textcoords="offset points",
                            ha="center", fontsize=7, color="#333")
    ax.set_yticks(range(len(outlets)), outlets)
    ax.set_ylim(-0.7, len(outlets) - 0.3)
    ax.invert_yaxis()
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
    palette = ["#C44E52", "#8C8C8C", "#4C72B0", "#55A868"]
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
