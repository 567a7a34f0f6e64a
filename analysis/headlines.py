"""Headlines and leads: what each outlet puts first, story by story.

``headlines(bundle)`` gives one row per analysable article, grouped by story (:func:`analysis.stories`):

* ``headline`` (the title; without one, the first words of the text) and ``lead`` (the first paragraph
  of the body that is not a copy of the headline and has at least ``LEAD_MIN_WORDS`` words: a byline or
  a dateline alone is not a lead);
* ``named``: who and what the headline names (people, organisations, places, groups; the canonical names of
  the article's entities layer when the headline uses a shorter form, "Clinton" for Hillary Clinton);
* ``lead_clause``: the main clause of the lead's first sentence (the root verb with its subject, objects,
  complements and prepositional phrases; subordinate, relative and appositive clauses dropped), i.e. the
  fact the outlet chose to lead with; ``lead_fact`` and ``lead_shared_by``: that sentence's fact
  (:func:`analysis.facts`, compared within the story) and the outlets of the story that state the same
  fact anywhere in their article; ``same_lead``: those that also *lead* with it;
* ``loaded``: the loaded or evaluative terms of the headline (``analysis/data/loaded_terms.csv``);
* ``stance`` and ``polarity``: the stance of the headline toward each actor it names (the stance layer run
  on the headline alone, its actors as targets), and the mean polarity over those mentions.

``headline_chart(table, story)`` draws each outlet's headline polarity with the number on each bar. The
table, a side-by-side view for one story (``side_by_side``), and the chart are what ``06_comparison`` shows.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .nlp import analysable, parse, parse_texts

__all__ = ["headlines", "side_by_side", "headline_chart", "main_clause", "lead_paragraph", "dateline_end",
           "HEADLINE_COLUMNS"]

#: A paragraph shorter than this is a byline, a dateline or a caption, not the lead.
LEAD_MIN_WORDS = 6
#: People, organisations, places and groups: who a headline names.
NAMED_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW")
HEADLINE_COLUMNS = ["story", "story_title", "article_id", "headline", "named", "loaded", "stance", "polarity",
                    "lead", "lead_clause", "lead_fact", "lead_shared_by", "same_lead", "lead_start", "lead_end"]

_KEEP = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl", "aux", "auxpass", "neg", "dobj", "obj", "attr",
         "acomp", "xcomp", "ccomp", "prt", "dative", "oprd", "agent", "prep", "npadvmod", "advmod"}
_DROP = {"relcl", "appos", "advcl", "parataxis", "acl"}


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", str(s)).strip().lower()


def lead_paragraph(text: str, title: str = "") -> tuple[str, int, int]:
    """The lead of an article: its first paragraph that is not the headline again and has at least
    ``LEAD_MIN_WORDS`` words, with its offsets in ``text`` (("", 0, 0) when there is none).

    >>> lead_paragraph("Flood in Lowtown\\n\\nBy Ann Lee\\n\\nThe river rose two metres overnight.", "Flood in Lowtown")
    ('The river rose two metres overnight.', 30, 66)
    """
    for m in re.finditer(r"[^\n]+", text or ""):
        para = m.group(0).strip()
        if not para or (title and _norm(para) == _norm(title)):
            continue
        if len(para.split()) >= LEAD_MIN_WORDS:
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            return para, start, start + len(para)
    return "", 0, 0


_DATELINE = re.compile(r"^([A-Z][A-Z'’.-]+)\b[^\n]{0,80}?\s[-—–]+\s+(?=\S)")


def dateline_end(lead: str) -> int:
    """Where a dateline opening a lead ends ("WASHINGTON (AP) — ", "MELOY, Tarsin, March 6 (Wire) - "): a
    word in capitals, then at most 80 characters up to a dash; 0 when the lead has none.

    >>> lead = "MELOY, Tarsin, March 6 (Wire) - A quake struck."
    >>> lead[dateline_end(lead):], dateline_end("The river rose - fast.")
    ('A quake struck.', 0)
    """
    m = _DATELINE.match(lead or "")
    return m.end() if m and len(m.group(1)) > 1 else 0


def main_clause(sent) -> str:
    """The main clause of a parsed sentence: the root with its subject, objects, complements and
    prepositional phrases; relative, appositive, adverbial and participial clauses and loose punctuation
    are left out. A sentence whose root has no subject is given whole."""
    root = sent.root
    keep = {root.i}
    for child in root.children:
        if child.dep_ in _KEEP:
            keep.update(t.i for t in child.subtree)
    for tok in sent:
        if tok.i in keep and tok.dep_ in _DROP and tok.i != root.i:
            keep.difference_update(t.i for t in tok.subtree)
    if not any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in root.children):
        return sent.text.strip()
    toks = [t for t in sent if t.i in keep and not t.is_punct]
    pieces = []
    for k, t in enumerate(toks):
        adjacent = k + 1 < len(toks) and toks[k + 1].i == t.i + 1
        pieces.append(t.text + (t.whitespace_ if adjacent else " "))
    text = re.sub(r"\s+", " ", "".join(pieces)).strip(" ,;:—–-")
    return text if len(text.split()) >= 3 else sent.text.strip()


def _articles_of(source) -> tuple[object, pd.DataFrame]:
    bundle = source if hasattr(source, "quotes") and hasattr(source, "articles") else None
    return bundle, (bundle.articles if bundle is not None else source)


def _headline_text(title, text) -> str:
    title = "" if title is None or (isinstance(title, float) and np.isnan(title)) else str(title).strip()
    if title:
        return title
    first = next((p.strip() for p in str(text).split("\n") if p.strip()), "")
    words = first.split()
    return " ".join(words[:12]) + (" ..." if len(words) > 12 else "")


def _has_title(title) -> bool:
    return not (title is None or (isinstance(title, float) and np.isnan(title)) or not str(title).strip())


def headline_parse_text(article: dict) -> str:
    """The text :func:`headlines` parses for one article's headline (its title, else the opening words of its
    body, recased for the parser); ``analyze``'s workers parse it into the parse cache beside the body."""
    return recase(_headline_text(article.get("title"), article["text"]), article["text"])


