"""Who published an article, whom it credits, who wrote it: from the URL, metadata or text."""

from __future__ import annotations

import re
from functools import lru_cache

import tldextract

# International and national wire services and broadcasters that other outlets cite by name.
WIRE_AGENCIES = (
    "AFP",
    "AP",
    "Associated Press",
    "Reuters",
    "dpa",
    "EFE",
    "ANSA",
    "Xinhua",
    "TASS",
    "ITAR-TASS",
    "RIA Novosti",
    "RIA",
    "Kyodo",
    "Yonhap",
    "Anadolu",
    "IRNA",
    "ISNA",
    "PTI",
    "ANI",
    "UNIAN",
    "Ukrinform",
    "DW",
    "Deutsche Welle",
    "BBC",
    "CNN",
    "Bloomberg",
    "AAP",
    "APA",
    "KUNA",
    "WAM",
    "SANA",
    "MENA",
    "Bernama",
    "Antara",
    "CTK",
    "PAP",
    "MTI",
    "BTA",
    "Agerpres",
    "Notimex",
    "Prensa Latina",
    "Europa Press",
    "Belga",
    "ANP",
    "NTB",
    "TT",
    "STT",
    "Ritzau",
    "Lusa",
    "Kyodo News",
)
_AGENCY_ALTERNATION = "|".join(
    re.escape(name) for name in sorted(WIRE_AGENCIES, key=len, reverse=True)
)
_AGENCY = re.compile(rf"(?<![\w-])({_AGENCY_ALTERNATION})(?![\w-])")
_NAME = r"[A-Z][\w.&'-]*(?:\s(?:[A-Z][\w.&'-]*|\d+)){0,3}"
_CITED = re.compile(
    rf"(?:[Aa]ccording to|[Ww]ith reference to|[Cc]iting|[Ii]n an interview with|[Tt]old)\s+"
    rf"(?:the\s+)?({_NAME})"
)
_SELF_REPORT = re.compile(rf"[,.]\s+({_NAME})\s+reports?\b")
_TRAILING_CREDIT = re.compile(
    r"""[.!?"”»]\s*\(?([A-Z][A-Za-z-]{1,20}(?:[ /][A-Z][A-Za-z-]+){0,2})\)?\s*$"""
)
_BYLINE = re.compile(
    r"^\s*(?:By|Von|Par|Por|Di|Door|Автор:?|Author:?|Written by)\s+"
    r"([A-ZÀ-ÖØ-ÞА-Я][\w'.-]+(?:\s+(?:and\s+)?[A-ZÀ-ÖØ-ÞА-Я][\w'.-]+){0,4})\s*$"
)


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # The public-suffix snapshot inside the package: never fetch the list at run time.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def outlet_from_url(url: str | None) -> str | None:
    """The registered domain of a URL ("www.dw.com/en/..." -> "dw.com")."""
    if not url or "://" not in url:
        return None
    parts = _extractor()(url)
    if not parts.domain:
        return None
    return f"{parts.domain}.{parts.suffix}" if parts.suffix else parts.domain


def outlet_from_text(text: str) -> str | None:
    """An outlet that names itself in the opening ("…, APA reports.")."""
    match = _SELF_REPORT.search(text[:1500])
    return match.group(1) if match else None


def trailing_credit(text: str) -> str | None:
    """A short name glued after the last sentence ("… membership. DW"), as wire copy ends."""
    match = _TRAILING_CREDIT.search(text[-80:])
    if not match:
        return None
    name = match.group(1)
    return name if len(name.split()) <= 3 else None


def cited_agencies(text: str) -> list[str]:
    """Agencies the text cites: known wire services, and sources after "according to" & co."""
    found: dict[str, None] = {}
    for match in _AGENCY.finditer(text):
        found.setdefault(match.group(1), None)
    for match in _CITED.finditer(text):
        name = match.group(1).rstrip(".")
        if _AGENCY.fullmatch(name) or (name.isupper() and 2 <= len(name) <= 6):
            found.setdefault(name, None)
    for match in re.finditer(rf"with reference to\s+({_NAME})", text):
        found.setdefault(match.group(1).rstrip("."), None)
    return sorted(found)


def find_byline(lines: list[str]) -> str | None:
    for line in lines:
        match = _BYLINE.match(line)
        if match:
            return match.group(1)
    return None
