"""Throughput and peak memory of the workbook's stages on a synthetic corpus.

Builds N articles by recombining the seed paragraphs (shuffled, with the seed boilerplate mixed in),
then times each stage and prints articles/s, words/s and peak memory. Not a test: numbers are printed,
never asserted.

    python bench/bench.py --n 1000
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import analysis as an  # noqa: E402


def make_corpus(folder: Path, n: int, seed: int = 0) -> int:
    """Write n articles of recombined seed paragraphs into folder; return the number of words."""
    rng = random.Random(seed)
    paragraphs = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        paragraphs += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    words = 0
    for i in range(n):
        body = "\n\n".join(rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(6, 14))))
        words += len(body.split())
        (folder / f"bench_{i:05d}.txt").write_text(f"Synthetic article {i}\n\n{body}\n", encoding="utf-8")
    return words


def timed(label: str, fn, n_articles: int, n_words: int):
    """Run fn once; print seconds, articles/s, words/s and the process's peak resident memory so far
    (tracemalloc would slow spaCy down several times, so memory is read from the OS)."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<16} {seconds:8.2f} s  {n_articles / seconds:9.1f} articles/s  {n_words / seconds:10.0f} words/s"
          f"  peak RSS so far {rss:7.0f} MiB", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="number of articles (default 1000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n_words = make_corpus(folder, args.n)
        print(f"corpus: {args.n} articles, {n_words} words ({n_words / args.n:.0f} per article)")
        articles = timed("load_corpus", lambda: an.load_corpus(folder), args.n, n_words)
        os.environ["NEWS_WORKBOOK_CACHE"] = str(folder / ".cache")
        from analysis.nlp import parse

        start = time.perf_counter()
        docs = timed("spaCy parse", lambda: parse(articles, use_cache=False), args.n, n_words)
        parse_s = time.perf_counter() - start
        start = time.perf_counter()
        timed("quotes (rules)", lambda: an.quotes(articles, docs=docs), args.n, n_words)
        rules_s = time.perf_counter() - start
        print(f"quotes end to end: {args.n / (parse_s + rules_s):.1f} articles/s; share of time in spaCy: "
              f"{parse_s / (parse_s + rules_s):.0%}")
        timed("entities", lambda: an.entities(articles, docs=docs), args.n, n_words)
        timed("dates", lambda: an.dates(articles, docs=docs), args.n, n_words)
        q = an.quotes(articles, docs=docs)
        from analysis.stance import DEFAULT_TARGETS

        ents = an.entities(articles, docs=docs)
        for method in ("model", "lexicon"):  # per mention: the entities and quotes are given, not timed
            def run(method=method):
                return an.stance(articles, DEFAULT_TARGETS, docs=docs, quotes_table=q, entities_table=ents,
                                 method=method)

            start = time.perf_counter()
            st = timed(f"stance ({method})", run, args.n, n_words)
            seconds = time.perf_counter() - start
            print(f"stance ({method}): {len(st)} target mentions, {len(st) / seconds:,.0f} mentions/s", flush=True)
        timed("loaded language", lambda: an.loaded_language(articles, q), args.n, n_words)
        timed("distinctive", lambda: an.distinctive_terms(articles, docs=docs), args.n, n_words)
        timed("frames", lambda: an.frames(articles), args.n, n_words)
        timed("facts", lambda: an.facts(articles, docs=docs), args.n, n_words)
        timed("same quotes", lambda: an.same_quotes(q, articles), args.n, n_words)
        timed("analyze (all)", lambda: an.analyze(articles, use_cache=True), args.n, n_words)
        timed("analyze, cached", lambda: an.analyze(articles, use_cache=True), args.n, n_words)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
