"""Numbers as a sentence writes them, read as values in its language: "5.000" is five thousand
in Spanish and five in English, "5,41" is five and 41 hundredths in Dutch, "15,599" fifteen
thousand in English; "7.200 millones", "7,2 miliardi" and "7.2 billion" are one value. The
separators come from the CLDR data in babel (for every language it knows); the scale words from
a short list for the languages whose news the project reads. Without this, every translation
that writes a number its own way reads as a disagreement.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.core import UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

# Scale words after a number, by the value they multiply by ("mil millones" before "millones")
SCALES = (
    (r"mil\s+millones|miliardi|miliardo|milliards?|miljard(?:en)?|milliarden?|billions?|bn", 9),
    (r"millones|mill[oó]n|milioni|milione|millions?|miljoen|millionen|million|mln", 6),
    (r"trillions?|billones|bill[oó]n|biljoen|billionen", 12),
)
_SCALE = "|".join(f"(?:{words})" for words, _ in SCALES)
_PERCENT = r"%|percent|per\s+cent|por\s+ciento|per\s+cento|procent|pour\s+cent|prozent"
_SPACES = " \u00a0\u202f"


@lru_cache(maxsize=64)
def _symbols(language: str | None) -> tuple[str, str]:
    """(decimal, group) symbols of the language; English's when babel does not know it."""
    try:
        return get_decimal_symbol(language or "en"), get_group_symbol(language or "en")
    except (UnknownLocaleError, ValueError, TypeError):
        return ".", ","


@lru_cache(maxsize=64)
def _pattern(language: str | None) -> re.Pattern[str]:
    decimal, group = _symbols(language)
    groups = re.escape(_SPACES) if group in _SPACES else re.escape(group)
    return re.compile(
        rf"(?<![\w.,])(?P<number>\d{{1,3}}(?:[{groups}]\d{{3}})+(?:{re.escape(decimal)}\d+)?"
        rf"|\d+(?:{re.escape(decimal)}\d+)?)"
        rf"(?:\s?(?P<percent>{_PERCENT})|\s(?P<scale>{_SCALE}))?(?![\w])",
        re.IGNORECASE,
    )


def _scale(word: str) -> int:
    for words, power in SCALES:
        if re.fullmatch(words, word, re.IGNORECASE):
            return power
    return 0


def stated_numbers(text: str, language: str | None) -> list[tuple[str, str]]:
    """(value, as written) of each number in `text`, in order: the value is the same string
    however a language writes it ("5000", "7200000000", "20%")."""
    decimal, group = _symbols(language)
    found = []
    for match in _pattern(language).finditer(text):
        digits = match.group("number")
        for symbol in {group, *(_SPACES if group in _SPACES else "")}:
            digits = digits.replace(symbol, "")
        try:
            value = Decimal(digits.replace(decimal, "."))
        except InvalidOperation:
            continue
        if match.group("scale"):
            value = value.scaleb(_scale(match.group("scale")))
        shown = format(value.normalize(), "f")
        if "." in shown:
            shown = shown.rstrip("0").rstrip(".")
        found.append((shown + ("%" if match.group("percent") else ""), match.group(0)))
    return found
