"""Exercises for a media-literacy class, written from the corpus they run on, each with a checkable answer.

The lesson is about one story: the largest story of the corpus that at least two outlets cover
(:func:`analysis.stories`; the whole corpus when no story has two outlets). ``lesson(bundle)`` describes it
(its title, outlets, articles, most quoted voices, a loaded word found in it). ``exercises(bundle)`` lists
the questions, each naming what it asks about in that story: a voice some outlets quote and others do not,
the state whose government sources some outlets leave out, the actor most outlets write about, a loaded
word some outlets use, a year some outlets recall. ``answer(bundle, key)`` computes the answer from the
tables with the rows that show it, ``check(bundle, key, guess)`` tells a student whether a guess is correct,
and ``teacher_key(bundle)`` gives every answer with its evidence for the teacher. Without a bundle,
``exercises()`` gives the questions in general form. Nothing here names any particular story: every word of
a question comes from the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .names import looks_like_person

__all__ = ["exercises", "answer", "check", "subjects", "lesson", "lesson_story", "story_facts", "story_stance",
           "teacher_key",
           "Exercise", "EXERCISES"]


@dataclass(frozen=True)
class Exercise:
    key: str
    concept: str
    question: str  # {subject} is filled in from the corpus
    hint: str
    general: str  # the question when there is no corpus to take the subject from


EXERCISES = [
    Exercise("quotes_voice", "sourcing", "Which outlets quote {subject}?",
             "The quotes table (notebook 01): the source column, outlet by outlet.",
             "Which outlets quote a given voice (one some outlets quote and others do not)?"),
    Exercise("no_government_source", "sourcing", "Which outlets quote no government source of {subject} at all?",
             "Look at the source-type and country columns of the quotes table (notebook 01).",
             "Which outlets quote no government source of a state whose officials other outlets quote?"),
    Exercise("most_unique_facts", "omission", "Which outlet has the largest share of its sentences that no other "
             "outlet covering the story reports?",
             "Facts are sentences grouped across the outlets of one story (notebook 05, 'What each outlet includes "
             "or omits').", ""),
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


def _usable(bundle) -> pd.DataFrame:
    from .nlp import analysable

    return analysable(bundle.articles)


_STORIES: dict = {}  # id of an articles table -> (that table, the table with stories): one grouping per bundle


def _with_stories(bundle) -> pd.DataFrame:
    from .stories import with_stories

    key = id(bundle.articles)
    if key not in _STORIES or _STORIES[key][0] is not bundle.articles:
        if len(_STORIES) > 8:
            _STORIES.clear()
        from .nlp import analysable

        # a Bundle's own stories (computed once by analyze), else grouped here
        arts = (analysable(bundle.with_stories()) if getattr(bundle, "stories", None) is not None
                and hasattr(bundle, "with_stories") else with_stories(_usable(bundle)))
        _STORIES[key] = (bundle.articles, arts)
    return _STORIES[key][1]


def story_stance(bundle, *, by: str = "outlet") -> pd.DataFrame:
    """The stance table of the lesson's story (the story's own actors when the corpus's targets are not in it),
    for the lesson's stance chart."""
    _, _, ids = _scope(bundle, by)
    return _stance(bundle, ids, by)


def lesson_story(bundle, *, by: str = "outlet") -> tuple[str, pd.DataFrame]:
    """The story the lesson is about and its articles: the largest story covered by two ``by`` groups or
    more (``""`` and every article when no story is)."""
    from .stories import story_order

    arts = _with_stories(bundle)
    if arts.empty:
        return "", arts
    order = story_order(arts, by=by, min_groups=2)
    if not order:
        return "", arts
    return order[0], arts[arts["story"] == order[0]]


def _scope(bundle, by: str) -> tuple[dict, list, set]:
    """``{article_id: group}``, the sorted groups and the article ids of the lesson's story."""
    _, arts = lesson_story(bundle, by=by)
    groups = arts[by].fillna("(none)").astype(str)
    return dict(zip(arts["article_id"], groups)), sorted(set(groups)), set(arts["article_id"])


def _some_not_all(groups: pd.Series, outlets: list, counts: pd.Series | None = None) -> list:
    """Items (index of ``groups``: item -> set of outlets) ranked for a question: named by some outlets but
    not all first (by how many name them, most first, or by ``counts``), then the rest; ties alphabetically."""
    n = len(outlets)
    return sorted(groups.index, key=lambda k: (not (0 < len(groups[k]) < n),
                                               -(counts[k] if counts is not None else len(groups[k])), str(k)))


