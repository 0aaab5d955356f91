"""The report stage: a situation report of what a filtered query keeps, as Markdown or self-contained HTML.

Modules::

    model.py      gather(): one streaming pass collecting the scope, summaries, key incidents, claims, relations
    markdown.py   the Markdown layout; every source value escaped
    html.py       the HTML layout: inline SVG timeline and map (over the bundled country outlines), print CSS,
                  no script and no network
    escape.py     escaping for Markdown and HTML, and which URLs may become links
"""

from __future__ import annotations

from khabar.errors import ConfigError
from khabar.places.boundaries import load_outlines
from khabar.query import Archive, Filters
from khabar.report import html, markdown
from khabar.report.model import PER_SECTION, Report, gather
from khabar.store import Store

FORMATS = ("md", "html")

__all__ = ["FORMATS", "PER_SECTION", "Report", "build_report", "gather"]


def build_report(source: Archive | Store, filters: Filters | None = None, title: str = "Situation report",
                 fmt: str = "md", per_section: int = PER_SECTION) -> str:
    """The situation report of what the filters keep, in ``fmt`` (md or html), ``per_section`` key incidents each."""
    if fmt not in FORMATS:
        raise ConfigError(f"report format {fmt!r} is not known; use one of {', '.join(FORMATS)}")
    archive = source if isinstance(source, Archive) else Archive(source)
    report = gather(archive, filters or Filters(), title, per_section)
    return markdown.render(report) if fmt == "md" else html.render(report, load_outlines())
