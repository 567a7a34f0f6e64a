"""analyze(): one run for every table, cached on disk as data (Parquet), saved for use outside Python."""

from dataclasses import fields

import pandas as pd
import pytest

import analysis as an
from analysis import pipeline


def _entries(cache):
    return sorted(p for p in (cache / "tables").iterdir() if not p.name.startswith("."))


def test_analyze_returns_every_table_and_reads_its_cache(tmp_path, monkeypatch, seeds_dir):
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    first = an.analyze(seeds_dir)
    assert len(first.articles) == 5 and len(first.quotes) > 40 and len(first.entities) > 300
    assert len(first.dates) > 20 and len(first.stance) > 100 and len(first.loaded) > 20
    cached = _entries(tmp_path / "cache")
    assert len(cached) == 1 and not list(cached[0].glob("*.pkl"))
    again = an.analyze(seeds_dir)
    for f in fields(first):  # the cached tables are the computed ones, dtypes included
        pd.testing.assert_frame_equal(getattr(first, f.name), getattr(again, f.name))
    assert _entries(tmp_path / "cache") == cached  # read, not recomputed
    pd.testing.assert_frame_equal(first.quotes, an.quotes(first.articles))


def test_a_changed_text_is_a_new_cache_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    arts = pd.DataFrame({"text": ["Officials said on Monday that the talks failed."], "outlet": ["A"]})
    an.analyze(an.load_corpus(arts))
    arts2 = arts.assign(text=["Officials said on Tuesday that the talks resumed."])
    b = an.analyze(an.load_corpus(arts2))
    assert len(_entries(tmp_path / "cache")) == 2
    assert b.quotes.quote.tolist() == ["the talks resumed"]


def test_every_articles_column_and_the_code_are_in_the_key():
    arts = an.load_corpus(pd.DataFrame({"text": ["Officials said the talks failed."], "outlet": ["A"]}))
    base = pipeline._key(arts, {})
    assert pipeline._key(arts.assign(author="Someone Else"), {}) != base
    assert pipeline._key(arts.assign(url="https://example.org/2"), {}) != base
    assert pipeline._key(arts, {"targets": {"X": ["x"]}}) != base
    assert len(pipeline.code_hash()) == 40


