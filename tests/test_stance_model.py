"""The trained stance model: deterministic training, the hash check at load, the held-aside split by
article, features and evidence in words."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from analysis import stance_model as sm


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    """The first 300 NewsMTSC sentences of the shipped copy, as a train.jsonl of their own."""
    path = tmp_path_factory.mktemp("newsmtsc") / "train.jsonl"
    with gzip.open(sm.DATA, "rt", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(300)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_shipped_model_matches_its_data_and_code():
    model = sm.StanceModel.load(sm.MODEL_PATH)
    assert model.meta["hash"] == sm.model_hash(), "run `make train` after changing stance_model.py or the data"
    assert model.coef.shape == (3, len(model.features))
    assert model.labels == sm.LABELS


def test_training_is_deterministic(small_data):
    a, b = sm.train(small_data), sm.train(small_data)
    assert a.features == b.features
    assert np.array_equal(a.coef, b.coef) and np.array_equal(a.intercept, b.intercept)
    assert a.meta["hash"] != sm.model_hash()  # other data, another hash


def test_a_model_with_another_hash_is_not_used(small_data, tmp_path, monkeypatch):
    stale = sm.train(small_data)
    stale.meta["hash"] = "0" * 16
    stale.save(tmp_path / "stale.json.gz")
    monkeypatch.setattr(sm, "MODEL_PATH", tmp_path / "stale.json.gz")
    monkeypatch.setattr(sm, "DATA", small_data)
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(sm, "_LOADED", {})
    with pytest.warns(UserWarning, match="training it again"):
        model = sm.load_model()
    assert model.meta["hash"] == sm.model_hash(small_data) != "0" * 16
    assert list((tmp_path / "cache" / "stance_model").glob("*.json.gz"))  # cached by its hash
    monkeypatch.setattr(sm, "_LOADED", {})
    again = sm.load_model()  # from the cache: no warning, same coefficients
    assert np.array_equal(again.coef, model.coef)


def test_model_file_is_plain_json(tmp_path, small_data):
    model = sm.train(small_data, save=tmp_path / "m.json.gz")
    with gzip.open(tmp_path / "m.json.gz", "rt", encoding="utf-8") as fh:
        obj = json.load(fh)
    assert set(obj) == {"labels", "features", "coef", "intercept", "meta"}
    assert sm.StanceModel.from_json(obj).features == model.features


def test_held_aside_part_is_by_article_and_stable():
    data = sm.load_newsmtsc()
    assert set(data["label"]) == set(sm.LABELS)
    assert data.groupby("article")["held_aside"].nunique().max() == 1
    share = data["held_aside"].mean()
    assert 0.12 < share < 0.28, share
    assert sm.held_aside(sm.article_of("allsides_1000_401_25_x_0_6")) == sm.held_aside("allsides_1000_401")
    assert sm.article_of("polusa_v1_113704059_-1_35_Northam_148_155") == "polusa_v1_113704059"


def test_features_mask_the_mention_and_read_the_parse():
    from analysis import nlp

    text = "Critics blasted Smith for a disastrous failure."
    doc = nlp.parse_texts([text])[0]
    start = text.index("Smith")
    f = sm.mention_features(doc, start, start + 5)
    assert "w:smith" not in f and "w:blasted" in f and "l1:blasted" in f
    assert f["role:object"] == 1.0 and "object_of:blast" in f
    assert f["ev_neg_near"] > 0 and f["vader_sent"] < 0
    model = sm.load_model()
    (row,) = sm.predict(model, [f])
    assert row["label"] == "negative" and row["polarity"] < 0 and "(−)" in row["evidence"]


@pytest.mark.parametrize("name, words", [("w:blasted", '"blasted"'), ("l1:blasted", '"blasted" just before'),
                                         ("holder_of:warn", 'subject of "warn"'),
                                         ("object_of:warn", 'object of "warn"'),
                                         ("tb_clause_neg", "TextBlob: clause negative"),
                                         ("above_arg:oppose", 'inside what "oppose" is about'),
                                         ("above_holder:oppose", 'on the subject\'s side of "oppose"'),
                                         ("scope_neg:arg", "a negative word above it (inside what it is about)")])
def test_features_are_described_in_words(name, words):
    assert sm.describe(name) == words


def _scope_of(text: str, mention: str) -> dict:
    from analysis import nlp

    doc = nlp.parse_texts([text])[0]
    start = text.index(mention)
    return sm.mention_features(doc, start, start + len(mention))


def test_words_above_the_mention_tell_its_object_from_its_holder():
    """Invented sentences: the mention deep inside what an attitude is about, or its subject."""
    deep = _scope_of("The minister strongly opposed giving new loans to Norway.", "Norway")
    assert "above_arg:oppose" in deep and "above_holder:oppose" not in deep
    holder = _scope_of("Norway strongly opposed the new loans.", "Norway")
    assert "above_holder:oppose" in holder and "above_arg:oppose" not in holder


def test_each_step_up_decides_the_side_for_its_own_head():
    """The subject of a reported clause is its verb's holder and inside what the reporting verb says."""
    f = _scope_of("The newspaper reported that Norway had discussed the loans.", "Norway")
    assert "above_holder:discuss" in f and "above_arg:report" in f and "above_holder:report" not in f


def test_a_negated_evaluative_word_above_the_mention_is_flipped():
    plain = _scope_of("The council will welcome Norwegian troops in the region.", "Norwegian")
    negated = _scope_of("The council will not welcome Norwegian troops in the region.", "Norwegian")
    assert "above_arg:welcome" in plain and "above_arg:not welcome" in negated
    assert plain.get("scope_pos:arg", 0) > 0 and negated.get("scope_neg:arg", 0) > 0


