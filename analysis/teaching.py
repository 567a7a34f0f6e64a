"""Exercises for a media-literacy class, each with an answer a student can check.

``exercises(bundle)`` lists the questions, written from the corpus itself (the state whose officials some
outlets quote and others leave out, the actor most outlets write about, a loaded word some outlets use,
a year some outlets recall); ``answer(bundle, key)`` computes the answer from the tables, and
``check(bundle, key, guess)`` says whether a student's guess is right and shows the evidence. Without a
bundle, ``exercises()`` gives the questions in general form.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["exercises", "answer", "check", "subjects", "Exercise"]


@dataclass(frozen=True)
class Exercise:
    key: str
    concept: str
    question: str  # {subject} is filled in from the corpus
    hint: str
    general: str  # the question when there is no corpus to take the subject from


EXERCISES = [
    Exercise("no_government_source", "sourcing", "Which outlets quote no government source of {subject} at all?",
             "Look at the source-type and country columns of the quotes table (notebook 01).",
             "Which outlets quote no government source of a state whose officials other outlets quote?"),
    Exercise("most_unique_facts", "omission", "Which outlet reports the most facts that no other outlet reports?",
             "Facts are sentences grouped across outlets (notebook 05, 'What each outlet includes or omits').", ""),
    Exercise("most_negative", "stance", "In its own voice (not in quotes), which outlet writes most negatively "
             "about {subject}?", "Notebook 04, the author's-voice heatmap.",
             "In its own voice (not in quotes), which outlet writes most negatively about the actor most outlets "
             "write about?"),
    Exercise("loaded_term", "framing", "Which outlets use the word '{subject}' in their own voice?",
             "Notebook 05, loaded language: look at the author-voice terms.",
             "Which outlets use a given loaded word (one some outlets use and others do not) in their own voice?"),
    Exercise("recalls_year", "history", "Which outlets remind readers of the year {subject}?",
             "Notebook 03, the timeline: every dated reference by outlet.",
             "Which outlets remind readers of a given year (one some outlets recall and others do not)?"),
]
_BY_KEY = {e.key: e for e in EXERCISES}


def _outlet_of(bundle, by: str) -> tuple[dict, list]:
    arts = bundle.articles[bundle.articles["status"] != "error"]
    return dict(zip(arts["article_id"], arts[by])), sorted(set(arts[by]))


def _some_not_all(groups: pd.Series, outlets: list) -> list:
    """Items (index of ``groups``: item -> set of outlets) ranked for a question: named by some outlets but
    not all first (by how many name them, most first), then the rest; ties alphabetically."""
    n = len(outlets)
    return sorted(groups.index, key=lambda k: (not (0 < len(groups[k]) < n), -len(groups[k]), str(k)))


def subjects(bundle, *, by: str = "outlet") -> dict[str, str]:
    """What each exercise asks about in this corpus (``""`` when the corpus gives no subject)."""
    outlet, outlets = _outlet_of(bundle, by)
    out = {e.key: "" for e in EXERCISES}
    q = bundle.quotes.assign(**{by: bundle.quotes["article_id"].map(outlet)})
    gov = q[(q["source_type"] == "government") & (q["country"].fillna("") != "")]
    if len(gov):
        groups = gov.groupby("country")[by].agg(set)
        counts = gov["country"].value_counts()
        ranked = sorted(groups.index, key=lambda c: (not (0 < len(groups[c]) < len(outlets)), -counts[c], c))
        out["no_government_source"] = ranked[0]
    st = bundle.stance
    st = st[st["voice"] == "author"].assign(**{by: lambda d: d["article_id"].map(outlet)})
    if len(st):
        reach = st.groupby("target")[by].nunique()
        mentions = st["target"].value_counts()
        out["most_negative"] = sorted(mentions.index, key=lambda t: (bool(reach[t] < 2), -int(mentions[t]), t))[0]
    loaded = bundle.loaded
    loaded = loaded[loaded["voice"] == "author"]
    if len(loaded):
        out["loaded_term"] = _some_not_all(loaded.groupby("term")[by].agg(set), outlets)[0]
    years = _years(bundle, outlet, by)
    if len(years):
        out["recalls_year"] = _some_not_all(years.groupby("year")[by].agg(set), outlets)[0]
    return out


def _subject_words(key: str, subject: str) -> str:
    if key in ("no_government_source", "most_negative") and subject.startswith("United "):
        return f"the {subject}"
    return subject


def exercises(bundle=None, *, by: str = "outlet") -> pd.DataFrame:
    """The exercises: key, concept, question, hint, subject. With a bundle, each question names what it
    asks about in that corpus; an exercise the corpus gives no subject for says so."""
    found = subjects(bundle, by=by) if bundle is not None else {}
    rows = []
    for e in EXERCISES:
        subject = found.get(e.key, "") if bundle is not None else ""
        if "{subject}" in e.question and bundle is not None and not subject:
            question = f"{e.general} (This corpus gives no subject for this exercise.)"
        elif "{subject}" in e.question:
            question = e.question.format(subject=_subject_words(e.key, subject)) if subject else e.general
        else:
            question = e.question
        rows.append({"key": e.key, "concept": e.concept, "question": question, "hint": e.hint,
                     "subject": subject})
    return pd.DataFrame(rows)


def _years(bundle, outlet: dict, by: str) -> pd.DataFrame:
    d = bundle.dates.assign(**{by: bundle.dates["article_id"].map(outlet)})
    value = d["value"].fillna("").astype(str)
    relative = d["relative"].fillna(False).astype(bool) if "relative" in d.columns else False
    years = d[value.str.fullmatch(r"\d{4}(-\d\d)?(-\d\d)?") & ~relative]
    return years.assign(year=years["value"].astype(str).str[:4])


def answer(bundle, key: str, *, by: str = "outlet", subject: str | None = None) -> tuple[set[str], pd.DataFrame]:
    """The right answer (a set of outlets) and the evidence rows that show it. ``subject`` overrides what
    the exercise asks about (by default, ``subjects(bundle)[key]``)."""
    from .framing import facts

    if key not in _BY_KEY:
        raise KeyError(f"no exercise '{key}' (choose from: {', '.join(e.key for e in EXERCISES)})")
    outlet, outlets = _outlet_of(bundle, by)
    arts = bundle.articles[bundle.articles["status"] != "error"]
    if subject is None and "{subject}" in _BY_KEY[key].question:
        subject = subjects(bundle, by=by)[key]
    if key == "no_government_source":
        q = bundle.quotes.assign(**{by: bundle.quotes["article_id"].map(outlet)})
        gov = q[(q["country"] == subject) & (q["source_type"] == "government")]
        return (set(outlets) - set(gov[by]) if subject else set()), gov[[by, "speaker", "speaker_canonical", "quote"]]
    if key == "most_unique_facts":
        f = facts(arts, by=by)
        per = f[f["outlets"] == 1].groupby(by).size()
        top = per.max() if len(per) else 0
        return set(per[per == top].index) if top else set(), per.rename("facts only this outlet reports").reset_index()
    if key == "most_negative":
        st = bundle.stance
        st = st[(st["target"] == subject) & (st["voice"] == "author")].assign(
            **{by: lambda d: d["article_id"].map(outlet)})
        if st.empty:
            return set(), st
        mean = st.groupby(by)["polarity"].mean().sort_values()
        return set(mean[mean == mean.iloc[0]].index), mean.rename("mean polarity (author's voice)").reset_index()
    if key == "loaded_term":
        loaded = bundle.loaded
        rows = loaded[(loaded["term"] == subject) & (loaded["voice"] == "author")]
        return set(rows[by]), rows[[by, "sentence"]]
    years = _years(bundle, outlet, by)
    rows = years[years["year"] == str(subject)]
    return set(rows[by]), rows[[by, "text", "value"]]


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
