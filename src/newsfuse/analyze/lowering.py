"""Text lowered for lower-case patterns, every character kept in its place."""

from __future__ import annotations


def lowered(text: str) -> str:
    """`text` lowered letter for letter, so that a match's place is its place in `text` ("İ",
    which lowers to two characters, is kept as it is). Lower-case patterns over it cost a
    fraction of case-blind ones, and do not let letters that are not ASCII match ASCII ones
    ("Aprıl", "ſunday", "Mınister"), which no month, weekday or role word spells."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
