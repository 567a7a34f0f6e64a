"""One run, many notebooks: parse each article once, run every extractor, cache the tables on disk.

``analyze(corpus)`` returns a ``Bundle`` of all the tables (articles, quotes, entities, dates, stance,
loaded language). The tables are cached under ``.cache/tables/`` keyed by a hash of the article texts and
metadata, the package version, the settings and the word lists in ``analysis/data/``, so the second
notebook (and the second run) reads them instead of computing again. ``bundle.save(folder)`` writes each
table as CSV and Parquet for use outside Python.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path

import pandas as pd

from .nlp import analysable, cache_dir, parse

__all__ = ["Bundle", "analyze"]


@dataclass
class Bundle:
    """Every table of one corpus (see DESIGN.md for their columns)."""

    articles: pd.DataFrame
    quotes: pd.DataFrame
    entities: pd.DataFrame
    dates: pd.DataFrame
    stance: pd.DataFrame
    loaded: pd.DataFrame

    def save(self, folder: str | Path, *, parquet: bool = True) -> list[Path]:
        """Write every table as ``folder/<name>.csv`` (and ``.parquet``); returns the paths written."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for f in fields(self):
            table: pd.DataFrame = getattr(self, f.name)
            path = folder / f"{f.name}.csv"
            table.to_csv(path, index=False)
            written.append(path)
            if parquet:
                path = folder / f"{f.name}.parquet"
                table.to_parquet(path, index=False)
                written.append(path)
        return written


def _key(articles: pd.DataFrame, settings: dict) -> str:
    from . import __version__

    h = hashlib.sha1()
    h.update(__version__.encode())
    h.update(repr(sorted(settings.items())).encode())
    for name in sorted(p.name for p in resources.files("analysis").joinpath("data").iterdir()):
        h.update(name.encode())
        h.update(resources.files("analysis").joinpath("data", name).read_bytes())
    for col in ("article_id", "outlet", "title", "published", "text", "status"):
        if col in articles.columns:
            h.update("\x1f".join(map(str, articles[col].tolist())).encode("utf-8"))
    return h.hexdigest()[:20]


def analyze(source, *, targets: dict | None = None, use_cache: bool = True) -> Bundle:
    """Load (if given a path) and analyse a corpus once: every extractor on one parse per article.

    Args:
        source: a corpus path (folder, file, list of files) or an articles DataFrame.
        targets: stance targets (``{name: [aliases]}``); by default the sample story's four actors when
            the corpus names them, else its most named actors (``stance.default_targets``).
        use_cache: read and write ``.cache/tables`` (``NEWS_WORKBOOK_CACHE`` moves it).
    """
    from .corpus import load_corpus
    from .dates import dates
    from .entities import entities
    from .framing import loaded_language
    from .sources import quotes
    from .stance import stance

    articles = source if isinstance(source, pd.DataFrame) and "status" in source.columns else load_corpus(source)
    path = cache_dir() / "tables" / f"{_key(articles, {'targets': targets})}.pkl"
    if use_cache and path.exists():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    usable = analysable(articles)
    docs = parse(usable, use_cache=use_cache)
    q = quotes(usable, docs=docs)
    ents = entities(usable, docs=docs)
    bundle = Bundle(articles=articles, quotes=q, entities=ents, dates=dates(usable, docs=docs),
                    stance=stance(usable, targets, docs=docs, quotes_table=q, entities_table=ents),
                    loaded=loaded_language(usable, q))
    if use_cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(bundle, fh)
        tmp.replace(path)
    return bundle
