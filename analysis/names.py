"""People's names: one place where a name is normalised, keyed and joined to the same person's other names.

Both the entity layer (``analysis.entities``) and the speaker layer use this module, so that one person gets
one canonical name whichever layer found them.

The API
-------
``fold(text) -> str``
    The spelling-variant key of any name (people, outlets, organisations): case, accents, curly quotes,
    a leading "The", a possessive 's, punctuation and common transliteration variants are folded
    (Sergei / Sergey, Aleksandr / Alexandr); Cyrillic is transliterated ("Рябков" meets "Ryabkov"); other
    scripts keep their letters, so a non-empty name never gives an empty key. ``lexicons.name_key`` is
    this function.
``strip_titles(name) -> str``
    Titles and roles written before a name, and a possessive after it, come off:
    "Rep. Adam B. Schiff's" -> "Adam B. Schiff". A name that is only a title is returned as it is.
``display_name(name) -> str``
    The name as a canonical is written: titles, possessive, middle initials and Jr./Sr. off
    ("Rep. Adam B. Schiff" -> "Adam Schiff").
``name_key(name) -> str``
    The key under which one person's written forms meet: ``fold(display_name(name))``.
    "Adam B. Schiff", "Adam Schiff", "Rep. Adam Schiff" give one key; "Mr. Schiff" and "Schiff" give
    the surname key.
``looks_like_person(name, min_words=2) -> bool``
    Two to four capitalised words (one with ``min_words=1``) once titles are off, no organisation word
    ("Group", "Ministry", "Airlines", ...), not a known outlet or country: "Marcus Bell" even when the
    model tagged it ORG; not "Kestrel Airways" nor "Reuters".
``surname(name) -> str``
    The last word of ``name_key(name)`` (the key of the surname).
``resolve_surname(name, named, at) -> str | None``
    A surname alone ("Schiff", "Mr. Schiff") at offset ``at`` of an article, given the full names
    ``named`` in that article as ``[(start, name), ...]``: the full name with that surname named nearest
    before it, else the nearest after it, else None.
``SurnameIndex(named)``, ``.resolve(name, at) -> str | None``
    The same look-up for many mentions of one article: the full names indexed by surname once, each
    ``resolve`` a dictionary access and a bisection (``resolve_surname`` builds one for a single call).
``canonical_people(mentions) -> Series``
    ``mentions`` is a DataFrame with columns ``article_id``, ``text``, ``start`` and ``label`` (rows whose
    label is ``PERSON`` are people; an optional ``canonical`` column gives the other rows their value).
    Returns a Series on the same index: for each person mention its canonical name, for the others their
    ``canonical`` (or ``text``). Within an article a surname goes to the full name named nearest before
    it (else after it); a surname no full name in its article explains goes to the one full name in the
    corpus with that surname, and stays as it is when the corpus has two (Hillary and Bill Clinton are
    never merged). Written forms of one key (Sergei / Sergey Ryabkov, Adam B. Schiff / Adam Schiff) take
    the form written most often (written without titles and middle initials). Linear in the number of
    mentions: names are keyed in dictionaries, never compared pair by pair.

>>> name_key("Rep. Adam B. Schiff's") == name_key("Adam Schiff")
True
>>> display_name("Rep. Adam B. Schiff")
'Adam Schiff'
>>> fold("Рябков") == fold("Ryabkov")
True
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache

import pandas as pd

__all__ = ["fold", "strip_titles", "display_name", "name_key", "surname", "looks_like_person", "resolve_surname",
           "SurnameIndex", "canonical_people", "TITLE_WORDS"]

#: Words written before a person's name that are not part of it (lower case, without a final period).
TITLE_WORDS = (
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "rep", "representative", "sen", "senator", "gov",
    "governor", "lt", "lieutenant", "gen", "general", "col", "colonel", "capt", "captain", "sgt", "sergeant",
    "adm", "admiral", "maj", "major", "cmdr", "commander", "rev", "reverend", "hon", "sir", "dame", "lord", "lady",
    "president", "vice", "prime", "minister", "foreign", "defense", "defence", "deputy", "secretary", "under",
    "chancellor", "mayor", "judge", "justice", "king", "queen", "prince", "princess", "sheikh", "ayatollah", "pope",
    "ambassador", "congressman", "congresswoman", "councillor", "councilor", "councilman", "councilwoman",
    "chairman", "chairwoman", "spokesman", "spokeswoman", "spokesperson", "inspector", "detective", "bishop",
    "father", "imam", "rabbi", "pastor", "coach", "chief", "executive", "ceo", "founder", "co-founder",
)
_TITLE = re.compile(r"^(?:(?:" + "|".join(re.escape(w) for w in sorted(TITLE_WORDS, key=len, reverse=True))
                    + r")\.?\s+|(?:of\s+(?:State|Defen[cs]e|the\s+Treasury|Justice|Homeland\s+Security)\s+))+",
                    re.I)
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_SUFFIX = re.compile(r",?\s+(?:Jr|Sr|II|III|IV)\.?$")
_INITIAL = re.compile(r"^[A-Z]\.?$|^[A-Z]\.[A-Z]\.?$")

_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "i", "ye", "g", "u"]))
_CYRILLIC.update({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"})
_TRANSLIT = [(r"ey\b", "ei"), (r"iy\b", "i"), (r"yi\b", "i"), (r"kh", "h"), (r"ks", "x"), (r"y", "i"),
             (r"(.)\1", r"\1")]


@lru_cache(maxsize=16384)
def fold(name: str) -> str:
    """A key under which spelling variants of one name meet: case, accents, a leading 'The', possessive,
    apostrophes and common transliteration variants (Sergei/Sergey, Aleksandr/Alexandr) are folded;
    Cyrillic is transliterated, and other scripts keep their letters (a name never gives an empty key).

    >>> fold("Sergey Ryabkov") == fold("Sergei Ryabkov")
    True
    >>> fold("The Wall Street Journal") == fold("Wall Street Journal")
    True
    """
    text = "".join(_CYRILLIC.get(ch, ch) for ch in str(name).lower())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['’`]s\b", "", text)
    text = re.sub(r"^the\s+", "", text.strip())
    text = re.sub(r"['’`]", "", text)
    text = "".join(ch if ch.isalnum() or ch == " " else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    for pattern, repl in _TRANSLIT:
        text = re.sub(pattern, repl, text)
    return text


def strip_titles(name: str) -> str:
    """Titles before a name and a possessive after it off: "Rep. Adam B. Schiff's" -> "Adam B. Schiff".

    >>> strip_titles("Mr. Schiff")
    'Schiff'
    >>> strip_titles("President")
    'President'
    """
    text = re.sub(r"\s+", " ", str(name).replace("\u2019", "’")).strip()
    text = _POSSESSIVE.sub("", text).strip()
    stripped = _TITLE.sub("", text).strip()
    return stripped if stripped and (stripped[:1].isupper() or not text[:1].isupper()) else text


def display_name(name: str) -> str:
    """The written form of a canonical name: titles, possessive, middle initials and Jr./Sr. off.

    >>> display_name("Mr. John Q. Public Jr.")
    'John Public'
    """
    text = _SUFFIX.sub("", strip_titles(name))
    words = text.split()
    if len(words) > 2:
        kept = [words[0], *[w for w in words[1:-1] if not _INITIAL.match(w)], words[-1]]
        text = " ".join(kept)
    return text


def name_key(name: str) -> str:
    """The key of a person's name: ``fold(display_name(name))`` (never empty for a non-empty name)."""
    key = fold(display_name(name))
    return key or fold(name) or str(name).strip().lower()


