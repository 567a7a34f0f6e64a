"""The shipped word lists (``analysis/data/*.csv``), loaded once, each extendable by the user.

Every list is a CSV a reader can open; functions that use one take an optional ``extra`` argument (a
path to a CSV with the same columns, or a DataFrame) that is added to the shipped rows.
"""

from __future__ import annotations

import io
import re
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from .names import fold

__all__ = ["table", "cues", "countries", "outlets", "outlet_for_url", "roles", "name_key", "clean_name"]


def _read(name: str) -> pd.DataFrame:
    text = resources.files("analysis").joinpath(f"data/{name}.csv").read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


@cache
def _shipped(name: str) -> pd.DataFrame:
    return _read(name)


def table(name: str, extra=None) -> pd.DataFrame:
    """A shipped list (``cues``, ``countries``, ``outlets``, ``roles``, ...) plus the user's rows."""
    base = _shipped(name)
    if extra is None:
        return base
    more = extra if isinstance(extra, pd.DataFrame) else pd.read_csv(Path(extra), dtype=str, keep_default_na=False)
    missing = set(base.columns) - set(more.columns)
    if missing:
        raise ValueError(f"the extra {name} list lacks columns {sorted(missing)} (needs {list(base.columns)})")
    return pd.concat([base, more[base.columns]], ignore_index=True)


def cues(extra=None) -> dict[str, set[str]]:
    """Cue lexicon by part: ``verb``, ``noun``, ``carrier`` and ``prep`` lemmas (lower case)."""
    out: dict[str, set[str]] = {"verb": set(), "noun": set(), "carrier": set(), "prep": set()}
    for lemma, pos in table("cues", extra)[["lemma", "pos"]].itertuples(index=False):
        out.setdefault(pos.strip(), set()).add(lemma.strip().lower())
    return out


@lru_cache(maxsize=1)
def _countries() -> dict:
    alias, demonym, capital = {}, {}, {}
    for row in _shipped("countries").itertuples(index=False):
        name = row.country
        for a in [name, *filter(None, row.aliases.split("|"))]:
            alias[a.lower()] = name
            if a.lower().startswith("the "):
                alias[a.lower()[4:]] = name
        for d in filter(None, row.demonyms.split("|")):
            demonym[d.lower()] = name
        if row.capital:
            capital[row.capital.lower()] = name
    return {"alias": alias, "demonym": demonym, "capital": capital}


def countries() -> dict:
    """``{"alias": {...}, "demonym": {...}, "capital": {...}}``, each lower-case word → country name."""
    return _countries()


@lru_cache(maxsize=1)
def _outlets() -> dict[str, tuple[str, str]]:
    out = {}
    for row in _shipped("outlets").itertuples(index=False):
        # a name that is also an ordinary word, surname or place ("The Hill", "Time", "The Age") is not used
        # to recognise the outlet in a text; its aliases and its domain still are
        names = [] if row.name_ambiguous.strip().lower() == "yes" else [row.name]
        for a in [*names, *filter(None, row.aliases.split("|"))]:
            out[name_key(a)] = (row.name, row.country)
    return out


def outlets() -> dict[str, tuple[str, str]]:
    """Known outlets: ``name_key(alias)`` → (canonical name, country).

    The table (``analysis/data/outlets.csv``) lists news organisations with their ``aliases``
    (pipe-separated), ``country``, ``language`` (ISO 639-1 codes), ``state_owned`` (yes when a state or a
    public body owns it, public-service broadcasters included; no; blank when not publicly known),
    ``domain`` (pipe-separated) and ``name_ambiguous`` (yes when the bare name is an ordinary word, a
    surname or a place, and is not matched)."""
    return _outlets()


@lru_cache(maxsize=1)
def _domains() -> dict[str, str]:
    return {d.strip().lower(): row.name for row in _shipped("outlets").itertuples(index=False)
            for d in row.domain.split("|") if d.strip()}


def outlet_for_url(url) -> str | None:
    """The known outlet whose domain the address is on (``https://www.bbc.co.uk/news/x`` → ``BBC``),
    or None. A subdomain matches its domain; the longest matching domain wins."""
    if not isinstance(url, str) or not url.strip():
        return None
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip().lower()).split("/", 1)[0].split(":", 1)[0]
    host = host.split("@")[-1].removeprefix("www.")
    domains = _domains()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = domains.get(".".join(parts[i:]))
        if name is not None:
            return name
    return None


@lru_cache(maxsize=1)
def _roles() -> dict[str, tuple[str, str]]:
    return {r.word.lower(): (r.source_type, r.role_class) for r in _shipped("roles").itertuples(index=False)}


def roles() -> dict[str, tuple[str, str]]:
    """Role words → (source_type, role class), e.g. ``"minister"`` → ``("government", "diplomat")``."""
    return _roles()


#: The one name-folding function lives in analysis.names (re-exported here under its old name).
name_key = fold

_HONORIFIC = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Gen|Lt|Col|Capt|Sgt|Rev|Sen|Rep|Gov|Sir|Dame|Lord|Lady|"
                        r"Justice|Judge|President|Minister|Sheikh|Ayatollah|Councill?or|Councilman|Councilwoman|"
                        r"Senator|Mayor|Governor|Chancellor|Ambassador|Professor|Sergeant|Captain|Colonel|General|"
                        r"Admiral|Inspector|Detective|Bishop|Father|Imam|Rabbi)\.?\s+)+")


def clean_name(name: str) -> str:
    """Drop generic words glued to a name by the tagger: "Stars and Stripes newspaper" -> "Stars and Stripes",
    "Defense Austin" (from "Secretary of Defense Austin") -> "Austin", "Mrs Fairweather" -> "Fairweather",
    "the Sunday Ledger" -> "Sunday Ledger"."""
    name = re.sub(r"^the\s+", "", name)
    stripped = _HONORIFIC.sub("", name)
    if stripped and stripped != name and stripped[:1].isupper():
        name = stripped
    name = re.sub(r"\s+(newspaper|daily|magazine|website|channel|agency|news agency|broadcaster)$", "", name,
                  flags=re.I)
    name = re.sub(r"^(Defen[cs]e|State|Health|Education|Justice|Interior|Commerce|Energy|Labou?r|Agriculture|"
                  r"Treasury|Transportation|Homeland Security|Veterans Affairs|Foreign Affairs|Finance|Trade)\s+"
                  r"(?=[A-Z][a-z])", "", name)
    return name.strip()
