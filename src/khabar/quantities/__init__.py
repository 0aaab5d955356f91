"""The quantities stage: tolls, counts, money, strengths and shares as low/best/high.

Numbers are read from the nlp stage's tokens (digits, number words, vague amounts from
``data/lexicons/quantities.yaml``; a vague amount is an open floor, "dozens" at least 24). Dates, ages
("Joe Smith, 29,", "a 16-year-old"), clock times, unit names ("District 9", "Route 9"), addresses ("the
900 block", "1200 Elm Avenue"), phone numbers, calibres and ordinals are skipped, and so is a count that
only describes a person ("a father of two"). A number's kind comes from the verb or noun that governs it
in the dependency parse ("170 civilians ... were killed", "killing 5", "12 injured"); conjoined counts of
the same kind are summed with their breakdown kept in ``parts`` (a second role of one person, "a husband and
father", is no second person). People counted without a number are read too: a singular
person with an article ("detained a Taliban leader", "the arrest of a courier") is one, a bare plural of
people ("detained suspected insurgents") is the lexicon's bare count for the kinds it lists, and one
person named without a number ("killing him", "arrested the commander") counts only when the toll's
text states no number. Explicit zero tolls ("no one was hurt") give 0, which is different from an
unknown toll (no Quantity at all).

Modules: ``lexicon`` (the lexicon, loaded once), ``numbers`` (numbers in digits and words), ``counts``
(where a document counts something), ``kinds`` (the toll kind governing a count) and ``extract`` (the stage).
The toll of an event trigger is the events stage's question (``events/tolls.py``), answered from these counts.
"""

from khabar.quantities.extract import CONTRACT, add, extract_quantities
from khabar.quantities.lexicon import NumberWords, QuantityLexicon, load_lexicon
from khabar.quantities.numbers import number_value

__all__ = [
    "CONTRACT",
    "NumberWords",
    "QuantityLexicon",
    "add",
    "extract_quantities",
    "load_lexicon",
    "number_value",
]
