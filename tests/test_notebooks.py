"""Every notebook runs on the seeds and exports to an HTML report that needs no network."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from analysis.report import external_resources, notebook_paths

NOTEBOOKS = notebook_paths()


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS][:1] == ["00_corpus.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean_and_parametrised(path: Path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert not any(c.get("outputs") or c.get("execution_count") for c in code), "commit notebooks without outputs"
    assert "parameters" in code[0]["metadata"].get("tags", []), "the first code cell must be tagged parameters"
    assert re.search(r"^corpus\s*=", "".join(code[0]["source"]), re.M)
    for cell in code:
        assert not re.search(r"^\s*(def|class)\s", "".join(cell["source"]), re.M), "no functions in notebooks"
    assert nb["cells"][0]["cell_type"] == "markdown" and "".join(nb["cells"][0]["source"]).startswith("# ")


@pytest.mark.slow
def test_every_notebook_runs_on_the_seeds(built_reports):
    out, runs = built_reports
    assert [r.name for r in runs] == [p.stem for p in NOTEBOOKS]
    failed = [(r.name, r.error) for r in runs if not r.ok]
    assert not failed
    index = (out / "index.html").read_text()
    for run in runs:
        page = run.html.read_text()
        assert f"href='{run.html.name}'" in index
        assert not external_resources(page), run.name
        assert "No description has been provided" not in page, run.name  # charts carry an alt text
        executed = nbformat.read(str(out / "executed" / f"{run.name}.ipynb"), as_version=4)
        outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        assert not [o for o in outputs if o.output_type == "error"], run.name
        stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not stderr, f"{run.name} prints warnings into the report: {stderr}"
    assert "<b>5 articles</b> analysed from <b>5 outlets</b>" in index and "1 story" in index
    assert "analysed with a caveat" in index and "00_corpus.html#What-was-skipped" in index  # one line, linked
    assert "Three findings to read first" in index and index.count("class='finding'") == 3
    assert not re.search(r"\d\.\d s\)", index) and "Generated" not in index  # no build times
    positions = [index.rindex(f"href='{r.html.name}'") for r in runs]
    assert positions == sorted(positions)  # the reports in reading order


@pytest.mark.slow
def test_reports_are_for_readers(built_reports):
    """No code, capped tables linked to their full CSV, dates in words, charts with their numbers."""
    out, runs = built_reports
    for run in runs:
        page = run.html.read_text()
        assert "import analysis as an" not in page and not re.search(r'class="[^"]*jp-InputArea-editor', page), run.name
        for name in re.findall(r'full table: <a href="data/([^"]+)"', page):
            assert (out / "data" / name).exists(), (run.name, name)
    sources = (out / "01_sources.html").read_text()
    assert re.search(r"showing 20 of \d+ rows — full table: <a href=\"data/quotes.csv\"", sources)
    assert sources.index("<img") < sources.index("showing 20 of")  # a chart before the long table
    timeline = (out / "03_timeline.html").read_text()
    assert not re.search(r"<td>\d{4}-\d{2}-\d{2}", timeline) and "August 2021" in timeline


@pytest.mark.slow
def test_corpus_report_shows_the_table_and_the_chart(built_reports):
    out, _ = built_reports
    page = (out / "00_corpus.html").read_text()
    assert "Press TV" in page and "Antiwar.com" in page and "Iran Press" in page
    assert len(re.findall(r"<img[^>]+src=\"data:image/png;base64,", page)) >= 1
    assert "Related News:" in page  # the removed-lines table shows what was stripped (its first rows)
    assert 'href="data/removed_lines.csv"' in page and (out / "data" / "removed_lines.csv").exists()
    assert (out / "data" / "articles.csv").exists()


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["example", "one_article"])
def test_reports_on_other_corpora_say_what_they_find(tmp_path, corpus):
    """The bring-your-own example (two outlets and an empty file) and a one-article, no-quote corpus: every
    notebook still runs and the index says what was skipped."""
    from analysis.report import build_reports

    root = Path(__file__).resolve().parent.parent
    if corpus == "example":
        source = root / "examples" / "my_corpus"
    else:
        source = tmp_path / "one"
        source.mkdir()
        (source / "flood.txt").write_text("River rises in Lowtown\n\nThe river rose two metres overnight on "
                                         "Sunday and three roads were closed in Lowtown.\n", encoding="utf-8")
    out = tmp_path / "reports"
    runs = build_reports(source, out, progress=False)
    assert [r.name for r in runs] == [p.stem for p in NOTEBOOKS]
    assert all(r.ok for r in runs), [(r.name, r.error) for r in runs]
    index = (out / "index.html").read_text()
    if corpus == "example":
        assert "broken_upload" in index and "1 × empty file" in index and "harbour_fire_opinion" in index
        assert "not UTF-8" in index and "Café owners" in (out / "07_explorer.html").read_text()
        assert "Coastal Wire" in index and "The Bay Observer" in index
    else:
        assert "<b>1 article</b>" in index
        comparison = (out / "06_comparison.html").read_text()
        assert "One outlet only" in comparison and "No outlet quotes anyone" in comparison


def test_notebooks_read_the_bundle_and_parse_nothing(tmp_path, monkeypatch, seeds_dir):
    """Once ``analyze`` has cached the seeds' tables, every notebook's code runs with the model refused: no
    notebook parses (nor reads a parse back), recomputes facts, findings, headlines or naming from parses."""
    import matplotlib

    matplotlib.use("Agg")
    import analysis as an
    from analysis import nlp

    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("NEWS_WORKBOOK_PROGRESS", "0")
    # the notebooks set the package's defaults (tables.set_folder, charts.set_outlets): put back after the test
    monkeypatch.setattr(an.tables, "_FOLDER", an.tables._FOLDER)
    monkeypatch.setattr(an.charts, "_CORPUS_OUTLETS", an.charts._CORPUS_OUTLETS)
    an.analyze(seeds_dir)  # the one run every notebook then reads
    calls: list[str] = []

    def refuse(*args, **kwargs):
        calls.append("model")
        raise AssertionError("a notebook asked for the spaCy model (a parse)")

    monkeypatch.setattr(nlp, "load_nlp", refuse)
    monkeypatch.setattr(nlp, "_pipe_in_pieces", refuse)
    monkeypatch.chdir(tmp_path)
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
        scope: dict = {}
        exec(code[0], scope)  # noqa: S102 - the repository's own notebooks
        scope.update(corpus=str(seeds_dir), output_dir=str(tmp_path / "out" / path.stem))
        for cell in code[1:]:
            exec(cell, scope)  # noqa: S102
        import matplotlib.pyplot as plt

        plt.close("all")
    assert not calls
