"""Charts: each takes a table and an optional matplotlib ``ax``, returns the Axes, never calls show().

One colour per outlet, the same in every chart of every notebook (``outlet_colors``).
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

__all__ = ["outlet_colors", "article_lengths"]

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