def test_a_damaged_entry_is_recomputed(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    arts = an.load_corpus(pd.DataFrame({"text": ['"We will win," said coach Tom Reyes on Friday.'], "outlet": ["A"]}))
    first = an.analyze(arts)
    (entry,) = _entries(tmp_path / "cache")
    data = bytearray((entry / "quotes.parquet").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (entry / "quotes.parquet").write_bytes(bytes(data[: len(data) // 2]))
    again = an.analyze(arts)
    pd.testing.assert_frame_equal(first.quotes, again.quotes)
    (entry,) = _entries(tmp_path / "cache")  # the damaged entry was replaced by a readable one
    assert pipeline._read_cached(entry) is not None


def test_an_unwritable_cache_runs_uncached_with_a_note(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pipeline.tempfile, "mkdtemp", refuse)
    arts = an.load_corpus(pd.DataFrame({"text": ["Officials said the talks failed."], "outlet": ["A"]}))
    with pytest.warns(UserWarning, match="uncached"):
        assert len(an.analyze(arts).quotes) == 1


def test_bundle_saves_csv_and_parquet(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    arts = an.load_corpus(pd.DataFrame({"text": ['"We will win," said coach Tom Reyes on Friday.'],
                                        "outlet": ["A"]}))
    written = an.analyze(arts).save(tmp_path / "out")
    names = {p.name for p in written}
    assert {"quotes.csv", "quotes.parquet", "articles.csv", "stance.csv"} <= names
    assert pd.read_parquet(tmp_path / "out" / "quotes.parquet").speaker_canonical.tolist() == ["Tom Reyes"]


def test_a_damaged_parse_is_parsed_again_and_an_unwritable_parse_cache_is_not_fatal(tmp_path, monkeypatch):
    from analysis import nlp

    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    text = "The mayor said on Monday that the bridge would reopen."
    (first,) = nlp.parse_texts([text])
    (stored,) = list((tmp_path / "cache" / "docs").rglob("*.spacy"))
    raw = bytearray(stored.read_bytes())
    for i in range(10, len(raw), 7):
        raw[i] ^= 0x5A
    stored.write_bytes(bytes(raw))
    (again,) = nlp.parse_texts([text])
    assert [t.dep_ for t in again] == [t.dep_ for t in first]

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.warns(UserWarning, match="uncached"):
        (doc,) = nlp.parse_texts(["A different sentence, never parsed before."])
    assert doc.text.startswith("A different")


def test_the_analyze_command_writes_every_table(tmp_path, monkeypatch, capsys):
    from analysis.cli import main

    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text('"We will win," said coach Tom Reyes on Friday.\n', encoding="utf-8")
    (corpus / "b.txt").write_text("Officials said on Monday that the talks failed.\n", encoding="utf-8")
    assert main(["analyze", str(corpus), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0
    assert "2 articles: 2 quotes" in capsys.readouterr().out
    assert pd.read_parquet(tmp_path / "out" / "quotes.parquet").speaker_canonical.tolist() == ["Tom Reyes", ""]
    assert main(["analyze", str(corpus), "--scheduler", "tcp://127.0.0.1:1"]) == 2  # an address needs the dask engine
    assert main(["analyze", str(corpus), "--jobs", "0"]) == 2


def test_a_chunks_docs_are_freed_when_it_ends(tmp_path, monkeypatch, seeds_dir):
    """Streaming: no Doc of a chunk outlives its pass (a Doc sits in a reference cycle, so without the collection
    at the end of each chunk the Docs would pile up until the collector's rare full pass)."""
    import gc
    import weakref

    from analysis import nlp as nlp_module

    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    refs = []
    real = nlp_module.parse_texts

    def recording(texts, **kw):
        docs = real(texts, **kw)
        refs.extend(weakref.ref(d) for d in docs)
        return docs

    monkeypatch.setattr(nlp_module, "parse_texts", recording)
    records = an.load_corpus(seeds_dir).to_dict("records")[:3]
    was_enabled = gc.isenabled()
    gc.disable()  # only the pass itself may free them
    try:
        parts = pipeline._pass1(records, str(tmp_path / "cache"), str(tmp_path / "cache"))
        assert len(parts) == 3 and refs
        assert all(r() is None for r in refs)
    finally:
        if was_enabled:
            gc.enable()


def test_the_corpus_tables_are_the_direct_calls_and_come_back_from_the_cache(tmp_path, monkeypatch, seeds_dir):
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    first = an.analyze(seeds_dir, jobs=1)
    usable = an.with_stories(first.articles)
    usable = usable[usable.status != "error"]
    direct = {"stories": an.stories(first.articles), "same_quotes": an.same_quotes(first.quotes, first.articles),
              "frames": an.frames(usable)}
    assert len(direct["stories"]) == 5 and len(direct["frames"]) > 0
    assert len(direct["same_quotes"]) > 0
    again = an.analyze(seeds_dir, jobs=1)
    assert pipeline.last_timings and len(_entries(tmp_path / "cache")) == 1
    for name, table in direct.items():
        pd.testing.assert_frame_equal(getattr(first, name), table, obj=name)
        pd.testing.assert_frame_equal(getattr(again, name), table, obj=f"{name} (cached)")
    pd.testing.assert_frame_equal(again.with_stories(), an.with_stories(first.articles))


def test_list_and_tuple_cells_survive_the_cache(tmp_path):
    table = pd.DataFrame({"a": [["x", "y"], [], None], "b": [("p", 1), ("q", 2), ("r", 3)], "c": ["s", "t", "u"],
                          "n": [1, 2, 3]})
    encoded, kinds = pipeline._to_json(table)
    assert kinds == {"a": "list", "b": "tuple"}
    encoded.to_parquet(tmp_path / "t.parquet", index=False)
    back = pd.read_parquet(tmp_path / "t.parquet")
    for col, kind in kinds.items():
        back[col] = pipeline._from_json(back[col], kind)
    pd.testing.assert_frame_equal(back, table)
    assert table["a"].iloc[0] == ["x", "y"]  # the caller's table is left as it was


BRIDGE = ("Lowtown closes Harbour Bridge\n\nThe Harbour Bridge in Lowtown was closed on Monday after engineers found "
          "cracks in its main span. \"We will not reopen the bridge until every crack is repaired and safe,\" Mayor "
          "Ann Lee said.")
BRIDGE_B = ("Harbour Bridge shut over cracks\n\nEngineers found cracks in the main span of the Harbour Bridge, and "
            "Lowtown shut it on Monday. \"We will not reopen the bridge until every crack is repaired and safe,\" "
            "Mayor Ann Lee told reporters.")
FESTIVAL = ("Westport music festival opens\n\nThe Westport music festival opened on Friday with six concerts by the "
            "sea. \"We will not reopen the bridge until every crack is repaired and safe,\" Mayor Ann Lee joked on "
            "stage, to laughter from the crowd.")


def test_corpus_tables_are_computed_within_stories(tmp_path, monkeypatch):
    """Same quotes and facts compare only inside a story (a story is itself bounded by a date window): the same
    words in a story months later are not the same statement in the corpus's tables, as they are when the whole
    corpus is compared at once."""
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    arts = an.load_corpus(pd.DataFrame({"outlet": ["A", "B", "C"], "published": ["2024-03-04", "2024-03-04",
                                                                                  "2024-08-30"],
                                        "title": [t.split("\n")[0] for t in (BRIDGE, BRIDGE_B, FESTIVAL)],
                                        "text": [BRIDGE, BRIDGE_B, FESTIVAL]}))
    bundle = an.analyze(arts, jobs=1, progress=False)
    story = dict(zip(bundle.stories.article_id, bundle.stories.story))
    ids = list(arts.article_id)
    assert story[ids[0]] == story[ids[1]] != story[ids[2]]
    pooled = an.same_quotes(bundle.quotes, bundle.articles)
    assert set(pooled.outlet) == {"A", "B", "C"}  # the whole corpus at once links the festival's joke too
    assert len(bundle.same_quotes) and set(bundle.same_quotes.outlet) == {"A", "B"}
    assert (bundle.same_quotes.groupby("group").article_id.agg(lambda s: s.map(story).nunique()) == 1).all()
    assert (bundle.facts.groupby("fact").article_id.agg(lambda s: s.map(story).nunique()) == 1).all()
    steps = {"same quotes", "frames", "facts", "distinctive terms", "subjectivity", "story stance", "headlines",
             "naming"}
    assert steps <= set(pipeline.last_timings) and all(v >= 0 for v in pipeline.last_timings.values())


def test_one_chunk_keeps_every_value_and_makes_arrow_columns_contiguous():
    import pyarrow as pa

    from analysis.tables import one_chunk

    def chunks(column):
        arrow = pa.array(column.array)
        return arrow.num_chunks if isinstance(arrow, pa.ChunkedArray) else 1

    part = pd.DataFrame({"name": ["Ana", None, "Bo", "Cy"], "n": [1, 2, 3, 4], "obj": [[1], [2], None, [4]]})
    part["name"] = part["name"].astype("str")
    joined = pd.concat([part] * 50, ignore_index=True)
    joined.attrs["priors"] = {"neutral": 0.7}
    assert chunks(joined["name"]) == 50  # what concatenating parts gives
    solid = one_chunk(joined)
    pd.testing.assert_frame_equal(solid, joined)  # values, missing values, dtypes, index
    assert solid.attrs == joined.attrs
    assert chunks(solid["name"]) == 1
    assert chunks(joined["name"]) == 50  # the table given is not changed
    assert one_chunk(solid) is solid  # nothing to do: the same table


def test_pass_two_parts_are_packed_by_kind_and_read_back_in_order():
    chunk_a = [{"stance": [{"x": 1}], "lead": {"lead": "a"}}, {"stance": [], "lead": {"lead": "b"}}]
    chunk_b = [{"stance": [{"x": 3}, {"x": 4}], "lead": {"lead": "c"}}]
    parts = pipeline._Parts()
    parts.add(["a1", "a2"], pipeline._packed(chunk_a))
    parts.add(["b1"], pipeline._packed(chunk_b))
    assert all(isinstance(v, bytes) for v in pipeline._packed(chunk_a).values())
    assert "a2" in parts and "zz" not in parts and len(parts) == 3
    assert parts.kind("stance") == {"a1": [{"x": 1}], "a2": [], "b1": [{"x": 3}, {"x": 4}]}
    assert list(parts.kind("lead")) == ["a1", "a2", "b1"]  # the corpus's order
    assert parts.kind("lead", only={"b1"}) == {"b1": {"lead": "c"}}
    parts.add(["a1"], pipeline._packed([{"stance": [{"x": 9}], "lead": {"lead": "z"}}]))  # met twice: the last
    assert parts.kind("stance")["a1"] == [{"x": 9}] and len(parts) == 3
