"""The comparative findings compare outlets within each story, say what their evidence shows, summarise only what
holds in most stories, and cope with small corpora and any grouping column."""

import dataclasses
import os

import pandas as pd
import pytest

import analysis as an
from analysis.compare import sections

STORY_ROOT = os.path.join(os.path.dirname(__file__), "data", "stories")


def test_findings_on_the_seeds_match_their_tables(seed_articles):
    found = an.findings(seed_articles)
    story = {f.title: f for f in found if f.story}
    assert {f.story for f in found if f.story} == {"S001"}  # the five seed articles are one story
    loaded = story["Loaded language in the outlets' own words"]
    assert loaded.sentence.startswith("Press TV uses the most loaded")
    assert set(loaded.evidence.outlet) <= set(seed_articles.outlet)
    voices = story["Voices shared and voices left out"]
    assert "Every outlet quotes Sergei Ryabkov" in voices.sentence
    assert "no government source of the United States" in voices.sentence  # quoted by some outlets, not all
    history = story["The history each outlet recalls"]
    assert "Iran Press recalls 2001, 2005 and 2014" in history.sentence
    across = [f for f in found if f.title == "Across stories"]
    assert len(across) == 1 and "Only one story" in across[0].sentence
    for finding in found:
        assert finding.sentence and isinstance(finding.evidence, pd.DataFrame)
        if finding.chart is not None:
            assert finding.chart() is not None


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
    return an.analyze(STORY_ROOT)


def test_one_section_per_story_largest_first(labelled):
    found = an.findings(labelled)
    parts = sections(found)
    stories = an.with_stories(labelled)
    sizes = stories.groupby("story").size()
    outlets = stories.groupby("story")["outlet"].nunique()
    shown = [s for s, _, _ in parts if s]
    assert shown and len(shown) == len(set(shown))  # one section each
    assert all(outlets[s] >= 2 for s in shown)  # a finding needs two outlets of one story
    assert [sizes[s] for s in shown] == sorted((sizes[s] for s in shown), reverse=True)
    assert set(shown) == set(outlets[outlets >= 2].index)
    for story, title, items in parts:
        if not story:
            continue
        assert title == stories.loc[stories.story == story, "story_title"].iloc[0]
        members = set(stories.loc[stories.story == story, "outlet"])
        for f in items:
            if "outlet" in f.evidence.columns and len(f.evidence):
                assert set(f.evidence["outlet"]) <= members, (story, f.title)  # nothing from another story
    assert [f.title for f in found if not f.story][0] == "Across stories"
    assert an.findings(labelled, max_stories=2)[-1].story == ""
    assert len({f.story for f in an.findings(labelled, max_stories=2) if f.story}) == 2


def test_by_any_column(labelled):
    arts = labelled.articles.copy()
    arts["lean"] = arts["outlet"].map(lambda o: "left" if len(o) % 2 else "right")
    found = an.findings(dataclasses.replace(labelled, articles=arts), by="lean")
    assert found and all(f.sentence for f in found)
    voices = [f for f in found if f.title == "Who gets a voice" and f.story]
    assert voices and "lean" in voices[0].evidence.columns
    with pytest.raises(KeyError, match="no 'country' column"):
        an.findings(labelled, by="country")


STORY_1 = ("Council approves Lowtown budget\n\nThe Lowtown council approved its budget on Monday after a long "
           "debate. The budget adds money for schools and roads. Councillor Ann Lee said the vote was close.")
STORY_1_LOADED = ("Lowtown council rams through budget\n\nThe Lowtown council approved its budget on Monday after a "
                  "long debate. The regime slammed critics and the so-called reforms add money for schools and "
                  "roads. Councillor Ann Lee said the vote was close.")
STORY_2 = ("Eastvale opens new bridge\n\nEastvale opened its new river bridge on Thursday, two months late. The bridge "
           "cost twelve million. Engineer Tom Hart said traffic would ease.")
STORY_2_LOADED = ("Eastvale finally opens bridge\n\nEastvale opened its new river bridge on Thursday, two months "
                  "late. The regime slammed critics of the bridge, which cost twelve million in a scandal. "
                  "Engineer Tom Hart said traffic would ease.")


