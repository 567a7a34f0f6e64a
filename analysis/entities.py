"""Who and what is named: entities from spaCy's NER, repaired for news and canonicalised across outlets.

``entities(articles)`` returns one row per mention with its offsets, label and ``canonical`` name: the
same real-world entity gets the same ``canonical`` in every outlet (US / U.S. / the United States /
America; Sergei / Sergey Ryabkov; Rep. Adam B. Schiff / Mr. Schiff / Schiff; WSJ / The Wall Street
Journal). People's names are keyed and joined by ``analysis.names`` (the module the speaker layer uses
too): a surname alone goes to the full name named nearest before it in the article, else to the one full
name with that surname in the corpus. Capitals used for governments keep their own canonical, with the
state in ``government`` (``metonymy=True`` moves it into ``canonical``). Demonyms stay NORP, with the
country they map to in ``country``.

spaCy's labels are kept except where a news repair was measured to help on real news (MEANTIME, see
``analysis.scoring``): titles and possessives off, a maker's name before a model number is a product
("Airbus A380", "Boeing 787"), a flight number is not part of its airline's name, company and event
suffixes ("Douglas Aircraft", "Paris Air Show"), a surname the model missed after the full name, and one
label per entity within an article (``one_label_per_entity``: a weighted vote of its mentions, with "<name>
CEO" and "to <city>, <country>" as cues).

``entity_matrix(entities, articles)`` tabulates which outlet names which entity, and how often.

Per article, then the corpus: ``entities(articles, docs=...)`` is ``finish([article_part(a, d) ...], articles)``,
so that a pipeline can run ``article_part`` on each parse as it comes out of ``nlp.pipe`` (in a worker process),
drop the Doc and run ``finish`` once:

``article_part(article: dict, doc, *, aliases=None, metonymy=False) -> dict``
    Everything that needs the parse, for one article: spaCy's entities repaired (titles, possessives,
    products, flights, suffixes, missed surnames and acronyms), one label per entity in the article, the
    alias tables' canonical name, government and country, and the sentence around each mention. Returns
    plain picklable data: ``{"article_id", "rows": [(text, label, canonical, start, end, government, country,
    sentence_start, sentence_end), ...]}`` (no spaCy object).
``finish(parts: list, articles: pd.DataFrame | None = None) -> pd.DataFrame``
    The corpus-level steps on those rows: people's canonical names across the corpus
    (``names.canonical_people``: a surname to the one full name with it in the corpus, spelling variants to
    the form written most often), an acronym to the one spelled-out organisation with those initials, and
    ``outlet`` from ``articles``. The parts are read in the order of ``articles`` (by ``article_id``), so any
    partition in any order gives the same table; the parts are never changed. Both halves are linear in the
    length of an article and in the size of the corpus (dictionaries keyed by name, bisection over offsets).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from functools import lru_cache

import pandas as pd

from . import lexicons, names
from .doctools import _Intervals, _text
from .nlp import parsed_articles

__all__ = ["entities", "article_part", "finish", "entity_matrix", "entity_coverage", "cooccurrence", "ENTITY_COLUMNS",
           "ENTITY_LABELS"]

ENTITY_COLUMNS = ["article_id", "text", "label", "canonical", "start", "end", "government", "country",
                  "sentence_start", "sentence_end"]
#: The labels kept (dates, numbers and money are left to the dates layer or ignored).
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")
_KEEP_UPPER = {"US", "USA", "UK", "UAE", "EU", "UN", "U.S.", "U.K.", "U.N."}
_TITLE_WORDS = re.compile(
    r"^(?:(?:President|Vice President|Prime Minister|Foreign Minister|Defen[cs]e Minister|Minister|Deputy|Secretary|"
    r"Under Secretary|Senator|Sen\.|Rep\.|Gov\.|Governor|Mayor|General|Gen\.|Admiral|Colonel|Col\.|Judge|"
    r"Justice|Chancellor|King|Queen|Prince|Sheikh|Ayatollah|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Prof\.?|Sir|Dame|"
    r"Spokes(?:man|woman|person)|Chair(?:man|woman)|Chief Executive|CEO)\s+)+")


#: The singular adjective of each country's people, the canonical form of a demonym ("Americans" -> "American").
_DEMONYM = {row.country: row.demonyms.split("|")[0] for row in lexicons.table("countries").itertuples(index=False)
            if row.demonyms}


def _aliases(extra=None) -> dict[str, tuple[str, str, str]]:
    """lower-case alias → (canonical, label, government), from countries.csv, outlets.csv and aliases.csv
    (plus a user CSV with columns alias, canonical, label[, government])."""
    out: dict[str, tuple[str, str, str]] = {}
    countries = lexicons.countries()
    for alias, country in countries["alias"].items():
        out[alias] = (country, "GPE", country)
    for capital, country in countries["capital"].items():
        out[capital] = (capital.title() if capital.islower() else capital, "GPE", country)
    for row in lexicons.table("countries").itertuples(index=False):
        if row.capital:
            out[row.capital.lower()] = (row.capital, "GPE", row.country)
    for key, (name, _country) in lexicons.outlets().items():
        out[key] = (name, "ORG", "")
    table = lexicons.table("aliases")
    if extra is not None:
        more = extra if isinstance(extra, pd.DataFrame) else pd.read_csv(extra, dtype=str, keep_default_na=False)
        more = more.reindex(columns=["alias", "canonical", "label", "government"]).fillna("")
        table = pd.concat([table, more], ignore_index=True)
    for row in table.itertuples(index=False):
        out[row.alias.lower()] = (row.canonical, row.label or "ORG", row.government or "")
    return out


def _lookup(aliases, text: str):
    low = text.lower()
    if low in aliases:
        return aliases[low]
    key = lexicons.name_key(text)
    for candidate in (re.sub(r"^the\s+", "", low), key):
        if candidate in aliases:
            return aliases[candidate]
    outlet = lexicons.outlets().get(key)
    if outlet is not None:
        return outlet[0], "ORG", ""
    return None


def _repair(doc, aliases) -> list[tuple[int, int, str]]:
    """spaCy's entities, repaired: titles and possessives off, a leading 'the' off GPEs, outlets and
    acronyms read as ORG, known aliases relabelled, and acronyms the model missed added."""
    text = _text(doc)
    spans: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        label = ent.label_
        if label not in ENTITY_LABELS:
            continue
        start, end = ent.start_char, ent.end_char
        surface = text[start:end]
        # possessive and trailing punctuation
        m = re.search(r"(?:['’]s|['’])$", surface)
        if m:
            end -= len(m.group(0))
            surface = text[start:end]
        # a title glued to a name: "President Joe Biden", "Defense Austin" (from "Secretary of Defense Austin")
        if label in ("PERSON", "ORG", "NORP", "GPE"):
            untitled = _TITLE_WORDS.sub("", surface)
            department = re.match(r"^(\S+)\s+(?=[A-Z])", untitled)
            glued = department is not None and _DEPARTMENT.match(department.group(1)) is not None
            cleaned = lexicons.clean_name(untitled) if label == "PERSON" or untitled != surface or glued else untitled
            if cleaned and cleaned != surface and cleaned in surface and cleaned[:1].isupper() and (
                    label == "PERSON" or cleaned != re.sub(r"^the\s+", "", surface, flags=re.I)):
                offset = surface.rfind(cleaned)
                start, end = start + offset, start + offset + len(cleaned)
                surface = cleaned
                if (label in ("ORG", "NORP") and names.looks_like_person(surface, min_words=1)
                        and _lookup(aliases, surface) is None):
                    label = "PERSON"
        if label in ("ORG", "WORK_OF_ART"):  # "Stars and Stripes newspaper" -> the outlet
            cleaned = lexicons.clean_name(surface)
            if cleaned != surface and lexicons.name_key(cleaned) in lexicons.outlets() and cleaned in surface:
                offset = surface.find(cleaned)
                start, end = start + offset, start + offset + len(cleaned)
                surface = cleaned
        if label == "ORG" and _DEPARTMENT.match(surface) and re.search(r"\bof\s+$", text[max(0, start - 4):start]):
            continue  # "Secretary of Defense": part of a title, not an organisation
        if re.match(r"^the\s", surface, re.I) and label in ("GPE", "LOC", "NORP"):
            start += 4
            surface = text[start:end]
        if surface.lower() in lexicons.countries()["demonym"] and label in ("PERSON", "ORG", "GPE"):
            label = "NORP"  # "Tajik officials", "Afghan politicians"
        found = _lookup(aliases, surface)
        if found is not None and found[1]:
            label = found[1]
        elif (surface.isupper() and 3 <= len(surface.replace(".", "")) <= 6 and surface not in _KEEP_UPPER
              and not any(ch.isdigit() for ch in surface)):
            label = "ORG"  # acronyms: CSTO, CENTCOM, NATO
        if lexicons.name_key(surface) in lexicons.outlets():
            label = "ORG"
        if surface and start < end:
            spans.append((start, end, label))
    # acronyms and aliases the model did not tag at all
    taken = _Intervals((s, e) for s, e, _ in spans)
    for m in re.finditer(r"\b[A-Z][A-Z.]{2,7}\b", text):
        word = m.group(0).rstrip(".")
        if word in _KEEP_UPPER or taken.overlaps(m.start(), m.end()):
            continue
        found = _lookup(aliases, word)
        if found is not None:
            spans.append((m.start(), m.start() + len(word), found[1]))
    return sorted(spans)


_DEPARTMENT = re.compile(r"^(Defen[cs]e|State|Treasury|Health|Education|Justice|Interior|Commerce|Energy|Labou?r|"
                         r"Agriculture|Transportation|Homeland Security|Veterans Affairs|War|the Navy|the Army)$")


# ------------------------------------------------------------------ news repairs on the spans of one article
#: A model designation written after a maker's name: "Airbus A380", "Boeing 787", "737-800", "DC-9".
_MODEL = re.compile(r"(?:[A-Z]{1,3}-?)?\d{2,4}[A-Z]{0,3}(?:-\d{1,4}[A-Z]{0,3})?(?:['’]?s)?")
_AFTER_MODEL = re.compile(r"(?![,.]\d)(?=[\s,.;:)!?'’\"”]|$)")
#: The last word of a company's name: "Douglas Aircraft", "AirTran Airways", "Apple Inc."
_CORPORATE = re.compile(
    r"\s(?:Inc|Corp|Corporation|Co|Company|Companies|Ltd|Limited|LLC|PLC|plc|AG|GmbH|SA|S\.A|NV|N\.V|Group|Holdings|"
    r"Airlines|Airways|Aircraft|Aerospace|Motors|Bank|Systems|Technologies|Industries|Pharmaceuticals|Records|"
    r"Studios|Entertainment|Communications|Telecom|Electronics|Software|Computer|Computers|Enterprises)\.?$")
#: The last word of an event's name: "Paris Air Show", "Olympic Games", "G20 Summit".
_EVENT = re.compile(r"\s(?:Show|Games|Olympics|Summit|Conference|Expo|Festival|Championships?|Cup|Awards|Fair|"
                    r"Marathon|Grand Prix)$")
#: Words after a name that make it an employer ("Ryanair CEO", "Apple's chief executive").
_EMPLOYER_CUE = re.compile(r"^(?:['’]s)?\s+(?:CEO|chief executive|chairman|chairwoman|co-founder|founder|"
                           r"shareholders|employees|spokes(?:man|woman|person)|board)\b")
_TRAILING_ROLE = re.compile(r"\s+(?:CEO|[Cc]hief [Ee]xecutive|[Cc]hair(?:man|woman)|[Cc]o-?founder|[Ff]ounder|"
                            r"[Ss]pokes(?:man|woman|person))$")
_LOCATIVE = re.compile(r"\b(?:in|at|from|to|near|into|outside|via)\s+$")
_LABEL_ORDER = ("PERSON", "ORG", "GPE", "LOC", "FAC")  # the order in which a tied vote is won


def _is_model(word: str) -> bool:
    return bool(_MODEL.fullmatch(word)) and not re.fullmatch(r"(?:19|20)\d\d", word)


def _news_repairs(doc, spans: list, aliases) -> list[dict]:
    """Repairs that need the words around a span: a maker's name followed by a model designation is a
    product ("Airbus A380", "Boeing 787", "Rolls-Royce Trent 900"), a flight is not part of its airline's
    name ("Air France Flight 447"), a company suffix makes an organisation ("Douglas Aircraft"), an event
    word an event ("Paris Air Show"); and the cues that weigh in the article's vote on a name's label
    ("<name> CEO" after a name: an organisation; "to Toulouse, France": a place)."""
    text = _text(doc)
    out = []
    for start, end, label in spans:
        surface = text[start:end]
        span = {"start": start, "end": end, "label": label, "cue": None, "fixed": False}
        flight = re.search(r"\s+Flight(?:\s+\d+)?$", surface) if label in ("ORG", "PERSON") else None
        if flight and flight.start() > 0:  # "Garuda Indonesia Flight 200": the airline
            end = start + flight.start()
            surface = text[start:end]
            span.update(end=end, cue="ORG")
        if label == "ORG":
            after = re.match(r"\s+(\S+?)" + _AFTER_MODEL.pattern, text[end:end + 24])
            if after and _is_model(after.group(1)):  # "Airbus A380": the aircraft, not the company
                span.update(label="PRODUCT", end=end + after.end(1))
            elif (" " in surface and _is_model(surface.split()[-1])) or _is_model(surface):
                span["label"] = "PRODUCT"  # "Rolls-Royce Trent 900", "A350"
        role = _TRAILING_ROLE.search(surface) if span["label"] in ("PERSON", "ORG") else None
        if role and role.start() > 0:  # "Zentrix CEO": the employer, not the executive
            span["end"] = start + role.start()
            span["cue"] = "ORG"
        surface = text[span["start"]:span["end"]]
        found = _lookup(aliases, surface)
        if found is not None and found[1] == span["label"]:
            span["fixed"] = True  # a known name keeps its label
        elif span["label"] in ("PERSON", "GPE", "LOC", "NORP") and _CORPORATE.search(surface):
            span["label"] = "ORG"
        elif span["label"] in ("ORG", "GPE", "LOC", "FAC", "PERSON") and _EVENT.search(surface):
            span["label"] = "EVENT"
        before = text[max(0, span["start"] - 40):span["start"]]
        if span["cue"]:
            pass
        elif span["label"] == "PERSON" and " " not in surface and _EMPLOYER_CUE.match(text[span["end"]:]):
            span["cue"] = "ORG"
        elif span["label"] == "PERSON" and " " not in surface and _LOCATIVE.search(before):
            place = re.match(r"^(?:,\s+|\s+in\s+)((?:the\s+)?[A-Z][\w.]*?(?:\s+[A-Z][\w.]*?)*)\.?(?!\w)",
                             text[span["end"]:])
            if place and place.group(1).lower() in lexicons.countries()["alias"]:
                span["cue"] = "GPE"  # "flown to Toulouse, France", "from Toulouse in France"
        out.append(span)
    products = sorted((s["start"], s["end"]) for s in out if s["label"] == "PRODUCT")
    reach, top = [], -1  # the furthest end of the products so far, in order of start
    for _, b in products:
        top = max(top, b)
        reach.append(top)
    return [s for s in out if not _inside_other(products, reach, s["start"], s["end"])]


def _inside_other(spans: list, reach: list, start: int, end: int) -> bool:
    """``any(a <= start and end <= b and (a, b) != (start, end) for a, b in spans)`` for sorted ``spans``
    (``reach[i]``: the greatest end of ``spans[:i + 1]``), by bisection: another span holds it when one
    starting at or before it ends after it, or one starting before it ends with it."""
    n = bisect.bisect_right(spans, (start, float("inf")))  # the spans with a <= start
    k = bisect.bisect_left(spans, (start, float("-inf")))  # the spans with a < start
    return bool(n and reach[n - 1] > end or k and reach[k - 1] >= end)


def _headline_end(text: str) -> int:
    """The end of a headline on the first line (short and without a final stop), else 0."""
    first = text.split("\n", 1)[0]
    return len(first) if "\n" in text and len(first.split()) <= 20 and not first.rstrip().endswith((".", "?", "!")) \
        else 0


def _add_surnames(doc, spans: list[dict]) -> list[dict]:
    """A surname alone that the model missed, after the person was named in full in the article
    ("... Jusman Syafii Djamal ... quoted Djamal as saying")."""
    text = _text(doc)
    people = [(s["start"], text[s["start"]:s["end"]]) for s in spans if s["label"] == "PERSON"]
    surnames = {names.surname(n) for _, n in people if len(names.name_key(n).split()) > 1}
    first = min((s for s, n in people if len(names.name_key(n).split()) > 1), default=len(text))
    taken = _Intervals((s["start"], s["end"]) for s in spans)
    added = []
    for tok in doc:
        if (tok.idx > first and not tok.ent_type_ and tok.text[:1].isupper() and tok.is_alpha and not tok.is_stop
                and names.fold(tok.text) in surnames and not taken.overlaps(tok.idx, tok.idx + len(tok))):
            added.append({"start": tok.idx, "end": tok.idx + len(tok), "label": "PERSON", "cue": None,
                          "fixed": False})
    return sorted(spans + added, key=lambda s: s["start"])


def one_label_per_entity(text: str, spans: list[dict]) -> list[dict]:
    """One label per name within an article: the mentions of one name (its full form, and a surname alone
    after a person named in full) take the label most of them carry, weighted by how reliable each is.

    A person is a person everywhere: a name tagged PERSON once and GPE or ORG once ends as PERSON (a tie
    goes to PERSON); the other label wins only with more weight. Weights: 1 a mention, 3 a mention with a cue around it
    ("<name> CEO" after it or "<name> Flight 200": ORG; "to <name>, <country>": GPE), 0.5 a
    mention in the headline (title case misleads the model). A lone word tagged PERSON that is a word of
    an organisation's name in the article and of no person's ("Douglas" beside "McDonnell Douglas") votes
    ORG. Ties go to PERSON, then ORG, GPE, LOC, FAC. Known names (the alias tables) keep their label and
    do not vote."""
    head = _headline_end(text)
    votable = [s for s in spans if s["label"] in _LABEL_ORDER and not s["fixed"]]
    surface = {id(s): text[s["start"]:s["end"]] for s in votable}
    full_people = [(s["start"], surface[id(s)]) for s in votable
                   if s["label"] == "PERSON" and len(names.name_key(surface[id(s)]).split()) > 1]
    person_words = {w for _, n in full_people for w in names.name_key(n).split()}
    org_words = {w for s in votable if s["label"] == "ORG" and " " in surface[id(s)]
                 for w in names.fold(surface[id(s)]).split()}
    groups: dict[str, list[dict]] = defaultdict(list)
    surnames = names.SurnameIndex(full_people)
    for s in votable:
        name = surface[id(s)]
        key = names.name_key(name) if s["label"] == "PERSON" else names.fold(name)
        if len(key.split()) == 1 and s["label"] in ("PERSON", "ORG"):  # the model's places are seldom surnames
            full = surnames.resolve(name, s["start"])
            if full is not None:
                key = names.name_key(full)
        groups[key].append(s)
    for members in groups.values():
        votes: Counter = Counter()
        for s in members:
            name = surface[id(s)]
            weight = 0.5 if s["start"] < head else 1.0
            label = s["label"]
            if s["cue"]:
                label, weight = s["cue"], 3.0
            elif label == "PERSON" and " " not in name:
                word = names.fold(name)
                if word in org_words and word not in person_words:
                    label, weight = "ORG", 2.0
            votes[label] += weight
        best = max(votes, key=lambda lab: (votes[lab], -_LABEL_ORDER.index(lab)))
        for s in members:
            s["label"] = best
    return spans


def entities(articles: pd.DataFrame, *, aliases=None, metonymy: bool = False, docs: dict | None = None,
             text_col: str = "text") -> pd.DataFrame:
    """Who and what each article names: one row per mention (the entities table).

    Args:
        articles: the articles table (``article_id``, ``text``).
        aliases: extra aliases, a CSV path or DataFrame with columns ``alias``, ``canonical``, ``label``
            and optionally ``government`` (e.g. ``Kremlin,Kremlin,ORG,Russia``).
        metonymy: when True, a capital or seat of government used as a place name gets its state as
            ``canonical`` ("Moscow" → Russia). By default it keeps its own name and the state is in
            ``government``.
        docs: parses to reuse (``{article_id: Doc}``).

    Returns:
        A new DataFrame with ``ENTITY_COLUMNS``: the surface ``text``, ``label`` (PERSON, ORG, GPE, LOC,
        NORP, FAC, ...), ``canonical``, ``start``/``end`` offsets, ``government`` (the state a capital
        stands for), ``country`` (for demonyms and places), and the sentence around the mention.

    Example:
        >>> import pandas as pd
        >>> arts = pd.DataFrame({"article_id": ["a"], "text": [
        ...     "Sergey Ryabkov met U.S. officials. Ryabkov said Washington and the United States erred."]})
        >>> entities(arts)[["text", "label", "canonical"]].values.tolist()
        [['Sergey Ryabkov', 'PERSON', 'Sergey Ryabkov'], ['U.S.', 'GPE', 'United States'], \
['Ryabkov', 'PERSON', 'Sergey Ryabkov'], ['Washington', 'GPE', 'Washington'], \
['United States', 'GPE', 'United States']]
    """
    usable, pairs = parsed_articles(articles, docs, text_col=text_col)
    table = _aliases(aliases)
    return finish([article_part(article, doc, aliases=table, metonymy=metonymy) for article, doc in pairs], usable)


@lru_cache(maxsize=1)
def _default_aliases() -> dict[str, tuple[str, str, str]]:
    return _aliases(None)


def article_part(article: dict, doc, *, aliases=None, metonymy: bool = False) -> dict:
    """Everything about one article's entities that needs its parse, as plain picklable data (see the
    module docstring): ``{"article_id", "rows": [(text, label, canonical, start, end, government, country,
    sentence_start, sentence_end), ...]}``. ``aliases`` and ``metonymy`` as for :func:`entities` (``aliases``
    may also be the table ``_aliases`` builds, so that it is built once for a corpus)."""
    if aliases is None:
        table = _default_aliases()
    elif isinstance(aliases, dict):
        table = aliases
    else:
        table = _aliases(aliases)
    text = _text(doc)
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    sent_starts = [s for s, _ in sents]
    spans = _add_surnames(doc, _news_repairs(doc, _repair(doc, table), table))
    rows = []
    for span in one_label_per_entity(text, spans):
        start, end, label = span["start"], span["end"], span["label"]
        surface = text[start:end]
        found = _lookup(table, surface)
        canonical, government, country = lexicons.clean_name(surface) if label == "ORG" else surface, "", ""
        if found is not None:
            canonical, _, government = found
        if label == "NORP":
            country = lexicons.countries()["demonym"].get(surface.lower(), "")
            canonical = _DEMONYM.get(country, surface) if country else (canonical if found else surface)
        elif label in ("GPE", "LOC"):
            country = lexicons.countries()["alias"].get(surface.lower(), "") or government
        if government and canonical == government:
            government = ""  # the state itself, not a place standing for it
        if metonymy and government:
            canonical = government
        # the sentence it starts in (sentences are disjoint and in order: the last one starting before it)
        n = bisect.bisect_right(sent_starts, start) - 1
        sent = sents[n] if n >= 0 and start < sents[n][1] else (start, end)
        rows.append((surface, label, canonical, int(start), int(end), government, country, int(sent[0]),
                     int(sent[1])))
    return {"article_id": article["article_id"], "rows": rows}


def finish(parts: list, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """The entities table from the parts of :func:`article_part` (see the module docstring): people's
    canonical names across the corpus (``names.canonical_people``), acronyms joined to the spelled-out
    organisation, and the ``outlet`` of each article when ``articles`` has that column. ``articles`` (at
    least ``article_id``) gives the order in which the corpus is read; parts of other ids come after, by id."""
    position: dict = {}
    if articles is not None and "article_id" in articles.columns:
        for n, art_id in enumerate(articles["article_id"].tolist()):
            position.setdefault(art_id, n)
    end = len(position)
    ordered = sorted(parts, key=lambda p: (position.get(p["article_id"], end), "" if p["article_id"] in position
                                           else str(p["article_id"])))
    frame = pd.DataFrame([(part["article_id"], *row) for part in ordered for row in part["rows"]],
                         columns=ENTITY_COLUMNS)
    if not frame.empty:
        frame["canonical"] = _canonical_people(frame)
    if articles is not None and "outlet" in articles.columns:  # so that per-outlet tables need nothing else
        frame["outlet"] = frame["article_id"].map(dict(zip(articles["article_id"], articles["outlet"])))
    return frame


def _canonical_people(frame: pd.DataFrame) -> pd.Series:
    """Person names through ``analysis.names.canonical_people`` (titles, middle initials and spelling variants
    folded; a surname to the full name named nearest before it in the article, else to the one full name
    with that surname in the corpus); an acronym of an organisation to its spelled-out name."""
    canonical = names.canonical_people(frame[["article_id", "text", "start", "label", "canonical"]])
    # organisations: an acronym joins the spelled-out name (WSJ / Wall Street Journal), the names keyed by
    # their initials once (not every name scanned for every acronym)
    orgs = (frame["label"] == "ORG").tolist()
    values = canonical.tolist()
    spelled_by_initials: dict[str, set[str]] = defaultdict(set)
    for n in {v for v, org in zip(values, orgs) if org}:
        if " " in n:
            spelled_by_initials["".join(w[0] for w in re.sub(r"^The\s+", "", n).split() if w[0].isupper())].add(n)
    joined = {}
    for p, (name, org) in enumerate(zip(values, orgs)):
        if org and name.isupper() and " " not in name:
            spelled = spelled_by_initials.get(name, ())
            if len(spelled) == 1:
                joined[p] = next(iter(spelled))
    if joined:  # written at once (a Series written one cell at a time costs more with every row it holds)
        canonical.iloc[list(joined)] = list(joined.values())
    return canonical


def _by(ents: pd.DataFrame, articles: pd.DataFrame | None, by: str) -> tuple[pd.DataFrame, list]:
    if articles is None:
        if by not in ents.columns:
            raise KeyError(f"the entities table has no '{by}' column: pass the articles table too")
        return ents, sorted(ents[by].dropna().unique())
    e = ents.drop(columns=[by], errors="ignore").merge(articles[["article_id", by]], on="article_id", how="left")
    return e, sorted(articles.loc[articles.get("status", pd.Series("ok", index=articles.index)) != "error", by]
                     .dropna().unique())


def entity_matrix(ents: pd.DataFrame, articles: pd.DataFrame | None = None, *, by: str = "outlet",
                  labels=("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"), top: int | None = 40) -> pd.DataFrame:
    """Outlet × canonical entity: how many times each outlet names each entity (most named first).

    With the articles table, outlets that name none of them are kept as rows of zeros, so an omission
    shows as an empty row; without it, the entities table's own ``outlet`` column is used."""
    e, groups = _by(ents, articles, by)
    e = e[e["label"].isin(labels)]
    matrix = pd.crosstab(e[by], e["canonical"])
    matrix = matrix.reindex(groups, fill_value=0)
    order = matrix.astype(bool).sum().mul(1000).add(matrix.sum()).sort_values(ascending=False).index
    matrix = matrix[order]
    return matrix.iloc[:, :top] if top else matrix


