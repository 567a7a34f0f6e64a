"""A report stays bounded on a large corpus: the same-quotes block shows its first statements and links the rest."""

import pandas as pd

import analysis as an


def _same(groups: int) -> pd.DataFrame:
    rows = []
    for g in range(groups):
        for outlet, relation in (("Daily X", "reference"), ("Daily Y", "shortened")):
            rows.append({"group": g, "outlet": outlet, "speaker_canonical": f"Speaker {g}", "kind": "direct",
                         "relation": relation, "words_cut": 2 if relation == "shortened" else 0, "words_added": 0,
                         "diff_html": f"words of statement {g}"})
    return pd.DataFrame(rows)


def test_same_quotes_block_shows_the_first_statements_and_links_the_rest():
    table = _same(5)
    full = an.same_quotes_html(table)
    assert full.count("<h4>") == 5 and "showing" not in full
    capped = an.same_quotes_html(table, max_groups=2, csv="same_quotes.csv")
    assert capped.count("<h4>") == 2 and "Statement 0" in capped and "Statement 1" in capped
    assert "Statement 2" not in capped
    assert "showing 2 of 5 statements" in capped and 'href="data/same_quotes.csv"' in capped
    assert an.same_quotes_html(table, max_groups=5).count("<h4>") == 5  # at the bound: everything, no line
    assert "showing" not in an.same_quotes_html(table, max_groups=5)
    assert "href" not in an.same_quotes_html(table, max_groups=1)  # no CSV given, no link


def test_front_page_findings_come_from_the_stories_the_comparison_report_shows(monkeypatch, tmp_path):
    import analysis.compare as compare
    from analysis.report import FRONT_STORIES, _front_findings

    asked = {}

    def findings(bundle, **kw):
        asked.update(kw)
        return [compare.Finding("Who gets a voice", "X gives room to the most sources.", pd.DataFrame(), story="S1",
                                strength=0.5)]

    monkeypatch.setattr(compare, "findings", findings)
    page = _front_findings(object(), {}, tmp_path)
    assert asked == {"max_stories": FRONT_STORIES} and "X gives room to the most sources" in page
    nb = (an.report.PROJECT_NOTEBOOKS / "06_comparison.ipynb").read_text()
    assert f"max_stories = {FRONT_STORIES}" in nb  # the stories the comparison report shows
