"""The shipped word lists are general news knowledge: a real table of outlets, no alias that is a short or
ordinary word, and rules that work on texts other than the sample."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import analysis as an
from analysis import lexicons


@pytest.fixture(scope="module")
def outlets() -> pd.DataFrame:
    return lexicons.table("outlets")


def test_outlets_table_shape(outlets):
    assert len(outlets) >= 300
    assert {"name", "aliases", "country", "language", "state_owned", "domain"} <= set(outlets.columns)
    assert outlets["name"].is_unique
    assert set(outlets["state_owned"]) <= {"yes", "no", ""}
    assert (outlets["country"] != "").mean() > 0.95 and (outlets["language"] != "").mean() > 0.95
    assert outlets["country"].nunique() >= 50
    names = set(outlets["name"])
    for wire in ("Reuters", "Associated Press", "Agence France-Presse", "Bloomberg News", "Xinhua", "TASS", "ANSA",
                 "EFE", "dpa", "Kyodo News", "Yonhap", "Press Trust of India"):
        assert wire in names, wire
    for broadcaster in ("BBC", "CNN", "Al Jazeera", "Deutsche Welle", "France 24", "RT", "CGTN", "NHK",
                        "Voice of America", "Radio Free Europe/Radio Liberty"):
        assert broadcaster in names, broadcaster


def test_no_alias_names_two_outlets_and_none_is_short(outlets):
    owner: dict[str, str] = {}
    for row in outlets.itertuples(index=False):
        for alias in [row.name, *filter(None, row.aliases.split("|"))]:
            key = lexicons.name_key(alias)
            assert owner.setdefault(key, row.name) == row.name, f"{alias!r}: {owner[key]} and {row.name}"
            if alias != row.name:
                assert len(re.sub(r"[\W_]", "", alias)) >= 3, f"alias {alias!r} of {row.name} is too short"
    domains = [d for cell in outlets["domain"] for d in cell.split("|") if d]
    assert len(domains) == len(set(domains))


def test_ambiguous_names_and_sample_aliases_are_not_matched():
    known = lexicons.outlets()
    for word in ("IP", "Sky Sports", "the Times", "the Journal", "The Hill", "Time", "The Age", "Dawn", "Hindu",
                 "International Affairs"):
        assert lexicons.name_key(word) not in known, word
    assert known[lexicons.name_key("WSJ")][0] == "The Wall Street Journal"
    assert known[lexicons.name_key("Sky News")][0] == "Sky News"


def test_outlet_from_an_address():
    assert lexicons.outlet_for_url("https://www.bbc.co.uk/news/world-1") == "BBC"
    assert lexicons.outlet_for_url("http://english.news.cn/2024/x.htm") == "Xinhua"
    assert lexicons.outlet_for_url("https://oglobo.globo.com/mundo/") == "O Globo"
    assert lexicons.outlet_for_url("https://example.org/a") is None
    assert lexicons.outlet_for_url(None) is None
    arts = an.load_corpus(pd.DataFrame({"text": ["The council voted on Monday to close the old bridge for repairs."],
                                        "url": ["https://www.theguardian.com/uk-news/2024/mar/04/bridge"]}))
    assert arts.loc[0, "outlet"] == "The Guardian" and "outlet=url" in arts.loc[0, "meta_source"]


@pytest.mark.parametrize("line, published", [
    ("Published: March 3, 2024 10:15 am EST The council voted to close the old bridge for repairs.",
     "March 3, 2024"),
    ("Updated 12 Jan 2023 | The minister resigned after weeks of pressure over the budget.", "12 Jan 2023"),
    ("Posted on 2022-05-01 Flood water closed three roads in the valley overnight.", "2022-05-01"),
])
def test_a_date_label_glued_to_the_first_sentence_is_removed(line, published):
    out = an.corpus.clean_text(line)
    assert out["published"] == published and out["removed"][0][0] == "glued dateline"
    assert out["text"][:1].isupper() and not out["text"].lower().startswith(("published", "updated", "posted"))


def test_loaded_terms_and_frames_are_general_vocabulary():
    terms = set(lexicons.table("loaded_terms")["term"])
    for general in ("regime", "slammed", "radical", "thug", "terrorist", "so-called", "claimed"):
        assert general in terms, general
    assert not terms & {"drawn flak", "inevitable losses", "scrambling", "unacceptability"}
    frames = lexicons.table("frames")
    words = {w for cell in frames["terms"] for w in cell.split("|")}
    assert not words & {"back yard", "sphere of influence", "former soviet", "csto", "redeployment"}
    assert len(frames) == 15
    assert "referring to" not in lexicons.cues()["prep"]
