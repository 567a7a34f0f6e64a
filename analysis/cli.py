"""Command line: ``python -m analysis report PATH --out DIR``, ``python -m analysis corpus PATH``,
``python -m analysis analyze PATH --out DIR [--jobs N] [--engine dask --scheduler tcp://HOST:8786]``,
``python -m analysis eval``,
``python -m analysis score GOLD_FOLDER``, ``python -m analysis eval-dev [DEVDATA]``,
``python -m analysis train-stance``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("report", help="run every notebook on a corpus and write offline HTML reports")
    rep.add_argument("corpus", help="folder (or file) of articles, e.g. seeds")
    rep.add_argument("--out", default="reports", help="output folder (default: reports)")
    rep.add_argument("--only", nargs="*", help="notebook number prefixes to run, e.g. 00 01")
    rep.add_argument("--jobs", type=int, default=None,
                     help="worker processes for the analysis, then notebooks run side by side (default: every core)")

    ana = sub.add_parser("analyze", help="analyse a corpus once (cached) and write every table as CSV and Parquet")
    ana.add_argument("corpus", help="folder (or file) of articles")
    ana.add_argument("--out", default="tables", help="output folder (default: tables)")
    ana.add_argument("--jobs", type=int, default=None, help="worker processes (default: every core; 1: this one)")
    ana.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="local processes, or a dask.distributed cluster (see --scheduler)")
    ana.add_argument("--scheduler", default=None,
                    help="with --engine dask: the scheduler's address, e.g. tcp://10.0.0.5:8786 (default: a local "
                         "cluster of --jobs workers)")
    ana.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")

    cor = sub.add_parser("corpus", help="load a corpus and print the articles table and its problems")
    cor.add_argument("corpus")

    ev = sub.add_parser("eval", help="score every extractor against the gold annotations in tests/gold")
    ev.add_argument("-v", "--verbose", action="store_true", help="list every miss and false positive")

    sc = sub.add_parser("score", help="score the workbook on your own annotations (brat, TimeML, MEANTIME XML, "
                                     "or a CSV of spans beside the texts), beside the baselines")
    sc.add_argument("gold", help="folder of annotations")
    sc.add_argument("--kind", choices=["quotes", "entities", "dates"], help="which extractor a spans CSV scores")

    dev = sub.add_parser("eval-dev", help="score every extractor and its baselines on the development data")
    dev.add_argument("devdata", nargs="?", default="../shared/devdata", help="default: ../shared/devdata")
    dev.add_argument("--only", help="quotes, entities or dates")

    tr = sub.add_parser("train-stance", help="train the stance model on the shipped NewsMTSC data (deterministic) "
                                             "and write analysis/data/stance_model.json.gz")
    tr.add_argument("--data", help="a NewsMTSC train.jsonl (default: the copy shipped in analysis/data)")
    tr.add_argument("--out", help="where to write the model (default: analysis/data/stance_model.json.gz)")

    args = parser.parse_args(argv)
    if args.command == "report":
        from .report import CorpusError, build_reports

        try:
            runs = build_reports(args.corpus, args.out, only=args.only, jobs=args.jobs)
        except CorpusError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        failed = [r for r in runs if not r.ok]
        print(f"Wrote {len(runs)} reports and index.html to {args.out}"
              + (f"; {len(failed)} notebook(s) FAILED: {', '.join(r.name for r in failed)}" if failed else ""))
        return 1 if failed or not runs else 0
    if args.command == "analyze":
        from .pipeline import analyze

        if args.scheduler and args.engine != "dask":
            print("error: --scheduler needs --engine dask", file=sys.stderr)
            return 2
        if args.jobs is not None and args.jobs < 1:
            print("error: --jobs must be at least 1", file=sys.stderr)
            return 2
        bundle = analyze(args.corpus, jobs=args.jobs, engine=args.engine, client=args.scheduler,
                         use_cache=not args.no_cache)
        written = bundle.save(args.out)
        print(f"{len(bundle.articles)} articles: {len(bundle.quotes)} quotes, {len(bundle.entities)} entities, "
              f"{len(bundle.dates)} dates, {len(bundle.stance)} stance rows; {len(written)} files in {args.out}")
        return 0
    if args.command == "corpus":
        import pandas as pd

        from .corpus import load_corpus

        arts = load_corpus(args.corpus)
        with pd.option_context("display.width", 250, "display.max_colwidth", 60):
            print(arts[["article_id", "outlet", "title", "published", "n_words", "status", "problem"]].to_string())
        return 0
    if args.command == "eval":
        from .evaluate import main as eval_main

        return eval_main(verbose=args.verbose)
    if args.command == "score":
        from .scoring import print_results, score_folder

        try:
            results = score_folder(args.gold, kind=args.kind)
        except (FileNotFoundError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print_results(results)
        return 0
    if args.command == "eval-dev":
        from pathlib import Path

        from .scoring import eval_dev, print_results

        if not Path(args.devdata).is_dir():
            print(f"error: no development data at {args.devdata} (see README: it lives outside the repo)",
                  file=sys.stderr)
            return 2
        results = eval_dev(args.devdata, only=args.only)
        if not results:
            print(f"error: no development set found under {args.devdata}", file=sys.stderr)
            return 2
        print_results(results)
        return 0
    if args.command == "train-stance":
        from pathlib import Path

        from . import stance_model

        out = Path(args.out) if args.out else stance_model.MODEL_PATH
        model = stance_model.train(args.data, save=out, verbose=True)
        print(f"wrote {out} (hash {model.meta['hash']})")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
