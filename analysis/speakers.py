"""Speakers: the phrase naming a speaker, what it refers to in its article (pronouns, descriptions,
surnames) and one canonical name per source across the corpus."""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from . import lexicons, names
from .doctools import _contiguous_from, _entity_of, _span_of, _text
from .source_types import _country_in, _desc_class, _is_person_role, _media_name, _role_class

_PRONOUNS = {"he": "m", "she": "f", "they": "p", "it": "n", "we": "p", "i": "s", "his": "m", "her": "f", "their": "p",
             "its": "n"}  # possessives own a document: "his letter said"
_SPEAKER_ENTS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "WORK_OF_ART", "LOC"}


def _noun_phrase_name(head) -> tuple[str, object]:
    """(name, entity-or-None) of the phrase a token heads: the named entity in it, else the phrase."""
    ent = _entity_of(head)
    if ent is not None and ent.label_ in _SPEAKER_ENTS:
        return ent.text, ent
    # a noun with a proper name in front: "America's Stars and Stripes newspaper" -> "Stars and Stripes"
    left = [t for t in head.lefts if t.dep_ in ("compound", "nmod", "npadvmod") and t.pos_ == "PROPN"]
    if left:
        tokens = []
        for t in left:
            tokens += [x for x in t.subtree if x.dep_ not in ("poss", "case", "det") and x.i < head.i]
        tokens = _contiguous_from(tokens, head)
        if tokens:
            ent2 = _entity_of(tokens[0])
            return head.doc[tokens[0].i:tokens[-1].i + 1].text, ent2
    s, e, text, _ = _speaker_phrase(head)
    return text, None


def _speaker_phrase(head, *, description: bool = False) -> tuple[int, int, str, str]:
    """(start, end, text, role) of the speaker named by a phrase head, without appositions or titles
    (with ``description``, the whole noun phrase: "the Russian President")."""
    doc = head.doc
    if head.pos_ == "PRON":
        return head.idx, head.idx + len(head.text), head.text, ""
    ent = _entity_of(head) if not description else None
    blocked = {"appos", "relcl", "acl", "advcl", "punct", "parataxis"}
    np = [t for t in head.subtree]
    skip = set()
    for c in head.children:
        if c.dep_ in blocked:
            skip.update(t.i for t in c.subtree)
    np = [t for t in np if t.i not in skip]
    # stop at the first comma after the head (the words from that comma on are left out)
    last = max((t.i for t in np), default=head.i)
    comma = next((i for i in range(head.i, last + 1) if doc[i].text == ","), last + 1)
    np = [t for t in np if not (t.i > head.i and t.i >= comma)]
    appos = [c for c in head.children if c.dep_ == "appos"]
    role_parts = []
    if ent is not None and ent.label_ in _SPEAKER_ENTS:
        text = lexicons.clean_name(ent.text)
        s = ent.start_char + max(ent.text.find(text), 0)
        e = s + len(text)
        before = [t for t in np if t.i < ent.start and t.dep_ not in ("det",) and not t.is_punct]
        if before or s > ent.start_char:
            role_parts.append(_text(doc)[(before[0].idx if before else ent.start_char):s].strip())
    else:
        proper = [t for t in np if t.pos_ == "PROPN" and t.i <= head.i]
        if head.pos_ == "PROPN" and proper and not description:
            run = _contiguous_from([t for t in proper if t.i <= head.i], head)
            name_tokens = run
            before = [t for t in np if t.i < run[0].i and t.dep_ != "det" and not t.is_punct]
            if before:
                role_parts.append(doc[before[0].i:run[0].i].text.strip())
        else:
            name_tokens = sorted(np, key=lambda t: t.i)
            name_tokens = [t for t in name_tokens if not t.is_punct] or [head]
        s, e = _span_of(name_tokens)
        text = _text(doc)[s:e]
    for a in appos:
        role_parts.append(doc[a.left_edge.i:a.right_edge.i + 1].text.strip(" ,"))
    return s, e, text, "; ".join(p for p in role_parts if p)


