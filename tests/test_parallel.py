"""analyze() on every core and on Dask: one streaming pass, the same tables whoever computes them."""

from __future__ import annotations

import dataclasses
import gc
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest

import analysis as an
from analysis import nlp, pipeline
from analysis.compare import story_stance

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "seeds", ROOT / "tests" / "data" / "quote_styles"]


@pytest.fixture(scope="module")
def parses(tmp_path_factory):
    """Each corpus parsed once for the module (the on-disk parse cache), and analysed in this process (jobs=1)."""
    root = tmp_path_factory.mktemp("parses")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWS_WORKBOOK_CACHE", str(root))
        bundles = {path.name: an.analyze(an.load_corpus(path), jobs=1, progress=False) for path in CORPORA}
    return root, bundles


@pytest.fixture
def one_process(parses):
    return parses[1]


@pytest.fixture
def small_chunks(tmp_path, monkeypatch, parses):
    """A table cache of the test's own (the module's parses copied in, so that nothing is parsed twice), and two
    articles per task, so that five articles make three tasks."""
    import shutil

    cache = tmp_path / "cache"
    shutil.copytree(parses[0] / "docs", cache / "docs")
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(cache))
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    return cache


def _same_tables(a: an.Bundle, b: an.Bundle) -> None:
    for f in fields(a):
        pd.testing.assert_frame_equal(getattr(a, f.name), getattr(b, f.name), obj=f.name)


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.name)
def test_streamed_tables_are_the_corpus_functions(path, one_process, small_chunks):
    """The per-article pass and the corpus steps give what each table's own function gives on all the parses."""
    arts = an.load_corpus(path)
    docs = nlp.parse(arts)
    q = an.quotes(arts, docs=docs)
    ents = an.entities(arts, docs=docs)
    expected = {"quotes": q, "entities": ents, "dates": an.dates(arts, docs=docs),
                "stance": an.stance(arts, None, docs=docs, quotes_table=q, entities_table=ents),
                "loaded": an.loaded_language(arts, q)}
    bundle = one_process[path.name]
    assert len(bundle.quotes) and len(bundle.entities) and len(bundle.stance)
    for name, table in expected.items():
        pd.testing.assert_frame_equal(getattr(bundle, name), table, obj=name)
    # the corpus-level tables joined from pass 2's parts: what each public function gives on the parses
    usable = bundle.with_stories()
    usable = usable[usable.status != "error"]
    assert len(bundle.facts) and len(bundle.distinctive) and len(bundle.headlines) and len(bundle.naming)
    pd.testing.assert_frame_equal(bundle.facts, an.facts(usable, within="story", docs=docs), obj="facts")
    pd.testing.assert_frame_equal(bundle.subjectivity.set_index("outlet"),
                                  an.subjectivity(usable, q, docs=docs).rename_axis("outlet"), obj="subjectivity")
    for story, arts in usable.groupby("story"):
        mine = bundle.distinctive[bundle.distinctive.story == story].drop(columns=["story"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, an.distinctive_terms(arts, top=6, docs=docs), obj="distinctive terms",
                                      check_dtype=len(mine) > 0)
        computed = story_stance(bundle.stance, arts, docs=docs, quotes_table=q, entities_table=ents)
        pd.testing.assert_frame_equal(story_stance(bundle.stance, arts, table=bundle.story_stance),
                                      computed.reset_index(drop=True), obj="story stance")
    without = dataclasses.replace(bundle, headlines=None, naming=None)
    pd.testing.assert_frame_equal(bundle.headlines, an.headlines(without, docs=docs), obj="headlines")
    pd.testing.assert_frame_equal(bundle.naming, an.naming(without, docs=docs), obj="naming")


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.name)
def test_two_worker_processes_give_the_same_tables_as_one(path, one_process, small_chunks, monkeypatch):
    used = []
    enter = pipeline._PoolEngine.__enter__

    def spy(self):
        used.append(self.jobs)
        return enter(self)

    monkeypatch.setattr(pipeline._PoolEngine, "__enter__", spy)
    # the seeds parsed by the workers themselves (uncached), the other corpus read from the parse cache
    many = an.analyze(an.load_corpus(path), use_cache=path.name != "seeds", jobs=2, progress=False)
    assert used == [2]  # a pool of two workers ran it, not this process
    _same_tables(many, one_process[path.name])


