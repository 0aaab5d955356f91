"""Numbers written in digits, words, scales, ranges and vague amounts ("1,800", "twenty-one", "dozens of")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from khabar.quantities.lexicon import NumberWords, Values
from khabar.records import Token

NUMERIC = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_RANGE = re.compile(r"^(\d+)[-–](\d+)$")


@dataclass(slots=True, frozen=True)
class Number:
    """A number found in the tokens: its token span and value range, and how it was read."""

    first: int
    last: int
    low: float | None
    best: float | None
    high: float | None
    vague: bool = False
    singular: bool = False  # one person counted without a number ("a leader")
    plural: bool = False  # a bare plural of people ("insurgents")
    named: bool = False  # one person already named ("the commander", "him")


def number_value(text: str, words: NumberWords) -> float | None:
    """The value of a number written in digits, words or a vague phrase ("1,800", "twenty-one", "a dozen")."""
    cleaned = text.strip().lower()
    if cleaned in words.vague:
        return words.vague[cleaned][1]
    if cleaned.startswith(words.half) and cleaned.removeprefix(words.half).strip() in words.scales:
        return 0.5 * words.scales[cleaned.removeprefix(words.half).strip()]
    total, current, seen = 0.0, 0.0, False
    for word in (w.strip(",") for w in re.split(r"[\s-]+", cleaned)):
        if NUMERIC.match(word):
            current += float(word.replace(",", ""))
        elif word in words.numbers:
            current += words.numbers[word]
        elif word in words.scales:
            current = (current or 1.0) * words.scales[word]
            if words.scales[word] >= 1000:
                total, current = total + current, 0.0
        elif word not in words.joiners:
            return None
        seen = True
    return total + current if seen else None


def is_number(token: Token, words: NumberWords) -> bool:
    """A token that is a digit string or a number word (not an article such as 'a')."""
    lower = token.text.lower()
    return bool(NUMERIC.match(token.text)) or (lower in words.numbers and lower not in words.articles)


def may_start_amount(text: str, words: NumberWords) -> bool:
    """Whether a token's text may start a number: a digit, a number word or the first word of a vague amount."""
    lower = text.lower()
    return text[:1].isdigit() or lower in words.numbers or lower in words.vague_starts or " " in lower


def vague_at(tokens: tuple[Token, ...], i: int, words: NumberWords) -> tuple[int, Values] | None:
    """A vague amount ("dozens", "a number of") starting at token i: its last token and values."""
    word = tokens[i].text.lower()
    if word not in words.vague_starts and " " not in word:
        return None
    for width in (4, 3, 2, 1):
        if i + width > len(tokens) or tokens[i + width - 1].sentence != tokens[i].sentence:
            continue
        phrase = " ".join(t.text.lower() for t in tokens[i : i + width])
        if phrase in words.vague:
            return i + width - 1, words.vague[phrase]
    return None


def number_at(tokens: tuple[Token, ...], i: int, words: NumberWords) -> Number | None:
    """The number (digits, words, scales, a range or a vague amount) starting at token i."""
    vague = vague_at(tokens, i, words)
    if vague is not None:
        low, best, high = vague[1]
        return Number(i, vague[0], low, best, high, vague=True)
    if (ranged := _RANGE.match(tokens[i].text)) is not None:
        return Number(i, i, float(ranged.group(1)), float(ranged.group(1)), float(ranged.group(2)))
    if not is_number(tokens[i], words):
        return None
    j = i
    while j + 1 < len(tokens) and (is_number(tokens[j + 1], words) or tokens[j + 1].text.lower() in words.scales
                                   or _joins_words(tokens, j, words)):
        j += 1
    value = number_value(" ".join(t.text for t in tokens[i : j + 1]), words)
    if value is None:
        return None
    if j + 2 < len(tokens) and tokens[j + 1].text in words.range_words and NUMERIC.match(tokens[j + 2].text):
        high = float(tokens[j + 2].text.replace(",", ""))
        if high > value:
            return Number(i, j + 2, value, value, high)
    return Number(i, j, value, value, value)


def _joins_words(tokens: tuple[Token, ...], j: int, words: NumberWords) -> bool:
    """True when a hyphen after token j joins two number words ("twenty - one"), not a range of digits."""
    return (j + 2 < len(tokens) and tokens[j + 1].text == "-" and tokens[j].text.isalpha()
            and tokens[j + 2].text.isalpha() and is_number(tokens[j + 2], words))
