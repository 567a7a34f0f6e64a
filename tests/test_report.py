"""The last line of defence of a shared report: a Content-Security-Policy that forbids loads and scripts,
and a parser-based check that shows as text any tag that would load, navigate or run (never a crash)."""

from __future__ import annotations

import nbformat
import pytest

from analysis.report import CSP, export_html, external_resources, neutralise

HOSTILE = [
    "<img src='https://example.org/pixel.png'>",
    "<img srcset='a.png 1x, https://example.org/b.png 2x'>",
    "<object data='https://example.org/x.swf'></object>",
    "<embed src='//example.org/x'>",
    "<iframe src='https://example.org/'></iframe>",
    "<meta http-equiv='refresh' content='0;url=https://example.org/'>",
    "<div style=\"background:url('https://example.org/bg.png')\">bg</div>",
    "<style>@import 'https://example.org/x.css';</style>",
    "<a href='javascript:alert(1)'>click</a>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "<script>document.title='pwned'</script>",
]
SAFE = "<p>A <a href='https://example.org/story'>link to the story</a> and <b>bold</b> text.</p>"


@pytest.mark.parametrize("tag", HOSTILE)
def test_each_kind_of_load_navigation_or_script_is_found(tag):
    assert external_resources(tag), tag
    page, found = neutralise(SAFE + tag)
    assert found and not external_resources(page)
    assert "link to the story" in page and "<b>bold</b>" in page  # the rest is untouched


