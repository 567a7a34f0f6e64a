"""Cost of one long article: load, parse and every extractor for articles of 10 KB, 100 KB and 1 MB.

The articles are synthetic news prose made here (quotes with speakers and cues, named people, places and
organisations, dates, loaded words and the stance targets, in paragraphs), so every extractor has work to do
in proportion to the length. Each stage's seconds are printed with its ratio to the bare parse of the same text
and its cost per 100 KB; then a table of the ratios alone, one row per stage and one column per size, with the
growth of the ratio from the smallest to the largest size: an extractor whose cost is linear in the length, as
the parse is, keeps a flat ratio (growth near 1.0); one whose cost grows with the square of the length shows a
ratio growing with the size (about 10x per 10x of text). A text over ``nlp.MAX_CHUNK_CHARS`` is parsed in
pieces (spaCy refuses texts over 1,000,000 characters). Times are the CPU seconds of this process by default
(``--clock wall`` for elapsed seconds): on a shared machine the elapsed time of a stage depends on what else
runs, its CPU time much less. Not a test: the numbers are printed, never asserted.

    python bench/long_articles.py                  # 10 KB, 100 KB, 1 MB (a few minutes on one core)
    python bench/long_articles.py --max 100000     # only the sizes up to 100,000 characters
    python bench/long_articles.py --sizes 10 100   # in KB
    python bench/long_articles.py --clock wall     # elapsed seconds instead of CPU seconds
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEOPLE = ["Sergei Ryabkov", "Antony Blinken", "Maria Zakharova", "Lloyd Austin", "Temur Umarov", "Ned Price",
          "Anna Kovacs", "Jamal Haddad"]
ROLES = ["Russia's deputy foreign minister", "the US secretary of state", "a foreign ministry spokeswoman",
         "the Pentagon chief", "an analyst at the Carnegie centre", "a State Department spokesman"]
PLACES = ["Moscow", "Washington", "Tashkent", "Kabul", "Beijing", "Dushanbe", "Geneva", "Central Asia"]
ORGS = ["NATO", "the Pentagon", "the Kremlin", "the Collective Security Treaty Organization", "the United Nations"]
TARGETS = ["the United States", "Russia", "the Taliban", "China", "Washington", "Moscow"]
DATES = ["on Tuesday", "last week", "on July 13, 2021", "in 2001", "20 years ago", "next month", "in June",
         "earlier this year"]
LOADED = ["slammed", "so-called", "regime", "propaganda", "radical", "reckless", "aggressive", "unacceptable"]
CUES = ["said", "told reporters", "warned", "added", "claimed", "stressed"]


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    person, place, target = rng.choice(PEOPLE), rng.choice(PLACES), rng.choice(TARGETS)
    date, loaded, org = rng.choice(DATES), rng.choice(LOADED), rng.choice(ORGS)
    if kind < 0.25:
        return (f"\u201c{target.capitalize()} must not repeat the {loaded} mistakes of {rng.choice(DATES)[3:]},\u201d "
                f"{person}, {rng.choice(ROLES)}, {rng.choice(CUES)} {date}.")
    if kind < 0.45:
        return f"According to {person}, {target} has been {loaded} in {place} since {rng.randint(1991, 2021)}."
    if kind < 0.65:
        return (f"{person} {rng.choice(CUES)} that {org} would meet in {place} {date} to discuss the "
                f"withdrawal of troops.")
    return (f"Officials in {place} {rng.choice(['said', 'noted', 'believe'])} the talks with {target} "
            f"{rng.choice(['had stalled', 'would resume', 'were constructive', 'went nowhere'])} {date}.")


def make_article(chars: int, seed: int = 0) -> str:
    """A synthetic article of about ``chars`` characters: paragraphs of three to six sentences."""
    rng = random.Random(seed)
    paragraphs, size = [], 0
    while size < chars:
        par = " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
        paragraphs.append(par)
        size += len(par) + 2
    return "Talks on troops in Central Asia\n\n" + "\n\n".join(paragraphs) + "\n"


#: The clock every stage is timed with (``--clock``): CPU seconds of this process, or elapsed seconds.
CLOCK = [time.process_time]


def run(kb: int) -> dict:
    import analysis as an
    from analysis import nlp

    text = make_article(kb * 1000, seed=kb)
    out = {"KB": kb, "chars": len(text)}
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "long.txt").write_text(text, encoding="utf-8")
        (Path(folder) / "metadata.csv").write_text("file,outlet,published\nlong.txt,Bench Daily,2021-07-13\n")
        t = CLOCK[0]()
        arts = an.load_corpus(folder)
        out["load"] = CLOCK[0]() - t
    t = CLOCK[0]()
    docs = nlp.parse(arts, use_cache=False)
    out["parse"] = CLOCK[0]() - t
    targets = {"United States": ["United States", "US", "Washington"], "Russia": ["Russia", "Moscow"],
               "Taliban": ["Taliban"], "China": ["China", "Beijing"]}
    steps = {}
    t = CLOCK[0]()
    steps["quotes"] = q = an.quotes(arts, docs=docs)
    out["quotes"] = CLOCK[0]() - t
    t = CLOCK[0]()
    steps["entities"] = e = an.entities(arts, docs=docs)
    out["entities"] = CLOCK[0]() - t
    t = CLOCK[0]()
    steps["dates"] = an.dates(arts, docs=docs)
    out["dates"] = CLOCK[0]() - t
    t = CLOCK[0]()
    steps["stance"] = an.stance(arts, targets, docs=docs, quotes_table=q, entities_table=e)
    out["stance"] = CLOCK[0]() - t
    t = CLOCK[0]()
    steps["loaded_language"] = an.loaded_language(arts, q)
    out["loaded_language"] = CLOCK[0]() - t
    out["rows"] = {name: len(table) for name, table in steps.items()}
    out["status"] = arts["status"].iloc[0]
    return out


STAGES = ["load", "parse", "quotes", "entities", "dates", "stance", "loaded_language"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10, 100, 1000], help="article sizes in KB")
    parser.add_argument("--max", type=int, default=1_000_000, dest="max_chars",
                        help="skip the sizes over this many characters (default 1,000,000: every size)")
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                        help="CPU seconds of this process (default) or elapsed seconds")
    args = parser.parse_args(argv)
    CLOCK[0] = time.process_time if args.clock == "cpu" else time.perf_counter
    sizes = [kb for kb in args.sizes if kb * 1000 <= args.max_chars]
    os.environ["NEWS_WORKBOOK_CACHE"] = tempfile.mkdtemp(prefix="bench-long-")  # never a cached parse
    from analysis import nlp

    nlp.load_nlp()  # loading the models (spaCy, language, stance) is not part of any size's cost
    run(1)
    print(f"pieces of at most {nlp.MAX_CHUNK_CHARS:,} characters; {args.clock} seconds (ratio to the bare parse) "
          f"[seconds per 100 KB]", flush=True)
    print(f"{'size':>8} {'chars':>10} " + " ".join(f"{s:>24}" for s in STAGES) + f" {'total':>24}", flush=True)
    results = []
    for kb in sizes:
        r = run(kb)
        results.append(r)
        total = sum(r[s] for s in STAGES)
        per = 100_000 / r["chars"]
        cells = [f"{r[s]:8.2f} ({r[s] / r['parse']:5.2f}) [{r[s] * per:5.2f}]" for s in STAGES]
        cells.append(f"{total:8.2f} ({total / r['parse']:5.2f}) [{total * per:5.2f}]")
        print(f"{kb:>6}KB {r['chars']:>10,} " + " ".join(f"{c:>24}" for c in cells), flush=True)
        print(f"{'':>19}rows: " + ", ".join(f"{k} {v:,}" for k, v in r["rows"].items()) + f"; status {r['status']}",
              flush=True)
    print(ratio_table(results), flush=True)
    return 0


def ratio_table(results: list[dict]) -> str:
    """Each stage's time as a ratio to the bare parse of the same text, one column per size, and the growth of
    that ratio from the smallest size to the largest (1.0: as linear as the parse)."""
    lines = ["", "time / bare parse of the same text (flat across sizes = linear in the article's length)",
             f"{'stage':>16} " + " ".join(f"{str(r['KB']) + ' KB':>9}" for r in results) + f" {'growth':>8}"]
    for stage in STAGES:
        if stage == "parse":
            continue
        ratios = [r[stage] / r["parse"] for r in results]
        growth = f"{ratios[-1] / ratios[0]:8.2f}" if len(ratios) > 1 and ratios[0] > 0 else f"{'':>8}"
        lines.append(f"{stage:>16} " + " ".join(f"{x:9.3f}" for x in ratios) + f" {growth}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