def _voices(bundle, outlet: dict, ids: set, by: str) -> pd.DataFrame:
    q = bundle.quotes[bundle.quotes["article_id"].isin(ids)]
    q = q[q["speaker_canonical"].fillna("").astype(str).str.strip() != ""]
    return q.assign(**{by: q["article_id"].map(outlet)})


def _government(bundle, outlet: dict, ids: set, by: str) -> pd.DataFrame:
    q = bundle.quotes[bundle.quotes["article_id"].isin(ids)]
    q = q.assign(**{by: q["article_id"].map(outlet)})
    return q[q["source_type"] == "government"]


def subjects(bundle, *, by: str = "outlet") -> dict[str, str]:
    """What each exercise asks about in the lesson's story (``""`` when the story gives no subject)."""
    outlet, outlets, ids = _scope(bundle, by)
    out = {e.key: "" for e in EXERCISES}
    voices = _voices(bundle, outlet, ids, by)
    if len(voices):
        groups = voices.groupby("speaker_canonical")[by].agg(set)
        counts = voices["speaker_canonical"].value_counts()
        ranked = _some_not_all(groups, outlets, counts)
        n = len(outlets)
        # a person some outlets quote and others do not, then any such voice, then the most quoted
        ranked = sorted(ranked, key=lambda v: (not (0 < len(groups[v]) < n), not looks_like_person(v)))
        out["quotes_voice"] = ranked[0]
    gov = _government(bundle, outlet, ids, by)
    if len(gov):
        tagged = gov[gov["country"].fillna("") != ""]
        untagged = set(gov.loc[gov["country"].fillna("") == "", by])
        groups = tagged.groupby("country")[by].agg(set)
        counts = tagged["country"].value_counts()
        # a state some outlets quote and others do not; never one where an outlet said to quote none of its
        # officials quotes a government source of unknown state (a right reading would be marked wrong)
        ranked = [c for c in _some_not_all(groups, outlets, counts) if 0 < len(groups[c]) < len(outlets)
                  and not (set(outlets) - groups[c]) & untagged]
        out["no_government_source"] = ranked[0] if ranked else ""
    st = _stance(bundle, ids, by)
    st = st[st["voice"] == "author"]
    st = st.assign(**{by: st["article_id"].map(outlet)})
    if len(st):
        reach = st.groupby("target")[by].nunique()
        mentions = st["target"].value_counts()
        out["most_negative"] = sorted(mentions.index, key=lambda t: (bool(reach[t] < 2), -int(mentions[t]), t))[0]
    loaded = bundle.loaded[(bundle.loaded["voice"] == "author") & bundle.loaded["article_id"].isin(ids)]
    loaded = loaded.assign(**{by: loaded["article_id"].map(outlet)})
    if len(loaded):
        out["loaded_term"] = _some_not_all(loaded.groupby("term")[by].agg(set), outlets)[0]
    years = _years(bundle, outlet, ids, by)
    if len(years):
        out["recalls_year"] = _some_not_all(years.groupby("year")[by].agg(set), outlets)[0]
    return out


def _subject_words(key: str, subject: str) -> str:
    if key in ("no_government_source", "most_negative") and subject.startswith("United "):
        return f"the {subject}"
    return subject


def exercises(bundle=None, *, by: str = "outlet") -> pd.DataFrame:
    """The exercises: key, concept, question, hint, subject. With a bundle, each question names what it
    asks about in the lesson's story; an exercise the story gives no subject for says so."""
    found = subjects(bundle, by=by) if bundle is not None else {}
    rows = []
    for e in EXERCISES:
        subject = found.get(e.key, "") if bundle is not None else ""
        if "{subject}" in e.question and bundle is not None and not subject:
            question = f"{e.general} (This story gives no subject for this exercise.)"
        elif "{subject}" in e.question:
            question = e.question.format(subject=_subject_words(e.key, subject)) if subject else e.general
        else:
            question = e.question
        rows.append({"key": e.key, "concept": e.concept, "question": question, "hint": e.hint,
                     "subject": subject})
    return pd.DataFrame(rows)


