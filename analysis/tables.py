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