def test_titles_link_only_to_http_addresses():
    from analysis.report import _title_cell

    assert _title_cell("A <b>t</b>", "https://example.org/a?b=1&c=2") == (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">A &lt;b&gt;t&lt;/b&gt;</a>')
    for bad in ("javascript:alert(1)", "data:text/html,<script>", 'https://x.org/" onmouseover="alert(1)'):
        cell = _title_cell("T", bad)
        assert "<a " not in cell and not external_resources(cell), cell


def test_plain_links_and_embedded_images_are_not_loads():
    assert external_resources(SAFE + "<img src='data:image/png;base64,AAAA'>") == []


def _notebook(html_output: str):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html_output, "text/plain": "x"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Hostile"), cell]
    return nb


def test_export_of_hostile_output_is_written_defused_and_reported(tmp_path):
    found = []
    out = export_html(_notebook(SAFE + "".join(HOSTILE)), tmp_path / "r.html", title="Hostile", violations=found)
    page = out.read_text(encoding="utf-8")
    assert f'content="{CSP}"' in page and page.index("Content-Security-Policy") < page.index("<body")
    assert len(found) >= len(HOSTILE) and not external_resources(page)


@pytest.mark.slow
def test_hostile_report_runs_nothing_and_loads_nothing_in_a_browser(tmp_path):
    from tests.test_browser import CHROMIUM, open_offline  # noqa: F401 - the same offline harness

    if CHROMIUM is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: `make browser` installs Debian's chromium")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    from tests.test_browser import ARGS

    out = export_html(_notebook(SAFE + "".join(HOSTILE)), tmp_path / "r.html", title="Hostile")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(offline=True)
        page = context.new_page()
        events = []
        page.on("dialog", lambda d: (events.append(f"dialog {d.message}"), d.dismiss()))
        page.on("request", lambda r: events.append(f"request {r.url}") if not r.url.startswith(("file:", "data:"))
                else None)
        page.on("framenavigated", lambda f: events.append(f"navigated {f.url}") if f.url != out.as_uri() else None)
        page.goto(out.as_uri(), wait_until="load")
        page.wait_for_timeout(1500)  # a meta refresh of 0 s would have fired by now
        title = page.title()
        browser.close()
    assert title == "Hostile" and events == [], events


@pytest.mark.parametrize("make, says", [
    (lambda d: d / "missing", "There is no file or folder"),
    (lambda d: (d / "empty").mkdir() or d / "empty", "is empty"),
    (lambda d: (d / "bad").mkdir() or (d / "bad" / "a.txt").write_text("  \n") and (d / "bad"), "None of the 1"),
])
def test_an_impossible_corpus_stops_before_any_notebook_with_exit_status_2(tmp_path, make, says):
    import subprocess
    import sys

    corpus = make(tmp_path)
    done = subprocess.run([sys.executable, "-m", "analysis", "report", str(corpus), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and says in done.stderr, done.stderr[-1500:]
    assert done.stderr.count("\n") == 1  # one sentence, no traceback
    assert not (tmp_path / "out" / "executed").exists() or not any((tmp_path / "out" / "executed").iterdir())


@pytest.mark.slow
def test_reports_built_from_a_hostile_corpus_run_load_and_navigate_nothing(tmp_path):
    """tests/data/hostile/build.py puts markup, remote images, refreshes and javascript: links in quotes,
    outlet names, titles, URLs and removed lines; every report built from it is opened offline."""
    import importlib.util
    import os
    from pathlib import Path

    from analysis.report import build_reports
    from tests.test_browser import ARGS, CHROMIUM, exercise_explorer

    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: `make browser` installs Debian's chromium")
        pytest.skip("chromium is not installed")
    spec = importlib.util.spec_from_file_location("hostile", Path(__file__).parent / "data" / "hostile" / "build.py")
    hostile = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hostile)
    corpus = hostile.build(tmp_path / "corpus")
    runs = build_reports(corpus, tmp_path / "out", progress=False)
    assert runs and all(r.ok for r in runs), [(r.name, r.error) for r in runs if not r.ok]
    # escaped where rendered: the last line of defence had nothing to defuse
    assert not [(r.name, r.error) for r in runs if r.error]
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert not external_resources(index) and "href=\"javascript" not in index
    assert "(javascript:alert(&#x27;a1.txt&#x27;))" in index  # a javascript: address stays visible text
    pages = [tmp_path / "out" / "index.html"] + [r.html for r in runs]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for path in pages:
            context = browser.new_context(offline=True)
            page = context.new_page()
            events = []
            page.on("dialog", lambda d, ev=events: (ev.append(f"dialog {d.message}"), d.dismiss()))
            page.on("request", lambda r, ev=events: ev.append(f"request {r.url}")
                    if not r.url.startswith(("file:", "data:")) else None)
            uri = path.as_uri()
            page.on("framenavigated", lambda f, ev=events, uri=uri: ev.append(f"navigated {f.url}")
                    if f.url != uri else None)
            page.on("pageerror", lambda exc, ev=events: ev.append(f"script error {exc}"))
            page.on("console", lambda msg, ev=events: ev.append(f"console {msg.text}") if msg.type == "error" else None)
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            if path.name.startswith("07"):  # the explorer's filters and articles, each used once
                statuses = exercise_explorer(page)
                assert len(statuses) > 3, statuses
                options = page.inner_text("select[name=outlet]")
                assert "onerror=alert('outlet')" in options  # a hostile outlet name is an option's text
                page.select_option("select[name=outlet]", label="<img src=x onerror=alert('outlet')>")
                page.click(".nx-list li:nth-child(1) button")
                shown = page.inner_text(".nx-article")  # the article's markup is its text, marked, not run
                assert "<script>document.title='pwned'</script>" in shown, shown
            title, text = page.title(), page.inner_text("body")
            context.close()
            assert events == [] and title != "pwned", (path.name, events)
            if path.name.startswith(("00", "01")):  # the hostile strings are shown as text, not dropped
                assert "onerror=alert('outlet')" in text, path.name
        browser.close()


# ---------------------------------------------------------------- reports for readers (12/5)
def _fake_bundle(n_articles: int = 3, *, text: str | None = None, outlets=("Alpha", "Beta", "Gamma")):
    """A small bundle of made-up tables, shaped like ``analysis.analyze``'s, for the explorer's HTML copy."""
    from types import SimpleNamespace

    import pandas as pd

    rows, quotes = [], []
    for i in range(n_articles):
        body = text if text is not None else f"Mayor Ana Ruiz said the bridge {i} would close on Tuesday."
        rows.append({"article_id": f"a{i:04d}", "outlet": outlets[i % len(outlets)], "title": f"Bridge {i} closes",
                     "published": pd.Timestamp("2024-03-05") + pd.Timedelta(days=i % 3), "text": body,
                     "status": "ok", "problem": ""})
        q = body.find("the bridge")
        if q >= 0:
            quotes.append({"article_id": f"a{i:04d}", "kind": "indirect", "quote": body[q:q + 20], "start": q,
                           "end": q + 20, "speaker": "Ana Ruiz", "speaker_canonical": "Ana Ruiz",
                           "source_type": "government" if i % 2 == 0 else "expert"})
    articles = pd.DataFrame(rows)
    cols = ["article_id", "kind", "quote", "start", "end", "speaker", "speaker_canonical", "source_type"]
    return SimpleNamespace(
        articles=articles, quotes=pd.DataFrame(quotes, columns=cols),
        entities=pd.DataFrame(columns=["article_id", "start", "end", "label", "canonical"]),
        dates=pd.DataFrame(columns=["article_id", "start", "end", "type", "value", "display", "note"]),
        loaded=pd.DataFrame(columns=["article_id", "start", "end", "category", "polarity"]),
        stories=pd.DataFrame({"article_id": articles["article_id"], "story": [f"S{1 + i % 2:03d}" for i in
                                                                              range(n_articles)],
                              "story_title": [f"Story {1 + i % 2}" for i in range(n_articles)]}))


def test_reports_hide_code_and_keep_outputs_markdown_and_headings(tmp_path):
    nb = _notebook("<p>the output stays</p>")
    nb.cells[1].source = "secret_code_marker = 1\nshow()"
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("## A heading\n\nSome *prose*."))
    page = export_html(nb, tmp_path / "r.html", title="Hidden").read_text(encoding="utf-8")
    assert "secret_code_marker" not in page
    assert "the output stays" in page and "A heading" in page and "<em>prose</em>" in page
    shown = export_html(nb, tmp_path / "c.html", title="Shown", hide_code=False).read_text(encoding="utf-8")
    assert "secret_code_marker" in shown


def test_the_reports_own_script_is_allowed_by_its_hash_and_no_other(tmp_path):
    import base64
    import hashlib

    from analysis.report import script_policy
    from analysis.widgets import EXPLORER_JS, explorer_html

    own = explorer_html(_fake_bundle())
    assert not external_resources(own)  # the workbook's script and its data block are not violations
    found = []
    evil = "<script>document.title='pwned'</script>"
    page = export_html(_notebook(evil + own + evil), tmp_path / "r.html", title="Own", violations=found)
    text = page.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(EXPLORER_JS.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in text and "unsafe-inline' ;" not in text
    assert found == ["<script>", "<script>"]  # both foreign scripts, shown as text at their places
    assert text.count("&lt;script&gt;document.title") == 2 and f"<script>{EXPLORER_JS}</script>" in text
    assert script_policy([]) == CSP and "script-src 'none'" in CSP
    # a script that differs from the workbook's by one character is not the workbook's
    changed = EXPLORER_JS.replace("use strict", "use  strict")
    assert external_resources(f"<script>{changed}</script>") == ["<script>"]


@pytest.mark.parametrize("tag", [
    "<script type='module'>x</script>", "<script type='speculationrules'>{}</script>",
    "<script type='application/json' src='https://example.org/d.json'></script>",
    "<script type='text/javascript'>x</script>", "<script class='nx-data' onload='x()'>{}</script>",
    "<script>", "<script/>",
])
def test_every_other_script_is_a_violation(tag):
    assert external_resources(tag), tag


def test_corpus_text_cannot_close_the_data_block_or_add_a_script():
    import json
    import re

    from analysis.widgets import explorer_html

    hostile = ("Mayor Ana Ruiz said the bridge </script><script>alert(1)</script> <!-- <img src=x onerror=alert(2)>"
               " & more")
    own = explorer_html(_fake_bundle(2, text=hostile))
    assert "alert(1)</script>" not in own and "<img src=x" not in own and not external_resources(own)
    block = re.search(r'<script type="application/json" class="nx-data">(.*?)</script>', own, re.S).group(1)
    data = json.loads(block)  # what JSON.parse reads: the text itself, to be shown with textContent
    assert data["articles"][0]["text"] == hostile
    assert "<" not in block and ">" not in block and "&" not in block


def test_speaker_colours_are_classes_of_the_page_not_styles_from_the_data():
    import json
    import re

    from analysis.widgets import EXPLORER_JS, _color, explorer_html

    own = explorer_html(_fake_bundle(3, text="Mayor Ana Ruiz said the bridge would reopen next week, officials said."))
    data = json.loads(re.search(r'<script type="application/json" class="nx-data">(.*?)</script>', own,
                                re.S).group(1))
    quotes = [sp for a in data["articles"] for sp in a["spans"] if sp[2] == "quote"]
    assert quotes and {sp[5] for sp in quotes} == {0}  # one speaker: one colour class, a number
    assert all(sp[5] == -1 for a in data["articles"] for sp in a["spans"] if sp[2] != "quote")
    assert f".nx-explorer .nx-c0{{background:{_color('Ana Ruiz')}}}" in own
    assert ".style" not in EXPLORER_JS and "nx-c" in EXPLORER_JS  # the script sets a class, never a style


def test_the_explorer_copy_is_bounded_on_large_corpora():
    from analysis.widgets import explorer_data, explorer_html

    bundle = _fake_bundle(400, text="word " * 2000)
    data = explorer_data(bundle, max_articles=300, max_article_chars=1000, max_text_chars=50_000, max_quotes=100)
    assert len(data["articles"]) == 300 and len(data["quotes"]) <= 100
    texts = [a["text"] for a in data["articles"]]
    assert sum(len(t) for t in texts if t) <= 50_000 and max(len(t) for t in texts if t) <= 1000
    assert texts.count(None) == 300 - 50 and all(a["cut"] for a in data["articles"][:50])
    assert len(data["notes"]) >= 3 and any("300 of 400" in n for n in data["notes"])
    # with the defaults, 400 articles of 10,000 characters stay far below their 4 MB of text
    assert len(explorer_html(bundle)) < 2_500_000


def test_show_caps_escapes_links_the_full_csv_and_writes_dates_in_words(tmp_path):
    import pandas as pd

    from analysis import tables

    table = pd.DataFrame({"outlet": ["<img src=x onerror=alert(1)>"] * 30, "when": pd.Timestamp("2024-03-05"),
                          "iso": "2021-08-20", "n": range(30)})
    shown = tables.show(table, "quotes / all", cap=20, folder=tmp_path)
    assert (shown.shown, shown.total) == (20, 30) and shown.html.count("<tr") == 21
    assert "showing 20 of 30 rows" in shown.html and 'href="data/quotes_all.csv"' in shown.html
    assert "&lt;img src=x" in shown.html and not external_resources(shown.html)
    assert "5 March 2024" in shown.html and "20 August 2021" in shown.html
    full = pd.read_csv(tmp_path / "quotes_all.csv")
    assert len(full) == 30 and full["iso"].iloc[0] == "2021-08-20"  # the CSV keeps every row and the ISO value
    short = tables.show(table.head(3), "short", folder=tmp_path)
    assert "showing" not in short.html and "3 rows" in short.html
    assert "Nothing here" in tables.show(table.head(0), "none", empty="Nothing here").html
    assert "showing 2 of 30 rows" in tables.show(table, "nofolder", cap=2).html  # no folder: no link
    assert "href" not in tables.show(table, "nofolder", cap=2).html


def test_one_fixed_colour_blind_safe_colour_per_outlet():
    from analysis import charts

    names = [f"Outlet {c}" for c in "HGFEDCBA"]
    try:
        charts.set_outlets(names)
        whole = charts.outlet_colors(names)
        assert charts.outlet_colors(["Outlet C", "Outlet A"]) == {k: whole[k] for k in ("Outlet A", "Outlet C")}
        assert len(set(list(whole.values())[:7])) == 7 and set(whole.values()) <= set(charts.PALETTE)
        styles = charts.outlet_styles(names)
        cues = {(s["color"], s["hatch"], s["marker"]) for s in styles.values()}
        assert len(cues) == len(names)  # the eighth outlet repeats a colour, with a hatch and another marker
    finally:
        charts.set_outlets([])
    assert charts.outlet_colors(["B", "A"]) == {"A": charts.PALETTE[0], "B": charts.PALETTE[1]}


def test_every_bar_carries_its_number():
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from analysis import charts

    ax = charts.bars(pd.Series({"Alpha": 3, "Beta": 12, "Gamma": 0}))
    assert [t.get_text().strip() for t in ax.texts] == ["3", "12", "0"]
    arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "n_words": [120, 80],
                         "status": ["ok", "ok"]})
    ax = charts.article_lengths(arts)
    assert sorted(t.get_text().strip() for t in ax.texts) == ["120", "80"]