@dataclass
class _Mention:
    """A speaker as an article names it, before resolution."""

    text: str
    start: int
    end: int
    role: str
    kind: str  # "name", "pronoun", "description", "none"
    label: str  # entity label or ""
    head_lemma: str


def _classify_mention(head, span) -> _Mention:
    s, e, text, role = span
    if head is None:
        return _Mention("", -1, -1, "", "none", "", "")
    ent = _entity_of(head)
    if head.pos_ == "PRON":
        return _Mention(text, s, e, role, "pronoun", "", head.lower_)
    name_text = text
    label = ent.label_ if ent is not None else ""
    if ent is None and head.pos_ == "PROPN":
        label = "PROPN"
        if _role_class(head.text)[1] and _is_person_role(head.text):
            # "the Russian President", "Russian Deputy Foreign Minister": a title, not a name
            s, e, text, role = _speaker_phrase(head, description=True)
            return _Mention(text, s, e, role, "description", "", head.lemma_.lower())
    if ent is None and head.pos_ == "NOUN":
        return _classify_noun_phrase(head, s, e, text, role)
    return _Mention(name_text, s, e, role, "name", label, head.lemma_.lower())


def _classify_noun_phrase(head, s, e, text, role) -> _Mention:
    """A common-noun speaker: a name in apposition ("A fire analyst, Dr. Naomi Feldstein,"), a name inside
    ("America's Stars and Stripes newspaper", "the Spanish newspaper El Diario"), a named institution
    ("the Lakeview school district"), or an unnamed description ("a Russian Foreign Ministry official")."""
    doc = head.doc
    lemma = head.lemma_.lower()
    for appos in (c for c in head.children if c.dep_ == "appos"):
        ent = _entity_of(appos)
        if ent is not None and ent.label_ == "PERSON":
            return _Mention(ent.text, ent.start_char, ent.end_char, text, "name", "PERSON", lemma)
    if _is_person_role(head.text):
        return _Mention(text, s, e, role, "description", "", lemma)  # the employer in front is not the speaker
    poss = set()
    for c in head.children:
        if c.dep_ == "poss":
            poss.update(t.i for t in c.subtree)
    inside = {id(x): x for x in (_entity_of(t) for t in head.subtree if t.i not in poss) if x is not None}
    named = [x for x in inside.values() if x.label_ in ("ORG", "WORK_OF_ART", "PERSON", "FAC")]
    stype, rclass = _desc_class(text)
    if named and rclass == "institution" and all(x.end <= head.i for x in named):
        named = []  # "the Lakeview school district": the place is part of the institution's name
        inside = {k: v for k, v in inside.items()} | {id(head): head.doc[head.i:head.i + 1]}
    if named:
        ent = min(named, key=lambda x: abs(x.start - head.i))
        name = lexicons.clean_name(ent.text)
        idx = _text(doc).find(name, ent.start_char, ent.end_char)
        return _Mention(name, idx, idx + len(name), (role + "; " if role else "") + head.text, "name",
                        ent.label_, lemma)
    left = [t for t in head.lefts if t.dep_ in ("compound", "nmod") and t.pos_ == "PROPN" and t.i not in poss]
    if left and not inside:  # "Stars and Stripes newspaper" missed by the tagger
        name, _ = _noun_phrase_name(head)
        idx = _text(doc).find(name, s, e) if name else -1
        if idx >= 0 and name[:1].isupper():
            return _Mention(name, idx, idx + len(name), (role + "; " if role else "") + head.text, "name",
                            "PROPN", lemma)
    places = [x for x in inside.values() if x.label_ in ("GPE", "LOC", "NORP", "ORG", "")]
    if rclass == "institution" and places and any(t.pos_ == "PROPN" for t in head.lefts):
        words = [t for t in head.subtree if t.i <= head.i and t.dep_ != "det" and t.i not in poss]
        if words:
            ns, ne = _span_of(words)
            return _Mention(_text(doc)[ns:ne], ns, ne, role, "name", "ORG", lemma)
    return _Mention(text, s, e, role, "description", "", lemma)


@dataclass
class _Ref:
    """What a speaker mention refers to: a name (resolved), or an unnamed description such as "a trust
    spokesman" that later pronouns and "the spokesman" can point back to."""

    char: int
    name: str
    label: str
    role: str
    person: bool
    description: str = ""
    head: str = ""


