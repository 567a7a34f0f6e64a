"""Entities: scores against the seed gold held above floors, and the news-specific repairs one by one."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis as an
from analysis.entities import ENTITY_COLUMNS
from analysis.evaluate import evaluate_entities

FLOORS = {"exact_f1": 0.95, "overlap_f1": 0.96, "canonical_acc": 0.97}


@pytest.fixture(scope="module")
def table():
    scores, _gold = evaluate_entities()
    return scores


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_person_org_gpe_hold_their_floor(table, metric):
    value = table.loc["PERSON+ORG+GPE", metric]
    assert value >= FLOORS[metric], f"{metric} = {value:.3f}"
    assert table.loc["PERSON+ORG+GPE", "exact_f1"] >= 0.85  # the floor


@pytest.mark.parametrize("label", ["PERSON", "ORG", "GPE", "NORP", "LOC"])
def test_every_label_is_measured_and_reasonable(table, label):
    assert table.loc[label, "gold"] > 0 and table.loc[label, "overlap_f1"] >= 0.85


def ents(*texts, **kw) -> pd.DataFrame:
    arts = pd.DataFrame({"article_id": [f"t{i}" for i in range(len(texts))], "text": list(texts)})
    return an.entities(arts, **kw)


def find(e: pd.DataFrame, text: str) -> dict:
    rows = e[e.text == text]
    assert len(rows) >= 1, f"{text!r} not in {e[['text', 'label']].values.tolist()}"
    return rows.iloc[0].to_dict()


def test_offsets_point_at_the_words():
    text = "Russia’s Foreign Minister Sergey Lavrov met NATO officials in Brussels on Monday."
    e = ents(text)
    assert list(e.columns) == ENTITY_COLUMNS
    for r in e.itertuples():
        assert text[r.start:r.end] == r.text


def test_titles_and_possessives_come_off():
    e = ents("Russia’s Foreign Minister Sergey Lavrov spoke. Secretary of Defense Lloyd Austin replied.")
    assert find(e, "Russia")["label"] == "GPE"
    assert find(e, "Sergey Lavrov")["label"] == "PERSON"
    assert find(e, "Lloyd Austin")["label"] == "PERSON"
    assert not (e.text == "Defense").any()


def test_us_variants_share_one_canonical():
    e = ents("The US and the U.S. Senate differ. America, the United States, USA.")
    us = e[e.label == "GPE"]
    assert set(us.canonical) == {"United States"}
    assert "US" in set(us.text)  # "the US" loses its article


def test_acronyms_are_organisations():
    e = ents("The CSTO and CENTCOM met NATO staff.")
    assert {find(e, a)["label"] for a in ("CSTO", "CENTCOM", "NATO")} == {"ORG"}
    assert find(e, "CSTO")["canonical"] == "Collective Security Treaty Organization"
    assert find(e, "CENTCOM")["canonical"] == "US Central Command"


def test_surnames_and_spelling_variants_join_the_full_name():
    e = ents("Sergey Ryabkov arrived. Ryabkov said little.", "Sergei Ryabkov left.", "Sergei Ryabkov spoke.")
    people = e[e.label == "PERSON"]
    assert set(people.canonical) == {"Sergei Ryabkov"}


def test_capitals_keep_their_name_and_name_the_government():
    text = "Moscow warned Washington on Monday."
    default = ents(text)
    assert find(default, "Moscow")["canonical"] == "Moscow" and find(default, "Moscow")["government"] == "Russia"
    moved = ents(text, metonymy=True)
    assert find(moved, "Moscow")["canonical"] == "Russia"
    assert find(moved, "Washington")["canonical"] == "United States"


def test_demonyms_stay_norp_and_map_to_a_country():
    e = ents("Russian diplomats met Americans and Afghan officials.")
    assert (find(e, "Russian")["label"], find(e, "Russian")["country"]) == ("NORP", "Russia")
    assert find(e, "Americans")["canonical"] == "American"


def test_user_aliases_extend_the_table():
    extra = pd.DataFrame({"alias": ["Kyiv Independent", "KI"], "canonical": ["The Kyiv Independent"] * 2,
                          "label": ["ORG", "ORG"], "government": ["", ""]})
    e = ents("The KI reported it first.", aliases=extra)
    assert find(e, "KI")["canonical"] == "The Kyiv Independent"


def test_entity_matrix_and_coverage(seed_articles):
    e = an.entities(seed_articles)
    matrix = an.entity_matrix(e, seed_articles)
    assert set(matrix.index) == set(seed_articles.outlet)
    assert matrix.equals(an.entity_matrix(e, by="outlet"))  # the entities table carries its outlet
    assert (matrix["United States"] > 0).all()  # every outlet names the United States
    coverage = an.entity_coverage(e, seed_articles)
    one = coverage[coverage.coverage == "one outlet only"]
    assert "Temur Umarov" in set(one.entity) and "Iran Press" in one.set_index("entity").loc["Temur Umarov", "named_by"]
    co = an.cooccurrence(e, entities=["Russia", "United States"])
    assert co.loc["Russia", "United States"] > 0 and co.loc["Russia", "United States"] <= co.loc["Russia", "Russia"]
