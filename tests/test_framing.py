"""Framing: loaded language by voice, distinctive words for N outlets, frames with triggers, facts."""

from __future__ import annotations

import pandas as pd

import analysis as an
from analysis.framing import FRAMES


def corpus(*texts):
    return pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))],
                         "outlet": [f"Outlet {chr(65 + i)}" for i in range(len(texts))], "text": list(texts)})


def test_loaded_language_separates_author_and_quoted_voice():
    arts = corpus('The regime\'s so-called reforms failed. "This is aggression," Minister Ana Ruiz said.')
    q = an.quotes(arts)
    loaded = an.loaded_language(arts, q)
    voices = dict(zip(loaded.term, loaded.voice))
    assert voices["regime"] == "author" and voices["so-called"] == "author"
    assert voices["aggression"] == "quoted"
    assert loaded.loc[loaded.term == "aggression", "speaker"].iloc[0] == "Ana Ruiz"
    for r in loaded.itertuples():
        assert arts.text[0][r.start:r.end].lower() == r.term.lower()


def test_a_paraphrase_is_worded_by_the_outlet():
    arts = corpus("Minister Ana Ruiz said that the regime had committed aggression. "
                  '"The regime is lying," said Tom Ode.')
    q = an.quotes(arts)
    assert {"indirect", "direct"} <= set(q.kind)  # both kinds were found, so the voices below mean something
    loaded = an.loaded_language(arts, q).sort_values("start")
    assert loaded.voice.tolist()[:2] == ["author", "author"]  # the paraphrase's words are the outlet's
    assert loaded.voice.tolist()[-1] == "quoted" and loaded.speaker.tolist()[-1] == "Tom Ode"


def test_loaded_summary_on_the_seeds(seed_articles):
    q = an.quotes(seed_articles)
    summary = an.loaded_summary(an.loaded_language(seed_articles, q), seed_articles)
    assert summary.loc["Press TV", "author_per_1000_words"] == summary["author_per_1000_words"].max()
    assert "aggression" in summary.loc["Press TV", "top_author_terms"]


def test_distinctive_terms_work_for_more_than_two_outlets():
    arts = corpus("Sanctions hit the economy. Sanctions again. Markets fell.",
                  "Troops moved north. Troops again. Markets fell.",
                  "Refugees crossed the border. Refugees again. Markets fell.")
    table = an.distinctive_terms(arts, min_count=1, top=1)
    assert dict(zip(table.outlet, table.term)) == {"Outlet A": "sanction", "Outlet B": "troop", "Outlet C": "refugee"}
    full = an.distinctive_terms(arts, min_count=1, top=None)
    market = full[full.term == "market"]
    assert (market.z.abs() < 0.5).all()  # shared by everyone: distinctive for no one


def test_frames_have_all_fifteen_dimensions_and_their_triggers():
    arts = corpus("The war cost trillions of dollars and the court ruled the treaty illegal.")
    table = an.frames(arts)
    assert list(table.frame) == FRAMES
    economic = table[table.frame == "economic"].iloc[0]
    assert economic.hits >= 2 and "trillions" in economic.triggers
    assert table[table.frame == "legality"].iloc[0].hits >= 3


def test_facts_group_the_same_statement_across_outlets_and_list_omissions():
    arts = corpus("Russia warned against US troops in Central Asia. The weather was cold in Moscow today.",
                  "Russia warns against US troop deployments in Central Asia. Stocks rose sharply on Monday.")
    facts = an.facts(arts, min_words=3)
    shared = facts[facts.outlets == 2]
    assert set(shared.outlet) == {"Outlet A", "Outlet B"} and shared.fact.nunique() == 1
    assert (facts.outlets == 1).sum() == 2  # the weather and the stocks: each reported by one outlet only
    matrix = an.fact_matrix(facts, arts)
    assert matrix.shape == (2, 1) and matrix.to_numpy().sum() == 2


def test_subjectivity_skips_quoted_sentences():
    arts = corpus('Prices rose again in the capital on Monday. '
                  '"This is a wonderful, terrible, amazing day," Ana Ruiz said.')
    table = an.subjectivity(arts, an.quotes(arts))
    assert table.loc["Outlet A", "sentences"] == 1  # the quote is the speaker's, not the outlet's


def test_facts_within_a_story_never_join_sentences_of_two_stories():
    same = "The harbour bridge in Lowtown was closed on Monday after engineers found cracks in its main span."
    arts = corpus(same, same.replace("Monday", "Tuesday"), same, same).assign(story=["s1", "s1", "s2", "s2"])
    pooled = an.facts(arts)
    within = an.facts(arts, within="story")
    assert pooled["fact"].nunique() < within["fact"].nunique()  # pooled, the four outlets' sentence is one fact
    assert within.groupby("fact")["story"].nunique().max() == 1
    assert set(within["outlets"]) == {2}
    assert "story" in within.columns


def test_summaries_group_by_any_column():
    arts = corpus("The regime's so-called reforms failed on Monday.", "Reforms passed on Monday.",
                  "The regime slammed the reforms.").assign(lean=["left", "right", "left"])
    loaded = an.loaded_language(arts, by="lean")
    summary = an.loaded_summary(loaded, arts, by="lean")
    assert set(summary.index) == {"left", "right"} and summary.loc["right", "author_terms"] == 0
    assert set(an.frame_summary(an.frames(arts, by="lean"), by="lean").index) == {"left", "right"}
    assert set(an.distinctive_terms(arts, by="lean", min_count=1)["lean"]) <= {"left", "right"}


