"""Saving tables next to the figures they feed (every chart has its CSV beside it), and showing them to a
reader: :func:`show` displays a capped, escaped table and writes the full one as CSV beside the report."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

#: Rows a report shows of a long table before pointing to the full CSV.
CAP = 20
#: The folder :func:`show` writes to when no ``folder=`` is given (``set_folder``); ``None``: write nothing.
_FOLDER: Path | None = None


def set_folder(folder: str | Path | None) -> None:
    """Make ``folder`` (a notebook's ``output_dir``) the default of :func:`show` and :func:`save_table`."""
    global _FOLDER
    _FOLDER = Path(folder) if folder else None


def _file_name(name: str) -> str:
    """A safe CSV file name from any table name (letters, digits, ``_``, ``-``, ``.``)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(name)).strip("._") or "table"
    return safe[:120]


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?$")


def _texts(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column.dtype)


def _is_iso_day(value) -> bool:
    return isinstance(value, str) and bool(_ISO_DAY.match(value.strip()))


def _words(value) -> str:
    """A timestamp in words ("5 March 2024", "5 March 2024, 14:30"); a missing one as ""; text that is not
    a date stays as it is.

    >>> _words(pd.Timestamp("2024-03-05")), _words("2024-03-05 14:30"), _words(None), _words("unknown")
    ('5 March 2024', '5 March 2024, 14:30', '', 'unknown')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        if not _ISO_DAY.match(value.strip()):
            return value
        try:
            value = pd.Timestamp(value.strip())
        except ValueError:
            return value
    ts = pd.Timestamp(value)
    day = f"{ts.day} {ts.strftime('%B %Y')}"
    return day if (ts.hour, ts.minute) == (0, 0) else f"{day}, {ts.strftime('%H:%M')}"


class ShownTable:
    """What :func:`show` returns: displays as escaped HTML in a notebook and in a report (``_repr_html_``);
    ``.html`` is that markup, ``.path`` the full CSV (or None), ``.shown`` / ``.total`` the row counts."""

    def __init__(self, html_text: str, path: Path | None, shown: int, total: int):
        self.html, self.path, self.shown, self.total = html_text, path, shown, total

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<table: showing {self.shown} of {self.total} rows{f' ({self.path})' if self.path else ''}>"


def show(table: pd.DataFrame, name: str, *, cap: int = CAP, folder: str | Path | None = None,
         columns: list | None = None, index: bool = False, empty: str = "Nothing to show: the table is empty.",
         caption: str | None = None) -> ShownTable:
    """Show a table to a reader: at most ``cap`` rows, every cell escaped, dates in words, and the full
    table written as ``<folder>/<name>.csv`` with a line "showing N of M rows — full table: data/<name>.csv"
    linking to it (reports sit beside their ``data/`` folder).

    Use it as the last expression of a notebook cell (or ``display(show(...))``)::

        an.tables.show(table, "quotes", folder=output_dir)          # output_dir: the notebook parameter
        an.tables.show(table, "quotes", cap=15, columns=["outlet", "speaker", "quote"])

    ``folder`` defaults to the one given to :func:`set_folder`; with neither, no CSV is written and the line
    says how many rows are hidden. The CSV holds every row and column of ``table`` (``columns`` only
    chooses what is shown); shown datetime columns read "5 March 2024"; text is escaped with
    ``DataFrame.to_html(escape=True)``, so markup from a corpus is shown, never run. ``index=True`` keeps
    the index (for a pivot table). ``empty`` is what an empty table says instead. Returns a
    :class:`ShownTable`.

    >>> t = show(pd.DataFrame({"q": ["<b>x</b>"] * 30}), "t", cap=2)
    >>> t.shown, t.total, "&lt;b&gt;x&lt;/b&gt;" in t.html, "showing 2 of 30 rows" in t.html
    (2, 30, True, True)
    """
    folder = Path(folder) if folder else _FOLDER
    file_name = f"{_file_name(name)}.csv"
    path = None
    if folder is not None:
        path = folder / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(path, index=index)
    total = len(table)
    head = f"<p><b>{html.escape(caption)}</b></p>" if caption else ""
    if total == 0:
        return ShownTable(f"{head}<p><i>{html.escape(empty)}</i></p>", path, 0, 0)
    view = table[list(columns)] if columns is not None else table
    view = view.head(max(int(cap), 0)).copy()
    for col in view.columns:
        if pd.api.types.is_datetime64_any_dtype(view[col]):
            view[col] = view[col].map(_words)
        elif _texts(view[col]) and view[col].map(_is_iso_day).any():
            view[col] = view[col].map(_words)  # ISO dates written as text ("2021-08-20") read as words too
    body = view.to_html(index=index, escape=True, border=0, na_rep="", classes="nx-shown", justify="left",
                        float_format=lambda v: f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}")
    link = (f' — full table: <a href="data/{html.escape(file_name, quote=True)}">data/{html.escape(file_name)}</a>'
            if path is not None else "")
    if len(view) < total:
        note = f"<p class='nx-cap'><i>showing {len(view)} of {total} rows{link}</i></p>"
    else:
        note = f"<p class='nx-cap'><i>{total} row{'s' if total != 1 else ''}{link}</i></p>" if link else ""
    return ShownTable(head + body + note, path, len(view), total)


def save_table(table: pd.DataFrame, folder: str | Path | None, name: str) -> Path | None:
    """Write ``table`` as ``folder/name.csv`` (UTF-8) and return the path; do nothing when folder is None.

    >>> import tempfile, pandas as pd
    >>> p = save_table(pd.DataFrame({"a": [1]}), tempfile.mkdtemp(), "t")
    >>> p.read_text().splitlines()
    ['a', '1']
    """
    folder = folder if folder is not None else _FOLDER
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


def one_chunk(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with each Arrow-backed column (pandas' ``str`` columns) held in one contiguous chunk. A table
    concatenated from many parts (a chunk of articles, a story) keeps one Arrow chunk per part, and selecting
    rows (``iloc``, a boolean mask) then costs in proportion to the number of chunks: a loop over the stories
    of 10,000 articles became quadratic. Values, dtypes and index are unchanged; a column already in one chunk
    is left as it is."""
    import pyarrow as pa

    out = None
    for name in table.columns:
        column = table[name]
        arrow_backed = isinstance(column.dtype, pd.ArrowDtype) or (
            isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow")
        if not arrow_backed:
            continue
        arrow = pa.array(column.array)
        if not isinstance(arrow, pa.ChunkedArray) or arrow.num_chunks <= 1:
            continue
        if out is None:
            out = table.copy()
        out[name] = pd.Series(pd.array(arrow.combine_chunks(), dtype=column.dtype), index=table.index, name=name)
    if out is None:
        return table
    out.attrs = table.attrs
    return out


def default_max_df(n: int) -> int:
    """:func:`candidate_pairs`' default ``max_df`` for ``n`` items: every item up to 50, else 5% (at least 50)."""
    return n if n <= 50 else max(50, n // 20)


def positions_by(values: list) -> list[list[int]]:
    """The positions of each distinct value of ``values`` (ascending), the values in the order they first occur.

    >>> positions_by(["b", "a", "b"])
    [[0, 2], [1]]
    """
    at: dict = {}
    for i, v in enumerate(values):
        at.setdefault(v, []).append(i)
    return list(at.values())


def candidate_pairs(token_sets: list, groups: list, *, max_df: int | None = None) -> list[tuple[int, int]]:
    """Pairs (i < j) from different groups (outlets) that share at least one token, found through an
    inverted index instead of comparing every pair. Tokens in more than ``max_df`` items (default: all
    items up to 50, else 5%) do not propose pairs by themselves, which keeps large corpora tractable.

    >>> candidate_pairs([{"a", "b"}, {"b"}, {"c"}, {"a"}], ["X", "Y", "Y", "X"])
    [(0, 1)]
    """
    limit = max_df if max_df is not None else default_max_df(len(token_sets))
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