def recase(headline: str, body: str) -> str:
    """A title-case headline in the body's own casing, for the parser: a capitalised word (not the first) that
    the body writes in lower case more often than capitalised is lowered ("Clinton Hid Past Health Problems"
    -> "Clinton hid past health problems"); names stay as they are. Same length, same offsets.

    >>> recase("Mayor Slams Council Over Flood Plan", "Mayor Ann Lee said the council's flood plan failed.")
    'Mayor slams council over flood plan'
    """
    words = re.findall(r"[A-Za-z][\w'’-]*", headline)
    if not words or sum(w[0].isupper() for w in words) < 0.6 * len(words):
        return headline  # already in sentence case

    body = str(body).replace(headline, " ")

    def fix(m):
        w = m.group(0)
        if m.start() == 0 or not w[0].isupper() or w.isupper() or len(w.lower()) != len(w):
            return w
        low = len(re.findall(r"(?<![\w-])" + re.escape(w.lower()) + r"(?![\w-])", body))
        # capitalised inside a sentence (not after a full stop, a colon, a quote mark or a line break)
        mid = len(re.findall(r"(?<=[\w,;)] )" + re.escape(w) + r"(?![\w-])", body))
        return w.lower() if low >= mid else w

    return re.sub(r"[A-Za-z][\w'’-]*", fix, headline)


def _canonical(name: str, body: list[tuple]) -> str:
    """The article's canonical name for a headline mention: the entity (``body``: its ``(canonical, text)``
    pairs in order) whose canonical name or surface is the same words, or ends with them ("Clinton" -> "Hillary
    Clinton"); else the mention as written."""
    key = _norm(re.sub(r"[’']s$", "", name))
    if not key or not body:
        return name
    for canon, surface in body:
        c, s = _norm(canon), _norm(surface)
        if key in (c, s) or c.endswith(" " + key):
            return str(canon)
    return name


def _lead_sentence(article: dict, doc):
    """The lead paragraph (text, start, end), the parse's first sentence of four words or more past its dateline
    (or None) and the dateline's length."""
    text = article["text"]
    shown = _headline_text(article.get("title"), text)
    lead, ls, le = lead_paragraph(text, shown if shown.strip() else "")
    sent, skip = None, 0
    if doc is not None and lead:
        skip = dateline_end(lead)  # "WASHINGTON (AP) — ": the place, not the fact
        sent = next((s for s in doc.sents if s.end_char > ls + skip and len(s.text.split()) >= 4), None)
    return (lead, ls, le), sent, skip


