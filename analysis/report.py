"""Run every notebook on a corpus and export self-contained HTML reports.

``build_reports(corpus, out)`` executes each numbered notebook in ``notebooks/`` with papermill (the
corpus path goes into the notebook's ``parameters`` cell), exports it with an HTML template that loads
nothing from the network, and writes ``index.html`` linking the reports with a summary of the corpus.
"""

from __future__ import annotations

import html
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pandas as pd

__all__ = ["build_reports", "export_html", "external_resources", "notebook_paths", "NotebookRun", "CorpusError",
           "check_corpus"]

PROJECT_NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
#: The policy every report carries: nothing from the network, no plugin, no form, no frame, and no script
#: but the report's own (``script_policy``): a script that slipped into a table cannot run.
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; script-src 'none'; "
       "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'")
_URL_ATTRS = {"src", "href", "data", "poster", "action", "formaction", "background", "codebase", "cite",
              "longdesc", "manifest", "icon", "xlink:href"}
_CSS_URL = re.compile(r"""url\(\s*["']?\s*([^"')\s]+)|@import\s+["']([^"']+)""", re.I)
_LINK_TAGS = {"a", "area"}  # a link is followed only when clicked: not a load
#: The one script type a browser never runs: a data block, read by the report's own script with JSON.parse.
_DATA_SCRIPT = "application/json"


def trusted_scripts() -> set[str]:
    """The exact inline scripts the workbook itself writes into reports (the explorer's filters): a
    ``<script>`` whose body is one of these is the report's own and is allowed by its hash; any other
    script is shown as text."""
    from .widgets import SCRIPTS

    return set(SCRIPTS)


def script_hash(body: str) -> str:
    """The CSP source that allows exactly this inline script: ``'sha256-<base64>'``."""
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def script_policy(bodies) -> str:
    """:data:`CSP` with ``script-src`` allowing exactly the given inline scripts by hash (``'none'`` when
    there are none)."""
    hashes = sorted({script_hash(b) for b in bodies})
    return CSP.replace("script-src 'none'", "script-src " + " ".join(hashes)) if hashes else CSP


def _remote(url: str) -> bool:
    url = url.strip().lower()
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url)) or url.startswith(("http:", "https:", "ftp:", "ws:",
                                                                                   "wss:", "javascript:"))


