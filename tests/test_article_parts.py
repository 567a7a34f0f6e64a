"""The per-article halves of the quotes and entities tables (``article_part``: everything that needs the parse,
as plain data) and their corpus steps (``finish``), and the indexes that keep both linear in an article's length.
"""

from __future__ import annotations

import copy
import importlib
import multiprocessing
import pickle
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

import analysis as an
from analysis import names
from analysis.doctools import _Intervals
from analysis.nlp import analysable, parse

# the modules (``analysis.entities`` is also the name of the function the package exports)
sources = importlib.import_module("analysis.sources")
entities = importlib.import_module("analysis.entities")

ROOT = Path(__file__).resolve().parent.parent
MODULES = {"quotes": (sources, an.quotes), "entities": (entities, an.entities)}


@pytest.fixture(scope="module")
def corpus(seed_articles):
    """The seeds and the quote-style texts as one corpus, parsed once."""
    styles = an.load_corpus(sorted((ROOT / "tests" / "data" / "quote_styles").glob("*.txt")))
    usable = analysable(pd.concat([seed_articles, styles], ignore_index=True))
    return usable, parse(usable)


@pytest.fixture(scope="module")
def parts(corpus):
    usable, docs = corpus
    return {name: [module.article_part(a, docs[a["article_id"]]) for a in usable.to_dict("records")]
            for name, (module, _) in MODULES.items()}


