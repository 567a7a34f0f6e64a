"""The lesson is written from the corpus it runs on, about its largest story, and its answers are checked fairly.

A made-up corpus whose answers are known by construction: a bridge closure covered by three outlets (the
largest story), a flu outbreak covered by two (with a voice quoted more often than any voice of the bridge
story) and an orchestra season covered by one (with a year no bridge article recalls).
"""

import os

import pandas as pd
import pytest

import analysis as an

BRIDGE_A = ("Harbour bridge closed after cracks found in main span\n\n"
            "The Harbour Bridge in Lowtown was closed to traffic on Monday after engineers found cracks in its main "
            "span. \"We will not reopen the bridge until it is safe,\" Mayor Ann Lee said at a news conference. "
            "Commuters faced long queues on the ring road. \"Repairs will start this week,\" Ann Lee said. "
            "The bridge was last repaired in 1998, after a ship struck one of its piers.")
BRIDGE_B = ("Lowtown shuts Harbour Bridge as engineers find cracks\n\n"
            "Lowtown shut the Harbour Bridge on Monday when engineers discovered cracks in the main span of the "
            "bridge. \"Safety comes first,\" Mayor Ann Lee told reporters. "
            "Drivers were sent along the ring road, and buses ran late across the city.")
BRIDGE_C = ("Bridge chaos: cracks close Harbour Bridge in Lowtown\n\n"
            "Traffic on the ring road backed up for hours on Monday after the Harbour Bridge in Lowtown was closed "
            "because of cracks in the main span. \"The council ignored the warnings for years,\" said Tom Hart, a "
            "local engineer.")
FLU_A = ("Flu cases rise in Eastvale schools\n\n"
         "Flu cases in Eastvale schools doubled this week, the health board said on Wednesday. "
         "\"Parents should keep sick children at home,\" Dr Mina Kim said. "
         "\"The vaccine is still the best protection,\" Dr Mina Kim said. "
         "\"Clinics will open longer hours,\" Dr Mina Kim added.")
FLU_B = ("Eastvale schools see flu cases double\n\n"
         "The number of flu cases in Eastvale schools doubled this week, according to the health board. "
         "\"Wash your hands and stay home when sick,\" Dr Mina Kim said. "
         "\"We expect the peak next month,\" Dr Mina Kim said.")
ALONE = ("Orchestra announces new season\n\n"
         "The Westport Orchestra announced its new season on Friday, with six concerts planned. "
         "The orchestra was founded in 2005. \"We are thrilled,\" conductor Ravi Patel said.")
TEXTS = [BRIDGE_A, BRIDGE_B, BRIDGE_C, FLU_A, FLU_B, ALONE]


@pytest.fixture(scope="module")
def made_up(tmp_path_factory):
    os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
    arts = an.load_corpus(pd.DataFrame({
        "outlet": ["Daily A", "Daily B", "Daily C", "Daily A", "Daily B", "Daily C"],
        "published": ["2024-03-04", "2024-03-04", "2024-03-05", "2024-03-06", "2024-03-06", "2024-03-08"],
        "title": [t.split("\n")[0] for t in TEXTS], "text": TEXTS}))
    return an.analyze(arts)


@pytest.fixture(scope="module")
def bundle(seeds_dir, tmp_path_factory):
    os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
    return an.analyze(seeds_dir)


def test_the_lesson_is_about_the_largest_story_two_outlets_cover(made_up):
    about = an.teaching.lesson(made_up)
    assert about["title"] == BRIDGE_A.split("\n")[0]
    assert about["outlets"] == ["Daily A", "Daily B", "Daily C"] and about["articles"] == 3
    assert about["voices"][0] == "Ann Lee"  # Dr Mina Kim is quoted more often, in another story
    assert about["dates"] == "4 March 2024 to 5 March 2024" and not about["whole_corpus"]
    text = " ".join(an.teaching.exercises(made_up)["question"])
    for other_story in ("Mina Kim", "Eastvale", "flu", "2005", "Orchestra"):
        assert other_story not in text


