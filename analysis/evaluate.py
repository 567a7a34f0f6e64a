"""Score the extractors against hand-made gold annotations (``tests/gold/``, ``tests/data/``).

``python -m analysis eval`` (``make eval``) prints precision, recall and F1 per extractor. Gold offsets
index the raw seed files; the loader's clean text differs (boilerplate removed), so every gold span is
located again in the clean text by its words, near where it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import lexicons
from .scoring import one_to_one

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
STYLES = ROOT / "tests" / "data" / "quote_styles"

__all__ = ["locate", "gold_quotes", "style_quotes", "score_quotes", "expand_fragments", "QuoteScores", "main"]


def _norm_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def locate(text: str, needle: str, hint: float | None = None) -> tuple[int, int] | None:
    """Find ``needle`` in ``text`` ignoring differences in white space; the occurrence nearest ``hint``
    (a relative position 0..1) wins. Returns (start, end) in ``text`` or None."""
    if not needle:
        return None
    pattern = r"\s+".join(re.escape(w) for w in _norm_ws(needle).strip().split(" "))
    hits = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    if not hits:
        return None
    if hint is None or len(hits) == 1:
        return hits[0]
    return min(hits, key=lambda h: abs(h[0] / max(len(text), 1) - hint))


def gold_quotes(articles: pd.DataFrame, path: Path = GOLD / "quotes.csv", raw_dir: Path | None = None) -> pd.DataFrame:
    """The seed gold with spans moved onto the articles' clean text (rows that cannot be found are dropped
    with a note in ``attrs['unplaced']``)."""
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    texts = dict(zip(articles["article_id"], articles["text"]))
    raw_dir = raw_dir or (ROOT / "seeds")
    rows, unplaced = [], []
    for r in gold.to_dict("records"):
        art = Path(r["file"]).stem
        text = texts.get(art)
        raw = (raw_dir / r["file"]).read_text(encoding="utf-8") if (raw_dir / r["file"]).exists() else ""
        hint = int(r["start"]) / max(len(raw), 1) if raw else None
        span = locate(text, r["quote"], hint) if text else None
        if span is None:
            unplaced.append(r["quote"][:60])
            continue
        sp = locate(text, r["speaker"], int(r["speaker_start"]) / max(len(raw), 1)) if r["speaker"] and raw else None
        rows.append({**r, "article_id": art, "start": span[0], "end": span[1],
                     "speaker_start": sp[0] if sp else -1, "speaker_end": sp[1] if sp else -1})
    out = pd.DataFrame(rows)
    out.attrs["unplaced"] = unplaced
    return out


def style_quotes(articles: pd.DataFrame, path: Path = STYLES / "expected.csv") -> pd.DataFrame:
    """The out-of-domain test texts' expected quotes, located in the loaded texts."""
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    texts = dict(zip(articles["article_id"], articles["text"]))
    rows, unplaced = [], []
    for r in gold.to_dict("records"):  # nested rows (a speaker and the outlet reporting it) share one span
        art = Path(r["file"]).stem
        text = texts.get(art, "")
        span = locate(text, r["quote"]) if text else None
        if span is None:
            unplaced.append(r["quote"][:60])
            continue
        sp = locate(text, r["speaker"], span[0] / max(len(text), 1)) if r["speaker"] else None
        rows.append({**r, "article_id": art, "start": span[0], "end": span[1],
                     "speaker_start": sp[0] if sp else -1, "speaker_end": sp[1] if sp else -1})
    out = pd.DataFrame(rows)
    out.attrs["unplaced"] = unplaced
    return out


@dataclass
class QuoteScores:
    """Quote-span precision/recall/F1 (overlap and exact), and accuracies on the matched quotes."""

    n_gold: int
    n_pred: int
    overlap_p: float
    overlap_r: float
    overlap_f1: float
    exact_p: float
    exact_r: float
    exact_f1: float
    speaker_acc: float
    source_type_acc: float
    kind_acc: float
    matches: pd.DataFrame
    misses: pd.DataFrame
    false_positives: pd.DataFrame

    def as_row(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if not isinstance(v, pd.DataFrame)}


def _edge_norm(s: str) -> str:
    return re.sub(r"^[\W_]+|[\W_]+$", "", _norm_ws(s)).lower()


def _prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _spans_overlap(pred: dict, gold: dict) -> bool:
    return (pred.get("speaker_start", -1) >= 0 and gold.get("speaker_start", -1) >= 0
            and pred["speaker_start"] < gold["speaker_end"] and gold["speaker_start"] < pred["speaker_end"])


