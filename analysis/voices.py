"""Sourcing measures per outlet, computed from the quotes table.

* ``source_summary``: quotes, distinct sources, quoted words and a diversity index per outlet;
* ``source_shares``: share of quotes (or quoted words) by source type or by country;
* ``voice_matrix`` and ``voice_coverage``: which outlet quotes whom, who is quoted by every outlet
  and who by one only;
* ``media_citations``: outlets citing other outlets (a link is a row);
* ``same_quotes``: the same words quoted (or paraphrased) by several outlets, and what each cut or changed.

Every function takes the quotes table and the articles table and returns a new DataFrame. ``by`` (default
``"outlet"``) is any column of the articles table (outlet, story, a user's ``country`` or ``lean``...): each
quote gets its article's value, by ``article_id``, whatever columns the quotes table already carries (its own
``country`` is the source's, not the article's). A ``by`` the articles table lacks raises a ValueError that
names the columns it has.
"""

from __future__ import annotations

import ast
import difflib
import html
import math
import re
from collections import Counter

import pandas as pd

from .tables import UnionFind, positions_by

__all__ = ["quote_table", "source_summary", "source_shares", "voice_matrix", "voice_coverage", "media_citations",
           "same_quotes", "same_quotes_html", "source_key", "quote_fragments", "NO_SPEAKER"]

_STOP = set("""a an the and or but if of to in on at by for with from as that this these those it its is are was
were be been being have has had will would can could should may might must not no so than then there their
they them he she his her we our us you your i my me which who whom what when where while also very just more
most such into over about after before up out""".split())


def quote_fragments(fragments, start, end) -> list[tuple[int, int]]:
    """The (start, end) of each quoted part of a quotes row: its ``fragments`` (a list, or the text of one
    read back from CSV), else the one span ``(start, end)`` (tables made before the column existed)."""
    if isinstance(fragments, str) and fragments.strip():
        try:
            fragments = ast.literal_eval(fragments)
        except (ValueError, SyntaxError):
            fragments = None
    try:
        out = [(int(s), int(e)) for s, e in fragments]
    except (TypeError, ValueError):
        out = []
    return out or [(int(start), int(end))]


def _fragment_lists(quotes: pd.DataFrame) -> list[list[tuple[int, int]]]:
    frags = quotes["fragments"] if "fragments" in quotes.columns else [None] * len(quotes)
    return [quote_fragments(f, s, e) for f, s, e in zip(frags, quotes["start"], quotes["end"])]


