"""The actors stage: the actor registry and the resolver that maps mentions to actors.

- ``registry.py``: ``Registry`` (actors, name index, lexicon, coding tables) and ``load_registry``;
  ``entries.py`` parses the registry files, ``countries.py`` generates every country's role actors;
- ``lexicon.py`` and ``coding.py``: the lexicon and coding tables (``data/actors/*.yaml``), loaded
  once into the registry;
- ``resolve.py``: ``resolve_actors``, the resolution cascade (its docstring), helped by ``match.py``
  (aliases, spelling variants, acronyms, descriptions) and ``coref.py`` (titles, appositions,
  coreference) over the per-document state of ``hits.py``;
- ``normalise.py``: name keys and slugs; ``user.py``: the user's registry file.
"""

from khabar.actors.coding import ActorCoding, RoleTemplate, load_coding
from khabar.actors.lexicon import ActorLexicon, load_lexicon
from khabar.actors.match import fuzzy_match, lookup_name
from khabar.actors.normalise import leading_words, normalise, slug
from khabar.actors.registry import AliasEntry, NameIndex, Registry, load_registry
from khabar.actors.resolve import CONTRACT, resolve_actors
from khabar.actors.user import add_user_actor, rank_unknown

__all__ = [
    "CONTRACT",
    "ActorCoding",
    "ActorLexicon",
    "AliasEntry",
    "NameIndex",
    "Registry",
    "RoleTemplate",
    "add_user_actor",
    "fuzzy_match",
    "leading_words",
    "load_coding",
    "load_lexicon",
    "load_registry",
    "lookup_name",
    "normalise",
    "rank_unknown",
    "resolve_actors",
    "slug",
]