def _stance(bundle, ids: set, by: str) -> pd.DataFrame:
    """The stance rows of the lesson's story, as the comparative report reads them (``compare.story_stance``:
    the story's own actors when the corpus's targets are not in it)."""
    from .compare import story_stance, story_targets
    from .stance import default_targets

    key = (id(bundle.articles), "stance", by)
    if key not in _STORIES or _STORIES[key][0] is not bundle.articles:
        arts = _with_stories(bundle)
        arts = arts[arts["article_id"].isin(ids)]
        arts = arts.assign(**{by: arts[by].fillna("(none)").astype(str)})
        table = getattr(bundle, "story_stance", None) if by == "outlet" else None
        story, _ = lesson_story(bundle, by=by)
        if not len(arts):
            rows = bundle.stance.iloc[:0]
        elif table is not None and story:  # the bundle's rows of the story, as the comparative report reads them
            rows = story_stance(bundle.stance, arts, table=table)
        else:
            targets = story_targets(bundle.stance, arts, bundle.entities, by=by) if table is not None else {}
            if table is not None and (targets is None or targets == default_targets(bundle.entities)
                                      and set(bundle.stance["target"]) <= set(targets)):
                rows = bundle.stance[bundle.stance["article_id"].isin(ids)]  # the whole corpus: its own targets
            else:
                from .nlp import parse

                rows = story_stance(bundle.stance, arts, docs=parse(arts), quotes_table=bundle.quotes,
                                    entities_table=bundle.entities, by=by)
        _STORIES[key] = (bundle.articles, rows)
    return _STORIES[key][1]


def _years(bundle, outlet: dict, ids: set, by: str) -> pd.DataFrame:
    d = bundle.dates[bundle.dates["article_id"].isin(ids)]
    d = d.assign(**{by: d["article_id"].map(outlet)})
    value = d["value"].fillna("").astype(str)
    relative = d["relative"].fillna(False).astype(bool) if "relative" in d.columns else False
    years = d[value.str.fullmatch(r"\d{4}(-\d\d)?(-\d\d)?") & ~relative]
    return years.assign(year=years["value"].astype(str).str[:4])


def story_facts(bundle, *, by: str = "outlet") -> pd.DataFrame:
    """The facts table of the lesson's story, as the comparative report computes it (sentences compared within
    each story, IDF over the corpus)."""
    from .framing import facts

    _, _, ids = _scope(bundle, by)
    key = (id(bundle.articles), "facts", by)
    if key not in _STORIES or _STORIES[key][0] is not bundle.articles:
        if by == "outlet" and getattr(bundle, "facts", None) is not None:  # computed once by analyze
            _STORIES[key] = (bundle.articles, bundle.facts)
        else:
            arts = _with_stories(bundle)
            arts = arts.assign(**{by: arts[by].fillna("(none)").astype(str)})
            _STORIES[key] = (bundle.articles, facts(arts, by=by, within="story"))
    f = _STORIES[key][1]
    return f[f["article_id"].isin(ids)].reset_index(drop=True)


def answer(bundle, key: str, *, by: str = "outlet", subject: str | None = None) -> tuple[set[str], pd.DataFrame]:
    """The right answer (a set of outlets, possibly empty) and the evidence rows that show it, in the lesson's
    story. ``subject`` overrides what the exercise asks about (by default, ``subjects(bundle)[key]``)."""
    if key not in _BY_KEY:
        raise KeyError(f"no exercise '{key}' (choose from: {', '.join(e.key for e in EXERCISES)})")
    outlet, outlets, ids = _scope(bundle, by)
    if subject is None and "{subject}" in _BY_KEY[key].question:
        subject = subjects(bundle, by=by)[key]
    if key == "quotes_voice":
        q = _voices(bundle, outlet, ids, by)
        rows = q[q["speaker_canonical"] == subject]
        return set(rows[by]), rows[[by, "speaker", "speaker_canonical", "kind", "quote"]].reset_index(drop=True)
    if key == "no_government_source":
        gov = _government(bundle, outlet, ids, by)
        rows = gov[gov["country"] == subject]
        evidence = gov[[by, "speaker", "speaker_canonical", "country", "quote"]].reset_index(drop=True)
        return (set(outlets) - set(rows[by]) if subject else set()), evidence
    if key == "most_unique_facts":
        f = story_facts(bundle, by=by)
        if f.empty:
            return set(), pd.DataFrame(columns=[by, "sentences", "only this outlet", "share"])
        total = f.groupby(by).size()
        per = f[f["outlets"] == 1].groupby(by).size().reindex(total.index, fill_value=0)
        share = (per / total).round(3)
        table = pd.DataFrame({"sentences": total, "only this outlet": per, "share": share}).reset_index()
        top = share.max()
        return (set(share[share == top].index) if top > 0 else set()), table
    if key == "most_negative":
        st = _stance(bundle, ids, by)
        st = st[(st["target"] == subject) & (st["voice"] == "author")]
        st = st.assign(**{by: st["article_id"].map(outlet)})
        if st.empty:
            return set(), st
        mean = st.groupby(by)["polarity"].mean().round(3).sort_values()
        return set(mean[mean == mean.iloc[0]].index), mean.rename("mean polarity (author's voice)").reset_index()
    if key == "loaded_term":
        loaded = bundle.loaded[(bundle.loaded["term"] == subject) & (bundle.loaded["voice"] == "author")
                               & bundle.loaded["article_id"].isin(ids)]
        loaded = loaded.assign(**{by: loaded["article_id"].map(outlet)})
        return set(loaded[by]), loaded[[by, "surface", "sentence"]].reset_index(drop=True)
    years = _years(bundle, outlet, ids, by)
    rows = years[years["year"] == str(subject)]
    return set(rows[by]), rows[[by, "text", "value"]].reset_index(drop=True)