def test_dask_local_cluster_gives_the_same_tables(one_process, small_chunks):
    distributed = pytest.importorskip("distributed")
    arts = an.load_corpus(CORPORA[0])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        by_client = an.analyze(arts, engine="dask", client=client, progress=False)
        assert len(client.run(lambda: 1)) == 2
        # the model plugin ran on every worker: each has the pipeline loaded already
        loaded = client.run(lambda: nlp.load_nlp.cache_info().currsize)
        assert set(loaded.values()) == {1}
        by_address = an.analyze(arts, use_cache=False, engine="dask", client=cluster.scheduler_address,
                                progress=False)  # uncached: the workers parse, into a scratch folder
    _same_tables(by_client, one_process["seeds"])
    _same_tables(by_address, one_process["seeds"])


def test_jobs_and_engine_leave_the_cache_key_alone(small_chunks, monkeypatch):
    arts = an.load_corpus(pd.DataFrame({"text": ['"We will win," said coach Tom Reyes on Friday.'] * 3,
                                        "outlet": ["A", "B", "C"]}))
    first = an.analyze(arts, jobs=1, progress=False)

    def refuse(*args, **kwargs):
        raise AssertionError("recomputed: jobs or engine changed the cache key")

    monkeypatch.setattr(pipeline, "_compute", refuse)
    _same_tables(an.analyze(arts, jobs=2, progress=False), first)
    _same_tables(an.analyze(arts, jobs=2, engine="dask", progress=False), first)


def test_docs_are_streamed_not_kept(small_chunks, monkeypatch):
    """While an article is extracted, only the parses of its own chunk are alive, never the corpus's."""
    import weakref

    made: list = []
    alive: list[int] = []
    read: list[str] = []  # the texts of every parse made or read back
    parse_texts, extract = nlp.parse_texts, pipeline._extract

    def tracked(texts, **kwargs):
        docs = parse_texts(texts, **kwargs)
        made.extend(weakref.ref(d) for d in docs)
        read.extend(texts)
        return docs

    def counting(article, doc):
        gc.collect()
        alive.append(sum(ref() is not None for ref in made))
        return extract(article, doc)

    pipeline._worker_init()  # the models loaded first (a stance model trained again parses its training texts)
    monkeypatch.setattr(nlp, "parse_texts", tracked)
    monkeypatch.setattr(pipeline, "_extract", counting)
    arts = an.load_corpus(CORPORA[1])
    n = len(nlp.analysable(arts))
    assert n >= 10
    bundle = an.analyze(arts, jobs=1, progress=False)
    from analysis.headlines import headline_parse_text

    records = nlp.analysable(arts).to_dict("records")
    texts = {r["text"] for r in records}
    heads = [headline_parse_text(r) for r in records]
    # both passes read every parse, and no step after them; pass 2 also parses each headline (a body short enough
    # to be its own headline counts once more), which the headlines step reads back from the cache
    expected = [t for t in texts for _ in range(2)] + [h for h in heads if h in texts]
    bodies = [t for t in read if t in texts]
    assert len(alive) == n and sorted(bodies) == sorted(expected)
    assert sum(t in texts for t in heads) < n  # most headlines are not whole bodies: the count above means much
    # what else was parsed is short: the headlines (by pass 2) and the odd lead sentence whose dateline is cut off;
    # never an article again
    others = [t for t in read if t not in texts]
    assert len(others) <= 2 * n and all(len(t) < 400 for t in others)
    assert sum(t in others for t in set(heads) - texts) == len(set(heads) - texts)
    assert len(bundle.headlines) == n
    assert 1 <= max(alive) <= pipeline.CHUNK


