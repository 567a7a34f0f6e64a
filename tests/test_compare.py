"""The comparative findings say what their evidence shows, and cope with small corpora."""

import pandas as pd

import analysis as an


def test_findings_on_the_seeds_match_their_tables(seed_articles):
    report = {f.title: f for f in an.findings(seed_articles)}
    loaded = report["Loaded language in the outlets' own words"]
    assert loaded.sentence.startswith("Press TV uses the most loaded")
    assert set(loaded.evidence.outlet) <= set(seed_articles.outlet)
    voices = report["Voices shared and voices left out"]
    assert "Every outlet quotes Sergei Ryabkov" in voices.sentence
    assert "no government source of the United States" in voices.sentence  # quoted by some outlets, not all
    history = report["The history each outlet recalls"]
    assert "Iran Press recalls 2001, 2005 and 2014" in history.sentence
    for finding in report.values():
        assert finding.sentence and isinstance(finding.evidence, pd.DataFrame)
        if finding.chart is not None:
            assert finding.chart() is not None


def test_one_outlet_and_no_quotes_still_give_findings():
    arts = an.load_corpus(pd.DataFrame({"text": ["The river rose two metres overnight in 2024 and roads closed.",
                                                 "Schools stayed shut on Monday as the water receded slowly."],
                                        "outlet": ["Daily A", "Daily A"], "published": ["2024-03-05"] * 2}))
    titles = [f.title for f in an.findings(arts)]
    assert titles[0] == "One outlet only"
    sources = next(f for f in an.findings(arts) if f.title == "Who gets a voice")
    assert sources.sentence == "No outlet quotes anyone in this corpus."