_NONE = {"", "none", "no one", "nobody", "no outlet", "no outlets", "nothing", "-"}


def _guess_set(guess, groups: list) -> set[str]:
    """A student's guess as a set of group names: case and spacing forgiven, "none" for no outlet, a string
    with commas or "and" split into names when it is not one name itself."""
    lookup = {str(g).strip().casefold(): str(g) for g in groups}
    items = [guess] if isinstance(guess, str) else list(guess)
    out = set()
    for item in items:
        text = str(item).strip()
        if text.casefold() in _NONE:
            continue
        if text.casefold() in lookup:
            out.add(lookup[text.casefold()])
            continue
        import re

        parts = [p.strip() for p in re.split(r",|\band\b|;", text) if p.strip()]
        if len(parts) > 1 and all(p.casefold() in lookup for p in parts):
            out |= {lookup[p.casefold()] for p in parts}
        else:
            out.add(text)
    return out


def check(bundle, key: str, guess, *, by: str = "outlet") -> str:
    """Whether a student's guess (an outlet name, a list of them, or "none") is the answer the tables give:
    "Correct.", "Partly right: ..." or "Not quite: ...", and how many evidence rows show it."""
    if guess is None or (not isinstance(guess, str) and not list(guess)):
        return "Write your answer first: put the outlet (or a list of outlets) in my_answer, then run the cell."
    right, evidence = answer(bundle, key, by=by)
    _, groups, _ = _scope(bundle, by)
    guessed = _guess_set(guess, groups)
    answer_words = ", ".join(sorted(right)) or "none"
    if guessed == right:
        verdict = "Correct." if right else "Correct: no outlet."
    elif guessed & right:
        verdict = f"Partly right: the full answer is {answer_words}."
    else:
        verdict = f"Not quite: the answer is {answer_words}."
    unknown = sorted(guessed - set(groups))
    if unknown:
        verdict += f" ({', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not an outlet of this story.)"
    return f"{verdict} Evidence: {len(evidence)} row(s) in the table below."


def lesson(bundle, *, by: str = "outlet", voices: int = 3) -> dict:
    """The lesson's story in words, from the corpus: ``story``, ``title``, ``outlets`` (sorted), ``articles``,
    ``dates`` (first and last publication day, or ""), ``voices`` (its most quoted named sources, most
    quoted first), ``loaded_term`` and ``whole_corpus`` (True when no story has two outlets and the lesson
    is about the whole corpus)."""
    story, arts = lesson_story(bundle, by=by)
    outlet, outlets, ids = _scope(bundle, by)
    q = _voices(bundle, outlet, ids, by)
    top = q["speaker_canonical"].value_counts().head(voices).index.tolist() if len(q) else []
    published = pd.to_datetime(arts["published"], errors="coerce").dropna() if "published" in arts.columns else []
    dates = ""
    if len(published):
        first, last = published.min(), published.max()
        dates = (f"{first.day} {first:%B %Y}" if first.date() == last.date()
                 else f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}")
    title = str(arts["story_title"].iloc[0]) if story and "story_title" in arts.columns else ""
    return {"story": story, "title": title, "outlets": outlets, "articles": len(arts), "dates": dates,
            "voices": top, "loaded_term": subjects(bundle, by=by)["loaded_term"], "whole_corpus": not story}


def teacher_key(bundle, *, by: str = "outlet") -> pd.DataFrame:
    """Every exercise with its question, the answer the tables give, and how many evidence rows show it (the
    rows themselves: ``answer(bundle, key)[1]``)."""
    rows = []
    questions = exercises(bundle, by=by)
    for r in questions.itertuples():
        right, evidence = answer(bundle, r.key, by=by)
        rows.append({"key": r.key, "concept": r.concept, "question": r.question,
                     "answer": ", ".join(sorted(right)) or "none", "evidence_rows": len(evidence)})
    return pd.DataFrame(rows)
