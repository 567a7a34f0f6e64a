"""analyze(): one run for every table, cached on disk, saved for use outside Python."""

import pandas as pd

import analysis as an


def test_analyze_returns_every_table_and_reads_its_cache(tmp_path, monkeypatch, seeds_dir):
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    first = an.analyze(seeds_dir)
    assert len(first.articles) == 5 and len(first.quotes) > 40 and len(first.entities) > 300
    assert len(first.dates) > 20 and len(first.stance) > 100 and len(first.loaded) > 20
    cached = list((tmp_path / "cache" / "tables").glob("*.pkl"))
    assert len(cached) == 1
    again = an.analyze(seeds_dir)
    pd.testing.assert_frame_equal(first.quotes, again.quotes)
    assert list((tmp_path / "cache" / "tables").glob("*.pkl")) == cached  # read, not recomputed
    pd.testing.assert_frame_equal(first.quotes, an.quotes(first.articles))


def test_a_changed_text_is_a_new_cache_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    arts = pd.DataFrame({"text": ["Officials said on Monday that the talks failed."], "outlet": ["A"]})
    an.analyze(an.load_corpus(arts))
    arts2 = arts.assign(text=["Officials said on Tuesday that the talks resumed."])
    b = an.analyze(an.load_corpus(arts2))
    assert len(list((tmp_path / "cache" / "tables").glob("*.pkl"))) == 2
    assert b.quotes.quote.tolist() == ["the talks resumed"]


def test_bundle_saves_csv_and_parquet(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    arts = an.load_corpus(pd.DataFrame({"text": ['"We will win," said coach Tom Reyes on Friday.'],
                                        "outlet": ["A"]}))
    written = an.analyze(arts).save(tmp_path / "out")
    names = {p.name for p in written}
    assert {"quotes.csv", "quotes.parquet", "articles.csv", "stance.csv"} <= names
    assert pd.read_parquet(tmp_path / "out" / "quotes.parquet").speaker_canonical.tolist() == ["Tom Reyes"]