def _same_speaker(pred: dict, gold: dict, text: str = "") -> bool:
    """Same source: the same canonical name; for a source the text never names ("a trust spokesman",
    gold canonical a description not found in the text), the same mention left unnamed."""
    gc, pc = gold.get("speaker_canonical", ""), pred.get("speaker_canonical", "")
    if gc and not pc and text and (gc not in text or gold.get("source_type") == "anonymous") and gold.get(
            "speaker", "").lower() not in (
            "he", "she", "they", "it", "i", "we") and _spans_overlap(pred, gold):
        return True
    if gc:
        return bool(pc) and lexicons.name_key(gc) == lexicons.name_key(pc)
    if pc:
        return False
    if not gold.get("speaker"):
        return not pred.get("speaker")
    return _edge_norm(pred.get("speaker", "")) == _edge_norm(gold["speaker"]) or _spans_overlap(pred, gold)


def expand_fragments(pred: pd.DataFrame, texts: dict | None = None) -> pd.DataFrame:
    """One row per quoted part: a quotation interrupted by its cue (“A,” X said. “B.”), one row of
    ``analysis.quotes`` with two ``fragments``, becomes two rows sharing speaker and cue, each with its own
    offsets and words. This is the seed gold's written convention (tests/gold/README.md: "gives two rows;
    the second part reuses the speaker and cue spans"), while ``analysis.scoring`` keeps PolNeAR's (one
    attribution, its content taken whole), so each gold is scored under its own rules."""
    from .voices import _fragment_lists

    if pred.empty or "fragments" not in pred.columns:
        return pred
    texts = texts or {}
    rows = []
    for r, frags in zip(pred.to_dict("records"), _fragment_lists(pred)):
        if len(frags) == 1:
            rows.append(r)
            continue
        text = texts.get(r["article_id"])
        parts = r["quote"].split(" … ")
        for n, (s, e) in enumerate(frags):
            words = text[s:e] if text is not None else (parts[n] if len(parts) == len(frags) else r["quote"])
            rows.append({**r, "start": s, "end": e, "quote": words, "fragments": [(s, e)],
                         "n_words": len(words.split())})
    return pd.DataFrame(rows, columns=pred.columns)


def score_quotes(pred: pd.DataFrame, gold: pd.DataFrame, texts: dict | None = None) -> QuoteScores:
    """Match predicted to gold quotes one to one (overlapping spans in the same article, the best overlap
    and same speaker first) and score them. Predicted rows are first split into their quoted parts
    (``expand_fragments``): the seed and style golds count one row per quoted segment."""
    pred = expand_fragments(pred, texts)
    preds = pred.to_dict("records")
    golds = gold.to_dict("records")
    texts = texts or {}
    pairs = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if p["article_id"] != g["article_id"]:
                continue
            inter = min(p["end"], g["end"]) - max(p["start"], g["start"])
            if inter <= 0:
                continue
            union = max(p["end"], g["end"]) - min(p["start"], g["start"])
            bonus = 0.5 if _same_speaker(p, g, texts.get(g["article_id"], "")) else 0.0
            pairs.append((inter / union + bonus, gi, pi))
    pairs.sort(reverse=True)
    used_g, used_p, matches = set(), set(), []
    for _score, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        g, p = golds[gi], preds[pi]
        matches.append({
            "article_id": g["article_id"], "gold_kind": g["kind"], "pred_kind": p["kind"],
            "gold_quote": g["quote"], "pred_quote": p["quote"],
            "exact": _edge_norm(g["quote"]) == _edge_norm(p["quote"]),
            "gold_speaker": g.get("speaker_canonical") or g.get("speaker"),
            "pred_speaker": p.get("speaker_canonical") or p.get("speaker"),
            "speaker_ok": _same_speaker(p, g, texts.get(g["article_id"], "")),
            "gold_type": g.get("source_type", ""), "pred_type": p.get("source_type", ""),
        })
    m = pd.DataFrame(matches)
    n_exact = int(m["exact"].sum()) if len(m) else 0
    op, orr, of = _prf(len(m), len(preds), len(m), len(golds))
    ep, er, ef = _prf(n_exact, len(preds), n_exact, len(golds))
    misses = pd.DataFrame([golds[i] for i in range(len(golds)) if i not in used_g])
    fps = pd.DataFrame([preds[i] for i in range(len(preds)) if i not in used_p])
    return QuoteScores(
        n_gold=len(golds), n_pred=len(preds), overlap_p=op, overlap_r=orr, overlap_f1=of,
        exact_p=ep, exact_r=er, exact_f1=ef,
        speaker_acc=float(m["speaker_ok"].mean()) if len(m) else 0.0,
        source_type_acc=float((m["gold_type"] == m["pred_type"]).mean()) if len(m) else 0.0,
        kind_acc=float((m["gold_kind"] == m["pred_kind"]).mean()) if len(m) else 0.0,
        matches=m, misses=misses, false_positives=fps,
    )


