"""Bench: how fast ``analysis.stories`` groups a synthetic corpus of N articles (not a timed test).

    .venv/bin/python bench/stories.py            # 1,000 and 10,000 articles
    .venv/bin/python bench/stories.py --n 2000 20000

The corpus is generated here: events of 2-8 articles, each event with its own invented place and
person names and a sentence of its own invented words, drawn from a seeded generator and written from
a few headline and lead templates over a stretch of days that grows with N (about 30 articles a day,
as a news feed would), with one article in twenty undated. The script prints articles per second and,
against the gold events it generated, the adjusted Rand index, so a speed-up that breaks the grouping
shows. The templates make different events of one kind far more alike than real reports are (median
cosine 0.18 between two events of one kind, against a mean of 0.02-0.04 between the two earthquakes or
the two matches of one week in tests/data/stories), so at the default
threshold (0.10) same-kind events of one week merge and the ARI here is low; ``--threshold 0.3``
shows what the grouping does when the text separates the events.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.stories import stories, story_scores  # noqa: E402

SYLLABLES = ["ka", "lo", "mer", "du", "vin", "sta", "ro", "bel", "tan", "qui", "zor", "ash", "el", "fen", "gar",
             "hol", "ist", "jun", "kel", "mor", "nor", "pel", "ras", "sul", "tor", "ul", "var", "wen", "yor"]
KINDS = [
    ("fire", "Fire at {org} warehouse in {place}", "A fire broke out at a {org} warehouse in {place} on {day}, "
     "officials said. {person}, the local fire chief, said {n} crews were at the scene."),
    ("vote", "{place} council approves {org} plan", "The council of {place} voted {n} to {m} to approve the {org} "
     "development plan. Council leader {person} called it a good day for the town."),
    ("match", "{org} beat {place} Rovers {n}-{m}", "{org} beat {place} Rovers {n}-{m} on {day}. {person} scored "
     "twice for the home side in front of a full stadium."),
    ("storm", "Storm cuts power across {place}", "A storm cut power to {n},000 homes across {place} on {day}. "
     "{org} said crews led by {person} would work through the night."),
    ("deal", "{org} agrees takeover of {place} firm", "{org} agreed to buy a {place} engineering firm for {n} "
     "million on {day}, chief executive {person} said. Shares rose {m} percent."),
]
REWRITE = ["{lead} {detail}", "Officials in {place} said: {lead} {detail}", "{lead} More details are expected "
           "later. {detail}", "Update: {detail} {lead} Residents of {place} reacted with surprise."]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _name(rng) -> str:
    return "".join(rng.choice(SYLLABLES, size=rng.integers(2, 4))).capitalize()


def corpus(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows, event = [], 0
    span = max(n // 30, 1)
    start = pd.Timestamp("2024-01-01")
    while len(rows) < n:
        event += 1
        kind, head, lead = KINDS[rng.integers(len(KINDS))]
        fill = {"place": _name(rng), "org": _name(rng) + " " + rng.choice(["Group", "United", "Energy", "Holdings"]),
                "person": _name(rng) + " " + _name(rng), "n": int(rng.integers(2, 60)),
                "m": int(rng.integers(1, 9)), "day": DAYS[rng.integers(7)]}
        words = [_name(rng).lower() for _ in range(8)]  # what this event is about, in invented words
        day0 = start + pd.Timedelta(days=int(rng.integers(span)))
        for k in range(int(rng.integers(2, 9))):
            if len(rows) >= n:
                break
            detail = "The " + " and ".join(rng.choice(words, size=4, replace=False)) + " were mentioned."
            text = rng.choice(REWRITE).format(lead=lead.format(**fill), detail=detail, **fill)
            published = pd.NaT if rng.random() < 0.05 else day0 + pd.Timedelta(days=int(rng.integers(3)))
            rows.append({"article_id": f"a{len(rows):06d}", "title": head.format(**fill),
                         "text": head.format(**fill) + "\n\n" + text, "published": published,
                         "outlet": f"outlet {k % 6}", "event": f"{kind}-{event}"})
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--threshold", type=float, default=None, help="merge threshold (default: the package's)")
    args = ap.parse_args(argv)
    stories(corpus(50))  # warm up: imports and first-call costs are not the corpus's
    print(f"{'articles':>9}{'seconds':>9}{'articles/s':>12}{'stories':>9}{'events':>8}{'ARI':>7}")
    for n in args.n:
        arts = corpus(n)
        t0 = time.perf_counter()
        table = stories(arts) if args.threshold is None else stories(arts, threshold=args.threshold)
        dt = time.perf_counter() - t0
        s = story_scores(arts["event"], table["story"])
        print(f"{n:>9}{dt:>9.2f}{n / dt:>12.0f}{s['stories']:>9}{s['events']:>8}{s['ari']:>7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
