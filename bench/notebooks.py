"""Time every notebook from a cached bundle, at the corpus's size and at k times it.

    python bench/notebooks.py --corpus FOLDER [--times 1 10] [--only 06] [--out DIR]
    python bench/notebooks.py --pickle BUNDLE.pkl ...

The bundle is ``analyze(FOLDER)`` (from the warm cache: ``NEWS_WORKBOOK_CACHE`` as for the reports) or a
pickled ``Bundle``. For ``k > 1`` it is replicated k times: every table's rows again with new article ids,
new story ids and distinct file names and titles, so that the tables stay consistent with each other (a
10,000-article bundle without analysing 10,000 articles). Each notebook then runs with papermill in its own
kernel, as ``analysis.report`` runs it, with ``analysis.analyze`` (and ``load_corpus``) answering that bundle;
the script prints per notebook: the kernel's start-up, the import cell, the rest of the notebook, the whole
run, and the size of the HTML report exported from it. What each kernel's ``analyze(corpus)`` pays on a warm cache
besides (``load_corpus`` of the folder, the cache key, reading the tables back) is not in those figures: the
key and the read are printed apart; ``load_corpus`` needs the real folder. It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from dataclasses import fields
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Columns that hold an article id, a story id, or a file name / title, in any table of the bundle.
ARTICLE_COLS = ("article_id", "article_id_a", "article_id_b", "other_article_id")
STORY_COLS = ("story",)
TEXT_COLS = {"articles": ("file", "title", "path", "sha1"), "headlines": ("headline", "story_title"),
             "stories": ("story_title",)}


def _suffix(values: pd.Series, tag: str) -> pd.Series:
    return values.map(lambda v: v if v is None or (isinstance(v, float) and pd.isna(v)) or v == "" else f"{v}{tag}")


def replicate(bundle, k: int):
    """The bundle's tables k times over, copy i with ``~i`` after every article id, story id, file and title."""
    from analysis.pipeline import Bundle

    if k == 1:
        return bundle
    tables = {}
    for f in fields(Bundle):
        table: pd.DataFrame = getattr(bundle, f.name)
        if "article_id" not in table.columns and "story" not in table.columns:  # per outlet: the same k times
            tables[f.name] = table
            continue
        copies = []
        for i in range(k):
            tag = f"~{i}" if i else ""
            part = table.copy()
            if i:
                for col in part.columns:
                    if col in ARTICLE_COLS or col in STORY_COLS or col in TEXT_COLS.get(f.name, ()):
                        part[col] = _suffix(part[col].astype(object), tag)
                    elif col == "article_ids":  # a list of ids, or ids joined by commas
                        part[col] = part[col].map(
                            lambda v, tag=tag: [f"{a}{tag}" for a in v] if isinstance(v, (list, tuple))
                            else ", ".join(f"{a}{tag}" for a in str(v).split(", ")) if isinstance(v, str) and v
                            else v)
                    elif col in ("fact", "lead_fact", "group") and part[col].dtype.kind in "iu":
                        part[col] = part[col] + i * (int(table[col].max()) + 1 if len(table) else 0)
            copies.append(part)
        tables[f.name] = pd.concat(copies, ignore_index=True)
    return Bundle(**tables)


PATCH = """\
import pickle as _pickle
import analysis as _an, analysis.pipeline as _pl
with open({path!r}, "rb") as _f:
    _bundle = _pickle.load(_f)
_an.analyze = _pl.analyze = lambda *a, **k: _bundle
_an.load_corpus = lambda *a, **k: _bundle.articles
"""


