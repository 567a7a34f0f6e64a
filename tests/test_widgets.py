"""The explorer's callbacks, driven as a user would: set a control, check what the views hold."""

from __future__ import annotations

import pytest

import analysis as an


@pytest.fixture(scope="module")
def explorer(seeds_dir, tmp_path_factory):
    import os

    os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
    return an.Explorer(an.analyze(seeds_dir))


def test_default_view_shows_everything(explorer, seed_articles):
    assert len(explorer.table) == len(an.quotes(seed_articles))
    assert explorer.chart_png.startswith(b"\x89PNG")
    assert "5 article(s) from 5 outlet(s)" in explorer.status.value
    assert "<span" in explorer.text_html


def test_source_type_filters_the_table(explorer):
    explorer.source_type.value = "expert"
    try:
        assert len(explorer.table) > 0 and set(explorer.table.source_type) == {"expert"}
        assert set(explorer.table.outlet) == {"Iran Press"}  # the only outlet quoting experts
    finally:
        explorer.source_type.value = "(any)"


def test_outlets_restrict_articles_and_text(explorer):
    explorer.outlets.value = ("Press TV",)
    try:
        assert [value for _, value in explorer.article.options] == ["003_f93a9d38d73ec396"]
        assert set(explorer.table.outlet) == {"Press TV"}
        html = explorer.text_view.value
        assert 'class="l"' in html and ">aggression<" in html  # loaded term highlighted
        assert 'class="d"' in html and "last month" in html  # dates marked
        assert "Sergei Ryabkov" in html  # hover label of a quote
    finally:
        explorer.outlets.value = tuple(explorer.outlets.options)


def test_entity_and_frame_narrow_the_articles(explorer):
    explorer.entity.value = "Collective Security Treaty Organization"
    try:
        outlets = {label.split(" · ")[0] for label, _ in explorer.article.options}
        assert outlets == {"Press TV", "Antiwar.com"}
    finally:
        explorer.entity.value = "(any)"
    explorer.frame.value = "economic"
    try:
        assert [value for _, value in explorer.article.options] == ["003_f93a9d38d73ec396"]  # "trillions of dollars"
    finally:
        explorer.frame.value = "(any)"


def test_no_match_says_so(explorer):
    explorer.outlets.value = ("Antiwar.com",)
    explorer.source_type.value = "expert"
    try:
        assert explorer.table.empty and "0</b> attributions match" in explorer.table_view.value
    finally:
        explorer.source_type.value = "(any)"
        explorer.outlets.value = tuple(explorer.outlets.options)


def test_static_copy_carries_the_view(explorer):
    import json
    import re

    html = explorer.static_html()
    assert "data:image/png;base64," in html and "<script>" + an.widgets.EXPLORER_JS + "</script>" in html
    data = json.loads(re.search(r'class="nx-data">(.*?)</script>', html, re.S).group(1))
    assert len(data["articles"]) == 5 and len(data["quotes"]) == len(explorer.table)  # every article and quote
    assert data["outlets"] == sorted(explorer.outlets.options) and "expert" in data["types"]
    assert all(a["story"] for a in data["articles"]) and len(data["stories"]) >= 1
    press = next(a for a in data["articles"] if a["outlet"] == "Press TV")
    marked = {press["text"][s:e] for s, e, kind, *_ in press["spans"] if kind == "loaded"}
    assert "aggression" in marked  # the same findings as the live view, as spans into the text
    dated = [label for _, _, kind, label, *_ in press["spans"] if kind == "date"]
    assert dated and not any(re.search(r"\d{4}-\d{2}", label) for label in dated)  # dates in words
    bundle = an.widgets._WithFallback(explorer.view(), html)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and bundle["text/html"] == html


def test_exported_explorer_report_carries_its_filters(built_reports):
    from analysis.report import external_resources, script_hash

    out, _ = built_reports
    page = (out / "07_explorer.html").read_text()
    assert "The explorer in this page" in page and "widget-view+json" not in page
    assert script_hash(an.widgets.EXPLORER_JS) in page and not external_resources(page)
