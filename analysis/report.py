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
    the other notebooks go on. Returns one ``NotebookRun`` per notebook. ``jobs``: the worker processes of the
    analysis (``analyze(jobs=...)``) and then the notebooks run side by side (default: every core).
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
        analyze(corpus, jobs=jobs)  # jobs: worker processes here, kernels side by side below
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


_INDEX_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222;
       line-height: 1.5; }
table { border-collapse: collapse; font-size: 0.9rem; } td, th { border: 1px solid #ccc; padding: 0.2rem 0.5rem;
       text-align: left; vertical-align: top; }
.ok { color: #228833; } .bad { color: #b22; } .warn { color: #8a5a00; }
.finding { border-left: 4px solid #4477AA; padding: 0.1rem 0.8rem; margin: 0.8rem 0; }
.finding h3 { margin: 0.2rem 0; font-size: 1.05rem; }
ol.reports li { margin: 0.4rem 0; } .q { color: #555; } .small { font-size: 0.9rem; color: #555; }
"""
#: The stories the front page takes its findings from: those the comparison report (06, ``max_stories``) shows.
FRONT_STORIES = 6
#: Findings that describe the corpus rather than compare outlets: not among the front page's strongest.
_NOT_FINDINGS = {"One outlet only", "Nothing to compare"}


def write_index(runs: list[NotebookRun], corpus: Path, out: Path) -> Path:
    """``index.html``, a front page: the corpus in one paragraph (articles, outlets, stories, dates, what was
    skipped and why), the three strongest findings linked to the comparison report, the reports in reading
    order with the question each answers, and a short list of the articles story by story (capped, the
    full list in ``data/articles.csv``). Warnings are summed up in one line linking to the corpus report."""
    from .corpus import load_corpus

    runs = sorted(runs, key=lambda r: r.name)
    by_name = {r.name: r for r in runs}
    corpus_run = next((r for r in runs if r.name.startswith("00")), None)
    try:
        articles = load_corpus(corpus)
        bundle = _bundle(corpus)
        stories = _stories(articles, bundle)
        summary = _corpus_paragraph(articles, stories, corpus_run)
        listing = _article_listing(articles, stories, out)
    except Exception as exc:  # noqa: BLE001 - the index must still be written
        articles, bundle, listing = None, None, ""
        summary = f"<p class='bad'>The corpus could not be read: {html.escape(str(exc))}</p>"
    found = _front_findings(bundle, by_name, out) if bundle is not None else ""
    items = []
    for run in runs:
        title = html.escape(_title_from_html(run.html) or run.name)
        link = f"<a href='{html.escape(run.html.name, quote=True)}'>{title}</a>" if run.html.exists() else title
        question = _question(run.html)
        state = ""
        if not run.ok:
            state = f" <span class='bad'>(did not finish: {html.escape(run.error)})</span>"
        elif run.error and run.error != "not re-run this time":
            state = f" <span class='warn'>({html.escape(run.error)})</span>"
        items.append(f"<li>{link}{state}" + (f"<br><span class='q'>{html.escape(question)}</span>" if question else "")
                     + "</li>")
    name = html.escape(Path(corpus).name or str(corpus))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>News-framing workbook: {name}</title>
<style>{_INDEX_STYLE}</style></head><body>
<h1>How outlets covered the stories in <i>{name}</i></h1>
<h2>The corpus</h2>
{summary}
{found}
<h2>The reports, in reading order</h2>
<ol class="reports">{''.join(items)}</ol>
{listing}
<p class="small">Each report is one self-contained page that loads nothing from the network; the tables behind
every chart are in the <code>data/</code> folder beside it.</p>
</body></html>
"""
    page, _ = secure_page(page)
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _bundle(corpus: Path):
    """The cached analysis of the corpus (``None`` when it cannot be had)."""
    try:
        from .pipeline import analyze

        return analyze(corpus, progress=False)
    except Exception:  # noqa: BLE001 - the front page then shows the corpus without findings
        return None


def _stories(articles: pd.DataFrame, bundle) -> pd.DataFrame | None:
    """article_id, story, story_title: the same grouping the comparison report uses
    (``stories.with_stories`` on the bundle), for the analysed articles."""
    try:
        from .stories import with_stories

        table = with_stories(bundle if bundle is not None else articles)
    except Exception:  # noqa: BLE001 - the paragraph then leaves the stories out
        return None
    table = table[table["story"].fillna("").astype(str) != ""]
    return table[["article_id", "story", "story_title"]]


def _n(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _reason(problem: str) -> str:
    """The kind of a problem ("publication date unknown", "not UTF-8"), without its details."""
    return re.split(r"\s*[(:]", problem.strip(), maxsplit=1)[0].strip() or problem.strip()


def _reasons(problems) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for text in problems:
        for part in dict.fromkeys(_reason(p) for p in str(text).split(";") if p.strip()):
            counts[part] = counts.get(part, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _corpus_paragraph(articles: pd.DataFrame, stories: pd.DataFrame | None, corpus_run) -> str:
    """One paragraph: how many articles, from which outlets, on how many stories, over which dates, and what
    was skipped and why (warnings summed up in one line with a link to the corpus report's table)."""
    from .dates import describe
    from .nlp import analysable

    usable = analysable(articles) if len(articles) else articles
    skipped = articles[~articles.index.isin(usable.index)]
    outlets = usable["outlet"].astype(str).value_counts()
    outlet_text = ", ".join(f"{o} ({n})" for o, n in outlets.head(12).items())
    if len(outlets) > 12:
        outlet_text += f" and {len(outlets) - 12} more"
    parts = [f"<b>{_n(len(usable), 'article')}</b> analysed from <b>{_n(len(outlets), 'outlet')}</b>: "
             f"{html.escape(outlet_text)}."]
    if stories is not None and len(stories):
        sizes = stories["story"].astype(str).value_counts()
        sizes = sizes.sort_index().sort_values(ascending=False, kind="stable")  # ties: label order (S001 first)
        top = stories.loc[stories["story"].astype(str) == sizes.index[0], "story_title"].iloc[0]
        several = int((sizes > 1).sum())
        parts.append(f"They report <b>{_n(len(sizes), 'story', 'stories')}</b> ({several} told by more than one "
                     f"article); the largest, <i>{html.escape(str(top))}</i>, has {_n(int(sizes.iloc[0]), 'article')}.")
    dates = usable["published"].dropna() if "published" in usable.columns else pd.Series(dtype=object)
    if len(dates):
        first, last = (describe(d.strftime("%Y-%m-%d")) for d in (dates.min(), dates.max()))
        span = f"on {first}" if first == last else f"between {first} and {last}"
        parts.append(f"{_n(len(dates), 'article')} {'was' if len(dates) == 1 else 'were'} published {span}; "
                     f"{len(usable) - len(dates)} give no date.")
    else:
        parts.append("No article gives its publication date.")
    if len(skipped):
        why = "; ".join(f"{n} × {html.escape(r)}" for r, n in _reasons(skipped["problem"].fillna(""))[:5])
        names = ", ".join(html.escape(str(a)) for a in skipped["article_id"].head(8))
        more = f" and {len(skipped) - 8} more" if len(skipped) > 8 else ""
        parts.append(f"<b>{_n(len(skipped), 'file')} skipped</b> ({why}): {names}{more}.")
    else:
        parts.append("No file was skipped.")
    warned = usable[usable["status"].eq("warning")] if "status" in usable.columns else usable.iloc[0:0]
    line = ""
    if len(warned):
        why = "; ".join(f"{n} × {html.escape(r)}" for r, n in _reasons(warned["problem"].fillna(""))[:4])
        target = (f"<a href='{html.escape(corpus_run.html.name, quote=True)}{_anchor(corpus_run.html, 'skipped')}'>"
                  "the table in the corpus report</a>") if corpus_run is not None and corpus_run.html.exists() \
            else "the corpus report"
        line = (f"<p class='small warn'>{_n(len(warned), 'article')} analysed with a caveat ({why}): see "
                f"{target}.</p>")
    return f"<p>{' '.join(parts)}</p>{line}"


def _anchor(page: Path, words: str) -> str:
    """``#id`` of the first heading of ``page`` whose text contains ``words`` (case-insensitive), or of the
    section heading before it when it has no id of its own; "" when none."""
    try:
        text = page.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    last = ""  # a heading without an id (a finding drawn as HTML) is reached through the section it sits in
    for m in re.finditer(r"<h[1-4]([^>]*)>(.*?)</h[1-4]>", text, re.S):
        own = re.search(r"\bid=\"([^\"]+)\"", m.group(1))
        last = own.group(1) if own else last
        heading = html.unescape(re.sub(r"<[^>]+>|¶", "", m.group(2)))
        if words.lower() in heading.lower():
            return "#" + html.escape(last, quote=True) if last else ""
    return ""


def _kind(title: str) -> str:
    """A finding's kind: its title, one kind for every "How outlets write about <target>"."""
    return "How outlets write about" if title.startswith("How outlets write about") else title


def _strongest(found: list, n: int = 3) -> list:
    """The first ``n`` of ``found`` (strongest first) taking the strongest of each kind before a second of any
    kind (two "Loaded language" findings of two stories only when fewer than ``n`` kinds exist), in the
    order of ``found``."""
    first, again, seen = [], [], set()
    for k, f in enumerate(found):
        (again if _kind(f.title) in seen else first).append(k)
        seen.add(_kind(f.title))
    return [found[k] for k in sorted((first + again)[:n])]


def _front_findings(bundle, by_name: dict, out: Path) -> str:
    """The three strongest comparative findings of the stories the comparison report shows (``analysis.compare.
    findings`` with ``max_stories=FRONT_STORIES``, and its cross-story summary: its own order, or a ``strength``
    when findings carry one), one of each kind first (``_strongest``), each linked to where the comparison
    report shows it."""
    try:
        from .compare import findings

        # the stories 06_comparison shows (each compared in full; the others count in its summary): at 10,000
        # articles every story compared in full took most of the build
        found = [f for f in findings(bundle, max_stories=FRONT_STORIES) if f.title not in _NOT_FINDINGS]
    except Exception:  # noqa: BLE001 - the front page goes on without them
        return ""
    if any(getattr(f, "strength", None) is not None for f in found):
        found = sorted(found, key=lambda f: -(getattr(f, "strength", None) or 0))
    found = _strongest(found, 3)
    if not found:
        return ""
    report = next((r for name, r in by_name.items() if name.startswith("06")), None)
    blocks = []
    for f in found:
        link = ""
        story, story_title = str(getattr(f, "story", "") or ""), str(getattr(f, "story_title", "") or "")
        if report is not None and report.html.exists():
            page = report.html.read_text(encoding="utf-8", errors="replace")
            own = f'id="story-{story}"'
            anchor = ("#" + html.escape(f"story-{story}", quote=True)) if story and own in page else \
                _anchor(report.html, f.title)
            href = html.escape(report.html.name, quote=True) + anchor
            link = f" <a href='{href}'>The evidence, in the comparison report</a>"
        where = f"<p class='small'>In the story <i>{html.escape(story_title)}</i></p>" if story_title else ""
        blocks.append(f"<div class='finding'><h3>{html.escape(f.title)}</h3>{where}<p>{html.escape(f.sentence)}{link}"
                      "</p></div>")
    return "<h2>Three findings to read first</h2>" + "".join(blocks)


def _question(page: Path) -> str:
    """The question a report answers (its bold "Question: ..." line), or ""."""
    try:
        text = page.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    m = re.search(r"<strong>\s*Question:\s*(.*?)</strong>", text, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else ""


def _article_listing(articles: pd.DataFrame, stories: pd.DataFrame | None, out: Path, cap: int = 25) -> str:
    """The articles story by story (largest first): at most ``cap`` rows, with a link to the full list."""
    from .tables import _words

    table = articles.copy()
    if stories is not None and len(stories):
        table = table.merge(stories[["article_id", "story", "story_title"]], on="article_id", how="left")
        sizes = table["story"].map(table["story"].value_counts()).fillna(0)
        table = table.assign(_size=sizes).sort_values(["_size", "story", "published", "outlet"],
                                                      ascending=[False, True, True, True], na_position="last")
    rows = []
    for r in table.head(cap).itertuples():
        story = html.escape(str(getattr(r, "story_title", "") or "")) if isinstance(getattr(r, "story_title", None),
                                                                                   str) else ""
        status = {"ok": "", "warning": "<span class='warn'>caveat</span>"}.get(r.status, "<span class='bad'>skipped"
                                                                                         "</span>")
        rows.append(f"<tr><td>{story}</td><td>{html.escape(str(r.outlet))}</td>"
                    f"<td>{_title_cell(r.title, getattr(r, 'url', None))}</td><td>{_words(r.published)}</td>"
                    f"<td><small>{html.escape(str(r.article_id))}</small></td><td>{status}</td></tr>")
    more = ""
    full = out / "data" / "articles.csv"
    if len(table) > cap:
        more = (f"<p class='small'>showing {cap} of {len(table)} articles"
                + (" — full list: <a href='data/articles.csv'>data/articles.csv</a>" if full.exists() else "") + "</p>")
    return ("<h2>The articles, story by story</h2><table><tr><th>story</th><th>outlet</th><th>title</th>"
            f"<th>published</th><th>file</th><th>note</th></tr>{''.join(rows)}</table>{more}")


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