def surname(name: str) -> str:
    """The key of the surname: the last word of ``name_key(name)``."""
    words = name_key(name).split()
    return words[-1] if words else ""


#: Words that make a capitalised name an organisation's, not a person's.
_ORG_WORDS = re.compile(
    r"\b(?:inc|ltd|llc|plc|corp|co|company|group|party|council|ministry|department|union|bank|university|institute|"
    r"hospital|school|agency|office|news|times|post|labour|labor|conservative|green|democrats?|republicans?|"
    r"government|army|police|court|commission|command|cent(?:er|re)s?|foundation|association|alliance|"
    r"organi[sz]ation|committee|service|forces|navy|federal|national|international|united|corporation|club|fc|"
    r"state|city|county|trust|network|media|press|tv|radio|airlines|airways|aircraft|motors|systems|holdings)\b",
    re.I)


def looks_like_person(name: str, min_words: int = 2) -> bool:
    """Capitalised words that read as a person's name (see the module docstring).

    >>> looks_like_person("Marcus Bell"), looks_like_person("Kestrel Airways"), looks_like_person("Bell")
    (True, False, False)
    """
    from . import lexicons  # lexicons imports this module

    bare = strip_titles(name)
    words = bare.split()
    if not min_words <= len(words) <= 4 or _ORG_WORDS.search(bare):
        return False
    if fold(bare) in lexicons.outlets() or bare.lower() in lexicons.countries()["alias"]:
        return False
    return all(re.match(r"^[A-ZÀ-ÞА-Я][\w'’.-]*$", w) for w in words)


