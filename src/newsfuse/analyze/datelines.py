"""Datelines: where, and through which agency, a report was filed, before its first sentence
("WASHINGTON (AP) — ", "KATHMANDU, Nepal — ", "(CNN) "). A dateline is one outlet's filing
note, not part of what is said: a quote's speaker and a summary sentence leave it out."""

from __future__ import annotations

import re

_AGENCY = r"\((?P<agency>[A-Za-z][\w&.'’-]+(?:\s[A-Z][\w&.'’-]*){0,3})\)"
_NEXT_WORD = r"(?=[\"“'‘]?[A-Z0-9])"
# A place in capitals needs its dash: a place of three letters or more words ("FT LAUDERDALE",
# not "US - China …"), perhaps its region (", Nepal", ", Fla.") and agency ("(AP)", "(dpa)").
_DATELINE = re.compile(
    r"(?=[A-Z][A-Z.'’-]{2}|[A-Z]+\s[A-Z]{2})[A-Z][A-Z.'’-]+(?:\s[A-Z][A-Z.'’-]+)*"
    r"(?:,\s[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*)*)?"
    rf"(?:\s?{_AGENCY})?\s[—–-]{{1,2}}\s+{_NEXT_WORD}"
)
# An agency in brackets without a dash ("(CNN) The …", "Washington (CNN) …") counts only where
# an article opens, where "The European Union (EU) Foreign …" is rare.
_OPENING_AGENCY = re.compile(
    rf"(?:(?P<place>[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){{0,2}}),?\s)?{_AGENCY}"
    rf"(?:\s[—–-]{{1,2}})?\s+{_NEXT_WORD}"
)


def dateline_end(text: str, start: int = 0, end: int | None = None, opens: bool = False) -> int:
    """Where the words after a dateline at `start` begin (`start` when there is none); `opens`
    says the sentence opens its article."""
    stop = len(text) if end is None else end
    found = _DATELINE.match(text, start, stop)
    if found is None and opens:
        found = _OPENING_AGENCY.match(text, start, stop)
        if found is not None and _is_acronym(found["place"] or "", found["agency"]):
            found = None  # "The European Union (EU) …" names, it does not file
    return found.end() if found else start


def _is_acronym(name: str, bracketed: str) -> bool:
    letters = re.sub(r"\W", "", bracketed).upper()
    initials = "".join(word[0] for word in name.split()).upper()
    return len(letters) >= 2 and initials.endswith(letters)
