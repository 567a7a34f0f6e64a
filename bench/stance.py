"""Cost of stance: mentions per second and targets per second beside the bare parse of the same texts, and
whether the cost per 100 KB stays flat from 10 KB to 1 MB (linear in the article's length).

The articles are the synthetic news prose of ``bench/long_articles.py`` (quotes with speakers, the four stance
targets, loaded words). For each size the bare parse is timed, then the quotes and entities layers are run
(stance reads them; not timed here), then stance: the whole ``analysis.stance`` call, and split into the
per-article step (``stance_article``: mentions, voices, features, probabilities, evidence) and the corpus step
(``stance_table``: prior adaptation and labels). Not a test: the numbers are printed, never asserted.

    python bench/stance.py                  # 10 KB, 100 KB, 1 MB
    python bench/stance.py --sizes 10 100   # in KB
    python bench/stance.py --method lexicon
    python bench/stance.py --clock wall     # elapsed seconds instead of CPU seconds

Every stage is timed in CPU seconds of this process by default (``time.process_time``): on a shared machine the
elapsed time depends on what else runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGETS = {"United States": ["United States", "US", "Washington"], "Russia": ["Russia", "Moscow"],
           "Taliban": ["Taliban"], "China": ["China", "Beijing"]}
#: The clock every stage is timed with (``--clock``): CPU seconds of this process, or elapsed seconds.
CLOCK = [time.process_time]


def _cold() -> None:
    """Empty the memo caches of the lexicon scores, so that every timing starts from nothing."""
    import importlib

    from analysis import stance_model

    for fn in (stance_model.vader_scores, stance_model.textblob_scores, stance_model.word_valence,
               importlib.import_module("analysis.stance")._polarity):
        fn.cache_clear()


def run(texts: list[str], method: str) -> dict:
    import pandas as pd

    import analysis as an
    from analysis import nlp
    from analysis.stance import stance_article, stance_table

    ids = [f"a{i}" for i in range(len(texts))]
    arts = pd.DataFrame({"article_id": ids, "outlet": "Bench Daily", "text": texts, "status": "ok"})
    out = {"articles": len(texts), "chars": sum(map(len, texts))}
    t = CLOCK[0]()
    docs = nlp.parse(arts, use_cache=False)
    out["parse"] = CLOCK[0]() - t
    q = an.quotes(arts, docs=docs)
    e = an.entities(arts, docs=docs)
    _cold()
    t = CLOCK[0]()
    table = an.stance(arts, TARGETS, docs=docs, quotes_table=q, entities_table=e, method=method)
    out["stance"] = CLOCK[0]() - t
    _cold()
    t = CLOCK[0]()
    rows = []
    for a in ids:  # what each worker process runs, one article at a time
        rows += stance_article({"article_id": a, "outlet": "Bench Daily"}, docs[a], TARGETS,
                               quote_rows=q[q["article_id"] == a].to_dict("records"),
                               entity_rows=e[e["article_id"] == a].to_dict("records"), method=method)
    out["per_article"] = CLOCK[0]() - t
    t = CLOCK[0]()
    again = stance_table(rows)
    out["corpus_step"] = CLOCK[0]() - t
    out["mentions"] = len(table)
    out["targets"] = len(table[["article_id", "target"]].drop_duplicates())  # (article, target) pairs scored
    out["same"] = again.equals(table)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10, 100, 1000], help="article sizes in KB")
    parser.add_argument("--method", default="model", choices=["model", "lexicon"])
    parser.add_argument("--articles", type=int, default=100, help="also a corpus of this many 3 KB articles (0: no)")
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                        help="CPU seconds of this process (default) or elapsed seconds")
    args = parser.parse_args(argv)
    CLOCK[0] = time.process_time if args.clock == "cpu" else time.perf_counter
    from long_articles import make_article

    os.environ["NEWS_WORKBOOK_CACHE"] = tempfile.mkdtemp(prefix="bench-stance-")  # never a cached parse
    from analysis import nlp, stance_model

    nlp.load_nlp()
    stance_model.load_model()  # loading the models is not part of any size's cost
    run([make_article(1000, seed=1)], args.method)
    print(f"stance (method={args.method!r}) beside the bare parse of the same texts; {args.clock} seconds "
          f"[seconds per 100 KB]; "
          f"targets = (article, target) pairs scored; same = stance_table(stance_article per article) equals "
          f"stance()", flush=True)
    head = ["parse", "stance", "per_article", "corpus_step"]
    print(f"{'texts':>16} {'chars':>10} " + " ".join(f"{h:>18}" for h in head)
          + f" {'stance/parse':>12} {'mentions':>9} {'mentions/s':>11} {'targets/s':>10} {'same':>5}", flush=True)
    cases = [(f"1 × {kb} KB", [make_article(kb * 1000, seed=kb)]) for kb in args.sizes]
    if args.articles:
        cases.append((f"{args.articles} × 3 KB", [make_article(3000, seed=100 + i) for i in range(args.articles)]))
    for name, texts in cases:
        r = run(texts, args.method)
        per = 100_000 / r["chars"]
        cells = " ".join(f"{r[h]:8.2f} [{r[h] * per:6.2f}]" for h in head)
        print(f"{name:>16} {r['chars']:>10,} {cells} {r['stance'] / r['parse']:>12.2f} {r['mentions']:>9,} "
              f"{r['mentions'] / r['stance']:>11,.0f} {r['targets'] / r['stance']:>10,.1f} {str(r['same']):>5}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
