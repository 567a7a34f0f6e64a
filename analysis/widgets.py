"""The explorer: pick outlets, an entity, a source type and a frame; see the matching quotes, the article
text with every finding highlighted, and a chart, all updating together.

``Explorer(bundle)`` builds the ipywidgets controls and views; ``explorer.show()`` displays them in
JupyterLab together with an HTML copy, which is what an exported report (where no widget can run) shows
instead. Every view is also a plain value (``explorer.table``, ``explorer.text_html``,
``explorer.chart_png``), so the callbacks can be tested without a browser.

The HTML copy (:func:`explorer_html`) filters by outlet, story and source type and shows each matching
article highlighted, in the page itself: the data sit in a ``<script type="application/json">`` block
(every ``<``, ``>`` and ``&`` written as a JSON escape, so no text can close it) that the one inline
script :data:`EXPLORER_JS` reads with ``JSON.parse`` and renders with ``textContent`` only; the report's
Content-Security-Policy allows exactly that script by its sha256 hash. Its size is bounded: at most
``MAX_ARTICLES`` articles and ``MAX_QUOTES`` attributions, ``MAX_ARTICLE_CHARS`` characters of each text
and ``MAX_TEXT_CHARS`` in all (a note says what was cut), listed ``PAGE`` to a page.
"""

from __future__ import annotations

import colorsys
import hashlib
import html
import io
import json
import re

import pandas as pd

from .dates import describe
from .framing import FRAMES, frames
from .voices import check_by, quote_fragments

__all__ = ["Explorer", "highlight_html", "explorer_html", "explorer_data", "EXPLORER_JS", "SCRIPTS"]

#: Bounds of the HTML copy, so a 10,000-article corpus still gives a report a browser opens quickly.
PAGE = 50
MAX_ARTICLES = 2000
MAX_QUOTES = 5000
MAX_ARTICLE_CHARS = 20_000
MAX_TEXT_CHARS = 1_500_000
MAX_QUOTE_CHARS = 400

ANY = "(any)"
_STYLE = """<style>
.nx-text{line-height:1.7;font-size:13px;max-width:60rem}
.nx-text .q{border-radius:3px;padding:1px 0}
.nx-text .e{border-bottom:2px solid #4C72B0}
.nx-text .d{border-bottom:2px dotted #DD8452}
.nx-text .l{font-weight:bold;color:#b22}
.nx-legend span{margin-right:1em;font-size:12px}
.nx-table td,.nx-table th{text-align:left;vertical-align:top;padding:2px 6px;font-size:12px}
</style>"""


def _color(label: str) -> str:
    """A light background colour per speaker, stable across runs."""
    hue = int(hashlib.md5(label.encode()).hexdigest()[:6], 16) / 0xFFFFFF
    r, g, b = colorsys.hls_to_rgb(hue, 0.85, 0.6)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def _records(table: pd.DataFrame) -> dict:
    """``{article_id: [row as a dict, ...]}``: a table split by article once (itertuples on many small
    frames is slow)."""
    out: dict = {}
    for row in table.to_dict("records"):
        out.setdefault(row["article_id"], []).append(row)
    return out


def _article_spans(bundle, art_id: str, groups: dict | None = None) -> list[tuple]:
    """(start, end, kind, label, source type) of every finding in one article: quotes (their quoted parts,
    not the cue between them), entities, dates (in words) and loaded terms. ``groups`` maps a table name
    to :func:`_records` of it when many articles are done at once."""
    def rows(name):
        if groups is not None:
            return groups[name].get(art_id, [])
        table = getattr(bundle, name)
        return table[table["article_id"] == art_id].to_dict("records")

    spans = []
    for r in rows("quotes"):
        label = f"{r['kind']} · {_s(r.get('speaker_canonical')) or _s(r.get('speaker')) or 'no speaker'}"
        frags = quote_fragments(r.get("fragments"), r["start"], r["end"])
        spans += [(s, e, "quote", label, _s(r.get("source_type"))) for s, e in frags]
    for r in rows("entities"):
        spans.append((r["start"], r["end"], "entity", f"{r['label']} · {r['canonical']}", ""))
    for r in rows("dates"):
        shown = _s(r.get("display")) or describe(r["value"], r["type"])  # words for readers, not the TIMEX3 code
        spans.append((r["start"], r["end"], "date", f"{r['type']} · {shown or _s(r.get('note')) or 'no value'}", ""))
    for r in rows("loaded"):
        spans.append((r["start"], r["end"], "loaded", f"loaded ({r['category']}, {r['polarity']:+.1f})", ""))
    return spans


