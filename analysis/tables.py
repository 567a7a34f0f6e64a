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