@pytest.mark.parametrize("use_cache", [True, False])
def test_each_article_is_parsed_once(tmp_path, monkeypatch, use_cache):
    """The second pass (stance) reads each parse back from the parse cache (or the run's scratch folder
    when uncached, removed afterwards) instead of parsing again."""
    import tempfile

    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    parsed = []
    pipe = nlp._pipe_in_pieces

    def counting(model, texts, **kwargs):
        parsed.extend(texts)
        return pipe(model, texts, **kwargs)

    pipeline._worker_init()  # the models loaded first (a stance model trained again parses its training texts)
    monkeypatch.setattr(nlp, "_pipe_in_pieces", counting)
    arts = an.load_corpus(pd.DataFrame({"text": [f'"We will win game {i}," said coach Tom Reyes on Friday. The Daily '
                                                 f'Ledger reported that Reyes had praised the United States.'
                                                 for i in range(5)], "outlet": list("ABCDE")}))
    bundle = an.analyze(arts, use_cache=use_cache, jobs=1, progress=False)
    assert len(bundle.stance) and len(bundle.quotes) >= 5
    texts = list(nlp.analysable(arts)["text"])
    assert sorted(t for t in parsed if t in texts) == sorted(texts)  # each article parsed once
    # besides: each headline once (here, with no title, the first words of the text), nothing else
    heads = [pipeline._module("headlines").recase(pipeline._module("headlines")._headline_text(None, t), t)
             for t in texts]
    assert sorted(t for t in parsed if t not in texts) == sorted(heads)
    assert (tmp_path / "cache" / "docs").exists() == use_cache
    assert not list(scratch.iterdir())  # the scratch parses of an uncached run are gone


def test_progress_bars_when_asked_and_silence_otherwise(small_chunks, monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "BAR_DELAY", 0)
    arts = an.load_corpus(pd.DataFrame({"text": ["Officials said on Monday that the talks failed."] * 3,
                                        "outlet": ["A", "B", "C"]}))
    an.analyze(arts, use_cache=False, jobs=1, progress=False)
    assert capsys.readouterr().err == ""
    an.analyze(arts, use_cache=False, jobs=1, progress=True)
    err = capsys.readouterr().err
    assert "parse + extract" in err and "corpus steps" in err and "stance + loaded language" in err
    assert "article/s" in err or "s/article" in err
    monkeypatch.setenv(pipeline.PROGRESS_ENV, "0")
    assert pipeline._progress_default() is False
    monkeypatch.setenv(pipeline.PROGRESS_ENV, "1")
    assert pipeline._progress_default() is True


def test_bad_jobs_and_engines_are_refused(small_chunks):
    arts = an.load_corpus(pd.DataFrame({"text": ["Officials said the talks failed."], "outlet": ["A"]}))
    with pytest.raises(ValueError, match="jobs"):
        an.analyze(arts, jobs=0)
    with pytest.raises(ValueError, match="engine"):
        an.analyze(arts, engine="spark")


def _broken_pass(chunk, root, cache):
    raise RuntimeError("extractor failed")


def test_an_error_in_a_worker_reaches_the_caller(small_chunks, monkeypatch):
    arts = an.load_corpus(CORPORA[0])
    monkeypatch.setattr(pipeline, "_pass1", _broken_pass)
    with pytest.raises(RuntimeError, match="extractor failed"):
        an.analyze(arts, use_cache=False, jobs=2, progress=False)


def test_a_script_can_analyse_twice_on_every_core(tmp_path):
    """A plain script (no ``__main__`` guard) calling ``analyze`` twice: the first run must leave no thread
    behind (tqdm's monitor did), else the second starts its workers by fork server and the script fails."""
    import os
    import subprocess
    import sys

    script = tmp_path / "twice.py"
    script.write_text(
        "import threading\n"
        "import analysis as an\n"
        f"an.analyze({str(ROOT / 'seeds')!r}, jobs=2, progress=True)\n"
        "assert threading.active_count() == 1, threading.enumerate()\n"
        f"b = an.analyze({str(ROOT / 'tests' / 'data' / 'stories')!r}, jobs=2)\n"  # 49 articles: 4 tasks
        "print('quotes', len(b.quotes))\n")
    env = {**os.environ, "NEWS_WORKBOOK_CACHE": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert int(proc.stdout.split()[-1]) > 0
