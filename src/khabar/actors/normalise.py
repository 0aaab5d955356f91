"""Normal forms of names: the lowercase accent-free key, the id slug and transliteration folds."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

_APOSTROPHES = re.compile(r"['’ʼ`´‘]")
_NON_WORD = re.compile(r"[\W_]+")
_REPEATS = re.compile(r"(.)\1+")


# A pure function of its argument: the cache holds strings only, no loaded data. Every token of every
# document passes here, so it is bounded, yet far above a vocabulary.
@lru_cache(maxsize=100_000)
def normalise(text: str) -> str:
    """Lowercase, accent-free, punctuation-free form of a name."""
    plain = text
    if not text.isascii():  # ASCII has neither decompositions nor combining marks
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", plain.lower())).strip()


def slug(name: str) -> str:
    """The id slug of a canonical name."""
    return normalise(name).replace(" ", "-")


def fold(token: str, rules: tuple[tuple[str, str], ...]) -> str:
    """One token with its transliteration variants folded: rules in order, inner "h" dropped, repeats collapsed."""
    for old, new in rules:
        token = token.replace(old, new)
    if len(token) > 1:
        token = token[0] + token[1:].replace("h", "")
    return _REPEATS.sub(r"\1", token)


def leading_words(keys: Iterable[str]) -> Iterator[str]:
    """Every key and each run of its leading words (a token's normalised form may hold spaces: "U.S." -> "u s")."""
    for key in keys:
        yield key
        at = key.find(" ")
        while at >= 0:
            yield key[:at]
            at = key.find(" ", at + 1)
