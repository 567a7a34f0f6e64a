"""Fuzz: the loader and every extractor survive any input (item 4 of 3/5).

``load_corpus`` gets folders of random bytes, text in many scripts and encodings, nested JSON, CSV and
``metadata.csv`` oddities: it never raises, every file gets a row, and no row says "unexpected". Each extractor
(quotes, entities, dates, stance, loaded_language) gets random and adversarial text on an articles table: no
exception, and every offset is valid (``text[start:end]`` is the row's surface text where the table has one).

Bounded: a fixed number of examples, no deadline, derandomized (a fixed seed) under CI. The whole file runs in
well under a minute on two cores.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import analysis as an
from analysis import nlp

CI = bool(os.environ.get("CI"))
#: FUZZ_SCALE=20 runs twenty times the examples (a longer campaign by hand; make test runs 1).
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    """Bounded runs: no deadline (a parse takes what it takes), a fixed seed under CI, no example database."""
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=None, derandomize=CI, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


LOADER_EXAMPLES = 120
EXTRACTOR_EXAMPLES = 60

TARGETS = {"United States": ["US", "U.S.", "Washington"], "Russia": ["Russia", "Moscow", "Россия"],
           "Taliban": ["Taliban"], "China": ["China", "Beijing"]}


@pytest.fixture(autouse=True, scope="module")
def _own_cache(tmp_path_factory):
    """Parses of fuzzed text go to a throw-away cache, not the project's."""
    old = os.environ.get("NEWS_WORKBOOK_CACHE")
    os.environ["NEWS_WORKBOOK_CACHE"] = str(tmp_path_factory.mktemp("fuzz-cache"))
    yield
    if old is None:
        os.environ.pop("NEWS_WORKBOOK_CACHE", None)
    else:
        os.environ["NEWS_WORKBOOK_CACHE"] = old


# ---------------------------------------------------------------- the loader

SCRIPTS = [
    "Officials said on Monday that the talks had failed.", "Переговоры провалились, сказал Рябков.",
    "فشلت المحادثات، قال الوزير.", "日本政府は交渉が決裂したと発表した。", "정부는 협상이 결렬되었다고 발표했다.",
    "政府周一宣布谈判破裂。", "Οι συνομιλίες απέτυχαν.", "El señor Pérez dijo que fracasaron.",
    "Władze w Łodzi powiedziały, że rozmowy się nie powiodły.", "השיחות נכשלו, אמר השר.", "वार्ता विफल रही।",
    "Café “quoted” — text… ’", "\ufeffBOM inside", "emoji 🇺🇸🔥 text", "\u200b\u00ad\u202e reversed",
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "cp1251",
             "koi8_r", "shift_jis", "euc_jp", "cp949", "gb18030", "big5", "cp1256", "iso8859_7"]
NAMES = ["a.txt", "b.md", "c.html", "d.json", "e.jsonl", "f.csv", "g.TXT", "h", "i.docx", "j.json", "k.csv",
         "sub/l.txt", "sub/deeper/m.json", "n.txt.txt", "o p.txt", "ß.txt", "Рябков.txt"]


@st.composite
def text_file(draw):
    words = draw(st.lists(st.sampled_from(SCRIPTS), min_size=0, max_size=8))
    noise = draw(st.text(max_size=80))
    text = " ".join(words) + noise
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


@st.composite
def json_file(draw):
    kind = draw(st.sampled_from(["deep", "bigint", "surrogate", "list", "object", "weird", "broken"]))
    body = draw(st.sampled_from(SCRIPTS))
    if kind == "deep":
        depth = draw(st.sampled_from([10, 499, 501, 1500, 100_000]))
        opener = draw(st.sampled_from(["[", '{"a":']))
        closer = "]" if opener == "[" else "}"
        return (opener * depth + "1" + closer * depth).encode()
    if kind == "bigint":
        digits = draw(st.sampled_from([10, 4300, 4301, 20_000]))
        return ('{"text": ' + json.dumps(body) + ', "id": ' + "7" * digits + "}").encode()
    if kind == "surrogate":
        return ('{"text": "' + body + ' \\ud800 \\udfff end", "title": "\\ud83d", "outlet": "x"}').encode()
    if kind == "list":
        item = st.fixed_dictionaries({"text": st.sampled_from(SCRIPTS + ["", " "]),
                                      "published": st.sampled_from(["2021-07-13", "", "soon", "99999"])})
        items = draw(st.lists(item, max_size=4))
        return json.dumps(items).encode()
    if kind == "object":
        return json.dumps({"articles": [{"body": body, "id": draw(st.text(max_size=20))}]}).encode()
    if kind == "weird":
        leaves = st.none() | st.booleans() | st.floats() | st.text(max_size=20)
        value = draw(st.recursive(leaves, lambda c: st.lists(c, max_size=3)
                                  | st.dictionaries(st.text(max_size=5), c, max_size=3), max_leaves=10))
        return json.dumps({"text": value, "title": value}).encode()
    return ('{"text": "' + body).encode()


