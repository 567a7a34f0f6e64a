"""Stance: beats the whole-sentence baseline on the gold, scopes to the clause, keeps voices apart."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis as an
from analysis.evaluate import evaluate_stance
from analysis.stance import STANCE_COLUMNS

# macro-F1 was 0.499 (accuracy 0.800) with sample-fitted loaded terms ("tolerate", "accept", "scrambling",
# "unacceptability", "complicate"); without them 0.464 (0.781).
FLOORS = {"scoped_acc": 0.78, "scoped_macro_f1": 0.46, "voice_acc": 0.95, "mention_recall": 0.93}


@pytest.fixture(scope="module")
def scores():
    return evaluate_stance()


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_scores_hold_their_floor(scores, metric):
    assert scores[metric] >= FLOORS[metric], f"{metric} = {scores[metric]:.3f}"


def test_scoped_method_beats_the_whole_sentence_baseline(scores):
    assert scores["scoped_acc"] > scores["baseline_acc"]
    assert scores["scoped_macro_f1"] > scores["baseline_macro_f1"]


def score(text: str, targets=None) -> pd.DataFrame:
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [text]})
    return an.stance(arts, targets or {"United States": ["US", "Washington"], "Russia": ["Russia", "Moscow"]})


def one(table, **where) -> dict:
    rows = table
    for col, value in where.items():
        rows = rows[rows[col] == value]
    assert len(rows) == 1, table[["target", "mention", "voice", "label", "scope"]]
    return rows.iloc[0].to_dict()


def test_columns_and_offsets():
    text = "The US invaded Afghanistan under the pretext of the so-called war on terror."
    t = score(text)
    assert list(t.columns) == STANCE_COLUMNS + ["outlet"]
    r = one(t, target="United States")
    assert text[r["start"]:r["end"]] == "US" and r["label"] == "negative"
    assert {"pretext", "so-called"} <= set(r["terms"].split(", "))


def test_scope_is_the_clause_not_the_sentence():
    t = score("Russia welcomed the talks, but the brutal US occupation was condemned by everyone.")
    assert one(t, target="Russia")["label"] != "negative"
    assert one(t, target="United States")["label"] == "negative"


def test_attitude_words_hit_their_object_not_their_holder():
    quoted = score('Deputy Minister Ivan Petrov said: "Russia opposes any US military presence in the region."')
    assert one(quoted, target="Russia")["label"] == "neutral"  # the holder of the attitude
    assert one(quoted, target="United States")["label"] == "negative"  # what the speaker opposes
    reported = score("Russia opposed any US military presence in the region.")
    assert one(reported, target="United States")["label"] == "neutral"  # the outlet reports it, neutrally


def test_feelings_of_the_holder_are_not_stance_toward_it():
    t = score("Russia got frustrated that the effort against terrorism was failing.")
    assert one(t, target="Russia")["label"] == "neutral"


def test_negation_flips_a_term():
    t = score("Moscow said the US presence in the region was not legitimate.")
    r = one(t, target="United States")
    assert r["terms"] == "legitimate" and r["polarity"] < 0


def test_quoted_voice_has_its_speaker():
    t = score('Foreign Minister Ivan Petrov said: "The US aggression must end."')
    r = one(t, target="United States")
    assert (r["voice"], r["speaker"], r["label"]) == ("quoted", "Ivan Petrov", "negative")


def test_default_targets_are_the_most_named(seed_articles):
    t = an.stance(seed_articles)
    assert {"United States", "Russia"} <= set(t.target)  # the sample's most named actors


def test_default_targets_come_from_the_corpus_not_the_sample():
    arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["Daily A", "Daily B"], "text": [
        "The European Union fined Google on Monday. Brussels said Google had abused its position. The European "
        "Union will appeal. Germany backed the European Union, and Google said it would appeal too.",
        "Google criticised the European Union. Officials in Brussels defended the fine. Germany and France "
        "welcomed the decision, and Google shares fell."]})
    from analysis.stance import default_targets

    ents = an.entities(arts)
    targets = default_targets(ents, top=3)
    assert {"Google", "European Union"} <= set(targets)
    assert not set(targets) & {"United States", "Russia", "Taliban", "China"}
    table = an.stance(arts)
    assert set(table.target) <= set(default_targets(ents))
    assert "Google" in set(table.target)


def test_summary_has_evidence(seed_articles):
    from analysis.stance import GOLD_TARGETS

    t = an.stance(seed_articles, GOLD_TARGETS)
    summary = an.stance_summary(t)  # the stance table carries its outlet
    assert summary.equals(an.stance_summary(t, seed_articles))
    press = summary[(summary.outlet == "Press TV") & (summary.target == "United States") & (summary.voice == "author")]
    assert len(press) == 1 and press.iloc[0]["negative"] > 0
    assert "pretext" in press.iloc[0]["evidence"]
    shares = summary[["negative", "neutral", "positive"]].sum(axis=1)
    assert ((shares - 1).abs() < 1e-6).all()
