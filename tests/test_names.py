"""analysis.names: one key per person's name, and one canonical name per person in an article and a corpus."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import lexicons, names


@pytest.mark.parametrize("written", ["Adam B. Schiff", "Adam Schiff", "Rep. Adam Schiff", "Rep. Adam B. Schiff’s",
                                     "ADAM SCHIFF", "Sen. Adam Schiff's"])
def test_titles_initials_possessives_and_case_share_one_key(written):
    assert names.name_key(written) == names.name_key("Adam Schiff")
    assert names.surname(written) == names.surname("Schiff")


def test_display_name_drops_titles_initials_and_suffixes():
    assert names.display_name("Rep. Adam B. Schiff") == "Adam Schiff"
    assert names.display_name("President Joe Biden’s") == "Joe Biden"
    assert names.display_name("Mr. John Q. Public Jr.") == "John Public"
    assert names.strip_titles("Mr. Schiff") == "Schiff"
    assert names.strip_titles("President") == "President"  # a title alone is not emptied


def test_curly_and_straight_apostrophes_meet():
    assert names.name_key("Michael O’Leary") == names.name_key("Michael O'Leary")
    assert names.name_key("O’Leary’s") == names.name_key("O'Leary")


@pytest.mark.parametrize("name", ["Рябков", "Сергей Рябков", "لافروف", "习近平", "Ξανθός", "!!!"])
def test_other_scripts_give_a_key_and_never_crash(name):
    assert names.name_key(name)
    assert names.fold(name) or name == "!!!"


def test_cyrillic_meets_its_latin_spelling():
    assert names.fold("Рябков") == names.fold("Ryabkov")
    assert names.name_key("Сергей Рябков") == names.name_key("Sergei Ryabkov") == names.name_key("Sergey Ryabkov")


def test_lexicons_name_key_is_the_same_function():
    assert lexicons.name_key is names.fold
    assert lexicons.name_key("Рябков") == "riabkov"


def test_resolve_surname_takes_the_nearest_before_then_after():
    named = [(0, "Bill Clinton"), (40, "Hillary Clinton"), (90, "Adam Schiff")]
    assert names.resolve_surname("Clinton", named, 60) == "Hillary Clinton"
    assert names.resolve_surname("Mr. Clinton", named, 20) == "Bill Clinton"
    assert names.resolve_surname("Schiff", named, 10) == "Adam Schiff"  # named after it
    assert names.resolve_surname("Pelosi", named, 10) is None


def mentions(rows):
    return pd.DataFrame(rows, columns=["article_id", "text", "start", "label"])


def test_one_person_one_canonical_in_an_article_and_across_the_corpus():
    m = mentions([("a", "Adam B. Schiff", 0, "PERSON"), ("a", "Rep. Adam Schiff", 20, "PERSON"),
                  ("a", "Mr. Schiff", 40, "PERSON"), ("a", "Schiff’s", 60, "PERSON"),
                  ("b", "Adam Schiff", 0, "PERSON"), ("c", "Schiff", 5, "PERSON"), ("c", "Moscow", 9, "GPE")])
    out = names.canonical_people(m)
    assert out.tolist()[:6] == ["Adam Schiff"] * 6
    assert out.iloc[6] == "Moscow"  # other rows keep their name


def test_two_people_with_one_surname_are_never_merged():
    m = mentions([("a", "Bill Clinton", 0, "PERSON"), ("a", "Hillary Clinton", 30, "PERSON"),
                  ("a", "Clinton", 60, "PERSON"), ("b", "Bill Clinton", 0, "PERSON"), ("b", "Clinton", 20, "PERSON"),
                  ("c", "Clinton", 0, "PERSON")])
    out = names.canonical_people(m).tolist()
    assert out[:3] == ["Bill Clinton", "Hillary Clinton", "Hillary Clinton"]  # the one named nearest before
    assert out[3:5] == ["Bill Clinton", "Bill Clinton"]
    assert out[5] == "Clinton"  # two Clintons in the corpus: a bare one elsewhere stays as written


def test_spelling_variants_take_the_form_written_most():
    m = mentions([("a", "Sergei Ryabkov", 0, "PERSON"), ("b", "Sergei Ryabkov", 0, "PERSON"),
                  ("c", "Sergey Ryabkov", 0, "PERSON"), ("c", "Ryabkov", 30, "PERSON")])
    assert set(names.canonical_people(m)) == {"Sergei Ryabkov"}


def test_empty_mentions():
    assert names.canonical_people(mentions([])).empty


def test_looks_like_person():
    assert names.looks_like_person("Marcus Bell") and names.looks_like_person("Dr. Marcus Bell")
    assert names.looks_like_person("Рябков", min_words=1)
    assert not names.looks_like_person("Kestrel Airways")
    assert not names.looks_like_person("Reuters", min_words=1)  # a known outlet
    assert not names.looks_like_person("Bell")  # one word needs min_words=1
    assert not names.looks_like_person("the Tarnow Institute")
