"""The gold annotations stay consistent with the seed texts (each layer's own checker, run as written)."""

import subprocess
import sys
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parent / "gold"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.mark.parametrize("script", sorted(p.name for p in GOLD.glob("check_*_gold.py")))
def test_gold_checker_passes(script):
    done = subprocess.run([sys.executable, str(GOLD / script), str(SEEDS)], capture_output=True, text=True,
                          cwd=GOLD, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


@pytest.mark.parametrize("folder", ["quote_styles", "date_styles"])
def test_style_text_checkers_pass(folder):
    script = GOLD.parent / "data" / folder / "check.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=script.parent,
                          timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
