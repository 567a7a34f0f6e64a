"""analysis.stories: grouping articles on the same event, scored on tests/data/stories and the seeds."""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd
import pytest

import analysis as an

st = importlib.import_module("analysis.stories")  # the module (an.stories is the function)

STORY_SET = Path(__file__).resolve().parent / "data" / "stories"
COLUMNS = ["article_id", "story", "story_title", "confidence"]


@pytest.fixture(scope="module")
def labelled():
    return an.load_corpus(STORY_SET)


@pytest.fixture(scope="module")
def scores():
    return st.evaluate_stories(STORY_SET).set_index("method")


def _frame(texts, titles=None, published=None, **extra):
    n = len(texts)
    return pd.DataFrame({"article_id": [f"a{i}" for i in range(n)], "title": titles or [""] * n,
                         "text": texts, "published": pd.to_datetime(published or [None] * n), **extra})


# --------------------------------------------------------------------------- the labelled set


def test_labelled_set_is_what_its_readme_says(labelled):
    assert len(labelled) >= 40 and labelled["event"].nunique() >= 12
    assert "story" not in labelled.columns  # the gold must not override the grouping
    assert labelled["published"].isna().sum() >= 1


def test_floors_on_the_labelled_set(scores):
    m = scores.loc["stories (average link, window)"]
    assert m["ari"] >= 0.90, scores  # measured 1.000
    assert m["f1"] >= 0.90, scores  # measured 1.000
    assert m["precision"] >= 0.90 and m["recall"] >= 0.90


def test_above_every_baseline(scores):
    m = scores.loc["stories (average link, window)"]
    for name in ("tf-idf, no date window", "tf-idf components, no window", "each article alone", "all in one story"):
        assert m["ari"] >= scores.loc[name, "ari"] + 0.05, (name, scores)
        assert m["f1"] >= scores.loc[name, "f1"] + 0.05, (name, scores)


def test_hard_cases_kept_apart_and_together(labelled):
    t = an.stories(labelled).merge(labelled[["article_id", "event"]], on="article_id")
    by_event = t.groupby("event")["story"].agg(set)
    for a, b in (("quake-tarsin", "quake-caldera"), ("match-semi", "match-league"), ("rate-feb", "rate-mar"),
                 ("jobs-may", "jobs-jun")):
        assert not by_event[a] & by_event[b], (a, b)
    for event in ("plant-fire", "rent-act"):  # days apart; very different headlines
        assert len(by_event[event]) == 1, event


def test_the_date_window_is_what_separates_recurring_events(labelled):
    """Without the window, the two rate decisions (six weeks apart) share a story: the window matters."""
    t = an.stories(labelled, window_days=None).merge(labelled[["article_id", "event"]], on="article_id")
    by_event = t.groupby("event")["story"].agg(set)
    assert by_event["rate-feb"] & by_event["rate-mar"]


def test_seeds_are_one_story(seed_articles):
    t = an.stories(seed_articles)
    assert len(t) == len(an.nlp.analysable(seed_articles)) == 5
    assert t["story"].nunique() == 1
    assert t["story_title"].iloc[0] in set(seed_articles["title"].dropna())


def test_seeds_stay_one_story_among_other_events(labelled, seed_articles):
    both = pd.concat([labelled, seed_articles.assign(event="seeds")], ignore_index=True)
    s = st.evaluate_stories(both).set_index("method").loc["stories (average link, window)"]
    assert s["ari"] >= 0.90 and s["f1"] >= 0.90


# --------------------------------------------------------------------------- behaviour


def test_table_shape_and_titles(labelled):
    t = an.stories(labelled)
    assert list(t.columns) == COLUMNS
    assert t["article_id"].tolist() == labelled["article_id"].tolist()
    assert t["confidence"].between(0, 1).all()
    for _, g in t.groupby("story"):  # the title is one member's headline
        members = labelled.set_index("article_id").loc[g["article_id"], "title"]
        assert g["story_title"].nunique() == 1 and g["story_title"].iloc[0] in set(members)
    sizes = t.groupby("story").size()
    assert sizes.loc["S001"] == sizes.max()  # numbered from the largest


def test_most_central_headline_names_the_story():
    texts = ["harbour crane collapse injures dockers at north pier",
             "harbour crane collapse injures dockers at north pier investigation ordered by port director",
             "investigation ordered by port director after pier accident"]
    titles = ["Crane falls", "Crane collapse: investigation ordered", "Port orders inquiry"]
    t = an.stories(_frame(texts, titles), threshold=0.05)
    assert t["story"].nunique() == 1
    assert t["story_title"].iloc[0] == "Crane collapse: investigation ordered"


def test_metadata_story_overrides(labelled):
    forced = labelled.assign(story=["given-" + ("x" if i % 2 else "y") if i < 10 else None
                                    for i in range(len(labelled))])
    t = an.stories(forced)
    head = t.iloc[:10]
    assert set(head["story"]) == {"given-x", "given-y"}
    assert (head["confidence"] == 1.0).all()
    assert t.iloc[10:]["story"].str.match(r"S\d{3}$").all()  # the rest is grouped by content
    assert not set(t.iloc[10:]["story"]) & {"given-x", "given-y"}


def test_metadata_story_column_read_from_the_folder(tmp_path, labelled):
    for f in ("quake_tarsin_1.txt", "quake_caldera_1.txt", "obit_1.txt"):
        (tmp_path / f).write_text((STORY_SET / f).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,title,published,story\n"
                                           "quake_tarsin_1.txt,Quake,2023-03-06,quakes\n"
                                           "quake_caldera_1.txt,Quake,2023-03-09,quakes\n"
                                           "obit_1.txt,Obituary,2023-08-10,\n", encoding="utf-8")
    t = an.stories(an.load_corpus(tmp_path)).set_index("article_id")
    assert t.loc["quake_tarsin_1", "story"] == t.loc["quake_caldera_1", "story"] == "quakes"
    assert t.loc["obit_1", "story"] != "quakes"