def test_front_page_links_reach_the_section_that_shows_a_finding(tmp_path):
    from analysis.report import _anchor

    page = tmp_path / "06.html"
    page.write_text('<h2 id="story-S001">Story one</h2><div><h3>Who gets a voice</h3></div>'
                    '<h2 id="Across-stories">Across</h2><h3 id="own">Loaded words</h3>', encoding="utf-8")
    assert _anchor(page, "who gets a VOICE") == "#story-S001"  # no id of its own: its section's
    assert _anchor(page, "Loaded words") == "#own" and _anchor(page, "absent") == ""


def test_front_page_takes_the_strongest_of_each_kind_of_finding_first(monkeypatch, tmp_path):
    import pandas as pd

    import analysis.compare as compare
    from analysis.compare import Finding

    def f(title, strength, story):
        return Finding(title, f"{title} in {story}.", pd.DataFrame(), story=story, strength=strength)

    found = [f("Loaded language in the outlets' own words", 0.9, "S1"),
             f("Loaded language in the outlets' own words", 0.8, "S2"),
             f("How outlets write about Jane Doe", 0.7, "S1"), f("How outlets write about Tom Lee", 0.6, "S2"),
             f("Who gets a voice", 0.3, "S3"), f("One outlet only", 1.0, "")]
    monkeypatch.setattr(compare, "findings", lambda bundle, **kw: list(reversed(found)))
    from analysis.report import _front_findings

    page = _front_findings(object(), {}, tmp_path)
    shown = [(t.split("</h3>")[0], t.split("<p>")[1].split(".")[0]) for t in page.split("<h3>")[1:]]
    # one loaded-language and one stance finding (the strongest of each), then the weaker third kind
    assert shown == [("Loaded language in the outlets&#x27; own words",
                      "Loaded language in the outlets&#x27; own words in S1"),
                     ("How outlets write about Jane Doe", "How outlets write about Jane Doe in S1"),
                     ("Who gets a voice", "Who gets a voice in S3")]
    # with fewer kinds than three, the next strongest of a kind already shown fills the place
    monkeypatch.setattr(compare, "findings", lambda bundle, **kw: found[:3])
    titles = [t.split("</h3>")[0] for t in _front_findings(object(), {}, tmp_path).split("<h3>")[1:]]
    assert titles == ["Loaded language in the outlets&#x27; own words"] * 2 + ["How outlets write about Jane Doe"]
