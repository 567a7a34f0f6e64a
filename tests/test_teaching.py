"""The lesson's answers are computed from the tables and checked fairly."""

import pytest

import analysis as an


@pytest.fixture(scope="module")
def bundle(seeds_dir, tmp_path_factory):
    import os

    os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
    return an.analyze(seeds_dir)


def test_every_exercise_has_an_answer_with_evidence(bundle):
    for key in an.teaching.exercises().key:
        right, evidence = an.teaching.answer(bundle, key)
        assert right, key
        assert len(evidence) > 0, key


def test_answers_on_the_sample(bundle):
    subjects = an.teaching.subjects(bundle)
    assert subjects["no_government_source"] == "United States"  # the state some outlets quote, others not
    assert "Press TV" not in an.teaching.answer(bundle, "no_government_source")[0]  # it quotes Biden
    term = subjects["loaded_term"]
    loaded = bundle.loaded[(bundle.loaded.voice == "author") & (bundle.loaded.term == term)]
    assert an.teaching.answer(bundle, "loaded_term")[0] == set(loaded.outlet)
    assert 0 < len(set(loaded.outlet)) < bundle.articles.outlet.nunique()
    year = subjects["recalls_year"]
    assert an.teaching.answer(bundle, "recalls_year", subject="2014")[0] == {"Iran Press"}
    assert year and "2021" not in an.teaching.exercises()["question"].str.cat()


def test_exercises_are_written_from_any_corpus(tmp_path_factory):
    import os

    import pandas as pd

    os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
    arts = an.load_corpus(pd.DataFrame({"outlet": ["Daily A", "Daily B", "Daily C"], "published": ["2024-03-05"] * 3,
                                        "text": [
        "Mayor Ann Lee said the council regime had failed residents. The flood of 1998 was worse, she said.",
        "Council leader Tom Hart said: \"The plan is working.\" Residents slammed the council over the delays.",
        "The council met on Monday. Tom Hart said repairs to the bridge would take a year."]}))
    bundle = an.analyze(arts)
    questions = an.teaching.exercises(bundle)
    text = " ".join(questions["question"]) + " " + " ".join(questions["subject"])
    for seed_word in ("Russia", "Taliban", "Afghanistan", "Central Asia", "United States", "2014", "aggression",
                      "Iran Press", "Press TV", "TASS"):
        assert seed_word not in text, seed_word
    for key in questions["key"]:
        an.teaching.answer(bundle, key)  # every exercise answers (possibly with no outlet)
    report = an.findings(bundle)
    words = " ".join(f.title + " " + f.sentence for f in report)
    for seed_word in ("Russia", "Taliban", "Afghanistan", "Central Asia", "US official", "United States", "Ryabkov"):
        assert seed_word not in words, seed_word


def test_check_says_right_partly_or_wrong(bundle):
    right = sorted(an.teaching.answer(bundle, "loaded_term")[0])
    others = sorted(set(bundle.articles.outlet) - set(right))
    assert an.teaching.check(bundle, "loaded_term", right).startswith("Right.")
    assert an.teaching.check(bundle, "loaded_term", [right[0], others[0]]).startswith("Partly right")
    assert an.teaching.check(bundle, "loaded_term", others[0]).startswith("Not quite: the answer is " + right[0])
    assert an.teaching.check(bundle, "loaded_term", None).startswith("Write your answer first")
    with pytest.raises(KeyError, match="no exercise"):
        an.teaching.answer(bundle, "nope")
