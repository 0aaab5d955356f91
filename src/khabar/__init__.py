"""khabar: conflict news in, a sourced model of actors, events, claims and relations out."""

from khabar.errors import KhabarError
from khabar.pipeline import Pipeline, process
from khabar.records import Analysis, Document, Event, Incident
from khabar.settings import Settings, load_settings

__all__ = [
    "Analysis",
    "Document",
    "Event",
    "Incident",
    "KhabarError",
    "Pipeline",
    "Settings",
    "load_settings",
    "process",
]
__version__ = "0.1.0"