def _known_names(doc) -> list[tuple[int, str, str, str]]:
    """(char, name, label, role) for every person/organisation/place named in the article, with the title
    written in front of it ("Russian Deputy Foreign Minister" Sergei Ryabkov)."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP", "WORK_OF_ART"):
            continue
        name = lexicons.clean_name(ent.text)
        offset = ent.text.find(name) if name else 0
        name_start = ent.start_char + max(offset, 0)
        role_tokens = []
        i = ent.start - 1
        while i >= 0:
            t = doc[i]
            if t.is_space or t.is_punct and t.text not in ("-",):
                break
            if t.pos_ in ("PROPN", "ADJ", "NOUN") or t.lower_ in ("of", "'s", "’s") or t.ent_type_ in ("GPE", "NORP"):
                role_tokens.insert(0, t)
                if t.is_sent_start:
                    break
                i -= 1
                continue
            break
        while role_tokens and (role_tokens[0].lower_ in ("of", "'s", "’s") or not _role_class(
                doc[role_tokens[0].i:ent.start].text)[0]):
            role_tokens.pop(0)
        role = _text(doc)[role_tokens[0].idx:name_start].strip() if role_tokens else ""
        if offset > 0 and not role_tokens:
            role = _text(doc)[ent.start_char:name_start].strip()
        label = ent.label_
        if label in ("ORG", "NORP") and role and _is_person_role(role):
            label = "PERSON"  # "Secretary of Defense Austin" tagged ORG
        out.append((name_start, name, label, role))
    return out


_ORG_WORDS = re.compile(r"\b(inc|ltd|llc|plc|corp|co|company|group|party|council|ministry|department|union|"
                        r"bank|university|institute|hospital|school|agency|office|news|times|post|labour|labor|"
                        r"conservative|green|democrats?|republicans?|government|army|police|court|commission|"
                        r"command|cent(er|re)s?|foundation|association|alliance|organi[sz]ation|committee|"
                        r"service|forces|navy|federal|national|international|united|corporation|club|fc|state|"
                        r"city|county|trust|network|media|press|tv|radio|reuters|ministry)\b", re.I)


def _looks_like_person(name: str) -> bool:
    """Two to four capitalised words and no organisation word: "Marcus Bell" even when tagged ORG."""
    words = name.split()
    if not 2 <= len(words) <= 4 or _ORG_WORDS.search(name) or _media_name(name) or _country_in(name):
        return False
    return all(re.match(r"^[A-ZÀ-Þ][\w'’.-]*$", w) for w in words)


@lru_cache(maxsize=65536)
def _match_cached(desc: str, name: str, label: str, roles: frozenset) -> int:
    """:func:`_description_match`, remembered: a long article asks about the same names again and again."""
    return _description_match(desc, name, label, roles)


def _description_match(desc: str, name: str, label: str, roles) -> int:
    """How well a description ("the Russian diplomat", "the US Secretary of Defense") fits a named person
    or outlet: 0 not at all, 1 the same kind of role, 2 the same head word, 3 every word of the role;
    one more when the description's nationality is written in the role too."""
    words = re.sub(r"^(the|a|an|this|that)\s+", "", desc, flags=re.I)
    stype, rclass = _desc_class(words)
    if rclass == "outlet":
        return 1 if label in ("ORG", "WORK_OF_ART", "PROPN") and _media_name(name) else 0
    if label != "PERSON" or not rclass:
        return 0
    nationality = _country_in(words)
    content = [w.lower() for w in re.findall(r"[A-Za-z]+", words) if not _country_in(w) and w.lower() not in (
        "of", "senior", "top", "former", "deputy", "new", "the")]
    best = 0
    for role in roles:
        r_type, r_class = _role_class(role)
        role_country = _country_in(role)
        if not r_type or nationality and role_country and role_country != nationality:
            continue
        low = role.lower()
        if content and all(w in low for w in content):
            score = 3
        elif words.split()[-1].lower() in low:
            score = 2
        elif r_class == rclass or (rclass == "official" and r_type == stype):
            score = 1
        else:
            continue
        if nationality and role_country == nationality:
            score += 1
        best = max(best, score)
    return best


