"""The time stage: the publication date and every temporal expression of a document.

Cascade for the publication date: document metadata (set by ingest), else a dateline or header line near the
start of the text, else a date in the URL, else a window inferred from the text and flagged
``published_source="inferred"`` (see ``khabar.time.pubdate``). Relative words ("yesterday", "on Saturday")
count from the dateline's own date when the text has one on or before the publication: the dateline is the
day the text was written.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from khabar.records import Analysis, Document
from khabar.stages import Contract
from khabar.time.candidates import find_candidates
from khabar.time.expressions import (
    Context,
    ahead_of_writer,
    cue_flags,
    entity_candidates,
    resolve_all,
    without_named_weekdays,
)
from khabar.time.lexicon import DateReader, TimeLexicon, load_date_reader, load_lexicon
from khabar.time.pubdate import (
    Header,
    document_code_month,
    header,
    infer_window,
    next_on_or_after,
    publication_from_url,
    yearless_dateline,
)

CONTRACT = Contract("time", requires=frozenset({"tokens", "sentences", "entities"}),
                    assigns=frozenset({"times", "document.published"}))


def resolve_times(analysis: Analysis, *, lexicon: TimeLexicon | None = None,
                  reader: DateReader | None = None) -> Analysis:
    """Resolve the publication date and every temporal expression of a document.

    ``lexicon`` and ``reader`` are the loaded time lexicon and dateparser reader (``load_lexicon()``,
    ``load_date_reader()``, built once by the pipeline); without them they are loaded for this call.
    """
    lex = lexicon or load_lexicon()
    words = lex.words
    document = analysis.document
    found = header(document.text, lex, document.published)
    if document.published is None and found is not None:
        document = replace(document, published=found[1], published_source=found[3],
                           outlet=document.outlet or found[2])
    elif document.published is None and (from_url := publication_from_url(document.url)) is not None:
        document = replace(document, published=from_url, published_source="url")
    analysis = replace(analysis, document=document)
    raws = find_candidates(document.text, lex.patterns)
    extra = entity_candidates(analysis, raws, reader or load_date_reader())
    kept = [r for r in raws if not any(e.start < r.end and r.start < e.end for e in extra)]
    raws = without_named_weekdays(sorted(kept + extra, key=lambda r: r.start), document.text)
    header_end = found[0] if found else 0
    years = [int(r.fields["y"]) for r in raws if "y" in r.fields and "future" not in cue_flags(r, document.text, words)
             and not ahead_of_writer(r, analysis, words)]
    code = document_code_month(document.text)
    context = Context(_written(document, found), latest_year=max(years) if years else None,
                      ceiling=code[1] if code else None)
    mentions = resolve_all(analysis, raws, context, header_end, words)
    if document.published is None:
        window = infer_window(analysis, mentions, raws, lex)
        dateline = yearless_dateline(document.text, lex) if window is not None and found is None else None
        day = next_on_or_after(window[0], dateline[1], dateline[2]) if window and dateline else None
        if window is not None:
            if dateline is not None and day is not None:
                window, header_end = (day, day), dateline[0]
            document = replace(document, published=window[0], published_source="inferred", published_window=window)
            analysis = replace(analysis, document=document)
            mentions = resolve_all(analysis, raws, Context(window[0], inferred=True), header_end, words)
        elif code is not None and document.published_window is None:
            document = replace(document, published_source="document_code", published_window=code)
            analysis = replace(analysis, document=document)
    return replace(analysis, times=tuple(mentions))


def _written(document: Document, found: Header | None) -> date | None:
    """The day relative words count from: a dateline's date on or before the publication, else the publication."""
    if found is None or found[3] != "dateline" or document.published is None or found[1] > document.published:
        return document.published
    return found[1]
