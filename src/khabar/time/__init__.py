"""The time stage: publication dates and temporal expressions.

Temporal expressions are found by khabar's own patterns (built from ``data/lexicons/time.yaml``); spaCy DATE
entities the patterns miss are parsed with dateparser in strict mode only.

Modules: ``words`` and ``patterns`` (the lexicon and the patterns built from it), ``lexicon`` (the loaded
resources: ``TimeLexicon`` and ``DateReader``), ``candidates`` (expressions found in a text), ``expressions``
(their resolution to spans, built by ``spans``; ``tense`` tells an expression in a clause about the future,
which resolves forward), ``pubdate`` (the publication date from the text, the URL or inferred) and ``resolve``
(the stage). The date of an event trigger is the events stage's question
(``events/when.py``), answered from these mentions.
"""

from khabar.time.expressions import PROCESS, REPORTED, STAMP
from khabar.time.lexicon import DateReader, TimeLexicon, load_date_reader, load_lexicon
from khabar.time.pubdate import document_code_month, publication_from_text, publication_from_url
from khabar.time.resolve import CONTRACT, resolve_times
from khabar.time.spans import day_span

__all__ = [
    "CONTRACT",
    "PROCESS",
    "REPORTED",
    "STAMP",
    "DateReader",
    "TimeLexicon",
    "day_span",
    "document_code_month",
    "load_date_reader",
    "load_lexicon",
    "publication_from_text",
    "publication_from_url",
    "resolve_times",
]