def resolve_surname(name: str, named, at: int) -> str | None:
    """The full name a surname alone stands for, at offset ``at`` of an article whose full names are
    ``named`` (``[(start, name), ...]``): the one with that surname named nearest before it, else the
    nearest after it, else None.

    >>> resolve_surname("Clinton", [(0, "Bill Clinton"), (40, "Hillary Clinton")], 60)
    'Hillary Clinton'
    >>> resolve_surname("Clinton", [(0, "Bill Clinton"), (40, "Hillary Clinton")], 20)
    'Bill Clinton'
    """
    return SurnameIndex(named).resolve(name, at)


class SurnameIndex:
    """The full names of an article (``[(start, name), ...]``) by surname, for :func:`resolve_surname` on many
    mentions: built once, each look-up is a dictionary access and a bisection (not a scan of every name).

    >>> index = SurnameIndex([(0, "Bill Clinton"), (40, "Hillary Clinton")])
    >>> index.resolve("Mr. Clinton", 60), index.resolve("Clinton", 20), index.resolve("Obama", 20)
    ('Hillary Clinton', 'Bill Clinton', None)
    """

    def __init__(self, named):
        groups: dict[str, list] = defaultdict(list)
        for start, name in named:
            if len(name_key(name).split()) > 1:
                groups[surname(name)].append((start, name))
        self._by_surname = {}
        for key, same in groups.items():
            same.sort()
            self._by_surname[key] = ([s for s, _ in same], [n for _, n in same])

    def resolve(self, name: str, at: int) -> str | None:
        """The full name ``name`` stands for at offset ``at`` (see :func:`resolve_surname`)."""
        key = surname(name)
        found = self._by_surname.get(key) if key else None
        if found is None:
            return None
        starts, full = found
        n = bisect.bisect_left(starts, at)  # full[:n] start before ``at``
        return full[n - 1] if n else full[0]


def canonical_people(mentions: pd.DataFrame) -> pd.Series:
    """One canonical name per person across the mentions of a corpus (see the module docstring).

    ``mentions``: ``article_id``, ``text``, ``start``, ``label`` (and optionally ``canonical``)."""
    base = mentions["canonical"] if "canonical" in mentions.columns else mentions["text"]
    out = base.copy()
    if mentions.empty:
        return out
    # plain lists, by position (a Series written one cell at a time costs more with every row it holds)
    is_person = (mentions["label"] == "PERSON").tolist()
    texts, arts, starts = mentions["text"].tolist(), mentions["article_id"].tolist(), mentions["start"].tolist()
    people = [p for p, yes in enumerate(is_person) if yes]
    key_of = {p: name_key(texts[p]) for p in people}
    full = {p for p, k in key_of.items() if len(k.split()) > 1}
    by_article: dict = defaultdict(list)
    for p in full:
        by_article[arts[p]].append((int(starts[p]), texts[p]))
    index = {art: SurnameIndex(named) for art, named in by_article.items()}  # one per article, built once
    no_names = SurnameIndex([])
    corpus_full: dict[str, set[str]] = defaultdict(set)  # surname key -> full-name keys in the corpus
    for p in full:
        corpus_full[key_of[p].split()[-1]].add(key_of[p])
    cluster = {}
    for p, key in key_of.items():
        if p in full:
            cluster[p] = key
            continue
        found = index.get(arts[p], no_names).resolve(texts[p], int(starts[p]))
        if found is not None:
            cluster[p] = name_key(found)
        elif len(corpus_full.get(key, ())) == 1:
            cluster[p] = next(iter(corpus_full[key]))
        else:
            cluster[p] = key
    # the written form of each cluster: the form of its full mentions written most often
    votes: dict[str, Counter] = defaultdict(Counter)
    for p, key in cluster.items():
        if key_of[p] == key:
            votes[key][display_name(texts[p])] += 1 + (p in full)
    best = {key: max(c, key=lambda n: (c[n], len(n))) for key, c in votes.items()}
    if cluster:
        out.iloc[list(cluster)] = [best.get(key, display_name(texts[p])) for p, key in cluster.items()]
    return out