class _ArticleContext:
    """What resolving the speakers of one article looks up, indexed once: the names known in the article
    (``_known_names``, in reading order) and the references resolved so far (the history). Every look-up a
    mention makes is a dictionary access, a bisection or a short walk back over one kind of reference, so
    an article's cost grows with its length, not with its length squared; each description is scored once
    against each distinct (name, label, role), whatever the number of mentions."""

    def __init__(self, known, registry):
        self.known = known
        self.registry = registry
        # full names by the words after each of their spaces: "Marcus Bell" under "Bell"
        self.by_suffix: dict[str, list[int]] = defaultdict(list)
        people = []
        self.first_of_name: dict[str, tuple] = {}
        self.role_of_name: dict[str, str] = {}
        self.person_names: set[str] = set()
        self.person_at: list[int] = []  # chars of the PERSON names, in order
        self.person_entries: list[tuple] = []
        self.firm_at: list[int] = []  # chars of company-like organisations (for "the company")
        self.firm_entries: list[tuple] = []
        self.org_by_last: dict[str, tuple] = {}  # last word of an ORG name -> its greatest entry
        self.named_bodies: list[tuple] = []  # (name, its last entry), latest last: ORG and WORK_OF_ART names
        last_body: dict[str, int] = {}
        self.key_at: dict[tuple, list[int]] = defaultdict(list)  # (name, label, role) -> chars, in order
        self.key_first: dict[tuple, int] = {}  # (name, label, role) -> its first index in ``known``
        for i, k in enumerate(known):
            char, name, label, role = k
            personish = label == "PERSON" or _looks_like_person(name)
            if personish:
                people.append((char, name))
                for p, ch in enumerate(name):
                    if ch == " ":
                        self.by_suffix[name[p + 1:]].append(i)
            self.first_of_name.setdefault(name, k)
            if role and name not in self.role_of_name:
                self.role_of_name[name] = role
            if label == "PERSON":
                self.person_names.add(name)
                self.person_at.append(char)
                self.person_entries.append(k)
            if label == "ORG" and not _media_name(name) and _role_class(name)[0] in ("", "organisation"):
                self.firm_at.append(char)
                self.firm_entries.append(k)
            if label == "ORG" and name.lower().split():
                last = name.lower().split()[-1]
                if last not in self.org_by_last or self.org_by_last[last] < k:
                    self.org_by_last[last] = k
            if label in ("ORG", "WORK_OF_ART"):
                last_body[name] = i
            self.key_at[(name, label, role)].append(char)
            self.key_first.setdefault((name, label, role), i)
        self.named_bodies = [(known[i][1], known[i]) for i in sorted(last_body.values(), reverse=True)]
        self.surnames = names.SurnameIndex(people)
        self.known_at = [k[0] for k in known]
        self._full: dict[str, tuple[list[int], list[tuple]]] = {}
        self._bodies: dict[str, tuple | None] = {}
        # the history: the references resolved so far, by the kinds the look-ups ask for
        self.person_refs: list[_Ref] = []
        self.thing_refs: list[_Ref] = []
        self.group_refs: list[_Ref] = []  # not a person, or a plural head ("they")
        self.unnamed_by_head: dict[str, list[_Ref]] = defaultdict(list)
        self.hist_at: dict[tuple, list[int]] = {}  # (name, label, role) -> chars of named references, sorted
        self.hist_order: dict[tuple, list[tuple[int, int]]] = {}  # key -> (history index, char), in order
        self.n_history = 0
        self.keys: list[tuple] = list(self.key_at)  # every distinct (name, label, role), known or resolved
        self._scored: dict[str, list] = {}  # description -> [keys scored so far, [(score, key), ...] above 0]

    # ------------------------------------------------------------------ the history
    def remember(self, ref: _Ref) -> None:
        """Add a resolved reference to the history (the caller appends only those with a name or a
        description, in reading order)."""
        n = self.n_history
        self.n_history += 1
        (self.person_refs if ref.person else self.thing_refs).append(ref)
        if not ref.person or ref.head.endswith("s"):
            self.group_refs.append(ref)
        if ref.description and not ref.name:
            self.unnamed_by_head[ref.head].append(ref)
        if ref.name and ref.char >= 0:  # (a position of -1, a name not found in its span, is never a candidate)
            key = (ref.name, ref.label, ref.role)
            if key not in self.hist_at:
                self.hist_at[key] = []
                self.hist_order[key] = []
                if key not in self.key_at:
                    self.keys.append(key)
            bisect.insort(self.hist_at[key], ref.char)
            self.hist_order[key].append((n, ref.char))

    @staticmethod
    def _latest_before(refs: list, row_start: int):
        """The reference appended last among ``refs`` that was written before ``row_start``."""
        for ref in reversed(refs):
            if ref.char < row_start:
                return ref
        return None

    # ------------------------------------------------------------------ the known names
    def full_names(self, name: str) -> tuple[list[int], list[tuple]]:
        """The known people whose name ends with " " + ``name`` and has more words (chars, entries)."""
        found = self._full.get(name)
        if found is None:
            words = len(name.split())
            entries = [self.known[i] for i in self.by_suffix.get(name, ()) if len(self.known[i][1].split()) > words]
            found = self._full[name] = ([k[0] for k in entries], entries)
        return found

    def body_named(self, words: str):
        """The latest organisation or work named in the article whose name contains ``words`` as words."""
        if words not in self._bodies:
            pattern = re.compile(r"\b" + re.escape(words) + r"\b", re.I)
            self._bodies[words] = next((k for name, k in self.named_bodies
                                        if name != words and pattern.search(name)), None)
        return self._bodies[words]

    def roles_of(self, name, role):
        return {role} | self.registry.get(lexicons.name_key(name), set()) if role else self.registry.get(
            lexicons.name_key(name), set())

    def matches(self, desc: str) -> list:
        """``[(score, key), ...]``: every distinct (name, label, role) met so far that ``desc`` fits."""
        entry = self._scored.setdefault(desc, [0, []])
        if entry[0] < len(self.keys):
            for key in self.keys[entry[0]:]:
                n, lab, r = key
                score = _match_cached(desc, n, lab, frozenset(self.roles_of(n, r)))
                if score > 0:
                    entry[1].append((score, key))
            entry[0] = len(self.keys)
        return entry[1]

    def best_earlier(self, desc: str, row_start: int, mention_start: int):
        """(score, char, name, label, role) of the best earlier candidate for a description: a named
        reference written before the row, or a name known before the mention, best score first, latest
        position next, then the first met (the order of the references, then the article's)."""
        best, best_rank = None, None
        for score, key in self.matches(desc):
            at_h = at_k = None
            chars = self.hist_at.get(key)
            if chars:
                n = bisect.bisect_left(chars, row_start)
                at_h = chars[n - 1] if n else None
            chars = self.key_at.get(key)
            if chars:
                n = bisect.bisect_left(chars, mention_start)
                at_k = chars[n - 1] if n else None
            if at_h is None and at_k is None:
                continue
            char = max(c for c in (at_h, at_k) if c is not None)
            if at_h is not None:
                rank = (0, next(i for i, c in self.hist_order[key] if c < row_start))
            else:
                rank = (1, self.key_first[key])
            if best is None or (score, char) > best[:2] or (score, char) == best[:2] and rank < best_rank:
                best, best_rank = (score, char, *key), rank
        return best

    def last_fitting_known(self, desc: str, after: int, before: int):
        """The last known name between ``after`` and ``before`` (exclusive) that ``desc`` fits, or None."""
        found = None
        for _score, key in self.matches(desc):
            chars = self.key_at.get(key)
            if not chars:
                continue
            n = bisect.bisect_left(chars, before)
            if n and chars[n - 1] > after and (found is None or chars[n - 1] > found[0]):
                found = (chars[n - 1], *key)
        return found


