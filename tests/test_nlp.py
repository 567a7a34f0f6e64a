"""The compiled attribute ruler gives every token what spaCy's own ruler gives it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import attribute_rules, nlp

TEXTS = [
    "I ain't gonna go, y'all. There is a cat, and there were two dogs. Let's go! C'mon, gotta run.",
    "She's doin' nothin' with 'em; ol' Bill said he'd have gone, wouldn't you? It ca n't be, sha n't, wo n't.",
    "The minister, who had said that it was over, did not answer. Those were the days; that is what he did.",
    "  Leading spaces.\n\n\nA paragraph after blank lines.\t Tabs\u00a0and non-breaking spaces.  ",
    "Somebody told everyone something: nobody knew anything, anybody could, everybody gets what he got.",
    "\u201cWe will fight,\u201d said Maria Okafor, 54, of the Transit Authority. 'Yes,' I replied to her and them.",
    "",
    "!!!",
]
WORDS = ["I", "you", "it", "there", "is", "are", "'s", "gon", "na", "got", "ta", "let", "y'", "y", "all", "ai",
         "n't", "not", "do", "did", "had", "have", "been", "being", "that", "this", "the", "a", "an", "if",
         "because", "something", "can", "'d", "will", "'ll", "ca", "wo", "sha", "c'm", "on", "doin'", "nothin'",
         "her", "his", "its", "mine", "well", "here", "once", "then", "gets", "said", "Minister", "Paris", ",",
         ".", "\n\n", "  ", "\"", "'em", "'nuff", "ol'", "goin'", "somethin'", "nuthin'"]


@pytest.fixture(scope="module")
def pipelines():
    shipped, compiled = nlp.shipped_model(), nlp.shipped_model()
    assert attribute_rules.compile_ruler(compiled)
    assert "attribute_ruler" not in compiled.pipe_names and attribute_rules.FACTORY in compiled.pipe_names
    return shipped, compiled


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def _same(pipelines, text):
    shipped, compiled = pipelines
    assert _annotations(compiled(text)) == _annotations(shipped(text))


@pytest.mark.parametrize("text", TEXTS)
def test_compiled_ruler_matches_spacy_on_hard_cases(pipelines, text):
    _same(pipelines, text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
def test_compiled_ruler_matches_spacy_on_word_salad(pipelines, words):
    _same(pipelines, " ".join(words))


def test_workbook_pipeline_uses_the_compiled_ruler():
    model = nlp.load_nlp()
    assert attribute_rules.FACTORY in model.pipe_names and "attribute_ruler" not in model.pipe_names
    doc = model("They weren't there.")
    assert [t.pos_ for t in doc][:2] == ["PRON", "AUX"] and doc[2].lemma_ == "not"


def test_a_pattern_it_cannot_compile_leaves_the_ruler_alone():
    import spacy

    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "x", "OP": "+"}]], {"LEMMA": "y"})
    assert attribute_rules.compile_ruler(blank) is False
    assert "attribute_ruler" in blank.pipe_names
