"""The voices measures grouped by any articles column (``by="lean"``, ``by="country"``), checked by value on a
made-up corpus: two "left" outlets quote the interior minister, the "right" one does not."""

import pandas as pd
import pytest

from analysis import voices

ARTICLES = pd.DataFrame({
    "article_id": ["a", "b", "c"],
    "outlet": ["Left Daily", "Left Post", "Right Herald"],
    "lean": ["left", "left", "right"],
    "country": ["UK", "UK", "IE"],
    "text": ["", "", ""],
    "published": ["2024-03-04", "2024-03-04", "2024-03-05"],
})

MINISTER = "We are sending help to every family in the town tonight"


def _quote(article_id, start, speaker, canonical, source_type, kind, words, *, via="", country=""):
    return {"article_id": article_id, "start": start, "end": start + len(words), "speaker": speaker,
            "speaker_canonical": canonical, "role": "", "source_type": source_type, "country": country,
            "kind": kind, "cue": "said", "via": via, "quote": words, "n_words": len(words.split())}


QUOTES = pd.DataFrame([
    _quote("a", 10, "Jane Doe", "Jane Doe", "government", "direct", MINISTER, country="UK"),
    _quote("b", 10, "Jane Doe", "Jane Doe", "government", "direct", MINISTER, country="UK"),
    _quote("b", 90, "Tom Lee", "Tom Lee", "other", "indirect", "the damage was the worst he had seen",
           via="Harbour Radio"),
    _quote("c", 10, "Mary Smith", "Mary Smith", "other", "direct", "Nobody came for days and the water rose"),
    _quote("c", 90, "Left Daily", "Left Daily", "media", "indirect", "the minister was late to answer the floods"),
    _quote("c", 150, "Ann Bell", "Ann Bell", "other", "direct", "We lost everything we had in one night",
           via="Right Herald"),  # told its own outlet: an interview, not a citation
])


def test_source_shares_by_lean_say_only_the_left_quotes_the_government():
    shares = voices.source_shares(QUOTES, ARTICLES, by="lean")
    share = {(r.lean, r.source_type): r.share for r in shares.itertuples()}
    assert share[("left", "government")] == pytest.approx(2 / 3)
    assert share[("left", "other")] == pytest.approx(1 / 3)
    assert ("right", "government") not in share
    assert share[("right", "other")] == pytest.approx(2 / 3)
    assert share[("right", "media")] == pytest.approx(1 / 3)
    for _lean, part in shares.groupby("lean"):
        assert part["share"].sum() == pytest.approx(1.0)


def test_source_summary_by_lean_counts_articles_and_voices_per_lean():
    summary = voices.source_summary(QUOTES, ARTICLES, by="lean")
    assert summary.index.name == "lean"
    assert summary.loc["left", "articles"] == 2 and summary.loc["right", "articles"] == 1
    assert summary.loc["left", "quotes"] == 3 and summary.loc["right", "quotes"] == 3
    assert summary.loc["left", "sources"] == 2 and summary.loc["right", "sources"] == 3
    assert summary.loc["left", "top_source"] == "Jane Doe"
    assert summary.loc["left", "top_share"] == pytest.approx(0.667, abs=1e-3)


def test_voice_matrix_and_coverage_by_lean():
    matrix = voices.voice_matrix(QUOTES, ARTICLES, by="lean")
    assert matrix.index.name == "lean" and list(matrix.index) == ["left", "right"]
    assert matrix.loc["left", "Jane Doe"] == 2 and matrix.loc["right", "Jane Doe"] == 0
    assert matrix.loc["right", "Mary Smith"] == 1
    coverage = voices.voice_coverage(QUOTES, ARTICLES, by="lean").set_index("source")
    assert coverage.loc["Jane Doe", "quoted_by"] == "left"
    assert coverage.loc["Jane Doe", "not_quoted_by"] == "right"
    assert coverage.loc["Jane Doe", "coverage"] == "one outlet only"  # one group of the two


def test_quote_table_by_lean_takes_the_articles_value_not_a_stale_column():
    stale = QUOTES.assign(lean="centre", outlet="somewhere")  # the articles table is what counts
    table = voices.quote_table(stale, ARTICLES, by="lean")
    assert table.groupby("lean")["article_id"].apply(lambda s: sorted(set(s))).to_dict() == {
        "left": ["a", "b"], "right": ["c"]}
    assert voices.source_summary(stale, ARTICLES, by="outlet").loc["Left Post", "quotes"] == 2


def test_media_citations_by_lean_skip_an_outlets_own_interview():
    cites = voices.media_citations(QUOTES, ARTICLES, by="lean")
    assert sorted(zip(cites["lean"], cites["cites"])) == [("left", "Harbour Radio"), ("right", "Left Daily")]


def test_same_quotes_group_across_leans_only():
    # the minister's words are in two left outlets: the same statement across outlets, not across leans
    assert voices.same_quotes(QUOTES, ARTICLES, by="lean").empty
    by_outlet = voices.same_quotes(QUOTES, ARTICLES, by="outlet")
    assert sorted(by_outlet["outlet"]) == ["Left Daily", "Left Post"]
    mixed = ARTICLES.assign(lean=["left", "right", "right"])
    same = voices.same_quotes(QUOTES, mixed, by="lean")
    assert sorted(zip(same["lean"], same["article_id"])) == [("left", "a"), ("right", "b")]
    assert "right" in voices.same_quotes_html(same, by="lean")