def _resolve_mention(mention: _Mention, context: _ArticleContext, row_start: int) -> _Ref | None:
    """What a mention refers to in its article (None when it cannot be resolved); ``row_start`` is where the
    attribution starts, ``context`` the article's known names and the references resolved before."""
    if mention.kind == "none":
        return None
    known = context.known
    if mention.kind == "name":
        name, label, role = lexicons.clean_name(mention.text), mention.label, mention.role
        if len(name.split()) <= 2 and label in ("PERSON", "PROPN", "", "ORG"):
            # a surname alone ("Bell", "Ní Bhraonáin"): the full name met earlier (or later) in the article
            chars, full = context.full_names(name)
            if full:
                n = bisect.bisect_right(chars, mention.start)  # known is in reading order
                chosen = full[n - 1] if n else full[-1]
                return _Ref(mention.start, chosen[1], "PERSON", role or chosen[3], True)
            if len(name.split()) == 1 or names.strip_titles(name) != name:
                # "Mr. Schiff", "Ms. Warren": the person named in full with that surname (names.resolve_surname)
                found = context.surnames.resolve(name, mention.start)
                if found:
                    chosen = context.first_of_name[found]
                    return _Ref(mention.start, found, "PERSON", role or chosen[3], True)
        if not role:
            role = context.role_of_name.get(name, "")
        if label in ("PROPN", "", "ORG") and name in context.person_names:
            label = "PERSON"
        if label in ("ORG", "PROPN", "") and _looks_like_person(name):
            label = "PERSON"  # "Marcus Bell", tagged ORG by the small model
        return _Ref(mention.start, name, label, role, label == "PERSON")

    if mention.kind == "pronoun":
        gender = _PRONOUNS.get(mention.head_lemma, "")
        refs = {"m": context.person_refs, "f": context.person_refs, "s": context.person_refs,
                "n": context.thing_refs, "p": context.group_refs}.get(gender, [])
        previous = context._latest_before(refs, row_start)
        if gender in ("m", "f", "s"):
            # a person named (as a subject) after the last speaker is the likelier antecedent:
            # "The challenge was brought by Tomasz W. ... he said"
            n = bisect.bisect_left(context.person_at, mention.start)
            if n and (previous is None or context.person_at[n - 1] > previous.char):
                chosen = context.person_entries[n - 1]
                if previous is not None and lexicons.name_key(chosen[1]).split()[-1:] == lexicons.name_key(
                        previous.name).split()[-1:]:
                    return previous
                return _Ref(chosen[0], chosen[1], "PERSON", chosen[3], True)
        return previous
    # a description: "the Russian diplomat", "the Journal", "the media outlet", "A senior Russian diplomat"
    desc = mention.text
    words = re.sub(r"^(the|a|an|this|that|its|their)\s+", "", desc, flags=re.I)
    stype, rclass = _desc_class(words)
    person = _is_person_role(words.split()[-1]) if words else False
    unnamed = _Ref(mention.start, "", "", mention.role, person, description=desc, head=mention.head_lemma)
    definite = bool(re.match(r"(the|this|that)\s", desc, re.I))
    if words[:1].isupper() and len(words.split()) <= 3:  # "the Journal" -> "The Wall Street Journal"
        body = context.body_named(words)
        if body is not None:
            _, name, label, role = body
            return _Ref(mention.start, name, label, role, False)
    if not rclass or stype == "anonymous":
        return unnamed
    if mention.head_lemma.endswith("s") and mention.text.lower().split()[-1].endswith("s") and rclass != "outlet":
        return unnamed  # "officials", "sources": a group, not one named person

    if definite:
        # the same description earlier ("A trust spokesman" ... "the spokesman") is the same unnamed person,
        # unless a person with a matching role was named in between ("A judge ruled ... Mrs Justice X said")
        ref = context._latest_before(context.unnamed_by_head.get(mention.head_lemma, []), row_start)
        if ref is not None:
            named = context.last_fitting_known(desc, ref.char, mention.start)
            if named is not None:
                c, n, lab, r = named
                return _Ref(mention.start, n, lab, r, lab == "PERSON")
            return ref
        if rclass in ("institution", "organisation") or stype == "organisation":
            # "the commission", "the council's" -> the named body whose name ends that way
            head_word = re.sub(r"['’]s?$", "", words.split()[-1].lower()) if words else ""
            body = context.org_by_last.get(head_word)
            if body is not None:
                _, name, label, role = body
                return _Ref(mention.start, name, label, role, False)
            if len(words.split()) >= 2 and rclass == "institution":  # "the state forestry department"
                return _Ref(mention.start, words, "ORG", "", False)
            if rclass == "organisation" and len(words.split()) == 1:
                # "the company", "the club": the last company-like organisation named before it
                n = bisect.bisect_left(context.firm_at, mention.start)
                if n:
                    _, name, label, role = context.firm_entries[n - 1]
                    return _Ref(mention.start, name, label, role, False)
    # the best candidate before: one per (name, label, role) at its latest position (the score depends on
    # the name alone, and the latest position wins ties)
    best_before = context.best_earlier(desc, row_start, mention.start)
    # cataphora: "A senior Russian diplomat has said ..." then "... Sergei Ryabkov said ..." soon after
    lo = bisect.bisect_left(context.known_at, mention.end)
    hi = bisect.bisect_right(context.known_at, mention.end + 600)
    scored = [(_match_cached(desc, n, lab, frozenset(context.roles_of(n, r))), c, n, lab, r)
              for c, n, lab, r in known[lo:hi]]
    best_after = min((x for x in scored if x[0] >= 2), key=lambda x: (-x[0], x[1]), default=None)
    if definite and best_before is not None and (best_after is None or best_after[0] <= best_before[0]):
        best = best_before
    elif best_after is not None and (definite or rclass in ("diplomat", "president", "judge")):
        best = best_after
    else:
        return unnamed
    return _Ref(mention.start, best[2], best[3], best[4], best[3] == "PERSON")


