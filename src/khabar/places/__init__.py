"""The places stage: find place mentions and resolve them offline.

The gazetteer is data (``khabar/data/gazetteer/``, schema in its README): a compact GeoNames-derived
artifact rebuilt by ``scripts/build_gazetteer.py``, a curated supplement, and a lexicon of feature
words, relative phrases, demonyms and the English words of place phrases. Recognition merges spaCy's
GPE/LOC/FAC entities with a gazetteer matcher over capitalised token runs, and drops names the
actors stage read as people ("Walker" for a Jonathon Walker); resolution ranks candidates by
feature, population, the document's country focus, admin containment ("Andar district, Ghazni";
a state after a town, "Toledo, Ohio", decides) and co-occurring places, and leaves unresolved a
small or far foreign reading that goes against a story set in one country. The title and web
address add context ("4-year-old Iowa boy ...", "toledoblade.com"), and a small town or county far
away in another state than the story's is read again inside that state.

Modules, in the order they build on each other:

- ``lexicon``: lookup keys (``fold``) and the lexicon of place phrases;
- ``gazetteer``: the ``Gazetteer`` resource, its loading, admin containment and distances;
- ``recognise``: the place phrases of a document;
- ``focus``: place names in a document's title and web address, read for context only;
- ``rank``: the best reading of one phrase in its context;
- ``fallback``: ``resolve_span`` and where names the gazetteer lacks lie;
- ``resolve``: ``resolve_places``, the stage function, and precision codes.

Requires the ``nlp`` stage's tokens and entities; assigns ``Analysis.places``. Which mention is where an
event happened is the events stage's question (``events/where.py``), answered from these mentions.
"""

from khabar.places.fallback import main_place, resolve_span
from khabar.places.gazetteer import Gazetteer, km_between, load_gazetteer
from khabar.places.lexicon import FEATURES, Lexicon, fold
from khabar.places.resolve import CONTRACT, precision_of, resolve_places
from khabar.records import Place, PlaceMention

__all__ = [
    "CONTRACT",
    "FEATURES",
    "Gazetteer",
    "Lexicon",
    "Place",
    "PlaceMention",
    "fold",
    "km_between",
    "load_gazetteer",
    "main_place",
    "precision_of",
    "resolve_places",
    "resolve_span",
]