@st.composite
def csv_file(draw):
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.sampled_from([["file", "outlet", "published"], ["text", "outlet"], ["article_id", "title"],
                                   ["name", "x"], []]))
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 4))):
        cells = draw(st.lists(st.sampled_from(["a.txt", "b.md", "sub/l.txt", "X Daily", "2021-07-13", "",
                                               '"unclosed', '""', "x" * 140_000, "Рябков", "a;b,c"]),
                              min_size=0, max_size=5))
        lines.append(delimiter.join(cells))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))).encode("utf-8")


files = st.dictionaries(
    st.sampled_from(NAMES),
    st.one_of(st.binary(max_size=600), text_file(), json_file(), csv_file()),
    max_size=6,
)


def _write(folder: Path, tree: dict, metadata: bytes | None) -> None:
    for name, data in tree.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if metadata is not None:
        (folder / "metadata.csv").write_bytes(metadata)


def _check_table(arts: pd.DataFrame) -> None:
    assert arts["article_id"].is_unique
    assert set(arts["status"]) <= {"ok", "warning", "error"}
    assert not arts["problem"].str.contains("unexpected").any(), arts["problem"].tolist()
    usable = arts[arts.status != "error"]
    assert usable["text"].map(lambda t: isinstance(t, str) and t.strip() != "").all()
    for text in arts["text"]:
        text.encode("utf-8")  # no lone surrogates left
    an.corpus_problems(arts)
    an.corpus_overview(arts)
    an.removed_lines(arts)


@fuzz(LOADER_EXAMPLES)
@given(tree=files, metadata=st.none() | csv_file())
@example(tree={}, metadata=None)
@example(tree={"a.txt": b"", "b.docx": b"PK\x03\x04"}, metadata=None)
@example(tree={"d.json": b"[" * 100_000 + b"]" * 100_000}, metadata=None)
@example(tree={"d.json": b'{"text": "x", "n": ' + b"9" * 5000 + b"}"}, metadata=None)
@example(tree={"d.json": b'{"text": "Talks \\ud800 failed."}'}, metadata=None)
@example(tree={"a.txt": b"Talks failed."}, metadata=b"file,notes\na.txt," + b"x" * 200_000 + b"\n")
@example(tree={"a.txt": b"Talks failed."}, metadata=b"file;outlet\na.txt;Semi\n")
def test_load_corpus_survives_any_folder(tree, metadata):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write(folder, tree, metadata)
        arts = an.load_corpus(folder)
        _check_table(arts)
        for name in tree:  # every file has its row, found by its path
            assert any(p.endswith(name) for p in arts["path"]), (name, arts["path"].tolist())


@fuzz(40)
@given(texts=st.lists(st.text(max_size=300), max_size=4))
def test_load_corpus_survives_any_dataframe(texts):
    arts = an.load_corpus(pd.DataFrame({"text": texts, "outlet": ["A"] * len(texts)}))
    assert len(arts) == len(texts)
    _check_table(arts)


# ---------------------------------------------------------------- the extractors

FRAGMENTS = [
    '"', '"', "“", "”", "‘", "’", "«", "»", "„", "'", "''", '""', '"""', "``",
    "said", "told reporters", "according to", "added", "warned", "says", "claimed", ":", ",", ".", "...", "…",
    "Рябков", "Сергей Рябков", "محمد", "习近平", "O'Neil", "Ryabkov", "Mr.", "Dr. J. R. R.", "he", "the minister",
    "the US", "U.S.", "Russia", "Moscow", "the Taliban", "China", "Washington", "Россия",
    "on Tuesday", "last week", "2021-07-13", "July 13", "20 years ago", "next month", "1999", "the 1990s",
    "regime", "slammed", "so-called", "thug", "propaganda", "hero", "radical",
    "\n\n", "\n", " ", ". . .", "!?", "?", "()", "(", ")", "[", "]", "--", "—", "-",
    "Talks failed", "The talks had failed", "unacceptable", "a", "the", "of", "9" * 40,
]
adversarial = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join)
anything = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
article_text = st.one_of(adversarial, anything, st.tuples(adversarial, anything).map("".join))