def test_by_an_articles_column_named_like_a_quotes_column():
    # the articles' country (where the outlet is) is not the quotes' country (where the source is from)
    table = voices.quote_table(QUOTES, ARTICLES, by="country")
    assert sorted(set(zip(table["country"], table["article_id"]))) == [("IE", "c"), ("UK", "a"), ("UK", "b")]
    assert set(table.loc[table["article_id"] == "a", "source country"]) == {"UK"}
    shares = voices.source_shares(QUOTES, ARTICLES, by="country", category="country")
    share = {(r.country, r.source_country): r.share for r in shares.itertuples()}
    assert share[("UK", "UK")] == pytest.approx(2 / 3) and share[("IE", "(unknown)")] == pytest.approx(1.0)


@pytest.mark.parametrize("name", ["quote_table", "source_summary", "source_shares", "voice_matrix",
                                  "voice_coverage", "media_citations", "same_quotes"])
def test_unknown_by_names_the_available_columns(name):
    with pytest.raises(ValueError, match=r"region.*lean"):
        getattr(voices, name)(QUOTES, ARTICLES, by="region")


@pytest.fixture(scope="module")
def lean_bundle(tmp_path_factory):
    import os

    import analysis as an

    os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
    texts = {
        "a": 'Floods hit Port Vale\n\n"We are sending help to every family," said Interior Minister Jane Doe.',
        "b": 'Port Vale under water\n\n"We are sending help to every family tonight," Jane Doe said on Monday.',
        "c": 'Flood chaos in Port Vale\n\n"Nobody came for days," said resident Mary Smith on Monday.',
    }
    arts = ARTICLES.assign(text=ARTICLES["article_id"].map(texts))
    bundle = an.analyze(arts, use_cache=False, jobs=1, progress=False)
    bundle.articles = bundle.articles.drop(columns=["lean"], errors="ignore").merge(
        ARTICLES[["article_id", "lean"]], on="article_id")
    return bundle


def test_explorer_by_lean(lean_bundle):
    pytest.importorskip("ipywidgets")
    from analysis.widgets import Explorer, explorer_data

    ex = Explorer(lean_bundle, by="lean")
    assert ex.outlets.options == ("left", "right")
    ex.outlets.value = ("right",)
    assert ex.selected_articles() == ["c"]
    assert set(ex.table["lean"]) <= {"right"}
    data = explorer_data(lean_bundle, by="lean")
    assert {a["id"]: a["outlet"] for a in data["articles"]} == {"a": "left", "b": "left", "c": "right"}
    with pytest.raises(ValueError, match=r"region.*lean"):
        Explorer(lean_bundle, by="region")


def test_same_quotes_within_a_story_does_not_link_two_stories():
    # the same words in two outlets' articles, but the articles are about two different stories
    two = ARTICLES.assign(story=["flood", "election", "flood"])
    assert not voices.same_quotes(QUOTES, ARTICLES, by="outlet").empty
    assert voices.same_quotes(QUOTES, two, by="outlet", within="story").empty
    one = ARTICLES.assign(story=["flood", "flood", "election"])
    assert sorted(voices.same_quotes(QUOTES, one, by="outlet", within="story")["article_id"]) == ["a", "b"]
    with pytest.raises(ValueError, match="story"):
        voices.same_quotes(QUOTES, ARTICLES, within="story")


from collections import Counter  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_VOCAB = ["the", "a", "of", "we", "will", "strike", "wage", "offer", "council", "flood", "vote", "said"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=9), st.sampled_from("XYZ"),
                          st.sampled_from(["", "Ann", "Bo"]), st.sampled_from("st")), min_size=2, max_size=14),
       st.sampled_from([0.5, 0.8]), st.sampled_from([0.35, 0.6]))
def test_prefix_filter_finds_every_pair_that_meets_a_threshold(items, overlap, paraphrase):
    # brute force over all pairs: every pair meeting either condition is among the candidates
    words = [w for w, _, _, _ in items]
    counts = [Counter(w) for w in words]
    content = [set(w) - voices._STOP for w in words]
    groups = [g for _, g, _, _ in items]
    speakers = [s for _, _, s, _ in items]
    scope = [sc for _, _, _, sc in items]
    found = set(voices._candidate_quote_pairs(counts, content, speakers, groups, scope, overlap=overlap,
                                              paraphrase=paraphrase))
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if groups[i] == groups[j] or scope[i] != scope[j] or not content[i] & content[j]:
                assert (i, j) not in found
                continue
            shared = sum((counts[i] & counts[j]).values())
            jacc = len(content[i] & content[j]) / len(content[i] | content[j])
            if shared >= overlap * min(len(words[i]), len(words[j])) or (
                    speakers[i] and speakers[i] == speakers[j] and jacc >= paraphrase):
                assert (i, j) in found, (words[i], words[j])