def test_known_answers_in_the_made_up_story(made_up):
    subjects = an.teaching.subjects(made_up)
    assert subjects["quotes_voice"] == "Ann Lee"
    assert an.teaching.answer(made_up, "quotes_voice")[0] == {"Daily A", "Daily B"}
    assert subjects["recalls_year"] == "1998"
    assert an.teaching.answer(made_up, "recalls_year")[0] == {"Daily A"}
    assert an.teaching.answer(made_up, "recalls_year", subject="2005")[0] == set()  # another story's year
    assert an.teaching.answer(made_up, "loaded_term", subject="chaos")[0] == {"Daily C"}
    assert an.teaching.answer(made_up, "quotes_voice", subject="Mina Kim")[0] == set()
    right, evidence = an.teaching.answer(made_up, "most_unique_facts")
    assert right and right <= {"Daily A", "Daily B", "Daily C"}
    top = evidence.set_index("outlet")["share"]
    assert set(top[top == top.max()].index) == right


def test_check_says_correct_to_a_right_answer(made_up):
    check = an.teaching.check
    assert check(made_up, "quotes_voice", ["Daily A", "Daily B"]).startswith("Correct.")
    assert check(made_up, "quotes_voice", "daily b and Daily A").startswith("Correct.")  # spelling forgiven
    assert check(made_up, "quotes_voice", ["Daily B", "Daily A "]).startswith("Correct.")
    assert check(made_up, "quotes_voice", "Daily A").startswith("Partly right: the full answer is Daily A, Daily B")
    assert check(made_up, "quotes_voice", "Daily C").startswith("Not quite: the answer is Daily A, Daily B")
    assert check(made_up, "recalls_year", "Daily A").startswith("Correct.")
    assert "not an outlet of this story" in check(made_up, "recalls_year", "Daily Z")
    assert check(made_up, "quotes_voice", None).startswith("Write your answer first")
    # no government source in the story: no subject, and "none" is the right answer
    assert an.teaching.subjects(made_up)["no_government_source"] == ""
    assert check(made_up, "no_government_source", "none").startswith("Correct: no outlet.")
    with pytest.raises(KeyError, match="no exercise"):
        an.teaching.answer(made_up, "nope")


def test_teacher_key_gives_every_answer_with_its_evidence(made_up):
    key = an.teaching.teacher_key(made_up).set_index("key")
    assert list(key.index) == [e.key for e in an.teaching.EXERCISES]
    assert key.loc["quotes_voice", "answer"] == "Daily A, Daily B"
    assert key.loc["recalls_year", "answer"] == "Daily A"
    for k in key.index:
        right, evidence = an.teaching.answer(made_up, k)
        assert key.loc[k, "answer"] == (", ".join(sorted(right)) or "none")
        assert key.loc[k, "evidence_rows"] == len(evidence)


def test_every_exercise_has_an_answer_with_evidence_on_the_sample(bundle):
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
    assert an.teaching.answer(bundle, "recalls_year", subject="2014")[0] == {"Iran Press"}
    assert "2021" not in an.teaching.exercises()["question"].str.cat()


def test_exercises_are_written_from_any_corpus(made_up):
    questions = an.teaching.exercises(made_up)
    text = " ".join(questions["question"]) + " " + " ".join(questions["subject"])
    for seed_word in ("Russia", "Taliban", "Afghanistan", "Central Asia", "United States", "2014", "aggression",
                      "Iran Press", "Press TV", "TASS"):
        assert seed_word not in text, seed_word
    for key in questions["key"]:
        an.teaching.answer(made_up, key)  # every exercise answers (possibly with no outlet)
    report = an.findings(made_up)
    words = " ".join(f.title + " " + f.sentence for f in report)
    for seed_word in ("Russia", "Taliban", "Afghanistan", "Central Asia", "US official", "United States", "Ryabkov"):
        assert seed_word not in words, seed_word