def run_notebook(path: Path, pickled: Path, out: Path) -> dict:
    import nbformat
    import papermill as pm

    from analysis.report import _ipc_kernel_manager, export_html

    nb = nbformat.read(str(path), as_version=4)
    cell = nbformat.v4.new_code_cell(PATCH.format(path=str(pickled)))
    cell.metadata["tags"] = ["bench-patch"]
    nb.cells.insert(0, cell)
    source = out / f"in_{path.name}"
    nbformat.write(nb, str(source))
    executed = out / "executed" / path.name
    executed.parent.mkdir(parents=True, exist_ok=True)
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    error = ""
    try:
        pm.execute_notebook(str(source), str(executed), cwd=str(path.parent), kernel_name="python3",
                            parameters={"corpus": "unused", "output_dir": str(data)}, progress_bar=False,
                            log_output=False, request_save_on_cell_execute=False,
                            kernel_manager_class=_ipc_kernel_manager())
    except Exception as exc:  # noqa: BLE001 - reported, the other notebooks still run
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"
    total = time.perf_counter() - start
    done = nbformat.read(str(executed), as_version=4) if executed.exists() else nb
    code = [c for c in done.cells if c.cell_type == "code"]
    secs = [float(c.metadata.get("papermill", {}).get("duration") or 0) for c in code]
    patch = secs[0] if secs else 0.0
    # cells: the patch (bench only), the parameters and injected parameters, then the notebook's own
    own = [(c, s) for c, s in zip(code, secs) if not ({"bench-patch", "parameters", "injected-parameters"}
                                                      & set(c.metadata.get("tags", [])))]
    first = own[0][1] if own else 0.0
    rest = sum(s for _, s in own[1:])
    slowest = max(range(len(own)), key=lambda j: own[j][1]) if own else -1
    html = out / f"{path.stem}.html"
    size = 0
    try:
        nb2 = nbformat.read(str(executed), as_version=4)
        nb2.cells = [c for c in nb2.cells if "bench-patch" not in c.metadata.get("tags", [])]
        export_html(nb2, html, title=path.stem)
        size = html.stat().st_size
    except Exception as exc:  # noqa: BLE001
        error = error or f"export: {exc}"
    return {"notebook": path.stem, "total_s": round(total, 1), "bench_patch_s": round(patch, 1),
            "startup_s": round(total - sum(secs), 1), "import_cell_s": round(first, 1),
            "rest_s": round(rest, 1), "notebook_s": round(total - patch, 1),
            "slowest_cell": slowest + 1, "slowest_s": round(own[slowest][1], 1) if own else 0.0,
            "html_kib": round(size / 1024), "error": error}


def _warm_read(bundle, here: Path) -> str:
    """What a warm ``analyze`` costs besides loading the corpus (not timed here: the bundle may be synthesized):
    the cache key over the articles and reading the cached tables back."""
    from analysis import pipeline

    folder = here / "tables"
    pipeline._write_cached(bundle, folder)
    start = time.perf_counter()
    pipeline._key(bundle.articles, {"targets": None})
    key = time.perf_counter() - start
    start = time.perf_counter()
    ok = pipeline._read_cached(folder) is not None
    read = time.perf_counter() - start
    return f"key {key:.1f} s, reading the tables {read:.1f} s" + ("" if ok else " (unreadable)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--corpus", help="a corpus folder, analysed (or read from the warm cache)")
    src.add_argument("--pickle", help="a pickled Bundle")
    ap.add_argument("--times", type=int, nargs="+", default=[1, 10])
    ap.add_argument("--only", nargs="*", default=None, help="notebook name prefixes (e.g. 06 07)")
    ap.add_argument("--out", default="/tmp/bench_notebooks")
    args = ap.parse_args(argv)

    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(Path(sys.prefix) / "share" / "jupyter"),
                                                  os.environ.get("JUPYTER_PATH", "")]).rstrip(os.pathsep)
    os.environ.pop("MPLBACKEND", None)
    os.environ.setdefault("NEWS_WORKBOOK_PROGRESS", "0")
    if args.pickle:
        with open(args.pickle, "rb") as f:
            bundle = pickle.load(f)
    else:
        from analysis import analyze

        bundle = analyze(args.corpus)
    from analysis.report import notebook_paths

    paths = [p for p in notebook_paths() if not args.only or any(p.name.startswith(o) for o in args.only)]
    out = Path(args.out)
    start = time.perf_counter()
    import subprocess

    bare = subprocess.run([sys.executable, "-X", "importtime", "-c", "import analysis"], capture_output=True,
                          text=True, cwd=str(ROOT))
    cum = [int(line.split("|")[1]) for line in bare.stderr.splitlines() if line.rstrip().endswith("| analysis")]
    print(f"import analysis in a fresh interpreter: {cum[-1] / 1e6:.2f} s" if cum else "import time unknown")
    for k in args.times:
        big = replicate(bundle, k)
        here = out / f"x{k}"
        here.mkdir(parents=True, exist_ok=True)
        pickled = here / "bundle.pkl"
        with open(pickled, "wb") as f:
            pickle.dump(big, f)
        n = len(big.articles)
        print(f"\n== x{k}: {n} articles, {big.stories['story'].nunique()} stories", flush=True)
        print(f"each kernel's analyze(corpus) from a warm cache also pays: {_warm_read(big, here)}", flush=True)
        print(f"{'notebook':<16}{'start':>7}{'import':>8}{'rest':>8}{'total':>8}  slowest     html", flush=True)
        sizes = 0
        for path in paths:
            r = run_notebook(path, pickled, here)
            sizes += r["html_kib"]
            print(f"{r['notebook']:<16}{r['startup_s']:>7}{r['import_cell_s']:>8}{r['rest_s']:>8}"
                  f"{r['notebook_s']:>8}  cell {r['slowest_cell']:>2} {r['slowest_s']:>6} s "
                  f"{r['html_kib'] / 1024:6.2f} MiB {r['error']}", flush=True)
        print(f"HTML in all: {sizes / 1024:.1f} MiB", flush=True)
    print(f"\n(bench ran {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