def test_baselines_label_whole_sentences():
    assert sm.vader_label("A terrible, awful failure.") == "negative"
    assert sm.textblob_label("A wonderful, excellent success.") == "positive"
    assert sm.vader_label("The meeting is on Tuesday.") == "neutral"


def test_prior_adaptation_recovers_the_priors_of_a_shifted_corpus():
    """Saerens et al.'s EM: mentions drawn with priors unlike the training ones, scored by a calibrated model,
    give those priors back without their labels; a corpus with the training priors is left unchanged."""
    rng = np.random.default_rng(0)
    prior = np.array([0.4, 0.3, 0.3])

    def corpus(shares, n=3000):
        y = rng.choice(3, size=n, p=shares)
        # x ~ N(2 e_y, I): p(x | y) is proportional to exp(2 x_y), so like * prior, normalised, is the exact
        # posterior under the training prior (a calibrated model)
        x = 2.0 * np.eye(3)[y] + rng.normal(0, 1, size=(n, 3))
        like = np.exp(2.0 * x)
        return y, like * prior / (like * prior).sum(axis=1, keepdims=True)

    y, p = corpus([0.1, 0.8, 0.1])
    q, est = sm.adapt_priors(p, prior, pseudocount=0)
    assert abs(est[1] - 0.8) < 0.05 and np.allclose(q.sum(axis=1), 1)
    assert (q.argmax(1) == y).mean() > (p.argmax(1) == y).mean()  # the Bayes decision under the right priors
    assert sm.prior_shift_p(p, prior, est) < 1e-6
    y, p = corpus(prior)
    q, est = sm.adapt_priors(p, prior)
    assert sm.prior_shift_p(p, prior, sm.adapt_priors(p, prior, level=None)[1]) >= sm.PRIOR_TEST_LEVEL
    assert np.array_equal(q, p) and np.array_equal(est, prior)  # no shift beyond chance: unchanged


def test_a_few_mentions_stay_near_the_training_prior():
    prior = np.array([0.4, 0.3, 0.3])
    p = np.array([[0.1, 0.8, 0.1], [0.2, 0.7, 0.1]])
    _, free = sm.adapt_priors(p, prior, pseudocount=0, level=None)
    _, held = sm.adapt_priors(p, prior, level=None)
    assert free[1] > held[1] > prior[1] and abs(held.sum() - 1) < 1e-9


def test_model_is_calibrated_on_folds_of_the_training_part():
    model = sm.StanceModel.load(sm.MODEL_PATH)
    assert 0.2 < model.temperature < 5
    assert abs(sum(model.prior) - 1) < 1e-4 and len(model.prior) == len(sm.LABELS)
    assert sm._fold("allsides_1000_401") == sm._fold("allsides_1000_401") in range(sm.CV_FOLDS)


# ------------------------------------------------------------------ the fast paths give what the slow ones give
SENTENCES = ["Critics blasted Smith for a disastrous failure, but Jones praised his courage.",
             "Smith did not win the vote.", "Jones met Smith in Geneva on Tuesday."]


@pytest.fixture(scope="module")
def parsed():
    from analysis import nlp

    text = " ".join(SENTENCES)
    doc = nlp.parse_texts([text])[0]
    index = sm._Index(doc)
    spans = [(m.start(), m.end()) for m in __import__("re").finditer(r"Smith|Jones", text)]
    return doc, index, spans


def test_textblob_scores_are_textblobs_own():
    from textblob import TextBlob

    for text in SENTENCES + ["", "not bad at all!", "A wonderful, excellent success."]:
        s = TextBlob(text).sentiment
        assert sm.textblob_scores(text) == (float(s.polarity), float(s.subjectivity))


def test_features_read_with_a_memo_are_the_same(parsed):
    doc, index, spans = parsed
    memo: dict = {}
    for start, end in spans:
        sent = sm.sentence_for(index, start)
        assert sm.mention_features(doc, start, end, sent, memo=memo) == sm.mention_features(doc, start, end, sent)
    assert memo  # a sentence with two mentions was read once


def test_batched_scores_are_the_one_at_a_time_ones(parsed):
    doc, index, spans = parsed
    model = sm.load_model()
    feats = [sm.mention_features(doc, a, b, sm.sentence_for(index, a)) for a, b in spans]
    feats.append({"no such feature": 1.0})  # a mention the vocabulary knows nothing of: the base rate
    proba, evidence = sm.score_mentions(model, feats, top=3)
    assert proba.shape == (len(feats), len(sm.LABELS))
    for f, p, ev in zip(feats, proba, evidence):
        assert np.allclose(p, model.proba(f), rtol=0, atol=1e-12)
        assert ev == {lab: sm.evidence_text(model, f, lab, top=3) for lab in sm.LABELS}
    assert np.allclose(model.proba_many(feats), proba, rtol=0, atol=0)
    assert evidence[-1] == {lab: "" for lab in sm.LABELS}
    assert sm.predict(model, []) == [] and model.proba_many([]).shape == (0, len(sm.LABELS))


def test_model_hash_follows_the_data(tmp_path):
    data = tmp_path / "train.jsonl"
    with gzip.open(sm.DATA, "rt", encoding="utf-8") as fh:
        data.write_text(next(fh), encoding="utf-8")
    first = sm.model_hash(data)
    assert sm.model_hash(data) == first
    with gzip.open(sm.DATA, "rt", encoding="utf-8") as fh:
        data.write_text(next(fh) + next(fh), encoding="utf-8")  # other data: another hash, not the one kept
    assert sm.model_hash(data) != first