def evaluate_quotes() -> dict[str, QuoteScores]:
    """Scores of ``analysis.quotes`` on the seed gold and on the out-of-domain style texts."""
    from .corpus import load_corpus
    from .sources import quotes

    seeds = load_corpus(ROOT / "seeds")
    out = {"seeds": score_quotes(quotes(seeds), gold_quotes(seeds), dict(zip(seeds.article_id, seeds.text)))}
    if (STYLES / "expected.csv").exists():
        styles = load_corpus(sorted(STYLES.glob("*.txt")))
        out["quote_styles"] = score_quotes(quotes(styles), style_quotes(styles),
                                           dict(zip(styles.article_id, styles.text)))
    return out


def main(verbose: bool = False) -> int:
    print("Quotes (analysis.quotes) against tests/gold/quotes.csv and tests/data/quote_styles/expected.csv")
    print(f"{'corpus':<14}{'gold':>6}{'pred':>6}  {'overlap P':>9} {'R':>6} {'F1':>6}  {'exact P':>8} {'R':>6} "
          f"{'F1':>6}  {'speaker':>8} {'type':>6} {'kind':>6}")
    for name, s in evaluate_quotes().items():
        print(f"{name:<14}{s.n_gold:>6}{s.n_pred:>6}  {s.overlap_p:>9.3f} {s.overlap_r:>6.3f} {s.overlap_f1:>6.3f}  "
              f"{s.exact_p:>8.3f} {s.exact_r:>6.3f} {s.exact_f1:>6.3f}  {s.speaker_acc:>8.3f} "
              f"{s.source_type_acc:>6.3f} {s.kind_acc:>6.3f}")
        if verbose:
            with pd.option_context("display.width", 250, "display.max_colwidth", 70, "display.max_rows", 500):
                if len(s.misses):
                    print("  missed:\n", s.misses[["article_id", "kind", "speaker", "quote"]].to_string())
                if len(s.false_positives):
                    print("  false positives:\n",
                          s.false_positives[["article_id", "kind", "speaker", "quote"]].to_string())
                bad = s.matches[~s.matches.speaker_ok] if len(s.matches) else s.matches
                if len(bad):
                    print("  wrong speaker:\n", bad[["article_id", "gold_speaker", "pred_speaker",
                                                     "pred_quote"]].to_string())
                badt = s.matches[s.matches.gold_type != s.matches.pred_type] if len(s.matches) else s.matches
                if len(badt):
                    print("  wrong type:\n", badt[["article_id", "gold_speaker", "gold_type", "pred_type"]].to_string())
    print("overlap: spans share a character; exact: same words after trimming outer punctuation; speaker, type,"
          " kind: accuracy on overlap-matched quotes.")
    if (GOLD / "entities.csv").exists():
        table, gold = evaluate_entities()
        unplaced = gold.attrs["unplaced"]
        print("\nEntities (analysis.entities) against tests/gold/entities.csv"
              + (f" ({len(unplaced)} gold rows in stripped boilerplate: {unplaced})" if unplaced else ""))
        with pd.option_context("display.float_format", "{:.3f}".format, "display.width", 200):
            print(table.to_string())
        print("exact: same span (a leading 'the' aside) and label; canonical_acc: same canonical on matched mentions.")
    if (GOLD / "dates.csv").exists():
        print("\nDates (analysis.dates) against tests/gold/dates.csv and tests/data/date_styles/expected.csv")
        print(f"{'corpus':<14}{'gold':>6}{'pred':>6}  {'overlap P':>9} {'R':>6} {'F1':>6}  {'exact F1':>8}  "
              f"{'value':>6} {'type':>6}")
        for name, s in evaluate_dates().items():
            print(f"{name:<14}{s['gold']:>6}{s['pred']:>6}  {s['overlap_p']:>9.3f} {s['overlap_r']:>6.3f} "
                  f"{s['overlap_f1']:>6.3f}  {s['exact_f1']:>8.3f}  {s['value_acc']:>6.3f} {s['type_acc']:>6.3f}")
            if verbose:
                with pd.option_context("display.width", 200, "display.max_colwidth", 60):
                    for key in ("missed", "extra", "wrong_value"):
                        if len(s[key]):
                            cols = [c for c in ("article_id", "text", "value", "gold", "pred", "pred_text")
                                    if c in s[key].columns]
                            print(f"  {key}:\n", s[key][cols].to_string())
        print("value: the same TIMEX3 value on matched expressions (both empty counts as the same).")
    if (GOLD / "stance.csv").exists():
        s = evaluate_stance()
        print("\nStance (analysis.stance) against tests/gold/stance.csv")
        print(f"mentions: gold {s['gold']}, found {s['pred']}, matched {s['matched']} "
              f"(recall {s['mention_recall']:.3f}, precision {s['mention_precision']:.3f}); "
              f"voice accuracy {s['voice_acc']:.3f}")
        print(f"{'method':<28}{'accuracy':>9}{'macro-F1':>10}")
        print(f"{'trained model (default)':<28}{s['model_acc']:>9.3f}{s['model_macro_f1']:>10.3f}")
        print(f"{'scoped (clause + lexicon)':<28}{s['scoped_acc']:>9.3f}{s['scoped_macro_f1']:>10.3f}")
        print(f"{'whole-sentence TextBlob':<28}{s['baseline_acc']:>9.3f}{s['baseline_macro_f1']:>10.3f}")
        print(f"{'all neutral':<28}{s['neutral_acc']:>9.3f}{s['neutral_macro_f1']:>10.3f}")
        if verbose:
            wrong = s["rows"][s["rows"]["gold"] != s["rows"]["scoped"]]
            with pd.option_context("display.width", 220, "display.max_colwidth", 80, "display.max_rows", 300):
                print(wrong[["article_id", "target", "mention", "voice", "gold", "scoped", "polarity", "terms",
                             "scope"]].to_string())
    from .stories import print_story_scores  # analysis.stories against tests/data/stories and the seeds

    print_story_scores()
    return 0


