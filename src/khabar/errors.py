"""Errors raised by khabar.

Hierarchy::

    KhabarError              root: catch this to handle any khabar failure
    ├── InputError           a document or file cannot be read; names the file and the fix
    │   └── FetchError       a URL cannot be fetched or was refused (SSRF guard, robots.txt, size, type)
    ├── ParseError           a YAML or JSON text is malformed or over a limit (callers add the file name)
    ├── ConfigError          a setting has a bad value; names the setting and allowed values
    ├── DataError            a packaged or user data file (registry, gazetteer, lexicon) is invalid
    ├── ModelError           the spaCy model or a trained artifact cannot be loaded
    ├── StoreError           the SQLite store cannot be opened, migrated or written
    └── CurationError        a curation command names an unknown incident or document

Every message says what went wrong and what to do about it.
"""

from __future__ import annotations


class KhabarError(Exception):
    """Root of all khabar errors."""


class InputError(KhabarError):
    """A document or input file cannot be used."""

    def __init__(self, path: str, problem: str, fix: str = "") -> None:
        """Build a message naming the file, the problem and the fix."""
        self.path = path
        self.problem = problem
        message = f"{path}: {problem}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)


class FetchError(InputError):
    """A URL cannot be fetched, or khabar refused to fetch it; the path is the URL."""

    def __init__(self, path: str, problem: str, fix: str = "", status: int = 0) -> None:
        """Build the message; ``status`` is the HTTP status that caused the error, if one did."""
        self.status = status
        super().__init__(path, problem, fix)


class ParseError(KhabarError):
    """A YAML or JSON text is malformed or over a parsing limit; the message says which."""

    def __init__(self, problem: str, fix: str) -> None:
        """Keep the problem and the fix apart, so a caller can put the file name in front."""
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem} ({fix})")


class ConfigError(KhabarError):
    """A setting has a value khabar cannot use."""


class DataError(KhabarError):
    """A data file (registry, gazetteer, lexicon) fails validation."""


class ModelError(KhabarError):
    """A language model or trained artifact cannot be loaded."""


class StoreError(KhabarError):
    """The SQLite store cannot be opened or written."""


class CurationError(KhabarError):
    """A curation command names an incident or document that is not there, or asks for something impossible."""
