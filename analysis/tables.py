"""Saving tables next to the figures they feed (every chart has its CSV beside it)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def save_table(table: pd.DataFrame, folder: str | Path | None, name: str) -> Path | None:
    """Write ``table`` as ``folder/name.csv`` (UTF-8) and return the path; do nothing when folder is None.

    >>> import tempfile, pandas as pd
    >>> p = save_table(pd.DataFrame({"a": [1]}), tempfile.mkdtemp(), "t")
    >>> p.read_text().splitlines()
    ['a', '1']
    """
    if folder is None:
        return None
    path = Path(folder) / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False)
    return path


class UnionFind:
    """Groups that merge (the same quote across outlets, the same fact): ``find`` gives a group's root.

    >>> groups = UnionFind(3)
    >>> groups.union(0, 2)
    >>> groups.find(0) == groups.find(2) != groups.find(1)
    True
    """

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def candidate_pairs(token_sets: list, groups: list, *, max_df: int | None = None) -> list[tuple[int, int]]:
    """Pairs (i < j) from different groups (outlets) that share at least one token, found through an
    inverted index instead of comparing every pair. Tokens in more than ``max_df`` items (default: all
    items up to 50, else 5%) do not propose pairs by themselves, which keeps large corpora tractable.

    >>> candidate_pairs([{"a", "b"}, {"b"}, {"c"}, {"a"}], ["X", "Y", "Y", "X"])
    [(0, 1)]
    """
    n = len(token_sets)
    limit = max_df if max_df is not None else (n if n <= 50 else max(50, n // 20))
    index: dict = {}
    for i, tokens in enumerate(token_sets):
        for t in set(tokens):
            index.setdefault(t, []).append(i)
    pairs = set()
    for postings in index.values():
        if len(postings) > limit:
            continue
        for a in range(len(postings)):
            for b in range(a + 1, len(postings)):
                i, j = postings[a], postings[b]
                if groups[i] != groups[j]:
                    pairs.add((i, j))
    return sorted(pairs)