# =========================================================================== entities and dates


def _aligner(raw: str, clean: str):
    """A function mapping offsets in a raw seed file to offsets in the loader's clean text (None where
    the raw character was removed as boilerplate)."""
    import difflib

    raw_n = raw.replace("\xa0", " ")
    blocks = difflib.SequenceMatcher(None, raw_n, clean, autojunk=False).get_matching_blocks()

    def to_clean(i: int, *, end: bool = False) -> int | None:
        j = i - 1 if end else i
        for a, b, size in blocks:
            if a <= j < a + size:
                return b + (j - a) + (1 if end else 0)
        return None

    return to_clean


def _gold_on_clean(articles: pd.DataFrame, path: Path, raw_dir: Path | None = None) -> pd.DataFrame:
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "text" not in gold.columns and "mention" in gold.columns:
        gold = gold.rename(columns={"mention": "text"})
    texts = dict(zip(articles["article_id"], articles["text"]))
    raw_dir = raw_dir or (ROOT / "seeds")
    rows, unplaced = [], []
    aligners = {}
    for r in gold.to_dict("records"):
        art = Path(r["file"]).stem
        if art not in texts:
            unplaced.append(r["text"])
            continue
        if art not in aligners:
            aligners[art] = _aligner((raw_dir / r["file"]).read_text(encoding="utf-8"), texts[art])
        s, e = aligners[art](int(r["start"])), aligners[art](int(r["end"]), end=True)
        if s is None or e is None or _norm_ws(texts[art][s:e]) != _norm_ws(r["text"]):
            unplaced.append(r["text"])
            continue
        rows.append({**r, "article_id": art, "start": s, "end": e})
    out = pd.DataFrame(rows)
    out.attrs["unplaced"] = unplaced
    return out


