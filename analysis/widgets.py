"""The explorer: pick outlets, an entity, a source type and a frame; see the matching quotes, the article
text with every finding highlighted, and a chart, all updating together.

``Explorer(bundle)`` builds the ipywidgets controls and views; ``explorer.show()`` displays them in
JupyterLab together with a static HTML rendering of the same view, which is what an exported report
(where no widget can run) shows instead. Every view is also a plain value (``explorer.table``,
``explorer.text_html``, ``explorer.chart_png``), so the callbacks can be tested without a browser.
"""

from __future__ import annotations

import colorsys
import hashlib
import html
import io

import pandas as pd

from .dates import describe
from .framing import FRAMES, frames
from .voices import _fragment_lists

__all__ = ["Explorer", "highlight_html"]

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

        self.bundle = bundle
        self.by = by
        arts = bundle.articles[bundle.articles["status"] != "error"]
        self.articles = arts
        self._outlet = dict(zip(arts["article_id"], arts[by]))
        self.frame_table = frames(arts, by=by) if len(arts) else pd.DataFrame(columns=[by, "article_id", "frame",
                                                                                         "hits", "triggers"])
        ents = bundle.entities
        top = ents["canonical"].value_counts().head(top_entities).index.tolist()
        types = sorted(t for t in bundle.quotes["source_type"].dropna().unique() if t)
        outlets = sorted(arts[by].unique())
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
        b = self.bundle
        spans = []
        part = b.quotes[b.quotes["article_id"] == art_id]
        for r, frags in zip(part.itertuples(), _fragment_lists(part)):
            label = f"{r.kind} · {r.speaker_canonical or r.speaker or 'no speaker'}"
            spans += [(s, e, "quote", label) for s, e in frags]  # the quoted parts, not the cue between them
        for r in b.entities[b.entities["article_id"] == art_id].itertuples():
            spans.append((r.start, r.end, "entity", f"{r.label} · {r.canonical}"))
        for r in b.dates[b.dates["article_id"] == art_id].itertuples():
            shown = getattr(r, "display", "") or describe(r.value, r.type)  # words for readers, not the TIMEX3 code
            spans.append((r.start, r.end, "date", f"{r.type} · {shown or r.note or 'no value'}"))
        for r in b.loaded[b.loaded["article_id"] == art_id].itertuples():
            spans.append((r.start, r.end, "loaded", f"loaded ({r.category}, {r.polarity:+.1f})"))
        return spans

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
        """The current view as plain HTML (what an exported report shows): the chart, the matching quotes,
        and every selected article with its findings highlighted."""
        import base64

        img = base64.b64encode(self.chart_png).decode()
        texts = self.articles.set_index("article_id")["text"]
        articles = "".join(self._article_html(a, texts[a]) for a in self.selected_articles())
        return (_STYLE + "<div><p><i>A static copy of the explorer (in JupyterLab the controls above change it)."
                f"</i></p><p>{self.status.value}</p><img src='data:image/png;base64,{img}' alt='source types chart'>"
                f"{self.table_view.value}{articles}</div>")

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
