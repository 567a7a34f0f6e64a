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
    assert an.teaching.answer(bundle, "aggression")[0] == {"Press TV"}
    assert an.teaching.answer(bundle, "recalls_2014")[0] == {"Iran Press"}
    assert "Press TV" not in an.teaching.answer(bundle, "no_us_official")[0]  # it quotes Biden


def test_check_says_right_partly_or_wrong(bundle):
    assert an.teaching.check(bundle, "aggression", "Press TV").startswith("Right.")
    assert an.teaching.check(bundle, "aggression", ["Press TV", "Antiwar.com"]).startswith("Partly right")
    assert an.teaching.check(bundle, "aggression", "Antiwar.com").startswith("Not quite: the answer is Press TV")
    assert an.teaching.check(bundle, "aggression", None).startswith("Write your answer first")
    with pytest.raises(KeyError, match="no exercise"):
        an.teaching.answer(bundle, "nope")