def _strip_det(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", _norm_ws(text).strip(), flags=re.I)


def _match_spans(pred: pd.DataFrame, gold: pd.DataFrame, *, same_label: bool = True):
    """One-to-one matching of spans in the same article: (gold index, pred index, exact) triples."""
    pairs = []
    for art, g_part in gold.groupby("article_id"):
        p_part = pred[pred["article_id"] == art]
        for gi, g in g_part.iterrows():
            for pi, p in p_part.iterrows():
                if same_label and p["label"] != g["label"]:
                    continue
                inter = min(p["end"], g["end"]) - max(p["start"], g["start"])
                if inter <= 0:
                    continue
                exact = _strip_det(p["text"]) == _strip_det(g["text"])
                pairs.append(((exact, inter), gi, pi))
    return [(gi, pi, key[0]) for gi, pi, key in one_to_one(pairs)]


def score_entities(pred: pd.DataFrame, gold: pd.DataFrame, labels=("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")):
    """Per label and for PERSON+ORG+GPE together: exact-span (a leading 'the' aside) P/R/F1, overlap F1, and
    canonicalisation accuracy on matched mentions."""
    from . import lexicons

    pred = pred[pred["label"].isin(labels)].reset_index(drop=True)
    gold = gold[gold["label"].isin(labels)].reset_index(drop=True)
    rows = []
    groups = [(label, (label,)) for label in labels] + [("PERSON+ORG+GPE", ("PERSON", "ORG", "GPE"))]
    for name, group in groups:
        p = pred[pred["label"].isin(group)]
        g = gold[gold["label"].isin(group)]
        matches = _match_spans(p, g)
        exact = [m for m in matches if m[2]]
        ep, er, ef = _prf(len(exact), len(p), len(exact), len(g))
        op, orr, of = _prf(len(matches), len(p), len(matches), len(g))
        canon = [lexicons.name_key(p.loc[pi, "canonical"]) == lexicons.name_key(g.loc[gi, "canonical"])
                 for gi, pi, _ in matches]
        rows.append({"label": name, "gold": len(g), "pred": len(p), "exact_p": ep, "exact_r": er, "exact_f1": ef,
                     "overlap_f1": of, "canonical_acc": sum(canon) / len(canon) if canon else 0.0})
    return pd.DataFrame(rows).set_index("label")


def score_dates(pred: pd.DataFrame, gold: pd.DataFrame) -> dict:
    """Date span P/R/F1 (overlap and exact), value accuracy and type accuracy on matched expressions."""
    p = pred.assign(label="DATE")
    g = gold.assign(label="DATE")
    matches = _match_spans(p, g, same_label=False)
    exact = [m for m in matches if m[2]]
    op, orr, of = _prf(len(matches), len(p), len(matches), len(g))
    ep, er, ef = _prf(len(exact), len(p), len(exact), len(g))
    values = [str(p.loc[pi, "value"]) == str(g.loc[gi, "value"]) for gi, pi, _ in matches]
    types = [p.loc[pi, "type"] == g.loc[gi, "type"] for gi, pi, _ in matches]
    missed = g.drop(index=[gi for gi, _, _ in matches])
    extra = p.drop(index=[pi for _, pi, _ in matches])
    wrong = pd.DataFrame([{"article_id": g.loc[gi, "article_id"], "text": g.loc[gi, "text"],
                           "gold": g.loc[gi, "value"], "pred": p.loc[pi, "value"], "pred_text": p.loc[pi, "text"]}
                          for (gi, pi, _), ok in zip(matches, values) if not ok])
    return {"gold": len(g), "pred": len(p), "overlap_p": op, "overlap_r": orr, "overlap_f1": of, "exact_p": ep,
            "exact_r": er, "exact_f1": ef, "value_acc": sum(values) / len(values) if values else 0.0,
            "type_acc": sum(types) / len(types) if types else 0.0, "missed": missed, "extra": extra,
            "wrong_value": wrong}


def evaluate_entities():
    from .corpus import load_corpus
    from .entities import entities

    seeds = load_corpus(ROOT / "seeds")
    gold = _gold_on_clean(seeds, GOLD / "entities.csv")
    return score_entities(entities(seeds), gold), gold


def evaluate_dates() -> dict:
    from .corpus import load_corpus
    from .dates import dates

    seeds = load_corpus(ROOT / "seeds")
    out = {"seeds": score_dates(dates(seeds), _gold_on_clean(seeds, GOLD / "dates.csv"))}
    styles = ROOT / "tests" / "data" / "date_styles"
    if (styles / "expected.csv").exists():
        arts = load_corpus(sorted(styles.glob("*.txt")))
        expected = pd.read_csv(styles / "expected.csv", dtype=str, keep_default_na=False)
        rows, seen = [], {}
        texts = dict(zip(arts["article_id"], arts["text"]))
        for r in expected.to_dict("records"):  # the n-th row with the same words is their n-th occurrence
            art = Path(r["file"]).stem
            text = texts.get(art, "")
            pattern = r"\s+".join(re.escape(w) for w in _norm_ws(r["text"]).strip().split(" "))
            hits = [(m.start(), m.end()) for m in re.finditer(pattern, text)] if text else []
            n = seen.get((art, r["text"]), 0)
            seen[(art, r["text"])] = n + 1
            if hits:
                span = hits[min(n, len(hits) - 1)]
                rows.append({**r, "article_id": art, "start": span[0], "end": span[1]})
        out["date_styles"] = score_dates(dates(arts), pd.DataFrame(rows))
    return out


def _macro_f1(gold: list[str], pred: list[str], labels=("negative", "neutral", "positive")) -> float:
    scores = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        fp = sum(p == label and g != label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / len(scores)


def evaluate_stance() -> dict:
    """Stance labels on the gold's target mentions: the trained model (``model_*``), the scoped lexicon
    method (``scoped_*``), the whole-sentence TextBlob baseline (``baseline_*``) and all-neutral
    (``neutral_*``), accuracy and macro-F1 over negative / neutral / positive; voice accuracy, mention
    recall."""
    from .corpus import load_corpus
    from .entities import entities
    from .nlp import analysable, parse
    from .sources import quotes
    from .stance import DEFAULT_TARGETS, sentence_baseline, stance

    seeds = load_corpus(ROOT / "seeds")
    gold = _gold_on_clean(seeds, GOLD / "stance.csv")
    usable = analysable(seeds)
    docs = parse(usable)
    ents, q = entities(usable, docs=docs), quotes(usable, docs=docs)
    pred = stance(seeds, DEFAULT_TARGETS, docs=docs, entities_table=ents, quotes_table=q, method="lexicon")
    model = stance(seeds, DEFAULT_TARGETS, docs=docs, entities_table=ents, quotes_table=q, method="model")
    pred = pred.assign(baseline=sentence_baseline(pred), text=pred["mention"], label_=pred["label"],
                       model=model["label"].to_numpy(), model_evidence=model["evidence"].to_numpy())
    matches = _match_spans(pred.assign(label=pred["target"]), gold.assign(label=gold["target"]))
    g_labels = [gold.loc[gi, "label"] for gi, _, _ in matches]
    scoped = [pred.loc[pi, "label_"] for _, pi, _ in matches]
    base = [pred.loc[pi, "baseline"] for _, pi, _ in matches]
    trained = [pred.loc[pi, "model"] for _, pi, _ in matches]
    neutral = ["neutral"] * len(matches)
    voices = [gold.loc[gi, "voice"] == pred.loc[pi, "voice"] for gi, pi, _ in matches]
    rows = pd.DataFrame([{"article_id": gold.loc[gi, "article_id"], "target": gold.loc[gi, "target"],
                          "mention": gold.loc[gi, "text"], "voice": gold.loc[gi, "voice"],
                          "gold": gold.loc[gi, "label"],
                          "scoped": pred.loc[pi, "label_"], "baseline": pred.loc[pi, "baseline"],
                          "model": pred.loc[pi, "model"], "evidence": pred.loc[pi, "model_evidence"],
                          "polarity": pred.loc[pi, "polarity"], "terms": pred.loc[pi, "terms"],
                          "scope": pred.loc[pi, "scope"]} for gi, pi, _ in matches])
    n = len(matches)
    return {
        "gold": len(gold), "pred": len(pred), "matched": n, "mention_recall": n / len(gold) if len(gold) else 0.0,
        "mention_precision": n / len(pred) if len(pred) else 0.0,
        "scoped_acc": sum(g == p for g, p in zip(g_labels, scoped)) / n if n else 0.0,
        "scoped_macro_f1": _macro_f1(g_labels, scoped),
        "baseline_acc": sum(g == p for g, p in zip(g_labels, base)) / n if n else 0.0,
        "baseline_macro_f1": _macro_f1(g_labels, base),
        "model_acc": sum(g == p for g, p in zip(g_labels, trained)) / n if n else 0.0,
        "model_macro_f1": _macro_f1(g_labels, trained),
        "neutral_acc": sum(g == p for g, p in zip(g_labels, neutral)) / n if n else 0.0,
        "neutral_macro_f1": _macro_f1(g_labels, neutral),
        "voice_acc": sum(voices) / n if n else 0.0, "rows": rows,
    }