def lead_tail(article: dict, doc) -> str | None:
    """The text :func:`lead_part` parses again for this article (its first sentence without the dateline glued to
    it), or None: so that a caller with many articles parses them in one batch and passes each as ``tail``."""
    (_, ls, _), sent, skip = _lead_sentence(article, doc)
    if sent is not None and sent.start_char < ls + skip:
        return article["text"][ls + skip:sent.end_char]
    return None


def lead_part(article: dict, doc, *, root: str | None = None, tail=None) -> dict:
    """What the body's parse says about one article's lead: the lead paragraph and its offsets, its main clause
    and the offsets of the sentence it opens with (``sent_start`` = -1: none). Plain values, what ``analyze``
    keeps per article instead of the Doc (:func:`headlines` joins them). ``root``: the parse cache's folder
    (``nlp.parse_texts``), for the lead sentence parsed again without its dateline; ``tail``: that parse given
    (of the text :func:`lead_tail` names), not parsed here."""
    (lead, ls, le), sent, skip = _lead_sentence(article, doc)
    clause, s_start, s_end = "", -1, -1
    if sent is not None:
        if sent.start_char < ls + skip:  # the dateline is glued to the first sentence: parse the rest
            rest = tail if tail is not None else parse_texts([lead_tail(article, doc)], root=root)[0]
            clause = main_clause(next(rest.sents)) if len(rest) else ""
        else:
            clause = main_clause(sent)
        s_start, s_end = sent.start_char, sent.end_char
    return {"lead": lead, "lead_start": ls, "lead_end": le, "lead_clause": clause, "sent_start": s_start,
            "sent_end": s_end}


def _stance_modes(st: pd.DataFrame) -> dict:
    """``{(article_id, target): label}``: the label an article's mentions of a target most often have (the
    alphabetically first on a tie, as ``Series.mode``), from one grouping of the whole stance table instead of a
    Python function per article and target."""
    keys = ["article_id", "target"]
    counts = st.groupby([*keys, "label"]).size().rename("n").reset_index()
    counts = counts.sort_values([*keys, "n", "label"], ascending=[True, True, False, True], kind="stable")
    return counts.drop_duplicates(keys).set_index(keys)["label"].to_dict()


