"""bundle.leads (compare.story_leads, computed once by analyze) holds the leaders findings would get by comparing
every story again, so a report that shows a few stories still counts every one the same way."""

import dataclasses
import os

import pandas as pd
import pytest

import analysis as an
from analysis.compare import MEASURES, story_leads

STORY_ROOT = os.path.join(os.path.dirname(__file__), "data", "stories")


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
    return an.analyze(STORY_ROOT)


def _as_text(found):
    return [(f.story, f.title, f.sentence, f.strength, f.evidence.to_csv()) for f in found]


def test_the_bundle_holds_every_compared_story_s_leaders(labelled):
    leads = labelled.leads
    assert list(leads.columns) == ["story", "measure", "leader"]
    stories = an.with_stories(labelled)
    outlets = stories.groupby("story")["outlet"].apply(set)
    compared = {s for s, o in outlets.items() if len(o) >= 2}
    assert set(leads["story"]) == compared and compared
    led = leads[leads["measure"] != ""]
    assert set(led["measure"]) <= set(MEASURES)
    for row in led.itertuples():
        assert row.leader == "" or row.leader in outlets[row.story]
    again = story_leads(labelled)
    pd.testing.assert_frame_equal(again.reset_index(drop=True), leads.reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("shown", [0, 1, 2])
def test_findings_from_the_bundle_s_leaders_are_the_findings_of_every_story(labelled, shown):
    without = dataclasses.replace(labelled, leads=pd.DataFrame(columns=["story", "measure", "leader"]))
    assert _as_text(an.findings(labelled, max_stories=shown)) == _as_text(an.findings(without, max_stories=shown))


def test_a_leader_the_bundle_gives_changes_the_summary(labelled):
    """The summary reads bundle.leads for the stories it does not show (not a copy computed anyway)."""
    order = list(labelled.leads["story"].drop_duplicates())
    assert len(order) >= 2
    stories = an.with_stories(labelled)
    outlet = stories.outlet.value_counts().index[0]  # an outlet of the most stories
    forged = pd.DataFrame({"story": order, "measure": "most_loaded", "leader": outlet})
    found = an.findings(dataclasses.replace(labelled, leads=forged), max_stories=0)
    across = next(f for f in found if f.title == "Across stories")
    row = across.evidence[(across.evidence.measure == "most_loaded") & (across.evidence.outlet == outlet)]
    in_stories = stories[stories.story.isin(order) & (stories.outlet == outlet)].story.nunique()
    assert len(row) == 1 and row["stories_leading"].iloc[0] == row["stories_compared"].iloc[0] == in_stories
