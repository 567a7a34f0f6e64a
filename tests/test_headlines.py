"""Headlines and leads, per story and outlet: who the headline names, its loaded words, what the lead says first."""

import os

import pandas as pd
import pytest

import analysis as an
from analysis.headlines import lead_paragraph, main_clause, recase

A = ("Mayor Ann Lee Slams Council Over Bridge Closure\n\n"
     "By Staff Reporter\n\n"
     "Lowtown closed the Harbour Bridge on Monday after engineers found cracks in its main span, which was built in "
     "1961. Mayor Ann Lee said the council had ignored warnings. Commuters faced long queues on the ring road.")
B = ("Lowtown closes Harbour Bridge after cracks are found\n\n"
     "The Harbour Bridge in Lowtown was closed on Monday after engineers found cracks in its main span. "
     "Mayor Ann Lee said repairs would start this week.")
C = ("Flu cases double in Eastvale schools\n\n"
     "Flu cases in Eastvale schools doubled this week, the health board said on Wednesday. "
     "Dr Mina Kim urged parents to keep sick children at home.")


@pytest.fixture(scope="module")
def bundle(analyze_made_up):
    return analyze_made_up((A, B, C), ["Daily A", "Daily B", "Daily A"], ["2024-03-04", "2024-03-04", "2024-03-06"])


def test_one_row_per_article_largest_story_first(bundle):
    heads = an.headlines(bundle)
    assert len(heads) == 3
    assert list(heads["story"]) == sorted(heads["story"], key=lambda s: s != heads["story"].iloc[0])
    bridge = heads[heads["headline"].str.contains("Bridge")]
    assert bridge["story"].nunique() == 1 and set(bridge["outlet"]) == {"Daily A", "Daily B"}
    assert heads["story"].iloc[0] == bridge["story"].iloc[0]  # the two-article story comes first


def test_headline_names_loaded_words_and_lead(bundle):
    heads = an.headlines(bundle).set_index("outlet")
    a = heads[heads["headline"].str.startswith("Mayor")].iloc[0]
    assert "Ann Lee" in a["named"]
    assert "slams" in a["loaded"].lower()  # a loaded verb in the headline (analysis/data/loaded_terms.csv)
    assert a["lead"].startswith("Lowtown closed the Harbour Bridge")  # the byline is not the lead
    assert "which was built" not in a["lead_clause"]  # a relative clause is not the main clause
    assert a["lead_clause"].startswith("Lowtown closed the Harbour Bridge")
    b = heads[heads["headline"].str.startswith("Lowtown")].iloc[0]
    assert b["loaded"] == ""
    # both lead with the closure: the same fact, and each names the other outlet
    assert a["lead_fact"] == b["lead_fact"]
    assert a["same_lead"] == "Daily B" and b["same_lead"] == "Daily A"


def test_side_by_side_and_chart(bundle):
    heads = an.headlines(bundle)
    story = heads["story"].iloc[0]
    view = an.side_by_side(heads, story)
    assert list(view["outlet"]) == ["Daily A", "Daily B"]
    assert "names in the headline" in view.columns and "the lead says first" in view.columns
    ax = an.headline_chart(heads, story)
    assert ax is not None


def test_lead_paragraph_and_recase():
    text = "Flood in Lowtown\n\nBy Ann Lee\n\nThe river rose two metres overnight."
    lead, start, end = lead_paragraph(text, "Flood in Lowtown")
    assert lead == "The river rose two metres overnight." and text[start:end] == lead
    assert lead_paragraph("", "x") == ("", 0, 0)
    body = "Senator Ann Lee said the plan failed. The council met on Monday to discuss the plan."
    assert recase("Senator Ann Lee Says Council Plan Failed", body) == "Senator Ann Lee says council plan failed"
    assert recase("Ann Lee says the plan failed", body) == "Ann Lee says the plan failed"  # sentence case kept


def test_main_clause_drops_subordinate_clauses():
    from analysis.nlp import parse_texts

    doc = parse_texts(["When the storm hit, the council, which had been warned, closed the coastal road on "
                       "Tuesday."])[0]
    clause = main_clause(next(doc.sents))
    assert "storm" not in clause and "warned" not in clause
    assert "council" in clause and "closed the coastal road" in clause


def test_empty_corpus():
    arts = an.load_corpus(pd.DataFrame({"text": [""], "outlet": ["X"]}))
    assert an.headlines(arts).empty


def test_a_dateline_is_not_the_fact_a_lead_opens_with(tmp_path):
    os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    text = ("Quake strikes Tarsin\n\nMELOY, Tarsin, March 6 (Wire) - A strong earthquake struck the province of "
            "Tarsin before dawn on Monday, killing at least 40 people.")
    heads = an.headlines(an.load_corpus(pd.DataFrame({"outlet": ["Wire"], "title": ["Quake strikes Tarsin"],
                                                      "text": [text]})))
    clause = heads["lead_clause"].iloc[0]
    assert "MELOY" not in clause and "earthquake struck the province" in clause