def test_distinctive_words_leave_out_dates_and_numbers():
    arts = corpus("On Sunday the council approved the budget. On Sunday critics protested the budget cuts.",
                  "The council approved the budget. Critics praised the budget on Monday morning.")
    terms = set(an.distinctive_terms(arts, min_count=1, top=None)["term"])
    assert "budget" in terms and "sunday" not in terms and "monday" not in terms and "morning" not in terms


def test_voice_and_overlap_lookups_agree_with_a_plain_scan():
    import random

    from analysis.doctools import _Taken
    from analysis.framing import _Stabbing, _voice

    # nested, overlapping, touching, repeated, empty and reversed spans, with ties in length
    spans = [(10, 50, "Outer"), (20, 30, "Inner"), (30, 40, "Next"), (20, 30, "Same"), (45, 60, "Cross"),
             (60, 70, "Touch"), (80, 80, "Empty"), (90, 85, "Reversed"), (100, 140, "Far"), (0, 5, "First")]
    lookup = _Stabbing(spans)
    for i in range(-3, 150):
        scan = tuple(n for n, (s, e, _) in enumerate(spans) if s <= i < e)
        assert lookup.holding(i) == scan, i
        assert _voice(spans, i, lookup) == _voice(spans, i), i
    assert _voice(spans, 25, lookup) == ("quoted", "Inner")  # the shortest holding span; "Inner" < "Same"
    assert _voice(spans, 80, lookup) == ("author", "")
    assert _Stabbing([]).holding(3) == ()

    rng = random.Random(7)
    for _ in range(50):
        taken, plain = _Taken(), []
        for _ in range(60):
            start = rng.randint(0, 200)
            end = start + rng.randint(0, 12)
            hit = any(s < end and start < e for s, e in plain)
            assert taken.overlaps(start, end) == hit, (start, end, plain)
            if not hit:
                taken.add(start, end)
                plain.append((start, end))
        assert taken.spans == sorted(plain)


def test_the_per_article_parts_give_the_tables_of_the_parses():
    """What ``analyze`` keeps per article instead of the Doc (sentences with their words, framing-word counts)
    joins into the same facts and distinctive words as the parses themselves."""
    from analysis import framing, nlp

    arts = corpus("Sanctions hit the economy of the country hard this week. Sanctions again. Markets fell sharply "
                  "across the region on Monday.",
                  "Troops moved north into the border region this week. Troops again. Markets fell sharply across "
                  "the region on Monday.")
    docs = nlp.parse(arts)
    counts = {a: framing.term_counts(d) for a, d in docs.items()}
    assert counts["a0"]["sanction"] == 2 and "monday" not in counts["a0"]  # a date's words are not framing words
    pd.testing.assert_frame_equal(an.distinctive_terms(arts, counts=counts, min_count=1),
                                  an.distinctive_terms(arts, docs=docs, min_count=1))
    parts = [(a, o, "", docs[a].text, framing.sentence_part(docs[a])) for a, o in zip(arts.article_id, arts.outlet)]
    joined = framing.join_facts(parts, min_words=3)
    pd.testing.assert_frame_equal(joined, an.facts(arts, docs=docs, min_words=3))
    assert (joined.outlets == 2).any()  # "Markets fell sharply across the region on Monday" in both


def test_facts_within_scopes_are_the_greedy_joins_of_a_brute_force_comparison():
    """join_facts compares each scope on its own (IDF over every sentence): the same facts as comparing every
    pair of sentences of one scope from different outlets, most similar first, at most one sentence per outlet."""
    import math
    import random
    from collections import Counter

    from analysis import framing

    rng = random.Random(7)
    vocab = [f"w{k}" for k in range(14)]
    parts = []
    for a in range(12):  # 12 articles, 3 outlets, 2 stories, sentences of 5-7 words from a small vocabulary
        sentences, start = [], 0
        for _ in range(3):
            tokens = rng.sample(vocab[:9] if a % 2 else vocab[5:], rng.randint(5, 7))
            sentences.append((start, start + 10, tokens))
            start += 11
        parts.append((f"a{a}", f"O{a % 3}", f"s{a % 2}", "x" * start, sentences))
    got = framing.join_facts(parts, within="story", threshold=0.3)

    rows = [(art, outlet, scope, s, tokens) for art, outlet, scope, _, sents in parts for s, _, tokens in sents]
    df = Counter(t for *_, tokens in rows for t in set(tokens))
    n = len(rows)

    def vector(tokens):
        w = {t: c * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in Counter(tokens).items()}
        norm = math.sqrt(sum(v * v for v in w.values()))
        return {t: v / norm for t, v in w.items()}

    vectors = [vector(r[4]) for r in rows]
    pairs = sorted(((sum(v * vectors[j].get(t, 0.0) for t, v in vectors[i].items()), i, j)
                    for i in range(n) for j in range(i + 1, n)
                    if rows[i][2] == rows[j][2] and rows[i][1] != rows[j][1] and set(rows[i][4]) & set(rows[j][4])),
                   reverse=True)
    group = list(range(n))
    members = {i: {i} for i in range(n)}
    for score, i, j in pairs:
        if score < 0.3 or group[i] == group[j]:
            continue
        a, b = group[i], group[j]
        if {rows[k][1] for k in members[a]} & {rows[k][1] for k in members[b]}:
            continue
        for k in members.pop(a):
            group[k] = b
            members[b].add(k)
    assert len({g for g in group}) < n  # some sentences were joined
    expected = {frozenset((rows[k][0], rows[k][3]) for k in m) for m in members.values()}
    found = {frozenset(zip(g["article_id"], g["start"])) for _, g in got.groupby("fact")}
    assert found == expected
    sizes = got.groupby("fact")["outlets"].first().tolist()
    assert sizes == sorted(sizes, reverse=True)  # the facts most outlets state come first