def test_no_date_articles_grouped_on_content_only():
    text = "Floodwaters swept through Marlow village after the Tessel river burst its banks overnight"
    other = "Chess prodigy Ina Varga won the national championship in a tense final round"
    dated = _frame([text, text + " again", other], published=["2023-01-01", "2023-03-01", "2023-01-01"])
    t = an.stories(dated)
    assert t.loc[0, "story"] != t.loc[1, "story"]  # 59 days apart: the window keeps them apart
    undated = dated.assign(published=[pd.Timestamp("2023-01-01"), pd.NaT, pd.Timestamp("2023-01-01")])
    t = an.stories(undated)
    assert t.loc[0, "story"] == t.loc[1, "story"]  # no date: content alone links them
    assert t.loc[2, "story"] != t.loc[0, "story"]
    nodates = dated.drop(columns="published")
    t = an.stories(nodates)
    assert t.loc[0, "story"] == t.loc[1, "story"] != t.loc[2, "story"]


def test_labelled_set_without_any_dates_still_groups(labelled):
    t = an.stories(labelled.assign(published=pd.NaT))
    assert st.story_scores(labelled["event"], t["story"])["ari"] >= 0.75  # the no-window figure (0.86)


def test_chaining_guard():
    texts = ["alpha beta gamma delta", "gamma delta epsilon zeta", "epsilon zeta eta theta"]
    chain = _frame(texts)
    assert an.stories(chain, threshold=0.3, method="components")["story"].nunique() == 1
    t = an.stories(chain, threshold=0.3)
    assert t["story"].nunique() == 2  # A~B and B~C, but A and C share nothing


def test_entities_count_toward_similarity():
    arts = _frame(["A senior minister resigned on Tuesday", "Parliament reacted to the shock departure"])
    assert an.stories(arts)["story"].nunique() == 2
    ents = pd.DataFrame({"article_id": ["a0", "a0", "a1", "a1"], "label": ["PERSON", "GPE"] * 2,
                         "canonical": ["Ana Duro", "Veldia"] * 2, "text": ["Duro", "Veldia"] * 2})
    assert an.stories(arts, entities=ents)["story"].nunique() == 1


def test_one_article_corpus():
    t = an.stories(_frame(["Only one article here about a bridge"], ["Bridge opens"]))
    assert t.to_dict("records") == [{"article_id": "a0", "story": "S001", "story_title": "Bridge opens",
                                     "confidence": 1.0}]


def test_empty_corpus_and_unusable_rows():
    empty = an.stories(pd.DataFrame(columns=["article_id", "text"]))
    assert list(empty.columns) == COLUMNS and empty.empty
    bad = _frame(["", "some text about a storm", "text of a broken file"], status=["ok", "ok", "error"])
    t = an.stories(bad)
    assert t["article_id"].tolist() == ["a1"]
    stop = an.stories(_frame(["the and of", "it is the"]))  # nothing but stop words
    assert len(stop) == 2 and stop["story"].nunique() == 2


def test_deterministic_and_input_unchanged(labelled):
    before = labelled.copy()
    a, b = an.stories(labelled), an.stories(labelled)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(labelled, before)
    shuffled = labelled.sample(frac=1, random_state=3)
    c = an.stories(shuffled).set_index("article_id").loc[a["article_id"]].reset_index()
    assert st.story_scores(a["story"], c["story"])["ari"] == 1.0  # same partition in any row order


def test_scores():
    s = st.story_scores(["x", "x", "y", "y"], ["a", "a", "a", "b"])
    assert s["precision"] == pytest.approx(1 / 3) and s["recall"] == pytest.approx(1 / 2)
    assert s["f1"] == pytest.approx(0.4)
    alone = st.story_scores(["x", "x"], ["a", "b"])
    assert alone["f1"] == 0 and alone["precision"] != alone["precision"]  # NaN: nothing predicted


def test_scales_without_all_pairs_within_window():
    """Dated articles are only compared within the window: 600 articles over 300 days, each near-identical
    to all others, still split by date into stories of nearby days."""
    n = 600
    arts = _frame(["storm damages roofs across the county"] * n,
                  published=[str(pd.Timestamp("2023-01-01") + pd.Timedelta(days=i // 2))[:10] for i in range(n)])
    t = an.stories(arts)
    assert t["story"].nunique() > 20


def test_with_stories_merges_the_story_into_the_articles_table():
    arts = an.load_corpus(pd.DataFrame({
        "outlet": ["A", "B", "C"], "published": ["2024-03-04", "2024-03-04", "2024-03-20"],
        "title": ["Harbour bridge closed after cracks found", "Cracks close the harbour bridge",
                  "Orchestra announces its new season"],
        "text": ["Engineers found cracks in the harbour bridge and closed it on Monday.",
                 "The harbour bridge was closed on Monday after engineers found cracks.",
                 "The orchestra announced six concerts for its new season on Friday."]}))
    merged = an.with_stories(arts)
    assert len(merged) == len(arts) and {"story", "story_title", "story_confidence"} <= set(merged.columns)
    assert merged.story.iloc[0] == merged.story.iloc[1] != merged.story.iloc[2]
    assert an.with_stories(merged) is merged  # already grouped: returned as it is
    from analysis.stories import story_order

    assert story_order(merged) == [merged.story.iloc[0], merged.story.iloc[2]]  # largest first
    assert story_order(merged, min_groups=2) == [merged.story.iloc[0]]  # covered by two outlets
