"""Source types: what kind of source a speaker is (government, media, expert, anonymous, organisation,
other) and its country, from the roles written beside it, its name and how it speaks."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from . import lexicons

_MEDIA_WORDS = re.compile(
    r"\b(news|newspapers?|news agency|wire service|magazine|journal|tv|television|radio|broadcast(er|ing)?|"
    r"press|daily|weekly|channel|network|newsroom|tabloid|gazette|times|post|tribune|herald)\b", re.I)


def _media_name(name: str) -> bool:
    """An outlet: a name in the outlets table (``analysis/data/outlets.csv``), or a capitalised name with a
    general media word in it ("Channel 4 News", "the Lakeside Gazette", "Radio Free Europe")."""
    if not name:
        return False
    if lexicons.name_key(name) in lexicons.outlets():
        return True
    return bool(_MEDIA_WORDS.search(name)) and name[:1].isupper()


_NON_PERSON_CLASSES = {"outlet", "institution", "organisation", ""}


def _is_person_role(word: str) -> bool:
    """Is this word a person's role (official, spokesman, president), not an institution or outlet?"""
    stype, rclass = _role_class(word)
    return bool(stype) and rclass not in _NON_PERSON_CLASSES


def _desc_class(words: str) -> tuple[str, str]:
    """Class of a description by its head noun first ("the county sheriff's office" is an office, not a
    sheriff), then by the whole phrase."""
    bare = re.sub(r"['’]s\b", "", words.lower()).split()
    if not bare:
        return "", ""
    for n in (3, 2, 1):
        if len(bare) >= n:
            found = lexicons.roles().get(" ".join(bare[-n:]))
            if found:
                if found[1] == "institution":
                    rest = _role_class(" ".join(bare[:-n]))
                    return (rest[0] if rest[0] in ("government", "organisation", "expert", "media")
                            else found[0]), "institution"
                return found
    return _role_class(words)


@lru_cache(maxsize=1)
def _roles_pattern() -> re.Pattern:
    words = sorted(lexicons.roles(), key=len, reverse=True)
    return re.compile(r"(?<![a-z])(" + "|".join(re.escape(w) for w in words) + r")(?![a-z])")


@lru_cache(maxsize=8192)
def _role_class(words: str) -> tuple[str, str]:
    """(source_type, role class) from the words of a role or description, most specific match first."""
    found = [m.group(1) for m in _roles_pattern().finditer(words.lower())]
    if not found:
        return "", ""
    return lexicons.roles()[max(found, key=len)]


def _country_in(words: str) -> str:
    countries = lexicons.countries()
    for token in re.findall(r"[A-Za-z][A-Za-z.]*(?:['’]s)?", words):
        bare = re.sub(r"['’]s$", "", token)
        low = bare.lower().rstrip(".") if bare not in ("U.S.",) else "u.s."
        for table in ("demonym", "alias"):
            if low in countries[table] and bare[:1].isupper():
                return countries[table][low]
    return ""


def _source_type(canonical: str, evidence) -> tuple[str, str]:
    """(source_type, country) of a named source from everything said about it in the corpus: the roles
    written next to its name anywhere, its name (a ministry, a newspaper), how it speaks (writes in a
    journal). ``evidence``: ``(label, role, row, mention)`` per mention, ``row`` a plain row of
    ``sources.article_part`` (its ``via`` and ``cue_lemma``) or None for a role alone."""
    countries = lexicons.countries()
    if canonical in set(countries["alias"].values()):
        return "government", canonical
    outlet = lexicons.outlets().get(lexicons.name_key(canonical))
    if outlet is not None:
        return "media", outlet[1]
    votes: Counter = Counter()
    country = _country_in(canonical)
    labels = {label for label, *_ in evidence}
    name_type, name_class = _role_class(canonical)
    if "PERSON" not in labels and name_type and name_class in ("institution", "outlet", "organisation", "expert"):
        votes[name_type] += 3  # "US State Department", "Carnegie Endowment", "Nursing Union"
    if "PERSON" not in labels and _media_name(canonical):
        votes["media"] += 3
    for label, role, row, _mention in evidence:
        stype, _ = _role_class(role or "")
        if stype and stype != "anonymous":
            votes[stype] += 2
        country = country or _country_in(role or "")
        if row is None:
            continue
        via = row["via"]
        if via and _role_class(via)[0] == "expert" and lexicons.name_key(via) not in lexicons.outlets():
            votes["expert"] += 1
        if row["cue_lemma"] == "write" and label == "PERSON":
            votes["expert"] += 1
        if label in ("ORG", "NORP") and not stype:
            votes["organisation"] += 1
    if not votes:
        return ("other" if "PERSON" in labels else "organisation"), country
    return votes.most_common(1)[0][0], country


def _unnamed_type(mention, note: str, ref) -> tuple[str, str]:
    """Type of a source the text does not name (``note``: the row's note): media for "earlier reports",
    else anonymous."""
    if mention.kind == "none" or not mention.text:
        return ("anonymous" if note == "speakerless attribution" else "unknown"), ""
    words = ref.description if ref is not None and ref.description else mention.text
    stype, rclass = lexicons.roles().get(mention.head_lemma) or _desc_class(words)
    country = _country_in(words)
    if rclass in ("outlet", "journalist"):
        return "media", country
    if mention.kind == "pronoun" and ref is None:
        return "unknown", ""
    if rclass == "spokesperson":  # on the record for a body: typed by the body it speaks for
        employer = _role_class(re.sub(r"spokes(man|woman|person)", "", words, flags=re.I))[0]
        return (employer if employer not in ("", "anonymous") else "organisation"), country
    plural = words.lower().split()[-1].endswith("s") if words.split() else False
    if re.match(r"(the|this)\s", words, re.I) and not plural and stype and stype != "anonymous":
        return stype, country  # "the returning officer", "the summit presidency": one identifiable office
    if rclass == "institution" and stype:
        return stype, country
    return "anonymous", country