def highlight_html(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """The text as HTML with findings marked: ``spans`` are (start, end, kind, label) with kind ``quote``
    (background by speaker), ``entity`` (underlined), ``date`` (dotted) or ``loaded`` (bold red); the label
    shows on hover. Overlapping findings are all kept.

    >>> highlight_html("Russia warned on Monday.", [(0, 6, "entity", "Russia"), (17, 23, "date", "2021-07-12")])
    '<span class="e" title="Russia">Russia</span> warned on <span class="d" title="2021-07-12">Monday</span>.'
    """
    cuts = sorted({0, len(text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        active = [(k, lab) for s, e, k, lab in spans if s <= a and b <= e]
        piece = html.escape(text[a:b]).replace("\n", "<br>")
        if not active:
            out.append(piece)
            continue
        classes = sorted({{"quote": "q", "entity": "e", "date": "d", "loaded": "l"}[k] for k, _ in active})
        style = ""
        speakers = [lab for k, lab in active if k == "quote"]
        if speakers:
            style = f' style="background:{_color(speakers[-1])}"'
        title = html.escape(" · ".join(dict.fromkeys(lab for _, lab in active)), quote=True)
        out.append(f'<span class="{" ".join(classes)}"{style} title="{title}">{piece}</span>')
    return "".join(out)


class Explorer:
    """Interactive view of a ``Bundle`` (from ``analysis.analyze``)."""

    def __init__(self, bundle, *, by: str = "outlet", top_entities: int = 30):
        import ipywidgets as w

        check_by(bundle.articles, by)  # a clear ValueError naming the articles' columns
        self.bundle = bundle
        self.by = by
        arts = bundle.articles[bundle.articles["status"] != "error"] if "status" in bundle.articles.columns \
            else bundle.articles
        self.articles = arts
        # every group label as text ("(none)" for an article without a value): any articles column works
        self._outlet = {a: ("(none)" if pd.isna(v) else str(v)) for a, v in zip(arts["article_id"], arts[by])}
        # the frame filter reads article_id, frame and hits: the bundle's frames table (computed once by analyze)
        cached = getattr(bundle, "frames", None)
        self.frame_table = (cached if cached is not None else frames(arts, by=by) if len(arts) else
                            pd.DataFrame(columns=[by, "article_id", "frame", "hits", "triggers"]))
        ents = bundle.entities
        top = ents["canonical"].value_counts().head(top_entities).index.tolist()
        types = sorted(t for t in bundle.quotes["source_type"].dropna().unique() if t)
        outlets = sorted(set(self._outlet.values()))
        self.outlets = w.SelectMultiple(options=outlets, value=tuple(outlets), description="Outlets", rows=5)
        self.entity = w.Dropdown(options=[ANY] + top, value=ANY, description="Entity")
        self.source_type = w.Dropdown(options=[ANY] + types, value=ANY, description="Source type")
        self.frame = w.Dropdown(options=[ANY] + [f for f in FRAMES if f != "other"], value=ANY, description="Frame")
        self.article = w.Dropdown(options=[], description="Article")
        self.table_view = w.HTML()
        self.text_view = w.HTML()
        self.chart_view = w.Image(format="png")
        self.status = w.HTML()
        for control in (self.outlets, self.entity, self.source_type, self.frame):
            control.observe(self._changed, names="value")
        self.article.observe(lambda _: self._render_text(), names="value")
        self.table = pd.DataFrame()
        self.text_html = ""
        self.chart_png = b""
        self.update()

    # ------------------------------------------------------------------ state
    def _changed(self, _change=None) -> None:
        self.update()

    def selected_articles(self) -> list[str]:
        """Articles of the chosen outlets that name the chosen entity and score on the chosen frame."""
        ids = [a for a in self.articles["article_id"] if self._outlet[a] in self.outlets.value]
        if self.entity.value != ANY:
            named = set(self.bundle.entities.loc[self.bundle.entities["canonical"] == self.entity.value,
                                                 "article_id"])
            ids = [a for a in ids if a in named]
        if self.frame.value != ANY:
            ft = self.frame_table
            framed = set(ft.loc[(ft["frame"] == self.frame.value) & (ft["hits"] > 0), "article_id"])
            ids = [a for a in ids if a in framed]
        return ids

    def filtered_quotes(self) -> pd.DataFrame:
        """The quotes of the selected articles, of the chosen source type, in sentences that name the
        chosen entity (when one is chosen)."""
        q = self.bundle.quotes
        q = q[q["article_id"].isin(self.selected_articles())]
        if self.source_type.value != ANY:
            q = q[q["source_type"] == self.source_type.value]
        if self.entity.value != ANY:
            ents = self.bundle.entities
            ents = ents[ents["canonical"] == self.entity.value]
            keep = [any((e.article_id == r.article_id) and r.sentence_start <= e.start < r.sentence_end
                        for e in ents.itertuples()) or self.entity.value in (r.speaker_canonical or "")
                    for r in q.itertuples()]
            q = q[keep] if len(q) else q
        return q

    def update(self) -> None:
        """Recompute every view from the controls."""
        q = self.filtered_quotes()
        view = q.assign(**{self.by: q["article_id"].map(self._outlet)})
        cols = [self.by, "kind", "speaker_canonical", "source_type", "quote"]
        self.table = view[cols].rename(columns={"speaker_canonical": "source"}).reset_index(drop=True)
        shown = self.table.head(40)
        self.table_view.value = (_STYLE + f"<p><b>{len(self.table)}</b> attributions match.</p>"
                                 + shown.to_html(index=False, classes="nx-table", escape=True, border=0))
        ids = self.selected_articles()
        labels = [(f"{self._outlet[a]} · {a}", a) for a in ids]
        current = self.article.value
        self.article.options = labels
        if labels:
            self.article.value = current if current in ids else labels[0][1]
        self._render_text()
        self._render_chart(q)
        self.status.value = (f"{len(ids)} article(s) from {len(set(self._outlet[a] for a in ids))} outlet(s)"
                             + ("" if ids else ": nothing matches these choices."))

    def _spans(self, art_id: str) -> list[tuple[int, int, str, str]]:
        return [sp[:4] for sp in _article_spans(self.bundle, art_id)]

    def _render_text(self) -> None:
        art_id = self.article.value
        if not art_id:
            self.text_html = "<p><i>No article matches these choices.</i></p>"
        else:
            text = self.articles.set_index("article_id").loc[art_id, "text"]
            self.text_html = self._article_html(art_id, text)
        self.text_view.value = _STYLE + self.text_html

    def _article_html(self, art_id: str, text: str) -> str:
        legend = ("<div class='nx-legend'><span style='background:#dde'>quote (colour = speaker)</span>"
                  "<span class='e'>named entity</span><span class='d'>date</span><span class='l'>loaded term</span>"
                  "</div>")
        return (f"<h4>{html.escape(self._outlet[art_id])} · {html.escape(art_id)}</h4>{legend}"
                f"<div class='nx-text'>{highlight_html(text, self._spans(art_id))}</div>")

    def _render_chart(self, view: pd.DataFrame) -> None:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        from . import charts
        from .voices import source_shares

        fig, ax = plt.subplots(figsize=(7, 0.5 * max(len(self.outlets.value), 2) + 1.4))
        if len(view):
            charts.share_bars(source_shares(view, self.articles, by=self.by), by=self.by, ax=ax,
                              title="source types of the matching attributions")
        else:
            charts._empty(ax, "No attribution matches these choices.")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
        plt.close(fig)
        self.chart_png = buf.getvalue()
        self.chart_view.value = self.chart_png

    # ------------------------------------------------------------------ display
    def view(self):
        """The widget layout: controls on top, then the chart, the table and the highlighted article."""
        import ipywidgets as w

        controls = w.HBox([self.outlets, w.VBox([self.entity, self.source_type, self.frame, self.article])])
        return w.VBox([controls, self.status, self.chart_view, self.table_view, self.text_view])

    def static_html(self) -> str:
        """What an exported report shows: the HTML copy of the explorer (:func:`explorer_html`), with the
        chart of the current view; its filters (outlet, story, source type) run in the page."""
        return explorer_html(self.bundle, chart_png=self.chart_png, by=self.by)

    def show(self) -> None:
        """Display the explorer: the live widgets in JupyterLab, the static copy in an exported report."""
        from IPython.display import display

        display(_WithFallback(self.view(), self.static_html()), raw=False)


class _WithFallback:
    """A widget that also carries a text/html copy of itself, for renderers that cannot run widgets."""

    def __init__(self, widget, fallback: str):
        self.widget = widget
        self.fallback = fallback

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_()
        bundle["text/html"] = self.fallback
        return bundle


# ---------------------------------------------------------------------- the HTML copy for reports
#: The explorer's only script. It reads the JSON block beside it, builds the filters, the paged article
#: list, the highlighted article and the paged attribution table with createElement/textContent (never
#: innerHTML), so no text from a corpus can become markup. Reports allow it by its sha256 hash.
EXPLORER_JS = r"""(function () {
  "use strict";
  var root = document.currentScript.parentNode;
  var data = JSON.parse(root.querySelector("script.nx-data").textContent);
  var app = root.querySelector(".nx-app");
  var PAGE = data.page || 50;
  var state = {outlet: "", story: "", type: "", page: 0, qpage: 0, open: -1};
  var KINDS = {quote: "q", entity: "e", date: "d", loaded: "l"};
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function choice(label, name, options) {
    var wrap = el("label", label + " ", "nx-filter");
    var s = el("select");
    s.name = name;
    s.setAttribute("data-filter", name);
    var any = el("option", "(any)");
    any.value = "";
    s.appendChild(any);
    options.forEach(function (o) { var op = el("option", o[1]); op.value = o[0]; s.appendChild(op); });
    s.addEventListener("change", function () {
      state[name] = s.value; state.page = 0; state.qpage = 0; state.open = -1; render();
    });
    wrap.appendChild(s);
    return wrap;
  }
  function matches(a) {
    return (!state.outlet || a.outlet === state.outlet) && (!state.story || a.story === state.story) &&
      (!state.type || a.types.indexOf(state.type) >= 0);
  }
  function pager(page, total, key) {
    var pages = Math.max(1, Math.ceil(total / PAGE));
    var bar = el("div", null, "nx-pager");
    var prev = el("button", "\u2039 previous"), next = el("button", "next \u203a");
    prev.disabled = page <= 0;
    next.disabled = page >= pages - 1;
    prev.setAttribute("data-page", key + "-prev");
    next.setAttribute("data-page", key + "-next");
    prev.addEventListener("click", function () { state[key] = page - 1; render(); });
    next.addEventListener("click", function () { state[key] = page + 1; render(); });
    bar.appendChild(prev);
    bar.appendChild(el("span", " page " + (page + 1) + " of " + pages + " "));
    bar.appendChild(next);
    return bar;
  }
  function highlight(box, text, spans) {
    var cuts = [0, text.length];
    spans.forEach(function (s) { cuts.push(s[0], s[1]); });
    cuts = cuts.filter(function (v, i, all) { return v >= 0 && v <= text.length && all.indexOf(v) === i; });
    cuts.sort(function (a, b) { return a - b; });
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1], piece = text.slice(a, b);
      var on = spans.filter(function (s) { return s[0] <= a && b <= s[1]; });
      if (!on.length) { box.appendChild(document.createTextNode(piece)); continue; }
      var classes = {}, labels = [], colour = -1;
      on.forEach(function (s) {
        classes[KINDS[s[2]] || "e"] = 1;
        if (labels.indexOf(s[3]) < 0) { labels.push(s[3]); }
        if (s[2] === "quote") {
          colour = s[5];  // the number of the speaker's colour class in the page's style sheet
          classes[state.type && s[4] !== state.type ? "dim" : "hit"] = 1;
        }
      });
      if (typeof colour === "number" && colour >= 0 && colour % 1 === 0) { classes["nx-c" + colour] = 1; }
      var span = el("span", piece, Object.keys(classes).sort().join(" "));
      span.title = labels.join(" \u00b7 ");
      box.appendChild(span);
    }
  }
  function showArticle(a) {
    var box = el("div", null, "nx-article");
    box.appendChild(el("h4", a.outlet + " \u00b7 " + (a.title || a.id)));
    box.appendChild(el("p", [a.date || "date unknown", a.story_title ? "story: " + a.story_title : ""]
      .filter(Boolean).join(" \u00b7 "), "nx-meta"));
    var legend = el("div", null, "nx-legend");
    [["q hit", "quote (colour = speaker)"], ["e", "named entity"], ["d", "date"], ["l", "loaded term"]]
      .forEach(function (k) { legend.appendChild(el("span", k[1], k[0])); });
    box.appendChild(legend);
    if (a.text === null) {
      box.appendChild(el("p", "The text of this article is not included in this page (" + data.cut_note +
        "): open the notebook to read it.", "nx-note"));
      return box;
    }
    var text = el("div", null, "nx-text");
    highlight(text, a.text, a.spans);
    box.appendChild(text);
    if (a.cut) { box.appendChild(el("p", "The text is cut here, at " + a.text.length + " of " + a.length +
      " characters.", "nx-note")); }
    return box;
  }
  function render() {
    while (app.firstChild) { app.removeChild(app.firstChild); }
    var filters = el("div", null, "nx-filters");
    filters.appendChild(choice("Outlet", "outlet", data.outlets.map(function (o) { return [o, o]; })));
    filters.appendChild(choice("Story", "story", data.stories.map(function (s) {
      return [s[0], s[1] + " (" + s[2] + ")"]; })));
    filters.appendChild(choice("Source type", "type", data.types.map(function (t) { return [t, t]; })));
    app.appendChild(filters);
    filters.querySelectorAll("select").forEach(function (s) { s.value = state[s.name]; });
    var arts = [], keep = {};
    data.articles.forEach(function (a, i) { if (matches(a)) { arts.push(i); keep[i] = 1; } });
    var quotes = data.quotes.filter(function (q) { return keep[q.a] && (!state.type || q.type === state.type); });
    app.appendChild(el("p", arts.length + " of " + data.articles.length + " articles and " + quotes.length +
      " attributions match.", "nx-status"));
    app.appendChild(el("h3", "Articles"));
    if (!arts.length) { app.appendChild(el("p", "No article matches these choices.", "nx-note")); }
    var list = el("ol", null, "nx-list");
    list.start = state.page * PAGE + 1;
    arts.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (i) {
      var a = data.articles[i], li = el("li"), b = el("button", a.outlet + " \u00b7 " + (a.title || a.id) +
        (a.date ? " \u00b7 " + a.date : ""), i === state.open ? "nx-open" : "");
      b.setAttribute("data-article", a.id);
      b.addEventListener("click", function () { state.open = i; render(); });
      li.appendChild(b);
      list.appendChild(li);
    });
    app.appendChild(list);
    if (arts.length > PAGE) { app.appendChild(pager(state.page, arts.length, "page")); }
    var open = keep[state.open] ? state.open : (arts.length ? arts[state.page * PAGE] : -1);
    if (open >= 0) { app.appendChild(showArticle(data.articles[open])); }
    app.appendChild(el("h3", "Attributions"));
    var table = el("table", null, "nx-table"), head = el("tr");
    ["outlet", "source", "source type", "kind", "words"].forEach(function (h) { head.appendChild(el("th", h)); });
    table.appendChild(head);
    quotes.slice(state.qpage * PAGE, (state.qpage + 1) * PAGE).forEach(function (q) {
      var tr = el("tr");
      [q.outlet, q.source, q.type, q.kind, q.quote].forEach(function (v) { tr.appendChild(el("td", v)); });
      table.appendChild(tr);
    });
    app.appendChild(quotes.length ? table : el("p", "No attribution matches these choices.", "nx-note"));
    if (quotes.length > PAGE) { app.appendChild(pager(state.qpage, quotes.length, "qpage")); }
    data.notes.forEach(function (n) { app.appendChild(el("p", n, "nx-note")); });
  }
  render();
}());
"""
#: Every inline script the workbook writes into a report (``report.trusted_scripts``).
SCRIPTS = (EXPLORER_JS,)

_APP_STYLE = """<style>
.nx-explorer .nx-filters{display:flex;flex-wrap:wrap;gap:1em;margin:.5em 0}
.nx-explorer select{max-width:28em}
.nx-explorer .nx-list{columns:2;font-size:12px;padding-left:2.5em}
.nx-explorer .nx-list button{background:none;border:0;padding:1px 0;text-align:left;cursor:pointer;color:#1a4f8a}
.nx-explorer .nx-list button.nx-open{font-weight:bold;color:#000}
.nx-explorer .nx-text{white-space:pre-wrap;line-height:1.7;font-size:13px;max-width:60rem}
.nx-explorer .q{border-radius:3px;padding:1px 0}
.nx-explorer .q.dim{background:#eee!important;color:#777}
.nx-explorer .e{border-bottom:2px solid #4477AA}
.nx-explorer .d{border-bottom:2px dotted #EE6677}
.nx-explorer .l{font-weight:bold;color:#AA3377}
.nx-explorer .nx-legend span{margin-right:1em;font-size:12px}
.nx-explorer .nx-legend .q{background:#dde}
.nx-explorer .nx-note,.nx-explorer .nx-meta{color:#555;font-size:12px}
.nx-explorer .nx-table td,.nx-explorer .nx-table th{text-align:left;vertical-align:top;padding:2px 6px;font-size:12px}
</style>"""


def _s(value) -> str:
    """Text, with a missing value (None, NaN) as ""."""
    return value if isinstance(value, str) else ("" if value is None or pd.isna(value) else str(value))


def _json_block(value) -> str:
    """JSON for a ``<script type="application/json">`` block: no lone surrogate, and no ``<``, ``>`` or ``&`` (each
    written as its ``\\u`` escape), so nothing in it can end the block or start a tag; ``JSON.parse``
    reads the same value back.

    >>> _json_block({"t": "</script><b>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)  # a lone surrogate, escaped
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _story_table(bundle, arts: pd.DataFrame) -> pd.DataFrame:
    """article_id, story, story_title: the bundle's, or ``stories.with_stories`` (as the comparison report)
    when it has none; empty when that fails, so the explorer still works without the story filter."""
    table = getattr(bundle, "stories", None)
    if table is None or not isinstance(table, pd.DataFrame):
        try:  # the grouping the comparison report uses
            from .stories import with_stories

            table = with_stories(arts)
            table = table[table["story"].fillna("").astype(str) != ""]
        except Exception:  # noqa: BLE001 - the story filter is optional
            table = None
    if table is None or table.empty or "story" not in table.columns:
        return pd.DataFrame({"article_id": pd.Series(dtype=str), "story": pd.Series(dtype=str),
                             "story_title": pd.Series(dtype=str)})
    return table[["article_id", "story", "story_title"]].astype(str)


def explorer_data(bundle, *, by: str = "outlet", max_articles: int = MAX_ARTICLES, max_quotes: int = MAX_QUOTES,
                  max_article_chars: int = MAX_ARTICLE_CHARS, max_text_chars: int = MAX_TEXT_CHARS,
                  page: int = PAGE) -> dict:
    """What the HTML copy of the explorer embeds: outlets, stories, source types, the articles (metadata,
    text cut to the bounds, findings as spans) and the attributions, with a note for every bound reached."""
    from .tables import _words

    check_by(bundle.articles, by)
    arts = bundle.articles[bundle.articles["status"] != "error"].reset_index(drop=True)
    notes = []
    colours: list[str] = []  # the speakers' colours in this page, each a class nx-c<number> (explorer_html)

    def colour_class(colour: str) -> int:
        if colour not in colours:
            colours.append(colour)
        return colours.index(colour)

    story = _story_table(bundle, arts).drop_duplicates("article_id").set_index("article_id")
    # reading order: the largest story first (its label order), then by date and outlet
    sort = arts.assign(_story=arts["article_id"].map(story["story"]).fillna("~"),
                       _size=arts["article_id"].map(story["story"]).map(story["story"].value_counts()).fillna(0))
    sort_cols = ["_size", "_story"] + [c for c in ("published", by, "article_id") if c in sort.columns]
    arts = sort.sort_values(sort_cols, ascending=[False] + [True] * (len(sort_cols) - 1), kind="stable",
                            na_position="last").drop(columns=["_story", "_size"]).reset_index(drop=True)
    if len(arts) > max_articles:  # the largest stories are kept whole, in reading order
        notes.append(f"Only the first {max_articles:,} of {len(arts):,} articles (the largest stories) are in this "
                     "page; the notebook explores them all.")
        arts = arts.head(max_articles)
        story = story[story.index.isin(set(arts["article_id"]))]
    kept = set(arts["article_id"])
    quotes = bundle.quotes[bundle.quotes["article_id"].isin(kept)]
    groups = {}
    for name in ("quotes", "entities", "dates", "loaded"):  # each table split once, for the kept articles only
        table = getattr(bundle, name)
        groups[name] = _records(table[table["article_id"].isin(kept)])
    index = {a: i for i, a in enumerate(arts["article_id"])}
    budget, cut_texts, cut_any = max_text_chars, 0, 0
    articles = []
    group_of = {a: ("(none)" if pd.isna(v) else str(v)) for a, v in zip(arts["article_id"], arts[by])}
    for r in arts.itertuples():
        text = r.text if isinstance(r.text, str) else ""
        entry = {"id": str(r.article_id), "outlet": group_of[r.article_id], "title": _s(getattr(r, "title", "")),
                 "date": _words(getattr(r, "published", None)), "story": story["story"].get(r.article_id, ""),
                 "story_title": story["story_title"].get(r.article_id, ""), "length": len(text), "cut": False}
        spans = _article_spans(bundle, r.article_id, groups)
        entry["types"] = sorted({sp[4] for sp in spans if sp[2] == "quote" and sp[4]})
        keep = min(len(text), max_article_chars, budget)
        if keep <= 0 and text:
            entry["text"], entry["spans"] = None, []
            cut_texts += 1
        else:
            entry["text"] = text[:keep]
            entry["cut"] = keep < len(text)
            cut_any += entry["cut"]
            # a quote's colour is its speaker's (the label is "kind · speaker"): the number of a class of the
            # page's own style sheet (``colours``), so the script sets a class, never a style from the data
            entry["spans"] = [[int(s), int(min(e, keep)), k, lab, st,
                               colour_class(_color(lab.split(" · ", 1)[-1])) if k == "quote" else -1]
                              for s, e, k, lab, st in spans if int(s) < keep and int(e) > int(s)]
            budget -= keep
        articles.append(entry)
    if cut_any:
        notes.append(f"{cut_any} article text(s) are cut at {max_article_chars:,} characters (or where this page's "
                     f"{max_text_chars:,}-character budget ran out).")
    if cut_texts:
        notes.append(f"{cut_texts} article text(s) are not included: this page holds at most {max_text_chars:,} "
                     "characters of text.")
    rows = []
    for r in quotes.itertuples():
        if len(rows) >= max_quotes:
            notes.append(f"Only the first {max_quotes:,} of {len(quotes):,} attributions are listed; the full table is "
                         "in the sources report's data.")
            break
        words = _s(r.quote)
        rows.append({"a": index[r.article_id], "outlet": articles[index[r.article_id]]["outlet"],
                     "source": _s(r.speaker_canonical) or _s(r.speaker) or "no speaker found",
                     "type": _s(r.source_type), "kind": _s(r.kind),
                     "quote": words if len(words) <= MAX_QUOTE_CHARS else words[:MAX_QUOTE_CHARS] + "…"})
    sizes = pd.Series(story["story"]).value_counts() if len(story) else pd.Series(dtype=int)
    titles = story.drop_duplicates("story").set_index("story")["story_title"] if len(story) else {}
    return {
        "page": int(page),
        "outlets": sorted({a["outlet"] for a in articles}),
        "stories": [[str(sid), str(titles.get(sid, sid)), int(n)] for sid, n in
                    sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))],
        "types": sorted({t for a in articles for t in a["types"]} | {q["type"] for q in rows if q["type"]}),
        "articles": articles,
        "quotes": rows,
        "notes": notes,
        "cut_note": f"at most {max_text_chars:,} characters of text per page",
        "colours": colours,
    }


def explorer_html(bundle, *, chart_png: bytes = b"", by: str = "outlet", **bounds) -> str:
    """The explorer as one piece of HTML that works in an exported report: filters (outlet, story, source
    type), a paged article list, the chosen article with its findings highlighted and the matching
    attributions, run by the inline script :data:`EXPLORER_JS` on an escaped JSON block. ``chart_png``
    (optional) is shown above it. Without script (an e-mail client) the page says so and keeps the chart."""
    import base64

    data = explorer_data(bundle, by=by, **bounds)
    # each speaker colour (the workbook's own _color: "#rrggbb", checked again here) as a class of this style sheet
    rules = "".join(f".nx-explorer .nx-c{i}{{background:{c}}}" for i, c in enumerate(data.pop("colours"))
                    if re.fullmatch(r"#[0-9a-f]{6}", c))
    chart = (f"<img src='data:image/png;base64,{base64.b64encode(chart_png).decode()}' alt='source types chart'>"
             if chart_png else "")
    return (f"{_STYLE}{_APP_STYLE}<style>{rules}</style><div class='nx-explorer'>"
            "<p><i>The explorer in this page: choose an outlet, a story or a source type; click an article to read "
            "it with its quotes, names, dates and loaded words marked (hover a mark to see what was found). In "
            "JupyterLab the notebook offers more controls.</i></p>"
            f"{chart}<noscript><p>The filters need JavaScript, which this viewer does not run.</p></noscript>"
            f"<script type=\"application/json\" class=\"nx-data\">{_json_block(data)}</script>"
            f"<div class='nx-app'></div><script>{EXPLORER_JS}</script></div>")