def _usable(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles that were analysed (a skipped file is not an outlet that quotes no one)."""
    return articles[articles["status"] != "error"] if "status" in articles.columns else articles


#: the private columns holding each quote's article ``by`` value and its outlet (so a ``by`` named like a column
#: of the quotes table, e.g. ``country``, does not replace the source's own)
_G, _OUTLET = "by_value__", "article_outlet__"


def check_by(articles: pd.DataFrame, by: str) -> None:
    """Raise a ValueError naming the articles' columns when ``by`` is not one of them."""
    if by not in articles.columns:
        raise ValueError(f"by={by!r} is not a column of the articles table; it has: "
                         + ", ".join(map(str, articles.columns)))


def _with_group(quotes: pd.DataFrame, articles: pd.DataFrame, by: str) -> pd.DataFrame:
    """``quotes`` with their article's ``by`` value (column ``_G``) and outlet (``_OUTLET``), by article_id."""
    check_by(articles, by)
    keys = pd.DataFrame({"article_id": articles["article_id"], _G: articles[by],
                         _OUTLET: articles["outlet"] if "outlet" in articles.columns else articles[by]})
    keys = keys.drop_duplicates("article_id")
    return quotes.drop(columns=[_G, _OUTLET], errors="ignore").merge(keys, on="article_id", how="left")


def _groups(articles: pd.DataFrame, by: str) -> list:
    """The ``by`` values of the analysed articles, sorted (as text when they mix types)."""
    values = _usable(articles)[by].dropna().unique().tolist()
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def quote_table(quotes: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet", width: int = 160) -> pd.DataFrame:
    """The quotes for reading: outlet, who (canonical name, as written, role), type, kind, cue and the words
    (shortened to ``width`` characters), with the offsets that locate them in the article."""
    q = _with_group(quotes, articles, by)
    short = q["quote"].where(q["quote"].str.len() <= width, q["quote"].str.slice(0, width - 1) + "…")
    rest = {"source": source_key(q), "as written": q["speaker"], "role": q["role"],
            "type": q["source_type"], "country": q["country"], "kind": q["kind"], "cue": q["cue"],
            "via": q["via"], "words": short, "article_id": q["article_id"], "start": q["start"], "end": q["end"]}
    if by in rest:  # e.g. by="country": the article's country leads, the source's is "source country"
        rest = {(f"source {k}" if k == by else k): v for k, v in rest.items()}
    view = pd.DataFrame({by: q[_G], **rest})
    return view.sort_values([by, "article_id", "start"]).reset_index(drop=True)


NO_SPEAKER = "(no speaker found)"


def source_key(quotes: pd.DataFrame) -> pd.Series:
    """One label per source: the canonical name, else "unnamed <type>: <speaker as written>", else
    ``NO_SPEAKER`` ("(no speaker found)"): a row whose speaker the extractor missed is not a voice, and every
    measure of voices below leaves it out (``source_summary`` counts it apart)."""
    canonical = quotes["speaker_canonical"].fillna("")
    speaker = quotes["speaker"].fillna("").str.strip()
    unnamed = "unnamed " + quotes["source_type"].fillna("") + ": " + speaker.str.lower().str.replace(
        r"^(the|a|an)\s+", "", regex=True)
    key = canonical.where(canonical != "", unnamed.where(speaker != "", NO_SPEAKER))
    return key


def _shannon(counts) -> float:
    total = sum(counts)
    if total == 0:
        return 0.0
    return abs(-sum(c / total * math.log2(c / total) for c in counts if c))


def source_summary(quotes: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """How many voices each outlet gives room to, and how evenly.

    Columns: articles, quotes, direct (share of quotes in quotation marks), sources (distinct source
    keys, see ``source_key``), named_sources, quoted_words, shannon (Shannon entropy in bits of the
    quotes over sources: 0 = one voice only; each extra bit doubles the number of equally used voices),
    evenness (shannon / log2(sources): 1 = every source quoted equally), top_source and its share (of the
    quotes with a speaker), and no_speaker_found: attributions whose speaker was not found, counted in
    ``quotes`` but never as a source.

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"]})
    >>> q = pd.DataFrame({"article_id": ["a", "a", "b"], "kind": ["direct", "indirect", "direct"],
    ...     "speaker": ["Ann", "Bo", "Ann"], "speaker_canonical": ["Ann", "Bo", "Ann"],
    ...     "source_type": ["government", "expert", "government"], "n_words": [5, 3, 4]})
    >>> source_summary(q, arts)[["quotes", "sources", "shannon"]].to_dict("index")
    {'X': {'quotes': 2, 'sources': 2, 'shannon': 1.0}, 'Y': {'quotes': 1, 'sources': 1, 'shannon': 0.0}}
    """
    q = _with_group(quotes, articles, by).assign(source=lambda d: source_key(d))
    counts = _usable(articles).groupby(by)["article_id"].nunique()
    rows = []
    for group, n_articles in counts.items():
        part = q[q[_G] == group]
        voiced = part[part["source"] != NO_SPEAKER]
        per_source = voiced["source"].value_counts()
        h = _shannon(per_source.tolist())
        n_src = len(per_source)
        rows.append({
            by: group, "articles": int(n_articles), "quotes": len(part),
            "direct": round(float((part["kind"] == "direct").mean()), 3) if len(part) else 0.0,
            "sources": n_src, "named_sources": int(part.loc[part["speaker_canonical"].fillna("") != "",
                                                              "speaker_canonical"].nunique()),
            "quoted_words": int(part["n_words"].sum()), "shannon": round(h, 3),
            "evenness": round(h / math.log2(n_src), 3) if n_src > 1 else (1.0 if n_src == 1 else 0.0),
            "top_source": per_source.index[0] if n_src else "",
            "top_share": round(float(per_source.iloc[0] / len(voiced)), 3) if n_src else 0.0,
            "no_speaker_found": int(len(part) - len(voiced)),
        })
    columns = [by, "articles", "quotes", "direct", "sources", "named_sources", "quoted_words", "shannon",
               "evenness", "top_source", "top_share", "no_speaker_found"]
    return pd.DataFrame(rows, columns=columns).set_index(by)


def source_shares(quotes: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet",
                  category: str = "source_type", weight: str = "quotes") -> pd.DataFrame:
    """Share of each outlet's quotes (``weight="quotes"``) or quoted words (``"words"``) per category
    (``source_type``, ``country``, ``kind``): a long table by, category, n, share (the category column is
    ``source_<category>`` when ``by`` has its name, e.g. both ``country``).

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"]})
    >>> q = pd.DataFrame({"article_id": ["a", "a"], "source_type": ["media", "expert"], "n_words": [3, 1]})
    >>> source_shares(q, arts, weight="words")[["source_type", "share"]].values.tolist()
    [['media', 0.75], ['expert', 0.25]]
    """
    q = _with_group(quotes, articles, by)
    q = q.assign(**{category: q[category].fillna("").replace("", "(unknown)")})
    if category == "source_type" and {"speaker", "speaker_canonical"} <= set(q.columns):
        # an attribution whose speaker was not found is no kind of source: its own category, named as such
        missing = (source_key(q) == NO_SPEAKER) & q[category].isin(["(unknown)", "unknown"])
        q.loc[missing, category] = "no speaker found"
    q["w"] = q["n_words"] if weight == "words" else 1
    table = q.groupby([_G, category], as_index=False)["w"].sum().rename(columns={"w": "n"})
    table["share"] = table["n"] / table.groupby(_G)["n"].transform("sum")
    # by="country" with category="country": the article's country is "country", the source's "source_country"
    table = table.rename(columns={category: f"source_{category}"} if category == by else {}).rename(
        columns={_G: by})
    return table.sort_values([by, "share"], ascending=[True, False]).reset_index(drop=True)


def voice_matrix(quotes: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet",
                 min_quotes: int = 1) -> pd.DataFrame:
    """Outlet × source: how many times each outlet quotes each source (sources quoted at least
    ``min_quotes`` times in all, most quoted first). Outlets without any quote are kept as empty rows.
    Attributions whose speaker was not found are not a source and are left out."""
    q = _with_group(quotes, articles, by).assign(source=lambda d: source_key(d))
    q = q[q["source"] != NO_SPEAKER]
    matrix = pd.crosstab(q[_G], q["source"])
    matrix = matrix.reindex(_groups(articles, by), fill_value=0)
    matrix.index.name, matrix.columns.name = by, "source"
    keep = matrix.sum().sort_values(ascending=False)
    keep = keep[keep >= min_quotes].index
    return matrix[keep]


def voice_coverage(quotes: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """Per source: how many outlets quote it, which, and whether every outlet, several or one only does.
    With another ``by`` the columns keep their names (``outlets`` counts the ``by`` groups, "every outlet" means
    every group)."""
    matrix = voice_matrix(quotes, articles, by=by)
    n_outlets = len(matrix.index)
    rows = []
    for source in matrix.columns:
        present = matrix.index[matrix[source] > 0].tolist()
        rows.append({"source": source, "outlets": len(present), "quotes": int(matrix[source].sum()),
                     "quoted_by": ", ".join(map(str, present)),
                     "coverage": "every outlet" if len(present) == n_outlets and n_outlets > 1
                     else ("one outlet only" if len(present) == 1 else "several outlets"),
                     "not_quoted_by": ", ".join(str(o) for o in matrix.index if o not in present)})
    columns = ["source", "outlets", "quotes", "quoted_by", "coverage", "not_quoted_by"]
    return pd.DataFrame(rows, columns=columns).sort_values(["outlets", "quotes"], ascending=False).reset_index(
        drop=True)


def media_citations(quotes: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """Outlets citing other outlets: one row per attribution to a medium (an outlet as the source, or as
    the channel a source spoke through), with the citing outlet, the cited one and the words."""
    q = _with_group(quotes, articles, by)
    is_media = q["source_type"].eq("media") & q["speaker_canonical"].fillna("").ne("")
    via = q["via"].fillna("").ne("")
    rows = []
    for r in q[is_media | via].to_dict("records"):
        media = r["source_type"] == "media"
        cited = r["speaker_canonical"] if media and r["speaker_canonical"] else r["via"]
        if str(cited).strip().lower() == str(r[_OUTLET]).strip().lower():
            continue  # "told Harbour Radio" in Harbour Radio's own bulletin: its own interview, not a citation
        rows.append({by: r[_G], "article_id": r["article_id"], "cites": cited,
                     "how": "as the source" if media else f"as the channel of {r['speaker']}",
                     "kind": r["kind"], "quote": r["quote"], "start": r["start"], "end": r["end"]})
    return pd.DataFrame(rows, columns=[by, "article_id", "cites", "how", "kind", "quote", "start", "end"])


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", text.lower().replace("’", "'").replace("‘", "'"))


def same_quotes(quotes: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet", min_words: int = 5,
                threshold: float = 0.5, paraphrase: float = 0.35, within: str | None = None) -> pd.DataFrame:
    """The same statement in several outlets: quotes grouped when their words match.

    Two quotes from different outlets are linked when their word sequences overlap (difflib ratio
    ≥ ``threshold``, or one holds ≥ 80% of the other's words in order), or, for the same speaker, when
    ≥ ``paraphrase`` of their content words are shared (a paraphrase of a direct quote). Each group's
    reference is its longest direct quote; every member gets its relation to it (identical, shortened,
    extended, reworded, paraphrased), the words it cut and added, and ``diff_html`` that marks them.
    A quotation interrupted by its cue (“A,” X said. “B.”) is compared part by part (its ``fragments``):
    an outlet that quotes only “A” quotes the same words as one that quotes “A” and “B”.

    ``within``: a column of ``articles`` (e.g. ``"story"``, from ``stories.with_stories``): quotes are compared
    only inside the same value. Candidate pairs come from a prefix filter (``_candidate_quote_pairs``), so the
    cost follows the pairs that can link, not the square of the number of quotes.
    """
    q = _split_fragments(_with_group(quotes, articles, by), articles)
    q = q[(q["n_words"] >= min_words) & q["kind"].isin(["direct", "indirect", "reported", "according_to"])]
    q = q.reset_index(drop=True)
    speakers = q["speaker_canonical"].tolist()
    col = {c: q[c].tolist() for c in (_G, "article_id", "speaker", "kind", "quote", "start", "end")}
    scope = None
    if within:
        check_by(articles, within)
        scope = q["article_id"].map(dict(zip(articles["article_id"], articles[within]))).tolist()
    found = []  # (size, first member, its rows): every group quoted by two groups or more
    # quotes are linked only inside one scope, so each scope is compared on its own, and the words, counts and
    # indexes of one scope at a time are held (not the corpus's: they took more memory than every table)
    for idx, part_scope in _scope_parts(scope, len(q)):
        words = [_words(col["quote"][i]) for i in idx]
        for local in _linked(words, [speakers[i] for i in idx], [col[_G][i] for i in idx], part_scope,
                             threshold=threshold, paraphrase=paraphrase):
            if len({col[_G][idx[k]] for k in local}) < 2:
                continue
            ref = max(local, key=lambda k: (col["kind"][idx[k]] == "direct", len(words[k])))
            rows = []
            for k in local:
                i, r = idx[k], idx[ref]
                sm = difflib.SequenceMatcher(None, words[ref], words[k], autojunk=False)
                cut = sum(i2 - i1 for tag, i1, i2, _, _ in sm.get_opcodes() if tag in ("delete", "replace"))
                added = sum(j2 - j1 for tag, _, _, j1, j2 in sm.get_opcodes() if tag in ("insert", "replace"))
                ratio = sm.ratio()
                if k == ref:
                    relation = "reference"
                elif cut == 0 and added == 0:
                    relation = "identical"
                elif added == 0:
                    relation = "shortened"
                elif cut == 0:
                    relation = "extended"
                elif ratio >= threshold:
                    relation = "reworded"
                else:
                    relation = "paraphrased"
                rows.append({by: col[_G][i], "article_id": col["article_id"][i],
                             "speaker_canonical": speakers[i] or col["speaker"][i],
                             "kind": col["kind"][i], "quote": col["quote"][i], "start": col["start"][i],
                             "end": col["end"][i], "relation": relation, "similarity": round(ratio, 3),
                             "words_cut": cut, "words_added": added,
                             "diff_html": _diff_html(col["quote"][r], col["quote"][i])})
            found.append((len(local), idx[local[0]], rows))
    # the largest groups first, then in the order of their first quote: the numbering of the whole corpus
    found.sort(key=lambda g: (-g[0], g[1]))
    rows = [{"group": gid, **row} for gid, (_, _, members) in enumerate(found, start=1) for row in members]
    return pd.DataFrame(rows, columns=["group", by, "article_id", "speaker_canonical", "kind", "quote", "start",
                                       "end", "relation", "similarity", "words_cut", "words_added", "diff_html"])


def _linked(words: list[list[str]], said: list, groups: list, scope: list | None, *, threshold: float,
            paraphrase: float) -> list[list[int]]:
    """The quotes of one comparison (their words, speakers, ``by`` groups and, when several scopes are compared
    at once, scopes) joined into groups of the same statement (positions, ascending, in the order of their first
    member): :func:`same_quotes`' rules, on the candidate pairs of :func:`_candidate_quote_pairs`."""
    counts = [Counter(ws) for ws in words]
    content = [set(w for w in ws if w not in _STOP) for ws in words]
    groups_of = UnionFind(len(words))
    find = groups_of.find
    for i, j in _candidate_quote_pairs(counts, content, said, groups, scope,
                                       overlap=min(threshold, 0.8), paraphrase=paraphrase):
        if find(i) == find(j):
            continue  # already in one group through other quotes: linking them again changes nothing
        si, sj = said[i], said[j]
        same_speaker = bool(si) and si == sj
        other_speaker = bool(si) and bool(sj) and si != sj
        jacc = len(content[i] & content[j]) / max(1, len(content[i] | content[j]))
        li, lj = len(words[i]), len(words[j])
        if not (same_speaker and jacc >= paraphrase):
            # the words both hold (each as often as the rarer side has it) bound the matched words from
            # above: a pair that cannot reach either threshold is not linked, and difflib is not run on it
            bound = sum((counts[i] & counts[j]).values())
            need_ratio, need_contain = (0.8, 0.9) if other_speaker else (threshold, 0.8)
            if 2 * bound / max(1, li + lj) < need_ratio and bound / max(1, min(li, lj)) < need_contain:
                continue
        sm = difflib.SequenceMatcher(None, words[i], words[j], autojunk=False)
        matched = sum(b.size for b in sm.get_matching_blocks())
        contain = matched / max(1, min(li, lj))
        ratio = 2 * matched / max(1, li + lj)
        if other_speaker:  # words of two named speakers are the same statement only when near-identical
            linked = ratio >= 0.8 or contain >= 0.9
        else:
            linked = ratio >= threshold or contain >= 0.8 or (same_speaker and jacc >= paraphrase)
        if linked:
            groups_of.union(i, j)
    members: dict[int, list[int]] = {}
    for k in range(len(words)):
        members.setdefault(find(k), []).append(k)
    return list(members.values())


def _scope_parts(scope: list | None, n: int) -> list[tuple[list[int], list | None]]:
    """The positions of each scope's quotes (ascending, the scopes in the order they first occur), each compared
    on its own; every quote at once when there is no scope, or when a scope is missing (NaN: such quotes are
    then kept apart by the scope key inside the one comparison, as before)."""
    if scope is None:
        return [(list(range(n)), None)]
    if any(v != v for v in scope):  # NaN
        return [(list(range(n)), scope)]
    return [(positions, None) for positions in positions_by(scope)]


def _rare_first(token_lists: list[list]) -> list[list]:
    """Each list's distinct tokens, rarest in the whole collection first (ties by the token): the global order
    a prefix filter needs."""
    freq = Counter(t for tokens in token_lists for t in set(tokens))
    return [sorted(set(tokens), key=lambda t: (freq[t], t)) for tokens in token_lists]


def _candidate_quote_pairs(counts: list[Counter], content: list[set], speakers: list, groups: list,
                           scope: list | None, *, overlap: float, paraphrase: float) -> list[tuple[int, int]]:
    """Every pair (i < j) of quotes from different groups (and the same ``scope``) that share a content word and
    could be linked: at least ``overlap`` of the shorter quote's words in the other (counting repeats), or, for
    the same speaker, a content-word Jaccard of at least ``paraphrase``. Found with prefix filtering (Chaudhuri,
    Ganti and Kaushik 2006; Bayardo, Ma and Srikant 2007): if two sets share that much, the shorter one's rarest
    ``len - ceil(overlap * len) + 1`` tokens meet the other's tokens, so only those are looked up. Exact: no pair
    that meets a threshold is missed, whatever the corpus size."""
    n = len(counts)
    key = (lambda i, t: (scope[i], t)) if scope is not None else (lambda i, t: t)
    # words with their repeats ("the#0", "the#1"): the multiset overlap is the overlap of these sets
    tokens = [[key(i, (w, k)) for w, c in counts[i].items() for k in range(c)] for i in range(n)]
    ordered = _rare_first(tokens)
    full: dict = {}
    for i, toks in enumerate(ordered):
        for t in toks:
            full.setdefault(t, []).append(i)
    pairs: set = set()
    for i, toks in enumerate(ordered):
        size = len(toks)
        for t in toks[:size - math.ceil(overlap * size) + 1] if size else ():
            for j in full[t]:
                if (size, i) < (len(ordered[j]), j) and groups[i] != groups[j] and content[i] & content[j]:
                    pairs.add((i, j) if i < j else (j, i))
    # the same speaker's paraphrases: content-word Jaccard, prefixes of both sides (per speaker and scope)
    named = [i for i in range(n) if speakers[i] and isinstance(speakers[i], str) and content[i]]
    if named:
        words = _rare_first([[key(i, (speakers[i], w)) for w in content[i]] for i in named])
        prefix_index: dict = {}
        for pos, toks in enumerate(words):
            for t in toks[:len(toks) - math.ceil(paraphrase * len(toks)) + 1]:
                for other in prefix_index.get(t, ()):
                    i, j = named[other], named[pos]
                    if groups[i] != groups[j]:
                        pairs.add((i, j) if i < j else (j, i))
                prefix_index.setdefault(t, []).append(pos)
    return sorted(pairs)


def _split_fragments(q: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per quoted part (its words from the article text, else from the " … "-joined quote)."""
    frag_lists = _fragment_lists(q) if len(q) else []
    if not any(len(f) > 1 for f in frag_lists):
        return q
    texts = dict(zip(articles["article_id"], articles["text"])) if "text" in articles.columns else {}
    rows = []
    for r, frags in zip(q.to_dict("records"), frag_lists):
        parts = str(r["quote"]).split(" … ")
        for n, (s, e) in enumerate(frags):
            text = texts.get(r["article_id"])
            words = text[s:e] if isinstance(text, str) else (parts[n] if len(parts) == len(frags) else r["quote"])
            rows.append({**r, "start": s, "end": e, "quote": words, "n_words": len(words.split())}
                        if len(frags) > 1 else r)
    return pd.DataFrame(rows, columns=q.columns)


def _diff_html(reference: str, other: str) -> str:
    """``other`` against ``reference``, word by word: cut words struck through, new words underlined."""
    a, b = reference.split(), other.split()
    norm_a = [re.sub(r"[^\w]", "", w.lower().replace("’", "'")) for w in a]
    norm_b = [re.sub(r"[^\w]", "", w.lower().replace("’", "'")) for w in b]
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, norm_a, norm_b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(html.escape(" ".join(b[j1:j2])))
        if tag in ("delete", "replace"):
            out.append(f"<del title='cut'>{html.escape(' '.join(a[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            out.append(f"<ins title='added or changed'>{html.escape(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out)


def same_quotes_html(table: pd.DataFrame, *, by: str = "outlet", colors: dict | None = None,
                     max_groups: int | None = None, csv: str | None = None) -> str:
    """The ``same_quotes`` groups as an HTML block: per group, each outlet's version with what it cut
    (struck through) and added or changed (underlined) against the reference. ``max_groups``: show the first
    groups only, with a line saying how many there are (and linking to ``data/<csv>`` when given), so that
    a report stays readable on a large corpus."""
    if table.empty:
        return "<p><i>No statement is quoted by more than one outlet.</i></p>"
    colors = colors or {}
    total = table["group"].nunique()
    note = ""
    if max_groups is not None and total > max_groups:
        keep = pd.unique(table["group"].sort_values())[:max(int(max_groups), 0)]
        table = table[table["group"].isin(set(keep))]
        link = (f' — every version: <a href="data/{html.escape(csv, quote=True)}">data/{html.escape(csv)}</a>'
                if csv else "")
        note = f"<p class='nx-cap'><i>showing {len(keep)} of {total} statements{link}</i></p>"
    parts = ["<style>.sq del{color:#b22;background:#fdd}.sq ins{color:#075;background:#dfd;text-decoration:"
             "underline}.sq td{vertical-align:top;padding:4px 8px;border-bottom:1px solid #ddd;text-align:left}"
             ".sq th{text-align:left}</style>"]
    for gid, part in table.groupby("group"):
        speaker = part["speaker_canonical"].iloc[0]
        parts.append(f"<h4>Statement {gid}: {html.escape(str(speaker))}</h4><table class='sq'>"
                     "<tr><th>outlet</th><th>how</th><th>words (against the reference)</th></tr>")
        for r in part.sort_values("relation", key=lambda s: s.ne("reference")).itertuples():
            outlet = part.at[r.Index, by]
            swatch = colors.get(outlet, "#888")
            how = f"{r.relation}, {r.kind}" + (f" (−{r.words_cut} / +{r.words_added} words)"
                                               if r.relation not in ("reference", "identical") else "")
            parts.append(f"<tr><td><span style='color:{swatch}'>■</span> {html.escape(str(outlet))}</td>"
                         f"<td>{html.escape(how)}</td><td>{r.diff_html}</td></tr>")
        parts.append("</table>")
    return "".join(parts) + note
