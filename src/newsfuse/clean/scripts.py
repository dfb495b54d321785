"""Writing systems: which script most letters of a text use."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Letters below U+0250 (Basic Latin to Latin Extended-B) and letters above it
_LATIN_LETTER = re.compile(r"[^\W\d_\u0250-\U0010ffff]")
_OTHER_LETTER = re.compile(r"[^\W\d_\x00-\u024f]")
# Japanese mixes Han characters with both kana in every sentence: one writing system here.
_ONE_WRITING = {"HIRAGANA": "CJK", "KATAKANA": "CJK"}
_SCRIPTS: dict[str, str] = {}


def _script(ch: str) -> str:
    script = _SCRIPTS.get(ch)
    if script is None:
        name = unicodedata.name(ch, "")
        script = name.split(" ")[0] if name else "?"
        script = _SCRIPTS[ch] = _ONE_WRITING.get(script, script)
    return script


def main_script(text: str) -> str | None:
    """The writing system most letters of `text` use (LATIN, CYRILLIC, ARABIC, CJK …); on a
    tie, the one whose letter comes first."""
    other_letters = None if text.isascii() else _OTHER_LETTER.findall(text)
    if not other_letters:  # Latin letters only (or none): no need to count them
        return "LATIN" if _LATIN_LETTER.search(text) else None
    latin = len(_LATIN_LETTER.findall(text))
    others = Counter(_script(ch) for ch in other_letters)
    if latin:
        others["LATIN"] = latin
    if not others:
        return None
    best = max(others.values())
    tied = {script for script, n in others.items() if n == best}
    if len(tied) == 1:
        return tied.pop()
    for ch in text:  # Counter.most_common's order: the first met
        if ch.isalpha():
            script = "LATIN" if ch < "\u0250" else _script(ch)
            if script in tied:
                return script
    return None
