"""What each outlet calls the same thing: the words used to name or describe each entity, story by story.

``naming(bundle)`` gives one row per (story, entity, outlet, words, kind) with how many times the outlet
uses those words for the entity and one evidence sentence. The words come from general rules on the
spaCy parse of each mention of an entity (the entities layer, its canonical names across outlets):

* ``name``: the name as written ("Ann Lee", "Lee"; "the city's mayor" is not a name);
* ``title``: the modifiers in front of a name that are not part of it: compounds and adjectives on its head
  ("Foreign Minister Ann Lee", "embattled senator Ann Lee" -> "Foreign Minister", "embattled senator");
* ``apposition``: a noun phrase in apposition ("Lee, the city's mayor," -> "the city's mayor";
  "the country's top diplomat, Ann Lee" -> "the country's top diplomat");
* ``predicate``: what a copular clause says the entity is ("the bill is a power grab" -> "a power grab");
* ``description``: a description the names layer resolved to the entity: a speaker written as "the envoy"
  or "the minister" whose canonical name is the entity (quotes table), and descriptions the stance layer
  resolved to a target (stance table, ``resolved``). Pronouns are not descriptions and are left out.

``naming_table(table, story)`` turns one story into a grid: entity x outlet, each cell the outlet's words
with counts, for the entities at least two outlets of the story name.
"""

from __future__ import annotations

import re

import pandas as pd

from .nlp import analysable, parse

__all__ = ["naming", "naming_part", "naming_table", "NAMING_COLUMNS", "NAMED_LABELS"]

NAMED_LABELS = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")
NAMING_COLUMNS = ["story", "entity", "label", "outlet", "words", "kind", "count", "article_id", "start", "end",
                  "evidence"]
_PRONOUNS = set("""i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
this that these those who whom which what one someone somebody""".split())
_TITLE_DEPS = {"compound", "amod", "nmod"}
_TITLED = {"PERSON", "ORG"}  # a title or epithet stands before a person or an organisation, not a place or group
_NOT_A_DESCRIPTION = {"DATE", "TIME", "PERCENT", "MONEY", "CARDINAL", "QUANTITY", "ORDINAL"}


def _clean(words: str) -> str:
    words = re.sub(r"\s+", " ", str(words)).strip(" ,;:—–-\"“”‘’()")
    return re.sub(r"(?<=\w)\s+(['’]s)\b", r"\1", words)


def _words_of(tokens) -> str:
    return _clean("".join(t.text_with_ws for t in tokens))


def _title(span, ent_spans: list[tuple[int, int]]):
    """The modifiers in front of the name (compounds, adjectives, their own modifiers), outside the name and
    outside any other entity mention except a group (NORP: "French")."""
    head = span.root
    left = [c for c in head.children if c.i < span.start and c.dep_ in _TITLE_DEPS]
    for tok in span:  # "President" attached to the first name rather than the head
        left += [c for c in tok.children if c.i < span.start and c.dep_ in _TITLE_DEPS and c not in left]
    if not left:
        return None
    first = min(t.left_edge.i for t in left)
    tokens = [t for t in span.doc[first:span.start] if not (t.is_punct and t.text not in ("-", "–"))
              and t.dep_ not in ("det", "poss", "case")]
    while tokens and (tokens[0].pos_ in ("DET", "ADP", "PART") or tokens[0].is_stop):
        tokens = tokens[1:]
    if not tokens or any(a <= tokens[0].i < b for a, b in ent_spans):
        return None
    if not any(t.pos_ in ("NOUN", "ADJ", "PROPN") and t.ent_type_ not in ("PERSON", "ORG", "GPE", "DATE", "CARDINAL")
               for t in tokens):
        return None
    return tokens


def _np(head, exclude=None):
    """A noun phrase from its head (its subtree, without relative clauses, and without ``exclude``)."""
    skip = set()
    for t in head.subtree:
        if t.dep_ in ("relcl", "acl", "advcl", "appos") and t != head:
            skip.update(x.i for x in t.subtree)
    if exclude is not None:
        skip.update(x.i for x in exclude.subtree)
    return [t for t in head.subtree if t.i not in skip and not (t.is_punct and t.text not in ("-", "–", "'", "’"))]