def headlines(source, *, by: str = "outlet", docs: dict | None = None, leads: dict | None = None,
              facts_table: pd.DataFrame | None = None, entities_table: pd.DataFrame | None = None,
              root: str | None = None) -> pd.DataFrame:
    """One row per analysable article (a ``Bundle`` or an articles table): story, the ``by`` column, headline,
    who it names, its loaded words and stance, the lead and the fact it leads with (see the module
    docstring). Stories come largest first, articles in date order inside a story.

    A ``Bundle`` gives its own ``headlines`` table (computed once by ``analyze``) when ``by`` is the outlet and no
    ``docs`` are given. ``leads`` (``{article_id: lead_part}``), ``facts_table`` (``facts(..., within="story")``)
    and ``entities_table`` reuse what was computed already; only the headlines themselves are parsed then (under
    the parse cache ``root``, by default ``cache_dir()``)."""
    from .entities import entities
    from .framing import facts, loaded_language
    from .stance import stance
    from .stories import story_order, with_stories

    bundle, articles = _articles_of(source)
    if (bundle is not None and by == "outlet" and docs is None and leads is None
            and getattr(bundle, "headlines", None) is not None):
        return bundle.headlines.copy()
    usable = analysable(articles)
    columns = HEADLINE_COLUMNS[:2] + [by] + HEADLINE_COLUMNS[2:]
    if usable.empty:
        return pd.DataFrame(columns=columns)
    usable = with_stories(usable).reset_index(drop=True)
    usable = usable.assign(**{by: usable[by].fillna("(none)").astype(str)})
    if leads is None or facts_table is None or (entities_table is None and bundle is None):
        docs = docs if docs is not None else parse(usable)
    if entities_table is not None:
        body_ents = entities_table
    else:
        body_ents = bundle.entities if bundle is not None else entities(usable, docs=docs)
    if leads is None:
        leads = {a: lead_part(r, docs.get(a)) for a, r in zip(usable["article_id"], usable.to_dict("records"))}

    shown = [_headline_text(t, x) for t, x in zip(usable.get("title", [""] * len(usable)), usable["text"])]
    heads = pd.DataFrame({"article_id": usable["article_id"], "shown": shown,
                          "text": [recase(h, x) for h, x in zip(shown, usable["text"])], by: usable[by]})
    if by != "outlet":
        heads["outlet"] = usable["outlet"]
    heads = heads[heads["text"].str.strip() != ""]
    hdocs = dict(zip(heads["article_id"], parse_texts(heads["text"].tolist(), root=root)))
    hents = entities(heads, docs=hdocs)
    hents = hents[hents["label"].isin(NAMED_LABELS)]
    named: dict[str, list[str]] = {}
    # each article's entities and each story's (most named first, once each) as (canonical, text) pairs in the
    # table's order: plain lists, not a table per article and story
    by_article: dict = {}
    for a, canon, surface in zip(body_ents["article_id"], body_ents["canonical"], body_ents["text"]):
        by_article.setdefault(a, []).append((canon, surface))
    story_of = dict(zip(usable["article_id"], usable["story"]))
    story_ents: dict = {}
    if len(body_ents):
        counted = body_ents.assign(story=body_ents["article_id"].map(story_of))
        for story, g in counted.groupby("story"):
            common = g["canonical"].value_counts().index  # most named first
            first: dict = {}
            for canon, surface in zip(g["canonical"], g["text"]):
                first.setdefault(canon, surface)
            story_ents[story] = [(canon, first[canon]) for canon in common]
    targets: dict[str, set] = {}
    for r in hents.itertuples():
        name = _canonical(r.text, by_article.get(r.article_id, []))
        if name == r.text:  # not in its own article: the story's most named entity of those words
            name = _canonical(r.text, story_ents.get(story_of.get(r.article_id), []))
        named.setdefault(r.article_id, [])
        if name not in named[r.article_id]:
            named[r.article_id].append(name)
        targets.setdefault(name, set()).add(re.sub(r"[’']s$", "", r.text))
    # a one-word name ("Trump") is the story's one longer name ending with it ("Donald Trump"), as in naming()
    for art_id, names in named.items():
        known = {c for c, _ in story_ents[story_of[art_id]]} if story_of.get(art_id) in story_ents else set()
        for k, name in enumerate(names):
            longer = [n for n in known if len(name.split()) == 1 and n != name and str(n).endswith(" " + name)]
            if len(longer) == 1:
                names[k] = longer[0]
                targets.setdefault(longer[0], set()).update(targets.pop(name, set()))
        named[art_id] = list(dict.fromkeys(names))
    # stance of each headline toward the actors headlines name (their words as the aliases)
    ranked = sorted(targets, key=lambda k: -len(targets[k]))[:200]
    st = stance(heads, {k: sorted(targets[k]) for k in ranked}, docs=hdocs, entities_table=hents) if ranked else None
    loaded = loaded_language(heads)

    ft = facts_table if facts_table is not None else facts(usable, by=by, docs=docs, within="story")
    # what each article's row reads, as plain lists in the tables' order (not a table per article)
    groups: dict = {}
    facts_of: dict = {}
    if len(ft):
        for a, fact, group, start, end in zip(ft["article_id"], ft["fact"], ft[by], ft["start"], ft["end"]):
            if not pd.isna(fact):
                groups.setdefault(fact, set()).add(group)
            facts_of.setdefault(a, []).append((start, end, fact))
    shared_by = {fact: sorted(names) for fact, names in groups.items()}
    shown_of = dict(zip(heads["article_id"], heads["shown"]))
    loaded_of: dict = {}
    for a, term, pol in zip(loaded["article_id"], loaded["term"], loaded["polarity"]):
        loaded_of.setdefault(a, []).append((term, pol))
    stance_of: dict = {}  # article -> [(target, mean polarity)] (targets sorted), [polarity of each mention]
    mode_of = _stance_modes(st) if st is not None and len(st) else {}
    if st is not None and len(st):
        for (a, target), mean in st.groupby(["article_id", "target"])["polarity"].mean().items():
            stance_of.setdefault(a, ([], []))[0].append((target, mean))
        for a, pol in zip(st["article_id"], st["polarity"]):
            stance_of[a][1].append(pol)
    rows = []
    for r in usable.itertuples():
        title = shown_of.get(r.article_id, "")
        part = leads.get(r.article_id) or lead_part(r._asdict(), None)
        lead, ls, le, clause = part["lead"], part["lead_start"], part["lead_end"], part["lead_clause"]
        fact, shared = None, []
        mine = facts_of.get(r.article_id)
        if part["sent_start"] >= 0 and mine is not None:
            hit = [f for s, e, f in mine if s < part["sent_end"] and e > part["sent_start"]]
            if hit:
                fact = int(hit[0])
                shared = [o for o in shared_by.get(fact, []) if o != getattr(r, by)]
        h_loaded = loaded_of.get(r.article_id, [])
        h_stance = stance_of.get(r.article_id)
        stance_words, polarity = "", np.nan
        if h_stance is not None:
            means, pols = h_stance
            stance_words = "; ".join(f"{t}: {mode_of[(r.article_id, t)]} ({p:+.2f})" for t, p in means)
            scored = np.asarray(pols, dtype=float)
            scored = scored[~np.isnan(scored)]  # as Series.mean: the missing ones skipped
            polarity = round(float(scored.sum() / len(scored)), 3) if len(scored) else np.nan
        rows.append({"story": r.story, "story_title": r.story_title, by: getattr(r, by), "article_id": r.article_id,
                     "headline": title if _has_title(getattr(r, "title", None)) else f"{title} (no headline: "
                     "the first words)", "named": "; ".join(named.get(r.article_id, [])),
                     "loaded": ", ".join(f"{t} ({'−' if p < 0 else '+' if p > 0 else '0'})"
                                         for t, p in h_loaded),
                     "stance": stance_words, "polarity": polarity, "lead": lead, "lead_clause": clause,
                     "lead_fact": fact, "lead_shared_by": ", ".join(shared), "same_lead": "",
                     "lead_start": ls, "lead_end": le, "_published": getattr(r, "published", None)})
    table = pd.DataFrame(rows)
    # outlets of the story that lead with the same fact
    for _fact, part in table.dropna(subset=["lead_fact"]).groupby("lead_fact"):
        for i in part.index:
            others = sorted(set(part[by]) - {table.at[i, by]})
            table.at[i, "same_lead"] = ", ".join(others)
    table["lead_fact"] = table["lead_fact"].astype("Int64")
    order = {s: k for k, s in enumerate(story_order(usable, by=by))}
    table["_order"] = table["story"].map(order)
    table["_published"] = pd.to_datetime(table["_published"], errors="coerce")
    table = table.sort_values(["_order", "_published", by, "article_id"], na_position="last")
    return table.drop(columns=["_order", "_published"]).reset_index(drop=True)[columns]