FIXED = [
    '"Talks failed," said Рябков.',
    '"Talks failed, said Ryabkov.',  # unbalanced
    'Talks failed," said Ryabkov. "And "again" and "" "',
    '"""""""""""""""""""""" said """ " "',
    "“‘«„ nested ‚‘ quotes ”’» said the minister.",
    ". . . . ! ? ... … \n\n . \n\n",
    "",
    "   \n\n\t ",
    '"Мы против," заявил Рябков. "We object," Ryabkov said on Tuesday, a week after talks in Geneva.',
    "According to according to according to said said said.",
    "The US. Russia. China. The Taliban. Washington. Moscow. Beijing.",
]


def _articles(texts: list[str]) -> pd.DataFrame:
    return an.load_corpus(pd.DataFrame({"text": texts, "outlet": [f"Outlet {i % 2}" for i in range(len(texts))],
                                        "published": ["2021-07-13"] * len(texts)}), languages=None)


def _check_span(text: str, start, end, surface, what: str) -> None:
    assert 0 <= start <= end <= len(text), (what, start, end, len(text))
    if isinstance(surface, str) and surface:
        span = text[start:end]
        parts = surface.split(" … ")  # an interrupted quote is joined with ' … ' over its whole span
        if len(parts) > 1:
            assert span.startswith(parts[0]) and span.endswith(parts[-1]) and all(p in span for p in parts), \
                (what, surface, span)
        else:
            assert span == surface, (what, surface, span)


def _run_every_extractor(texts: list[str]) -> dict:
    arts = _articles(texts)
    docs = nlp.parse(arts)
    by_id = dict(zip(arts["article_id"], arts["text"]))
    q = an.quotes(arts, docs=docs)
    e = an.entities(arts, docs=docs)
    d = an.dates(arts, docs=docs)
    s = an.stance(arts, TARGETS, docs=docs, quotes_table=q, entities_table=e)
    loaded = an.loaded_language(arts, q)
    for r in q.itertuples():
        text = by_id[r.article_id]
        _check_span(text, r.start, r.end, r.quote, "quote")
        for col in ("speaker", "cue"):
            value, start, end = getattr(r, col), getattr(r, f"{col}_start"), getattr(r, f"{col}_end")
            if isinstance(value, str) and value and pd.notna(start) and start >= 0:
                _check_span(text, int(start), int(end), value, col)
    for table, surface in ((e, "text"), (d, "text"), (s, "mention"), (loaded, "surface")):
        for r in table.itertuples():
            _check_span(by_id[r.article_id], r.start, r.end, getattr(r, surface), surface)
            if "sentence_start" in table.columns and pd.notna(r.sentence_start):
                _check_span(by_id[r.article_id], int(r.sentence_start), int(r.sentence_end), None, "sentence")
                assert r.sentence_start <= r.start and r.end <= r.sentence_end, ("sentence", r)
    return {"quotes": q, "entities": e, "dates": d, "stance": s, "loaded": loaded}


@pytest.mark.parametrize("text", FIXED)
def test_every_extractor_survives_adversarial_text(text):
    _run_every_extractor([text, "The US and Russia talked on Tuesday, officials said."])


@fuzz(EXTRACTOR_EXAMPLES)
@given(texts=st.lists(article_text, min_size=1, max_size=3))
def test_every_extractor_survives_random_text(texts):
    _run_every_extractor(texts)


def test_a_100000_word_sentence(monkeypatch):
    """One very long sentence (no paragraph or sentence break): parsed in pieces cut at spaces, every offset
    valid. The piece size is lowered so the test stays quick; the real size is measured in bench/."""
    monkeypatch.setattr(nlp, "MAX_CHUNK_CHARS", 50_000)
    words = ["the", "talks", "in", "Geneva", "went", "on", "and", "on", "while", "delegates", "waited"]
    body = " ".join(words[i % len(words)] for i in range(100_000))
    text = '"Talks failed," said Рябков, and the US said ' + body + " until Russia left."
    out = _run_every_extractor([text])
    assert len(out["quotes"]) >= 1
