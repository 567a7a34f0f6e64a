"""A real browser opens every HTML report with the network blocked: it renders, decodes its images,
requests nothing from outside and raises no script error."""

from __future__ import annotations

import io
import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: `make browser` installs Debian's chromium")
        pytest.skip("chromium is not installed (`make browser` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Playwright gives the browser a fresh profile of its own (it rejects --user-data-dir in args).
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_offline(browser, path):
    """Load a page with every non-file request refused; return what went wrong and a screenshot."""
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("requestfailed", lambda req: problems.append(f"failed request: {req.url}"))

    def refuse(route):
        problems.append(f"network request: {route.request.url}")
        route.abort()

    page.route(lambda url: not url.startswith(("file:", "data:")), refuse)
    page.goto(path.as_uri(), wait_until="load")
    images = page.evaluate("""() => Array.from(document.images).map(
        img => ({src: img.src.slice(0, 40), ok: img.complete && img.naturalWidth > 0}))""")
    text = page.inner_text("body")
    shot = page.screenshot(full_page=False)
    context.close()
    return problems, images, text, shot


def exercise_explorer(page, *, max_options: int = 6) -> list[str]:
    """Use the explorer's HTML copy as a reader would: each filter's options in turn, a click on articles
    in the list, the pagers; returns the status line after each step (the caller checks what went wrong)."""
    statuses = []

    def status():
        statuses.append(page.inner_text(".nx-status"))

    status()
    for name in ("outlet", "story", "type"):
        values = page.eval_on_selector(f"select[name={name}]", "s => Array.from(s.options).map(o => o.value)")
        for value in values[1:max_options + 1] + [""]:
            page.select_option(f"select[name={name}]", value=value)
            status()
            count = len(page.query_selector_all(".nx-list button"))
            for k in range(1, min(count, 2) + 1):  # each click draws the view again: find the button anew
                page.click(f".nx-list li:nth-child({k}) button")
    for key in ("page", "qpage"):
        nxt = page.query_selector(f"button[data-page={key}-next]")
        if nxt is not None and nxt.is_enabled():
            nxt.click()
            status()
    return statuses


def not_blank(png: bytes) -> bool:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    lo, hi = img.getextrema()
    return hi - lo > 50 and len(set(img.resize((60, 45)).tobytes())) > 5


def test_every_report_renders_offline(built_reports, browser):
    out, runs = built_reports
    pages = [out / "index.html"] + [r.html for r in runs]
    for path in pages:
        problems, images, text, shot = open_offline(browser, path)
        assert not problems, (path.name, problems)
        assert all(img["ok"] for img in images), (path.name, images)
        assert not_blank(shot), f"{path.name} renders blank"
        assert len(text) > 200, path.name
    # the notebook reports carry their charts as embedded images, all decoded
    _, images, text, _ = open_offline(browser, out / "00_corpus.html")
    assert len(images) >= 1 and "The corpus at a glance" in text


def test_explorer_filters_in_the_browser(built_reports, browser):
    """The explorer's report copy: pick an outlet, a story and a source type, click an article; nothing is
    requested, no dialog opens, no script error or CSP violation shows in the console."""
    out, _ = built_reports
    path = out / "07_explorer.html"
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if msg.type in ("error", "warning") else None)
    page.on("dialog", lambda d: (problems.append(f"dialog {d.message}"), d.dismiss()))
    page.route(lambda url: not url.startswith(("file:", "data:")),
               lambda route: (problems.append(f"network request: {route.request.url}"), route.abort()))
    page.goto(path.as_uri(), wait_until="load")
    assert page.inner_text(".nx-status").startswith("5 of 5 articles")
    page.select_option("select[name=outlet]", label="Press TV")
    assert page.inner_text(".nx-status").startswith("1 of 5 articles")
    assert page.inner_text(".nx-article h4").startswith("Press TV")
    assert page.query_selector_all(".nx-article .l") and page.query_selector_all(".nx-article .q")  # highlighted
    page.select_option("select[name=outlet]", value="")
    page.select_option("select[name=type]", label="expert")
    shown = page.inner_text(".nx-table")
    assert "expert" in shown and "government" not in shown
    page.click(".nx-list li:nth-child(1) button")
    assert page.query_selector_all(".nx-article .q.hit") or page.query_selector_all(".nx-article .q.dim")
    statuses = exercise_explorer(page)
    context.close()
    assert not problems, problems
    assert all(" articles and " in s for s in statuses) and len(set(statuses)) > 2