def side_by_side(table: pd.DataFrame, story: str, *, by: str = "outlet") -> pd.DataFrame:
    """One story's headlines for reading side by side: one row per article, the outlet first, the headline,
    who it names, its loaded words and stance, what the lead says first and who else reports that fact."""
    part = table[table["story"] == story]
    view = part[[by, "headline", "named", "loaded", "stance", "lead_clause", "lead_shared_by", "same_lead"]]
    return view.rename(columns={"named": "names in the headline", "loaded": "loaded words", "stance": "stance",
                                "lead_clause": "the lead says first", "lead_shared_by": "fact also reported by",
                                "same_lead": "also leads with it"}).reset_index(drop=True)


def headline_chart(table: pd.DataFrame, story: str | None = None, *, by: str = "outlet", ax=None):
    """Each outlet's headline polarity toward the actors it names (mean over its headlines in ``story``), one
    bar per outlet with its number, and the count of loaded words in the title. Returns the Axes."""
    from . import charts

    part = table if story is None else table[table["story"] == story]
    values = part.groupby(by)["polarity"].mean().round(2)
    n_loaded = part.groupby(by)["loaded"].apply(lambda s: sum(len([x for x in v.split(", ") if x]) for v in s))
    values = values.dropna()
    title = "headline stance toward the actors it names (mean polarity)"
    if n_loaded.sum():
        title += "; loaded words: " + ", ".join(f"{o} {int(n)}" for o, n in n_loaded.items() if n)
    if values.empty:
        return charts._empty(ax, "No headline names an actor the stance layer could score.")
    ax = charts.bars(values, ax=ax, fmt="{:+.2f}", title=title)
    ax.axvline(0, color="#888", linewidth=0.8)
    return ax