def _describes(head) -> bool:
    """A description is headed by a common noun that is no date, number or amount ("the envoy", "head of the
    centre"); a proper noun in apposition is another name (or a parse error), and a phrase in parentheses is
    a gloss ("(all times EDT)"), not what the outlet calls the entity."""
    if head.pos_ != "NOUN" or head.ent_type_ in _NOT_A_DESCRIPTION or len(head.text) <= 2:
        return False
    first = head.left_edge
    return not (first.i > 0 and head.doc[first.i - 1].text == "(")


def _mention_words(span, ent_spans, label: str = "PERSON"):
    """(kind, tokens) for every description attached to one entity mention in the parse."""
    out = [("name", list(span))]
    head = span.root
    title = _title(span, ent_spans) if label in _TITLED else None
    if title:
        out.append(("title", title))
    for child in head.children:
        if child.dep_ == "appos" and child.i > span.end - 1 and _describes(child):
            tokens = _np(child)
            if tokens and not any(a <= child.i < b for a, b in ent_spans):
                out.append(("apposition", tokens))
    if head.dep_ == "appos" and _describes(head.head) and head.head.i < span.start:
        outer = head.head
        if not any(a <= outer.i < b for a, b in ent_spans):
            tokens = [t for t in _np(outer, exclude=head) if t.i < span.start]
            if tokens:
                out.append(("apposition", tokens))
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_ == "be":
        for c in head.head.children:
            if c.dep_ == "attr" and _describes(c):
                tokens = _np(c)
                if tokens and not any(a <= c.i < b for a, b in ent_spans):
                    out.append(("predicate", tokens))
    return out


def naming_part(doc, entity_rows: list[dict], labels=NAMED_LABELS) -> list[dict]:
    """The words attached to each entity mention of one article's parse (``entity_rows``: its rows of the
    entities table): entity (canonical), label, kind, words, start, end, evidence. Plain values, what
    ``analyze`` keeps per article instead of the Doc (:func:`naming` joins the articles)."""
    rows = []
    spans = []
    for r in entity_rows:
        if r["label"] not in labels:
            continue
        span = doc.char_span(int(r["start"]), int(r["end"]), alignment_mode="expand")
        if span is not None and len(span):
            spans.append((r, span))
    ent_spans = [(s.start, s.end) for _, s in spans]
    for r, span in spans:
        others = [x for x in ent_spans if x != (span.start, span.end)]
        for kind, tokens in _mention_words(span, others, r["label"]):
            words = _words_of(tokens) if kind != "name" else _clean(str(r["text"]))
            if not words or words.lower() in _PRONOUNS:
                continue
            rows.append({"entity": r["canonical"], "label": r["label"], "words": words, "kind": kind,
                         "start": int(tokens[0].idx) if kind != "name" else int(r["start"]),
                         "end": int(tokens[-1].idx + len(tokens[-1])) if kind != "name" else int(r["end"]),
                         "evidence": span.sent.text.strip()})
    return rows


