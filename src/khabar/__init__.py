"""khabar: conflict news in, a sourced model of actors, events, claims and relations out."""

from khabar.errors import KhabarError
from khabar.pipeline import Pipeline, process
from khabar.query import Archive, Filters
from khabar.query import open_archive as open
from khabar.records import Analysis, Document, Event, Incident
from khabar.settings import Settings, load_settings

__all__ = [
    "Analysis",
    "Archive",
    "Document",
    "Event",
    "Filters",
    "Incident",
    "KhabarError",
    "Pipeline",
    "Settings",
    "load_settings",
    "open",
    "process",
]
__version__ = "0.1.0"
