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
    from tests.test_browser import ARGS, CHROMIUM

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
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            title, text = page.title(), page.inner_text("body")
            context.close()
            assert events == [] and title != "pwned", (path.name, events)
            if path.name.startswith(("00", "01")):  # the hostile strings are shown as text, not dropped
                assert "onerror=alert('outlet')" in text, path.name
        browser.close()