def naming(source, *, by: str = "outlet", docs: dict | None = None, labels=NAMED_LABELS,
           parts: dict | None = None, quotes_table: pd.DataFrame | None = None,
           stance_table: pd.DataFrame | None = None, entities_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """What each outlet (or any ``by`` column) calls each entity in each story: one row per story, entity,
    outlet, words and kind (name, title, apposition, predicate, description) with the count, the first
    occurrence (article_id, start, end) and its sentence as evidence. From a ``Bundle`` (its tables reused:
    its own ``naming`` table, computed once by ``analyze``, when ``by`` is the outlet and no ``docs`` or
    ``labels`` are given) or an articles table. ``parts`` (``{article_id: naming_part}``) replaces the parses;
    ``quotes_table`` and ``stance_table`` (else the bundle's) give the descriptions resolved to an entity, and
    ``entities_table`` the entities (else the bundle's)."""
    from .entities import entities
    from .stories import with_stories

    bundle = source if hasattr(source, "quotes") and hasattr(source, "articles") else None
    if (bundle is not None and by == "outlet" and docs is None and parts is None and labels == NAMED_LABELS
            and getattr(bundle, "naming", None) is not None):
        return bundle.naming.copy()
    articles = bundle.articles if bundle is not None else source
    usable = analysable(articles)
    columns = [by if c == "outlet" else c for c in NAMING_COLUMNS]
    if usable.empty:
        return pd.DataFrame(columns=columns)
    usable = with_stories(usable)
    group = dict(zip(usable["article_id"], usable[by].fillna("(none)").astype(str)))
    story = dict(zip(usable["article_id"], usable["story"]))
    if parts is None:
        docs = docs if docs is not None else parse(usable)
    if entities_table is not None:
        ents = entities_table
    else:
        ents = bundle.entities if bundle is not None else entities(usable, docs=docs)
    ents = ents[ents["label"].isin(labels) & ents["article_id"].isin(set(group))]
    label_of = ents.groupby("canonical")["label"].agg(lambda s: s.value_counts().index[0]).to_dict()
    rows = []
    for art_id, part in ents.groupby("article_id", sort=False):
        if parts is not None:
            found = parts.get(art_id, [])
        else:
            doc = docs.get(art_id)
            if doc is None:
                continue
            found = naming_part(doc, part.to_dict("records"), labels)
        rows += [{"story": story[art_id], "entity": r["entity"], "label": r["label"], by: group[art_id],
                  "words": r["words"], "kind": r["kind"], "article_id": art_id, "start": r["start"], "end": r["end"],
                  "evidence": r["evidence"]} for r in found]
    texts = dict(zip(usable["article_id"], usable["text"]))
    q = quotes_table if quotes_table is not None else bundle.quotes if bundle is not None else None
    st = stance_table if stance_table is not None else bundle.stance if bundle is not None else None
    rows += _resolved(q, st, group, story, texts, label_of, by)
    table = pd.DataFrame(rows, columns=[c for c in columns if c != "count"])
    if table.empty:
        return pd.DataFrame(columns=columns)
    table["entity"] = _merge_short_names(table)
    table["_key"] = table["words"].str.lower().str.replace(r"^(the|a|an)\s+", "", regex=True)
    # one mention counts once (a description found both as a speaker and as a resolved stance mention)
    table = table.drop_duplicates(["article_id", "start", "end", "entity", "kind"])
    table = table.sort_values(["article_id", "start"])
    keys = ["story", "entity", by, "_key", "kind"]
    first = table.drop_duplicates(keys).set_index(keys)
    counts = table.groupby(keys).size().rename("count")
    out = first.join(counts).reset_index()
    out["label"] = out["entity"].map(label_of).fillna(out["label"])
    return out.sort_values(["story", "entity", by, "count"], ascending=[True, True, True, False])[columns].reset_index(
        drop=True)


def _merge_short_names(table: pd.DataFrame) -> pd.Series:
    """Within a story, an entity known by one word ("Trump") is the entity whose longer name ends with that word
    ("Donald Trump") when exactly one does. Each story's names are indexed by their last word once (not every
    name compared with every other), and every row is renamed in one pass."""
    entity = table["entity"].astype(str).copy()
    names_of: dict = {}
    for story, name in zip(table["story"], entity):
        if not pd.isna(story):  # as groupby: a row without a story is in none
            names_of.setdefault(story, set()).add(name)
    rename: dict = {}
    for story, names in names_of.items():
        ending: dict = {}
        for n in names:
            if " " in n:
                ending.setdefault(n.rsplit(" ", 1)[1], []).append(n)
        for short in names:
            if len(short.split()) != 1:
                continue
            if short != short.strip():  # a one-word name written with spaces around it: compare as written
                longer = [n for n in names if n != short and n.endswith(" " + short)]
            else:
                longer = ending.get(short, [])
            if len(longer) == 1:
                rename[story, short] = longer[0]
    if rename:
        entity = pd.Series([rename.get((st, e), e) if not pd.isna(st) else e for st, e in zip(table["story"], entity)],
                           index=entity.index, name=entity.name)
    return entity


def _sentence(text: str, start: int, end: int) -> str:
    s = max(text.rfind(". ", 0, start) + 2 if text.rfind(". ", 0, start) >= 0 else 0, text.rfind("\n", 0, start) + 1)
    stops = [x for x in (text.find(". ", end), text.find("\n", end)) if x >= 0]
    return text[s:(min(stops) + 1 if stops else len(text))].strip()


def _resolved(q: pd.DataFrame | None, st: pd.DataFrame | None, group: dict, story: dict, texts: dict,
              label_of: dict, by: str) -> list[dict]:
    """Descriptions the names layer resolved to an entity: speakers written as a description ("the envoy")
    whose canonical name is known (quotes table ``q``), and descriptions the stance layer resolved to a target
    (stance table ``st``)."""
    if q is None or st is None:
        return []
    rows = []
    q = q[q["article_id"].isin(set(group)) & q["speaker_canonical"].fillna("").ne("")]
    for r in q.itertuples():
        spoken = _clean(str(r.speaker or ""))
        canon = str(r.speaker_canonical)
        if not spoken or spoken.lower() in _PRONOUNS or canon not in label_of:
            continue
        first = spoken.split()[0].lower()
        if first not in ("the", "a", "an") and spoken[:1].isupper():
            continue  # a name, counted with the names
        if any(part.lower() in spoken.lower() for part in canon.split() if len(part) > 2):
            continue
        s, e = int(r.speaker_start), int(r.speaker_end)
        rows.append({"story": story[r.article_id], "entity": canon, "label": label_of[canon], by: group[r.article_id],
                     "words": spoken, "kind": "description", "article_id": r.article_id, "start": s, "end": e,
                     "evidence": _sentence(texts.get(r.article_id, ""), s, e)})
    if "resolved" in st.columns:
        st = st[st["resolved"].fillna(False).astype(bool) & st["article_id"].isin(set(group))]
        for r in st.itertuples():
            words = _clean(str(r.mention))
            if not words or words.lower() in _PRONOUNS or len(words.split()) < 2:
                continue
            rows.append({"story": story[r.article_id], "entity": r.target, "label": label_of.get(r.target, ""),
                         by: group[r.article_id], "words": words, "kind": "description", "article_id": r.article_id,
                         "start": int(r.start), "end": int(r.end), "evidence": str(r.sentence).strip()})
    return rows


def naming_table(table: pd.DataFrame, story: str | None = None, *, by: str = "outlet", top: int = 12,
                 min_groups: int = 2, per_cell: int = 5) -> pd.DataFrame:
    """One story's naming as a grid: a row per entity (named by at least ``min_groups`` outlets of the story,
    most named first, at most ``top``), a column per outlet, each cell the outlet's words for it with counts
    ("Lee ×3; the city's mayor ×1"); names first, then titles and descriptions. Entities that some
    outlet describes (more than a name) come first."""
    part = table if story is None else table[table["story"] == story]
    if part.empty:
        return pd.DataFrame()
    reach = part.groupby("entity")[by].nunique()
    total = part.groupby("entity")["count"].sum()
    described = set(part.loc[part["kind"] != "name", "entity"])  # entities with more than a name first
    ranked = sorted(total.index, key=lambda e: (e not in described, -int(total[e]), str(e)))
    kept = [e for e in ranked if reach[e] >= min_groups][:top]
    groups = sorted(part[by].unique())
    order = {"name": 0, "title": 1, "apposition": 2, "predicate": 3, "description": 4}
    grid = {}
    for entity in kept:
        rows = part[part["entity"] == entity]
        cells = {}
        for g in groups:
            mine = rows[rows[by] == g].sort_values(["kind", "count"], key=lambda s: s.map(order) if s.name == "kind"
                                                   else -s)
            items = [f"{w} ×{n}" + ("" if k == "name" else f" ({k})") for w, n, k in
                     zip(mine["words"], mine["count"], mine["kind"])]
            cells[g] = "; ".join(items[:per_cell]) + (f"; +{len(items) - per_cell} more" if len(items) > per_cell
                                                       else "")
        grid[entity] = cells
    return pd.DataFrame.from_dict(grid, orient="index", columns=groups).rename_axis("entity")
