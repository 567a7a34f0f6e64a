"""What each outlet calls the same entity: names, titles, appositions, predicates, resolved descriptions."""


import pytest

import analysis as an

A = ("Minister visits flooded Lowtown\n\n"
     "Interior Minister Clara Voss visited flooded Lowtown on Monday. Voss, a former army engineer, promised new "
     "flood walls. \"We will rebuild,\" Voss said.")
B = ("Voss tours Lowtown flood damage\n\n"
     "Clara Voss toured flooded Lowtown on Monday. The veteran politician promised new flood walls. "
     "\"We will rebuild,\" the minister said. Voss is a controversial figure in the capital.")
C = ("Orchestra opens season in Westport\n\n"
     "The Westport Orchestra opened its season on Friday. Conductor Ravi Patel, a celebrated violinist, led the "
     "first concert.")


@pytest.fixture(scope="module")
def bundle(analyze_made_up):
    return analyze_made_up((A, B, C), ["Daily A", "Daily B", "Daily A"], ["2024-03-04", "2024-03-04", "2024-03-09"])


def words_for(table, entity, outlet, kind=None):
    rows = table[(table["entity"] == entity) & (table["outlet"] == outlet)]
    if kind:
        rows = rows[rows["kind"] == kind]
    return dict(zip(rows["words"], rows["count"]))


def test_names_titles_appositions_per_outlet(bundle):
    table = an.naming(bundle)
    assert set(table.columns) >= {"story", "entity", "outlet", "words", "kind", "count", "evidence"}
    voss = table[table["words"].str.contains("Voss")]["entity"].mode().iloc[0]
    assert "Voss" in voss
    a_titles = words_for(table, voss, "Daily A", "title")
    assert any("Minister" in w for w in a_titles)  # "Interior Minister Clara Voss"
    a_appos = words_for(table, voss, "Daily A", "apposition")
    assert any("former army engineer" in w for w in a_appos)
    b_pred = words_for(table, voss, "Daily B", "predicate")
    assert any("controversial figure" in w for w in b_pred)  # "Voss is a controversial figure"
    assert words_for(table, voss, "Daily B", "description").get("the minister") == 1  # the speaker, resolved
    names_b = words_for(table, voss, "Daily B", "name")
    assert sum(names_b.values()) >= 2  # "Clara Voss", "Voss"
    # the evidence is the sentence the words come from
    row = table[(table["kind"] == "apposition") & table["words"].str.contains("army engineer")].iloc[0]
    assert "army engineer" in row["evidence"] and row["outlet"] == "Daily A"
    text = bundle.articles.set_index("article_id").loc[row["article_id"], "text"]
    assert "army engineer" in text[row["start"]:row["end"]]


def test_entities_of_another_story_stay_apart(bundle):
    table = an.naming(bundle)
    patel = table[table["entity"].str.contains("Patel")]
    assert len(patel) and patel["story"].nunique() == 1
    voss_story = table[table["words"].str.contains("Voss")]["story"].iloc[0]
    assert patel["story"].iloc[0] != voss_story
    assert any("celebrated violinist" in w for w in patel["words"])


def test_naming_table_is_a_grid_of_entities_two_outlets_name(bundle):
    table = an.naming(bundle)
    story = table[table["words"].str.contains("Voss")]["story"].iloc[0]
    grid = an.naming_table(table, story)
    assert list(grid.columns) == ["Daily A", "Daily B"]
    voss = [e for e in grid.index if "Voss" in e]
    assert voss
    cell = grid.loc[voss[0], "Daily A"]
    assert "×" in cell and "(title)" in cell
    assert all("Patel" not in e for e in grid.index)  # another story, one outlet
    assert an.naming_table(table, "no such story").empty


def test_pronouns_are_not_descriptions(bundle):
    table = an.naming(bundle)
    assert not table["words"].str.lower().isin({"he", "she", "they", "it", "his", "her"}).any()


def test_by_any_column(bundle):
    arts = bundle.articles.assign(lean=["left", "right", "left"])
    import dataclasses

    table = an.naming(dataclasses.replace(bundle, articles=arts), by="lean")
    assert "lean" in table.columns and set(table["lean"]) <= {"left", "right"}
