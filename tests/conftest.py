"""Shared fixtures: the seed corpus, a folder of bad inputs, one report build for the whole session, and the
analysis of small made-up corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_articles(seeds_dir):
    import analysis as an

    return an.load_corpus(seeds_dir)


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory, seeds_dir):
    """Every notebook run on the seeds and exported once; tests read the results."""
    from analysis.report import build_reports

    out = tmp_path_factory.mktemp("reports")
    runs = build_reports(seeds_dir, out, progress=False)
    return out, runs


@pytest.fixture(scope="session")
def analyze_made_up(tmp_path_factory):
    """A function analysing a made-up corpus: one article per text (its first line is the title), with its
    outlet and publication date, in a cache of the session's own."""
    import pandas as pd

    import analysis as an

    def run(texts, outlets, published):
        os.environ.setdefault("NEWS_WORKBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
        arts = an.load_corpus(pd.DataFrame({"outlet": list(outlets), "published": list(published),
                                            "title": [t.split("\n")[0] for t in texts], "text": list(texts)}))
        return an.analyze(arts)

    return run