def test_the_summary_keeps_what_holds_in_most_stories(tmp_path):
    os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    arts = an.load_corpus(pd.DataFrame({
        "outlet": ["Daily X", "Daily Y", "Daily X", "Daily Y"],
        "story": ["budget", "budget", "bridge", "bridge"],  # given, as a metadata.csv column would be
        "published": ["2024-03-04", "2024-03-04", "2024-04-10", "2024-04-10"],
        "title": [t.split("\n")[0] for t in (STORY_1_LOADED, STORY_1, STORY_2_LOADED, STORY_2)],
        "text": [STORY_1_LOADED, STORY_1, STORY_2_LOADED, STORY_2]}))
    found = an.findings(arts)
    assert {f.story for f in found if f.story} == {"budget", "bridge"}
    across = next(f for f in found if f.title == "Across stories")
    assert "Daily X uses the most loaded or evaluative terms in its own voice" in across.sentence
    assert "in 2 of the 2 stories" in across.sentence
    row = across.evidence[(across.evidence.measure == "most_loaded")].iloc[0]
    assert row["outlet"] == "Daily X" and row["stories_leading"] == 2 and across.strength > 1


def test_no_story_with_two_outlets_compares_nothing(tmp_path):
    os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    arts = an.load_corpus(pd.DataFrame({"outlet": ["Daily X", "Daily Y"], "published": ["2024-03-04", "2024-04-10"],
                                        "text": [STORY_1, STORY_2]}))
    found = an.findings(arts)
    assert [f.title for f in found] == ["No story covered by two outlets"]
    assert "nothing is compared" in found[0].sentence


def test_one_outlet_and_no_quotes_still_give_findings():
    arts = an.load_corpus(pd.DataFrame({"text": ["The river rose two metres overnight in 2024 and roads closed.",
                                                 "Schools stayed shut on Monday as the water receded slowly."],
                                        "outlet": ["Daily A", "Daily A"], "published": ["2024-03-05"] * 2}))
    titles = [f.title for f in an.findings(arts)]
    assert titles[0] == "One outlet only"
    sources = next(f for f in an.findings(arts) if f.title == "Who gets a voice")
    assert sources.sentence == "No outlet quotes anyone in this corpus."


def test_a_story_without_the_corpus_targets_is_read_for_its_own_actors(labelled):
    from analysis.compare import story_stance

    arts = an.with_stories(labelled)
    own = []
    for story in arts.story.unique():
        part = arts[arts.story == story]
        rows = story_stance(labelled.stance, part, quotes_table=labelled.quotes, entities_table=labelled.entities)
        assert set(rows["article_id"]) <= set(part["article_id"])
        if len(rows) and not rows["target"].isin(set(labelled.stance["target"])).all():
            named = set(labelled.entities[labelled.entities.article_id.isin(set(part.article_id))]["canonical"])
            named |= set(labelled.entities["country"].dropna()) | set(labelled.entities["government"].dropna())
            assert set(rows["target"]) <= named  # its own actors: named in the story
            own.append(story)
    assert own  # fifteen events: the corpus's four most named actors cannot be in all of them


def test_grouping_by_the_outlets_country_keeps_the_speakers_country():
    """by="country" groups outlets by their own country; the speaker's country must stay the speaker's."""
    from analysis.compare import _unquoted_government

    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["Daily UK", "Other UK", "US Post"],
                         "country": ["United Kingdom", "United Kingdom", "United States"]})
    q = pd.DataFrame({"article_id": ["a", "c"], "source_type": ["government", "government"],
                      "country": ["United States", "United States"]})
    country, silent = _unquoted_government(q, arts, by="country")
    assert (country, silent) == ("", [])  # both groups quote a US official
    country, silent = _unquoted_government(q[q["article_id"] == "a"], arts, by="country")
    assert (country, silent) == ("United States", ["United States"])  # the US-based group quotes none
    assert q["country"].tolist() == ["United States", "United States"]