def _plain(value) -> bool:
    """Only dicts (with str keys), lists, tuples, str, int, float, bool and None, all the way down."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


@pytest.mark.parametrize("name", MODULES)
def test_the_public_function_is_finish_over_the_parts(corpus, parts, name):
    usable, docs = corpus
    module, public = MODULES[name]
    whole = public(usable, docs=docs)
    assert len(whole) > 50
    pd.testing.assert_frame_equal(module.finish(parts[name], usable), whole)


@pytest.mark.parametrize("name", MODULES)
def test_parts_are_plain_data_that_survive_pickling(corpus, parts, name):
    usable, _ = corpus
    module, _ = MODULES[name]
    for part, article_id in zip(parts[name], usable["article_id"]):
        assert part["article_id"] == article_id
        assert _plain(part), f"{name} part of {article_id} holds something other than plain data"
    back = pickle.loads(pickle.dumps(parts[name]))
    assert back == parts[name]
    assert module.finish(back, usable).equals(module.finish(parts[name], usable))


@pytest.mark.parametrize("name", MODULES)
def test_finish_gives_the_whole_table_in_any_order_and_partition(corpus, parts, name):
    usable, _ = corpus
    module, _ = MODULES[name]
    whole = module.finish(parts[name], usable)
    rng = random.Random(7)
    for _ in range(3):
        shuffled = parts[name][:]
        rng.shuffle(shuffled)
        # as workers would return them: chunks of any size, gathered in any order
        cuts = sorted(rng.sample(range(1, len(shuffled)), 3))
        chunks = [shuffled[a:b] for a, b in zip([0, *cuts], [*cuts, len(shuffled)])]
        rng.shuffle(chunks)
        gathered = [p for chunk in chunks for p in chunk]
        assert module.finish(gathered, usable).equals(whole)
    assert module.finish(parts[name][::-1], usable).equals(whole)


@pytest.mark.parametrize("name", MODULES)
def test_finish_never_changes_its_parts(corpus, parts, name):
    usable, _ = corpus
    module, _ = MODULES[name]
    before = copy.deepcopy(parts[name])
    first = module.finish(parts[name], usable)
    assert parts[name] == before
    assert module.finish(parts[name], usable).equals(first)


def _parts_in_a_worker(records: list[dict]) -> list:
    """Run in a fresh worker process: parse and keep only the plain parts (the Docs are dropped here)."""
    from analysis import nlp

    docs = nlp.parse(pd.DataFrame(records))
    quotes_of, entities_of = importlib.import_module("analysis.sources"), importlib.import_module("analysis.entities")
    return [(quotes_of.article_part(r, docs[r["article_id"]]), entities_of.article_part(r, docs[r["article_id"]]))
            for r in records]


def test_parts_made_in_worker_processes_give_the_same_tables(corpus, parts):
    """Parts made in spawned workers (another interpreter, another string-hash seed) and gathered in the
    parent give the tables of the one-process path."""
    usable, _ = corpus
    records = usable.to_dict("records")
    halves = [records[::2], records[1::2]]
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        made = [pair for chunk in pool.map(_parts_in_a_worker, halves) for pair in chunk]
    assert sources.finish([q for q, _ in made], usable).equals(sources.finish(parts["quotes"], usable))
    assert entities.finish([e for _, e in made], usable).equals(entities.finish(parts["entities"], usable))


def _corpus_of(*texts):
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "text": list(texts)})
    return arts, parse(arts)


def test_finish_joins_what_only_the_corpus_knows():
    """A role written in one article types the speaker of another, a spelling variant takes the corpus's
    form, and a surname alone goes to the one full name in the corpus: finish works across the parts."""
    arts, docs = _corpus_of(
        "Sergei Ryabkov, Russia's deputy foreign minister, said the talks were over. "
        "Sergei Ryabkov said Moscow would wait.",
        "\u201cWe are ready,\u201d Sergey Ryabkov said on Tuesday. Ryabkov met the press.")
    records = arts.to_dict("records")
    qparts = [sources.article_part(r, docs[r["article_id"]]) for r in records]
    whole = sources.finish(qparts, arts)
    alone = sources.finish(qparts[1:], arts)
    second = whole[whole["article_id"] == "a1"]
    assert set(second["speaker_canonical"]) == {"Sergei Ryabkov"}
    assert set(second["source_type"]) == {"government"}
    assert set(alone["speaker_canonical"]) == {"Sergey Ryabkov"}
    assert "government" not in set(alone["source_type"])
    eparts = [entities.article_part(r, docs[r["article_id"]]) for r in records]
    ents = entities.finish(eparts, arts)
    people = ents[ents["label"] == "PERSON"]
    assert len(people[people["article_id"] == "a1"]) == 2  # "Sergey Ryabkov" and "Ryabkov"
    assert set(people["canonical"]) == {"Sergei Ryabkov"}
    alone = entities.finish(eparts[1:], arts)
    assert set(alone.loc[alone["label"] == "PERSON", "canonical"]) == {"Sergey Ryabkov"}


PER_ARTICLE = {"quotes": ["article_id", "quote", "start", "end", "speaker", "speaker_start", "speaker_end", "cue",
                           "cue_start", "cue_end", "via", "n_words", "sentence_start", "sentence_end", "continued",
                           "fragments"],
               "entities": ["article_id", "text", "label", "start", "end", "government", "country", "sentence_start",
                            "sentence_end"]}


@pytest.mark.parametrize("name", MODULES)
def test_what_the_parse_gives_never_depends_on_the_rest_of_the_corpus(corpus, parts, name):
    """The columns made from the parse alone are the same whether an article is finished alone or with the
    corpus (only the corpus-level columns, canonical names and types, may differ)."""
    usable, _ = corpus
    module, _ = MODULES[name]
    whole = module.finish(parts[name], usable)
    for part in parts[name][:6]:
        alone = module.finish([part], usable)
        mine = whole[whole["article_id"] == part["article_id"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(alone[PER_ARTICLE[name]], mine[PER_ARTICLE[name]])


def test_empty_parts_give_empty_tables():
    q = sources.finish([], None)
    e = entities.finish([], None)
    assert q.empty and list(q.columns) == sources.QUOTE_COLUMNS
    assert e.empty and list(e.columns) == entities.ENTITY_COLUMNS


# ------------------------------------------------------------------ the indexes equal the scans they replace
def _random_spans(rng, n, disjoint):
    if disjoint:
        cuts = sorted(rng.sample(range(0, 400), 2 * n))
        spans = list(zip(cuts[::2], cuts[1::2]))
        rng.shuffle(spans)
        return spans
    out = []
    for _ in range(n):
        s = rng.randrange(0, 300)
        out.append((s, s + rng.randrange(0, 60)))
    return out


@pytest.mark.parametrize("disjoint", [True, False])
def test_intervals_answer_like_a_scan(disjoint):
    rng = random.Random(11 + disjoint)
    for _ in range(60):
        spans = _random_spans(rng, rng.randrange(0, 12), disjoint)
        index = _Intervals(spans)
        for _ in range(30):
            a = rng.randrange(-5, 420)
            b = a + rng.randrange(0, 80)
            assert index.overlaps(a, b) == any(s < b and a < e for s, e in spans)
            assert index.contains(a) == any(s <= a < e for s, e in spans)
            assert index.overlap_total(a, b) == sum(max(0, min(b, e) - max(a, s)) for s, e in spans)
            assert index.last_end_at_most(a) == max([e for _, e in spans if e <= a] + [0])


def test_a_span_inside_another_product_like_a_scan():
    rng = random.Random(5)
    for _ in range(200):
        products = sorted(_random_spans(rng, rng.randrange(0, 8), False))
        reach = [max(b for _, b in products[:i + 1]) for i in range(len(products))]
        for _ in range(20):
            start = rng.randrange(0, 320)
            end = start + rng.randrange(0, 70)
            if rng.random() < 0.2 and products:
                start, end = rng.choice(products)
            expected = any(a <= start and end <= b and (a, b) != (start, end) for a, b in products)
            assert entities._inside_other(products, reach, start, end) == expected


def test_surname_index_resolves_like_the_definition():
    """The nearest full name with that surname before the offset, else the nearest after it (the rule of
    ``names.resolve_surname``, written here as a scan)."""
    people = ["Bill Clinton", "Hillary Clinton", "Chelsea Clinton", "Adam Schiff", "Adam B. Schiff", "Schiff",
              "Maria Zakharova", "Sergei Ryabkov", "Sergey Ryabkov"]
    rng = random.Random(3)
    for _ in range(100):
        named = [(rng.randrange(0, 500), rng.choice(people)) for _ in range(rng.randrange(0, 10))]
        index = names.SurnameIndex(named)
        for _ in range(10):
            name, at = rng.choice(["Clinton", "Mr. Schiff", "Ryabkov", "Putin", "Zakharova"]), rng.randrange(0, 520)
            same = sorted((s, n) for s, n in named if len(names.name_key(n).split()) > 1
                          and names.surname(n) == names.surname(name))
            before = [n for s, n in same if s < at]
            after = [n for s, n in same if s >= at]
            expected = before[-1] if before else (after[0] if after else None)
            assert index.resolve(name, at) == names.resolve_surname(name, named, at) == expected