def _canonical_names(pairs) -> dict[str, str]:
    """Map every resolved name to one canonical form across the corpus."""
    counts = Counter(name for name, _ in pairs)
    labels = {name: label for name, label in pairs}
    countries = lexicons.countries()
    outlets = lexicons.outlets()
    groups: dict[str, list[str]] = defaultdict(list)
    canon: dict[str, str] = {}
    for name in counts:
        low = re.sub(r"^the\s+", "", name.lower())
        country = countries["alias"].get(low) or countries["alias"].get(name.lower())
        if country is None and labels.get(name) == "GPE":
            country = countries["capital"].get(low)
        if country:
            canon[name] = country
            continue
        person = labels.get(name) == "PERSON" or _looks_like_person(name)
        key = names.name_key(name) if person else lexicons.name_key(name)  # titles and middle initials off
        if key in outlets:
            canon[name] = outlets[key][0]
            continue
        groups[key].append(name)
    # acronyms: "WSJ" joins "Wall Street Journal"
    # (only keys without a space are ever taken out of ``groups``, so the first name of several words with
    # those initials can be found in a dictionary built once, not by a scan of every name for every key)
    keys = list(groups)
    by_initials: dict[str, str] = {}
    for other in keys:
        if " " in other:
            by_initials.setdefault("".join(w[0] for w in other.split() if w not in ("of", "and", "for", "the")),
                                   other)
    for key in keys:
        if key not in groups or " " in key or len(key) < 2:
            continue
        other = by_initials.get(key)
        if other is not None:
            groups[other] += groups.pop(key)
    # surnames alone join the single full name that ends with them, across the corpus (by last word)
    by_last: dict[str, list[str]] = defaultdict(list)
    for k in groups:
        if k.split():
            by_last[k.split()[-1]].append(k)
    for key in list(groups):
        if " " in key or key not in groups:
            continue
        fuller = [k for k in by_last.get(key, ()) if k != key and k in groups]
        if len(fuller) == 1:
            groups[fuller[0]] += groups.pop(key)
    for forms in groups.values():
        best = max(forms, key=lambda n: (len(n.split()) > 1, counts[n], len(n)))
        fulls = [n for n in forms if len(n.split()) >= 2] if len(best.split()) > 1 else [best]
        # a person's canonical is written without title or middle initial when a form like that exists
        plain = [n for n in fulls if names.display_name(n) == n] or fulls
        best = max(plain, key=lambda n: (counts[n], n.startswith("The "), n))
        for n in forms:
            canon[n] = best
    return canon
