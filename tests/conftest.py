"""Shared fixtures: the seed corpus, a folder of bad inputs, and one report build for the whole session."""

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