def entity_coverage(ents: pd.DataFrame, articles: pd.DataFrame | None = None, *, by: str = "outlet") -> pd.DataFrame:
    """Per entity: its label, how many outlets name it, which, and which do not (named by one outlet only,
    by several, or by every outlet)."""
    matrix = entity_matrix(ents, articles, by=by, top=None)
    labels = ents.groupby("canonical")["label"].agg(lambda s: s.value_counts().index[0])
    n = len(matrix.index)
    rows = []
    for name in matrix.columns:
        present = matrix.index[matrix[name] > 0].tolist()
        rows.append({"entity": name, "label": labels.get(name, ""), "outlets": len(present),
                     "mentions": int(matrix[name].sum()),
                     "coverage": "every outlet" if len(present) == n and n > 1 else (
                         "one outlet only" if len(present) == 1 else "several outlets"),
                     "named_by": ", ".join(present),
                     "not_named_by": ", ".join(o for o in matrix.index if o not in present)})
    columns = ["entity", "label", "outlets", "mentions", "coverage", "named_by", "not_named_by"]
    return pd.DataFrame(rows, columns=columns).sort_values(["outlets", "mentions"], ascending=False).reset_index(
        drop=True)


def cooccurrence(ents: pd.DataFrame, *, entities: list[str] | None = None, top: int = 12) -> pd.DataFrame:
    """How often two entities are named in the same sentence (a square table; the diagonal counts the
    sentences that name the entity at all)."""
    if entities is None:
        entities = ents["canonical"].value_counts().head(top).index.tolist()
    e = ents[ents["canonical"].isin(entities)]
    per_sentence = e.groupby(["article_id", "sentence_start"])["canonical"].agg(lambda s: sorted(set(s)))
    table = pd.DataFrame(0, index=entities, columns=entities)
    for named in per_sentence:
        for a in named:
            for b in named:
                table.loc[a, b] += 1
    return table
