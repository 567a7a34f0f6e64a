"""The timeline chart: every placed reference drawn, filled or hollow, and its labels bounded."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from analysis import charts  # noqa: E402


def _table(n_per_outlet: int, distinct: int = 30) -> pd.DataFrame:
    rows = []
    for o, outlet in enumerate(["Alpha News", "Beta Post"]):
        for k in range(n_per_outlet):
            rows.append({"outlet": outlet, "when": pd.Timestamp("2024-01-01") + pd.Timedelta(days=k % distinct),
                         "text": f"day {k % distinct}", "relative": (k + o) % 3 == 0})
    rows.append({"outlet": "Gamma Times", "when": pd.NaT, "text": "for years", "relative": False})
    return pd.DataFrame(rows)


def _points(ax):
    filled = hollow = 0
    for coll in ax.collections:
        faces = coll.get_facecolors()
        n = len(coll.get_offsets())
        if len(faces) and tuple(faces[0][:3]) == (1.0, 1.0, 1.0):
            hollow += n
        else:
            filled += n
    return filled, hollow


def test_every_reference_is_a_point_filled_or_hollow_by_kind():
    table = _table(9)
    ax = charts.timeline(table)
    placed = table.dropna(subset=["when"])
    assert _points(ax) == (int((~placed["relative"]).sum()), int(placed["relative"].sum()))
    assert len(ax.texts) == len(placed)  # few points: each labelled with its words
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Alpha News", "Beta Post", "Gamma Times"]


def test_labels_are_bounded_per_outlet_on_a_large_corpus():
    table = _table(500, distinct=100)
    ax = charts.timeline(table)
    placed = table.dropna(subset=["when"])
    assert sum(_points(ax)) == len(placed)  # every point drawn
    assert len(ax.texts) == 2 * charts.LABELS_PER_OUTLET
    assert {t.get_text() for t in ax.texts} <= set(placed["text"])
    few = charts.timeline(_table(500, distinct=25))  # many points, few distinct: each (day, words) once
    assert len(few.texts) == 2 * 25
