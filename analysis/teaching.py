"""Exercises for a media-literacy class, each with an answer a student can check.

``exercises()`` lists the questions; ``answer(bundle, key)`` computes the answer from the tables (so it
works on any corpus, not only the sample); ``check(bundle, key, guess)`` says whether a student's guess
is right and shows the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["exercises", "answer", "check", "Exercise"]


@dataclass(frozen=True)
class Exercise:
    key: str
    concept: str
    question: str
    hint: str


EXERCISES = [
    Exercise("no_us_official", "sourcing", "Which outlets quote no US official or US government source at all?",
             "Look at the source-type and country columns of the quotes table (notebook 01)."),
    Exercise("most_unique_facts", "omission", "Which outlet reports the most facts that no other outlet reports?",
             "Facts are sentences grouped across outlets (notebook 05, 'What each outlet includes or omits')."),
    Exercise("most_negative_on_us", "stance", "In its own voice (not in quotes), which outlet writes most "
             "negatively about the United States?", "Notebook 04, the author's-voice heatmap."),
    Exercise("aggression", "framing", "Which outlets use the word 'aggression' in their own voice?",
             "Notebook 05, loaded language: look at the author-voice terms."),
    Exercise("recalls_2014", "history", "Which outlets remind readers of the year 2014?",
             "Notebook 03, the timeline: every dated reference by outlet."),
]


def exercises() -> pd.DataFrame:
    """The exercises: key, concept, question, hint."""
    return pd.DataFrame([e.__dict__ for e in EXERCISES])


def answer(bundle, key: str, *, by: str = "outlet") -> tuple[set[str], pd.DataFrame]:
    """The right answer (a set of outlets) and the evidence rows that show it."""
    from .framing import facts

    arts = bundle.articles[bundle.articles["status"] != "error"]
    outlet = dict(zip(arts["article_id"], arts[by]))
    outlets = set(arts[by])
    if key == "no_us_official":
        q = bundle.quotes.assign(**{by: bundle.quotes["article_id"].map(outlet)})
        us = q[(q["country"] == "United States") & (q["source_type"] == "government")]
        return outlets - set(us[by]), us[[by, "speaker", "speaker_canonical", "quote"]]
    if key == "most_unique_facts":
        f = facts(arts, by=by)
        per = f[f["outlets"] == 1].groupby(by).size()
        top = per.max() if len(per) else 0
        return set(per[per == top].index) if top else set(), per.rename("facts only this outlet reports").reset_index()
    if key == "most_negative_on_us":
        st = bundle.stance
        st = st[(st["target"] == "United States") & (st["voice"] == "author")].assign(
            **{by: lambda d: d["article_id"].map(outlet)})
        if st.empty:
            return set(), st
        mean = st.groupby(by)["polarity"].mean().sort_values()
        return {mean.index[0]}, mean.rename("mean polarity (author's voice)").reset_index()
    if key == "aggression":
        loaded = bundle.loaded
        rows = loaded[(loaded["term"] == "aggression") & (loaded["voice"] == "author")]
        return set(rows[by]), rows[[by, "sentence"]]
    if key == "recalls_2014":
        d = bundle.dates.assign(**{by: bundle.dates["article_id"].map(outlet)})
        rows = d[d["value"].astype(str).str.startswith("2014")]
        return set(rows[by]), rows[[by, "text", "value"]]
    raise KeyError(f"no exercise '{key}' (choose from: {', '.join(e.key for e in EXERCISES)})")


def check(bundle, key: str, guess) -> str:
    """Whether a student's guess (an outlet name or a list of them) is the right answer, and why."""
    if guess is None or (not isinstance(guess, str) and not list(guess)):
        return "Write your answer first: put the outlet (or a list of outlets) in my_answer, then run the cell."
    right, evidence = answer(bundle, key)
    guessed = {guess} if isinstance(guess, str) else set(guess)
    if guessed == right:
        verdict = "Right."
    elif guessed & right:
        verdict = f"Partly right: the full answer is {', '.join(sorted(right)) or 'none'}."
    else:
        verdict = f"Not quite: the answer is {', '.join(sorted(right)) or 'none'}."
    return f"{verdict} Evidence: {len(evidence)} row(s) in the table below."
