"""News-framing workbook: compare how outlets cover the same event.

One import gives a notebook everything::

    import analysis as an
    articles = an.load_corpus("../seeds")
"""

from . import charts, teaching
from .compare import Finding, findings
from .corpus import corpus_overview, corpus_problems, load_corpus, removed_lines
from .dates import dates, describe, timeline_table
from .entities import cooccurrence, entities, entity_coverage, entity_matrix
from .framing import (
    distinctive_terms,
    fact_matrix,
    facts,
    frame_summary,
    frames,
    loaded_language,
    loaded_summary,
    subjectivity,
)
from .headlines import headline_chart, headlines, side_by_side
from .naming import naming, naming_table
from .pipeline import Bundle, analyze
from .sources import quotes
from .stance import stance, stance_summary
from .stories import stories, with_stories
from .tables import save_table
from .voices import (
    media_citations,
    quote_table,
    same_quotes,
    same_quotes_html,
    source_shares,
    source_summary,
    voice_coverage,
    voice_matrix,
)
from .widgets import Explorer, highlight_html

try:  # one version string: the installed package's metadata (pyproject.toml)
    from importlib.metadata import PackageNotFoundError as _NotFound
    from importlib.metadata import version as _version

    __version__ = _version("analysis")
except _NotFound:  # running from a checkout that was never installed
    __version__ = "0+unknown"
__all__ = ["load_corpus", "removed_lines", "corpus_overview", "corpus_problems", "save_table", "charts", "quotes",
           "source_summary", "source_shares", "voice_matrix", "voice_coverage", "media_citations", "same_quotes",
           "same_quotes_html", "quote_table", "entities", "entity_matrix", "entity_coverage", "cooccurrence",
           "dates", "describe", "timeline_table", "stance", "stance_summary", "loaded_language",
           "loaded_summary", "subjectivity", "distinctive_terms", "frames", "frame_summary", "facts", "fact_matrix",
           "stories", "with_stories", "headlines", "side_by_side", "headline_chart", "naming", "naming_table",
           "findings", "Finding", "analyze", "Bundle", "Explorer", "highlight_html",
           "teaching", "__version__"]