class _ResourceFinder(HTMLParser):
    """Walk an HTML page with the standard library's parser and record every start tag that would make a
    browser fetch, navigate or run something: src/srcset/data/poster URLs, link hrefs, meta refresh, CSS
    url() and @import (in style attributes and style elements), javascript: links, event handlers, and
    scripts: a ``<script>`` is let through only when it has no attribute but ``type``/``id``/``class`` and
    either is a JSON data block (``type="application/json"``, never run) or has exactly the body of one of
    ``trusted`` (the report's own scripts, allowed by hash). ``found`` holds (position, tag text) pairs,
    ``scripts`` the bodies of the trusted scripts met."""

    def __init__(self, trusted: set[str] | None = None):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int | None, str]] = []
        self.scripts: list[str] = []
        self.trusted = trusted or set()
        self._in_style = False
        self._script: tuple[int, str, str | None] | None = None  # (position, start tag, type) while inside one
        self._body: list[str] = []
        self._lines = [0]
        self._base = 0

    def feed(self, data):
        # line starts, to turn the parser's (line, column) into a position in the page
        self._lines += [self._base + m.end() for m in re.finditer("\n", data)]
        self._base += len(data)
        super().feed(data)

    def _pos(self) -> int:
        line, col = self.getpos()
        return self._lines[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self._in_style = True
        if tag == "script":
            names = {n for n, _ in attrs}
            kind = next(((v or "").strip().lower() for n, v in attrs if n == "type"), None)
            if names <= {"type", "id", "class"} and kind in (None, "", _DATA_SCRIPT):
                self._script = (self._pos(), self.get_starttag_text(), kind)
                self._body = []
                if kind == _DATA_SCRIPT:  # a data block is never run; still check nothing else is in the tag
                    self._script = None
                return
        bad = tag in ("script", "object", "embed", "iframe", "frame", "applet", "base")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                bad = True
            elif name in ("srcset", "imagesrcset"):
                bad |= any(_remote(part.strip().split(" ")[0]) for part in value.split(",") if part.strip())
            elif name in _URL_ATTRS:
                if tag in _LINK_TAGS and name == "href":
                    bad |= value.strip().lower().startswith("javascript:")
                else:
                    bad |= _remote(value)
            elif name == "style":
                bad |= any(_remote(m.group(1) or m.group(2)) for m in _CSS_URL.finditer(value))
            elif name == "http-equiv" and value.strip().lower() == "refresh":
                bad = True
        if bad:
            self.found.append((self._pos(), self.get_starttag_text()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script" and self._script is not None:  # <script/> runs nothing, but is not ours either
            self.found.append(self._script[:2])
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._body.append(data)
        if self._in_style:
            self.found += [(None, m.group(0)) for m in _CSS_URL.finditer(data) if _remote(m.group(1) or m.group(2))]

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if tag == "script" and self._script is not None:
            body = "".join(self._body)
            if body in self.trusted:
                self.scripts.append(body)
            else:
                self.found.append(self._script[:2])
            self._script = None

    def close(self):
        super().close()
        if self._script is not None:  # a script left open to the end of the page
            self.found.append(self._script[:2])
            self._script = None


def _ipc_kernel_manager():
    """A kernel manager that talks to its kernel over local IPC sockets instead of TCP: nothing listens on
    the network, and the kernel does not warn about unencrypted TCP."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            import tempfile
            import uuid

            kwargs.setdefault("transport", "ipc")
            # a socket path of its own, so kernels running side by side never share one
            kwargs.setdefault("ip", os.path.join(tempfile.gettempdir(), f"news-workbook-{uuid.uuid4().hex[:12]}"))
            super().__init__(**kwargs)

    return IPCKernelManager


class CorpusError(ValueError):
    """A corpus nothing can be reported on (missing, empty, or with no usable article)."""


def check_corpus(corpus: str | Path):
    """The articles of ``corpus``, or a :class:`CorpusError` saying in one sentence why no report can be made
    (checked before any notebook runs)."""
    from .corpus import load_corpus

    path = Path(corpus)
    if not path.exists():
        raise CorpusError(f"There is no file or folder at {path}.")
    if path.is_dir() and not any(p.is_file() or p.is_symlink() for p in path.rglob("*")):
        raise CorpusError(f"The folder {path} is empty: put one article per file in it (.txt, .md, .html, .json, "
                          f".jsonl or .csv).")
    articles = load_corpus(path)
    usable = articles[articles["status"] != "error"] if len(articles) else articles
    if usable.empty:
        reasons = articles["problem"].astype(str).value_counts() if len(articles) else pd.Series(dtype=int)
        said = "; ".join(f"{n} × {r}" for r, n in reasons.head(4).items())
        raise CorpusError(f"None of the {len(articles)} file(s) in {path} could be used as an article"
                          + (f" ({said})." if said else "."))
    return articles


@dataclass
class NotebookRun:
    """What happened to one notebook: where its report is, whether it ran, how long it took."""

    name: str
    html: Path
    ok: bool
    seconds: float
    error: str = ""


def notebook_paths(folder: str | Path = PROJECT_NOTEBOOKS) -> list[Path]:
    """The numbered notebooks (``NN_name.ipynb``) of a folder, in order."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))


def _find(page: str, trusted: set[str] | None = None) -> _ResourceFinder:
    finder = _ResourceFinder(trusted_scripts() if trusted is None else trusted)
    finder.feed(page)
    finder.close()
    return finder


def external_resources(page: str, *, trusted: set[str] | None = None) -> list[str]:
    """Every tag in an HTML page that would load from the network, navigate, or run code (the page is parsed,
    not searched with patterns). The workbook's own scripts (:func:`trusted_scripts`, or ``trusted``) and
    JSON data blocks are not counted.

    >>> external_resources('<script src="https://cdn.example/x.js"></script><a href="https://ok">link</a>')
    ['<script src="https://cdn.example/x.js">']
    >>> external_resources('<script>alert(1)</script><script type="application/json">{}</script>')
    ['<script>']
    """
    return [raw for _, raw in _find(page, trusted).found]


def neutralise(page: str, *, trusted: set[str] | None = None) -> tuple[str, list[str]]:
    """The page with every tag that :func:`external_resources` finds shown as text instead (escaped, at the
    place it was found, so a report's own script with the same start tag is untouched), and the list of
    those tags. Used as a last line of defence: what reaches a report from a corpus is escaped where it is
    rendered, and the page's Content-Security-Policy forbids loads and any script but the report's own."""
    found = _find(page, trusted).found
    loose = []
    for pos, raw in sorted((f for f in found if f[0] is not None), reverse=True):
        if page[pos:pos + len(raw)] == raw:
            page = page[:pos] + html.escape(raw) + page[pos + len(raw):]
        else:
            loose.append(raw)
    for raw in dict.fromkeys(loose + [raw for pos, raw in found if pos is None]):
        page = page.replace(raw, html.escape(raw))
    return page, [raw for _, raw in found]


def _with_csp(page: str, scripts=()) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{script_policy(scripts)}">'
    m = re.search(r"<head[^>]*>", page, re.I)
    return page[:m.end()] + "\n" + meta + page[m.end():] if m else meta + page


def secure_page(page: str) -> tuple[str, list[str]]:
    """Neutralise a finished page and give it its Content-Security-Policy (allowing, by hash, exactly the
    workbook's own scripts that it holds); returns the page and the tags that were shown as text."""
    page, found = neutralise(page)
    scripts = _find(page).scripts
    return _with_csp(page, scripts), found


def export_html(notebook, out: str | Path, *, title: str | None = None, violations: list | None = None,
                hide_code: bool = True) -> Path:
    """Export an executed notebook (path or NotebookNode) to one HTML file that works offline, with its code
    cells hidden (``hide_code=False``, or notebook metadata ``report.hide_code: false``, keeps them).

    The page carries a Content-Security-Policy that forbids every network load and every script but the
    workbook's own inline ones (allowed by their sha256 hash); any tag
    that would still load, navigate or run (an unescaped ``<img src=https://...>`` from a corpus) is shown as
    text, and added to ``violations`` (when a list is given) rather than stopping the run."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4) if not hasattr(notebook, "cells") else notebook
    nb.metadata.pop("widgets", None)  # widget state would need a renderer from a CDN; views are static
    tags = [set(c.get("metadata", {}).get("tags", [])) for c in nb.cells]
    if any("injected-parameters" in t for t in tags):  # show the values used, not the defaults they replaced
        nb.cells = [c for c, t in zip(nb.cells, tags) if "parameters" not in t]
    widget_mime = "application/vnd.jupyter.widget-view+json"
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if widget_mime in data:  # keep the static copy the explorer ships beside its widgets
                del data[widget_mime]
                if "text/html" not in data:
                    data["text/html"] = ("<p><i>An interactive control: open the notebook in JupyterLab to use "
                                         "it.</i></p>")
                data.pop("text/plain", None)
    if title:
        nb.metadata["title"] = title
    templates = resources.files("analysis").joinpath("templates")
    exporter = HTMLExporter(extra_template_basedirs=[str(templates)], template_name="offline")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    # reports are for readers: code hidden (outputs, markdown and headings kept), unless a notebook asks
    exporter.exclude_input = hide_code and bool(nb.metadata.get("report", {}).get("hide_code", True))
    body, _ = exporter.from_notebook_node(nb)
    body = _describe_images(body, title or "")
    body, found = secure_page(body)
    if violations is not None:
        violations.extend(found)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return out


def _describe_images(page: str, title: str) -> str:
    """Give every chart an alt text from the section it sits in ("Chart: How long is each article?"),
    instead of nbconvert's "No description has been provided for this image"."""
    heading = title
    out, pos = [], 0
    for m in re.finditer(r"<h[1-3][^>]*>(.*?)</h[1-3]>|alt=\"No description has been provided for this image\"", page,
                         re.S):
        out.append(page[pos:m.start()])
        if m.group(1) is not None:
            heading = html.unescape(re.sub(r"<[^>]+>|¶", "", m.group(1))).strip() or heading
            out.append(m.group(0))
        else:
            out.append(f'alt="{html.escape("Chart: " + heading, quote=True)}"')
        pos = m.end()
    out.append(page[pos:])
    return "".join(out)


def _title(nb_path: Path) -> str:
    import nbformat

    nb = nbformat.read(str(nb_path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return nb_path.stem


def build_reports(
    corpus: str | Path,
    out: str | Path = "reports",
    *,
    notebooks: str | Path = PROJECT_NOTEBOOKS,
    only: list[str] | None = None,
    progress: bool = True,
    jobs: int | None = None,
) -> list[NotebookRun]:
    """Execute every numbered notebook on ``corpus`` and write ``out/NN_name.html`` and ``out/index.html``.

    A notebook that fails still gets a report (showing the error) and is marked failed in the index;
    the other notebooks go on. Returns one ``NotebookRun`` per notebook.
    """
    import papermill as pm

    check_corpus(corpus)  # a missing, empty or unusable corpus stops here, before any notebook runs
    corpus = Path(corpus).resolve()
    out = Path(out).resolve()
    (out / "executed").mkdir(parents=True, exist_ok=True)
    data_dir = out / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    # Use this environment's kernel, not a user-wide 'python3' kernelspec pointing at another Python.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(Path(sys.prefix) / "share" / "jupyter"), os.environ.get("JUPYTER_PATH", "")]
    ).rstrip(os.pathsep)
    os.environ.pop("MPLBACKEND", None)  # a non-interactive backend would leave the reports without charts
    paths = [p for p in notebook_paths(notebooks) if not only or any(p.name.startswith(o) for o in only)]
    runs: list[NotebookRun] = []
    try:  # parse and analyse once here; every notebook then reads the cached tables
        from .pipeline import analyze

        start = time.perf_counter()
        analyze(corpus)
        if progress:
            print(f"analysed the corpus in {time.perf_counter() - start:.1f} s (tables cached for the notebooks)")
    except Exception as exc:  # noqa: BLE001 - the notebooks will show the error where it happens
        if progress:
            print(f"analysis failed before the notebooks ran: {type(exc).__name__}: {exc}")
    def run_one(nb_path: Path) -> NotebookRun:
        executed = out / "executed" / nb_path.name
        started = time.perf_counter()
        error = ""
        try:
            pm.execute_notebook(
                str(nb_path), str(executed), cwd=str(nb_path.parent), kernel_name="python3",
                parameters={"corpus": str(corpus), "output_dir": str(data_dir)},
                progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                kernel_manager_class=_ipc_kernel_manager(),
            )
        except Exception as exc:  # noqa: BLE001 - a failed notebook is reported, the others still run
            error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"
        html_path = out / f"{nb_path.stem}.html"
        ok, found = not error, []
        if executed.exists():
            try:
                export_html(executed, html_path, title=_title(nb_path), violations=found)
            except Exception as exc:  # noqa: BLE001 - one report that cannot be exported is reported, not fatal
                ok, error = False, error or f"export failed: {type(exc).__name__}: {exc}"
            if found and not error:  # the report is written and safe; say what was defused
                error = (f"{len(found)} tag(s) from the corpus that would load, navigate or run were shown as "
                         f"text instead")
        return NotebookRun(nb_path.stem, html_path, ok, time.perf_counter() - started, error)

    # one kernel per core: the notebooks only read the cached tables, so they can run side by side
    workers = max(1, min(jobs or (os.cpu_count() or 1), len(paths)))
    bar = None
    if progress and sys.stderr.isatty():  # a progress bar on a terminal, plain lines in logs
        from tqdm import tqdm

        bar = tqdm(total=len(paths), unit="notebook", desc="reports")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(run_one, p): p for p in paths}
        for done, future in enumerate(as_completed(futures), 1):
            run = future.result()
            runs.append(run)
            state = "ok" if run.ok else f"FAILED: {run.error}"
            if bar is not None:
                bar.update(1)
                bar.write(f"{run.name}: {state} ({run.seconds:.1f} s)")
            elif progress:
                print(f"[{done}/{len(paths)}] {run.name}: {state} ({run.seconds:.1f} s)", flush=True)
    if bar is not None:
        bar.close()
    runs.sort(key=lambda r: r.name)
    ran = {r.name for r in runs}
    kept = [NotebookRun(p.stem, out / f"{p.stem}.html", True, 0.0, "not re-run this time")
            for p in notebook_paths(notebooks) if p.stem not in ran and (out / f"{p.stem}.html").exists()]
    write_index(sorted(runs + kept, key=lambda r: r.name), corpus, out)
    return runs


def write_index(runs: list[NotebookRun], corpus: Path, out: Path) -> Path:
    """``index.html``: the corpus in numbers, what was skipped and why, and a link to every report."""
    from .corpus import load_corpus

    try:
        articles = load_corpus(corpus)
        summary = _corpus_summary(articles)
    except Exception as exc:  # noqa: BLE001 - the index must still be written
        summary = f"<p class='bad'>The corpus could not be read: {html.escape(str(exc))}</p>"
    items = []
    for run in runs:
        title = html.escape(_title_from_html(run.html) or run.name)
        state = ("ok" if not run.error else html.escape(run.error)) if run.ok else f"failed: {html.escape(run.error)}"
        link = f"<a href='{run.html.name}'>{title}</a>" if run.html.exists() else title
        items.append(f"<li>{link} <span class='{'ok' if run.ok else 'bad'}'>({state}, {run.seconds:.1f} s)</span></li>")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>News-framing workbook: reports</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.9rem; }} td, th {{ border: 1px solid #ccc; padding: 0.2rem 0.5rem; }}
.ok {{ color: #2a7; }} .bad {{ color: #b22; }} .warn {{ color: #a60; }}
</style></head><body>
<h1>News-framing workbook: reports</h1>
<p>Corpus: <code>{html.escape(str(corpus))}</code>. Generated {time.strftime('%Y-%m-%d %H:%M')}.</p>
<h2>Reports</h2>
<ol>{''.join(items)}</ol>
{summary}
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _title_from_html(path: Path) -> str | None:
    if not path.exists():
        return None
    m = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8", errors="replace"), re.S)
    return html.unescape(m.group(1)).strip() if m else None


def _title_cell(title, url) -> str:
    """An article's title as escaped text, linked to its address only when that is an http(s) URL (a
    ``javascript:`` or ``data:`` address stays text, shown beside the title)."""
    text = html.escape(title) if isinstance(title, str) else ""
    if not isinstance(url, str) or not url.strip():
        return text
    url = url.strip()
    if re.match(r"^https?://[^\s<>\"']+$", url, re.I):
        return (f"<a href=\"{html.escape(url, quote=True)}\" rel=\"noopener noreferrer nofollow\">"
                f"{text or html.escape(url)}</a>")
    return f"{text} <small>({html.escape(url)})</small>"


def _corpus_summary(articles: pd.DataFrame) -> str:
    counts = articles["status"].value_counts()
    outlets = articles.loc[articles["status"] != "error", "outlet"].value_counts()
    rows = "".join(
        f"<tr><td>{html.escape(str(r.article_id))}</td><td>{html.escape(str(r.outlet))}</td>"
        f"<td class='{ 'bad' if r.status == 'error' else 'warn'}'>{r.status}</td>"
        f"<td>{html.escape(str(r.problem))}</td></tr>"
        for r in articles.itertuples() if r.status != "ok"
    )
    listing = "".join(
        f"<tr><td>{html.escape(str(r.article_id))}</td><td>{html.escape(str(r.outlet))}</td>"
        f"<td>{_title_cell(r.title, getattr(r, 'url', None))}</td>"
        f"<td>{r.published.date() if pd.notna(r.published) else 'unknown'}</td><td>{r.n_words}</td>"
        f"<td class='{ {'ok': 'ok', 'warning': 'warn'}.get(r.status, 'bad')}'>{r.status}</td></tr>"
        for r in articles.itertuples())
    listing = (f"<h2>Articles</h2><table><tr><th>article</th><th>outlet</th><th>title</th><th>published</th>"
               f"<th>words</th><th>status</th></tr>{listing}</table>")
    problems = (f"<h2>Problems found</h2><table><tr><th>article</th><th>outlet</th><th>status</th>"
                f"<th>problem</th></tr>{rows}</table><p>Articles with status <b>error</b> were skipped "
                f"by every analysis; <b>warning</b> ones were analysed with the caveat shown.</p>"
                if rows else "<p class='ok'>No problems found in the corpus.</p>")
    return (f"<p><b>{len(articles)}</b> articles ({counts.get('ok', 0)} ok, {counts.get('warning', 0)} with a "
            f"warning, {counts.get('error', 0)} skipped) from <b>{len(outlets)}</b> outlets: "
            f"{html.escape(', '.join(f'{o} ({n})' for o, n in outlets.items()))}.</p>{listing}{problems}")
