"""analysis.scoring: the readers on small files written here (never the dev texts), span matching and the
score of the workbook on a user's own annotations (``python -m analysis score``)."""

from __future__ import annotations

import math
import subprocess
import sys

import pandas as pd
import pytest

from analysis import scoring

TEXT = "Senator Jane Roe said on Tuesday that the bill would fail. “It is dead,” she told reporters.\n"


def _brat(folder, text=TEXT):
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    (folder / "text" / "wire_2016-09-12_bill.txt").write_text(text, encoding="utf-8")
    s_src, s_cue = text.index("Senator Jane Roe"), text.index("said")
    c1 = text.index("the bill would fail")
    q = text.index("It is dead,")
    she = text.index("she")
    told = text.index("told")
    lines = [
        f"T1\tSource {s_src} {s_src + 16}\tSenator Jane Roe",
        f"T2\tCue {s_cue} {s_cue + 4}\tsaid",
        f"T3\tContent {c1} {c1 + 19}\tthe bill would fail",
        "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1",
        f"T4\tSource {she} {she + 3}\tshe",
        f"T5\tCue {told} {told + 4}\ttold",
        # a discontinuous content: both fragments, scored as its whole extent
        f"T6\tContent {q} {q + 5};{q + 6} {q + 10}\tIt is dead",
        "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4",
    ]
    # a second annotator's file of the same text: it must be ignored, not scored twice
    (folder / "attributions" / "wire_2016-09-12_bill_a.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "attributions" / "wire_2016-09-12_bill_b.ann").write_text(lines[0] + "\n", encoding="utf-8")
    return q


def test_brat_reader_takes_one_annotator_whole_extents_and_the_date_in_the_name(tmp_path):
    q = _brat(tmp_path)
    arts, gold = scoring.read_polnear(tmp_path)
    assert len(arts) == 1 and arts.loc[0, "published"] == pd.Timestamp("2016-09-12")
    assert len(gold) == 2
    second = gold.sort_values("start").iloc[1]
    assert (second["start"], second["end"]) == (q, q + 10)
    assert arts.loc[0, "text"][int(second["speaker_start"]):int(second["speaker_end"])] == "she"
    first = gold.sort_values("start").iloc[0]
    assert arts.loc[0, "text"][int(first["start"]):int(first["end"])] == "the bill would fail"


def test_timeml_reader_strips_tags_and_keeps_offsets(tmp_path):
    xml = ('<?xml version="1.0" ?>\n<TimeML>\n<DOCID>X1</DOCID>\n<DCT><TIMEX3 tid="t0" type="DATE" '
           'value="1998-08-07" functionInDocument="CREATION_TIME">19980807</TIMEX3></DCT>\n<TEXT>\nPrices '
           '<EVENT eid="e1">rose</EVENT> on <TIMEX3 tid="t1" type="DATE" value="1998-08-04">Tuesday</TIMEX3> '
           'after <TIMEX3 tid="t2" type="DURATION" value="P3Y">three years</TIMEX3> of &amp; decline.\n</TEXT>\n'
           '</TimeML>\n')
    (tmp_path / "X1.tml").write_text(xml, encoding="utf-8")
    arts, gold = scoring.read_timeml(tmp_path)
    text = arts.loc[0, "text"]
    assert arts.loc[0, "published"] == pd.Timestamp("1998-08-07")
    assert "<" not in text and "& decline" in text
    got = {text[s:e]: (t, v) for s, e, t, v in zip(gold["start"], gold["end"], gold["type"], gold["value"])}
    assert got == {"Tuesday": ("DATE", "1998-08-04"), "three years": ("DURATION", "P3Y")}


MEANTIME = """<?xml version="1.0" ?><Document doc_id="7" doc_name="7_Acme_hires" lang="en">
<token number="0" sentence="0" t_id="1">Acme</token>
<token number="1" sentence="0" t_id="2">hires</token>
<token number="2" sentence="1" t_id="3">May</token>
<token number="3" sentence="1" t_id="4">1</token>
<token number="4" sentence="2" t_id="5">John</token>
<token number="5" sentence="2" t_id="6">Smith</token>
<token number="6" sentence="2" t_id="7">(</token>
<token number="7" sentence="2" t_id="8">Acme</token>
<token number="8" sentence="2" t_id="9">'s</token>
<token number="9" sentence="2" t_id="10">boss</token>
<token number="10" sentence="2" t_id="11">)</token>
<token number="11" sentence="2" t_id="12">said</token>
<token number="12" sentence="2" t_id="13">,</token>
<token number="13" sentence="2" t_id="14">"</token>
<token number="14" sentence="2" t_id="15">Yes</token>
<token number="15" sentence="2" t_id="16">"</token>
<token number="16" sentence="2" t_id="17">.</token>
<token number="17" sentence="3" t_id="18">Paris</token>
<token number="18" sentence="3" t_id="19">agreed</token>
<Markables>
<ENTITY_MENTION m_id="1" syntactic_type="NAM"><token_anchor t_id="5"/><token_anchor t_id="6"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="2" syntactic_type="NAM"><token_anchor t_id="8"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="3" syntactic_type="NOM"><token_anchor t_id="10"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="4" syntactic_type="NAM"><token_anchor t_id="1"/></ENTITY_MENTION>
<ENTITY m_id="10" ent_type="PER"/><ENTITY m_id="11" ent_type="ORG"/>
</Markables>
<Relations>
<REFERS_TO r_id="1"><source m_id="1"/><source m_id="3"/><target m_id="10"/></REFERS_TO>
<REFERS_TO r_id="2"><source m_id="2"/><source m_id="4"/><target m_id="11"/></REFERS_TO>
</Relations></Document>
"""


def test_meantime_reader_rebuilds_text_named_mentions_only_and_the_annotated_region(tmp_path):
    (tmp_path / "7_Acme_hires.xml").write_text(MEANTIME, encoding="utf-8")
    arts, gold, regions = scoring.read_meantime(tmp_path)
    text = arts.loc[0, "text"]
    assert 'John Smith (Acme\'s boss) said, "Yes".' in text
    spans = sorted((text[s:e], lab) for s, e, lab in zip(gold["start"], gold["end"], gold["label"]))
    assert spans == [("Acme", "ORG"), ("Acme", "ORG"), ("John Smith", "PER")]  # "boss" is NOM: not gold
    # sentence 3 ("Paris agreed") has no annotation: outside the scored region
    assert regions.loc[0, "end"] == text.index("Paris") - 1


def test_match_spans_is_one_to_one_and_prefers_the_larger_overlap():
    gold = pd.DataFrame({"article_id": ["a", "a"], "start": [0, 20], "end": [10, 30]})
    pred = pd.DataFrame({"article_id": ["a", "a", "a"], "start": [0, 2, 25], "end": [4, 10, 40]})
    pairs = scoring.match_spans(pred, gold)
    assert sorted(pairs) == [(1, 0), (2, 1)]
    assert scoring.match_spans(pred, gold, relaxed=False) == []
    sc = scoring.score_spans(pred, gold)
    assert (sc.n_match, sc.n_pred, sc.n_gold) == (2, 3, 2)
    assert math.isclose(sc.f1, 2 * (2 / 3) * 1 / (2 / 3 + 1))


def test_typed_matching_and_value_and_speaker_accuracy():
    gold = pd.DataFrame({"article_id": ["a", "a"], "start": [0, 20], "end": [10, 30], "label": ["PER", "ORG"],
                         "type": ["DATE", "DATE"], "value": ["2019-04-02", "2019"],
                         "speaker_start": [40, float("nan")], "speaker_end": [45, float("nan")]})
    pred = pd.DataFrame({"article_id": ["a", "a"], "start": [0, 20], "end": [10, 30], "label": ["PER", "LOC"],
                         "type": ["DATE", "DATE"], "value": ["2019-04-02", "2018"],
                         "speaker_start": [50, 1], "speaker_end": [55, 2]})
    assert scoring.score_spans(pred, gold, same="label").n_match == 1
    sc = scoring.score_spans(pred, gold, values=("value",), speaker=True)
    assert sc.accuracy["value_acc"] == 0.5
    # the second gold has no speaker, so only the first counts, and its speaker span does not overlap
    assert sc.accuracy["speaker_n"] == 1 and sc.accuracy["speaker_acc"] == 0.0


def test_regions_leave_unannotated_text_out():
    gold = pd.DataFrame({"article_id": ["a"], "start": [0], "end": [5], "label": ["PER"]})
    pred = pd.DataFrame({"article_id": ["a", "a"], "start": [0, 100], "end": [5, 105], "label": ["PER", "PER"]})
    regions = pd.DataFrame({"article_id": ["a"], "start": [0], "end": [50]})
    assert scoring.score_spans(pred, gold, same="label", regions=regions).precision == 1.0
    assert scoring.score_spans(pred, gold, same="label").precision == 0.5


def test_span_csv_reader_needs_offsets_and_texts(tmp_path):
    (tmp_path / "one.txt").write_text("Paris is calm.", encoding="utf-8")
    (tmp_path / "spans.csv").write_text("file,start,end,label\none.txt,0,5,GPE\n", encoding="utf-8")
    arts, gold = scoring.read_span_csv(tmp_path / "spans.csv")
    assert gold.loc[0, "text"] == "Paris" and gold.loc[0, "article_id"] == "one"
    (tmp_path / "bad.csv").write_text("file,begin\none.txt,0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="start"):
        scoring.read_span_csv(tmp_path / "bad.csv")


def test_score_command_on_a_users_brat_folder(tmp_path):
    _brat(tmp_path)
    done = subprocess.run([sys.executable, "-m", "analysis", "score", str(tmp_path)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "quotes" in done.stdout and "workbook" in done.stdout and "baseline" in done.stdout
    # the workbook finds the said-that paraphrase and the quote, each tied to its speaker mention
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("workbook"))
    gold, pred, p, r, f1 = (float(x) for x in line.split()[1:6])
    assert gold == 2 and r == 1.0


def test_score_command_says_what_is_wrong(tmp_path):
    done = subprocess.run([sys.executable, "-m", "analysis", "score", str(tmp_path / "nope")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2 and "no such folder" in done.stderr
    (tmp_path / "empty").mkdir()
    done = subprocess.run([sys.executable, "-m", "analysis", "score", str(tmp_path / "empty")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2 and "no annotations" in done.stderr
