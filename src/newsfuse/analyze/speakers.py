"""People named in a story and the ways they are referred to: full name, surname, initial and
surname, role ("the NATO Secretary General"). Used to resolve quote speakers to one person."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..calendar_words import MONTHS, WEEKDAYS
from ..index import word_zipf
from ..model import Article
from .lowering import lowered

_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ"
_LOWER = "a-zà-öø-ÿа-яёіїєґ'’-"
# "Merkel", "O'Brien", and names with a capital inside: "McCallum", "DeSantis", "LeBlanc"
NAME_WORD = rf"[{_UPPER}][{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?"
# "Angela Merkel", "Olena Kovalenko", "A. Merkel", "Sergei Ivanov", "Harry J. Kazianis"
PERSON = re.compile(
    rf"\b(?:[{_UPPER}]\.\s?)?{NAME_WORD}(?:\s(?:[{_UPPER}]\.\s)?{NAME_WORD}){{0,2}}\b"
)
# Role words that come before a name in apposition: "Secretary-General Jane Doe".
_ROLE_HEAD = re.compile(
    r"(?:secretary[- ]general|secretary of state|deputy secretary of state|foreign minister|"
    r"deputy (?:foreign|prime) minister|prime minister|minister|president|vice[- ]president|"
    r"chancellor|spokes(?:man|woman|person)|ambassador|envoy|general|commander|chairman|chair|"
    r"director|head|chief|leader|king|queen|governor|mayor|senator|adviser|advisor|official|"
    r"premier|professor|analyst|economist|lawyer|attorney|judge|prosecutor|coach|founder|ceo|"
    r"council(?:l)?or|officer|inspector|sergeant|superintendent|executive|manager|researcher|"
    r"scientist|editor|correspondent)",
    re.IGNORECASE,
)
# The same words matched in lower case on a lowered text: a case-blind scan of a long text is
# several times slower than a plain one.
_ROLE_HEAD_LOWER = re.compile(_ROLE_HEAD.pattern)
_ROLE_BEFORE_NAME = re.compile(
    rf"((?:[{_UPPER}][\w-]*\s){{0,3}}(?i:{_ROLE_HEAD.pattern})(?:\s(?:of\s)?[{_UPPER}][\w-]*){{0,3}})"
    rf"\s+({NAME_WORD}\s{NAME_WORD}(?:\s{NAME_WORD})?)"
)
# Titles written short before a name, with a full stop ("Sen. Jon Tester", "Dr. Jane Doe")
TITLE_ABBREVIATIONS = (
    *("Rep", "Sen", "Gov", "Dr", "Mr", "Mrs", "Ms", "Prof", "Gen", "Lt", "Col", "Sgt", "Capt"),
)
_NOT_NAMES = (
    {
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "and",
        "but",
        "however",
        "according",
        "at the same time",
        "this",
        "that",
        "these",
        "those",
        "it",
        "he",
        "she",
        "they",
        "we",
    }
    | set(MONTHS)
    | set(WEEKDAYS)
    # a title written short before a name ("Montana Sen. Jon Tester": "Montana Sen" is no one)
    | {title.casefold() for title in TITLE_ABBREVIATIONS}
    | {"maj", "cpl", "adm", "cmdr", "rev", "hon", "supt", "insp", "atty", "st", "mt"}
    # places and bodies named like people ("Fraser Highway", "Youth Council", "George Station"),
    # not words that are also names (Park, Hall, Lake, Court, Church, Street, River)
    | {"council", "committee", "association", "commission", "board", "agency", "ministry"}
    | {"department", "office", "university", "college", "school", "academy", "institute"}
    | {"hospital", "clinic", "centre", "center", "foundation", "fund", "group", "party"}
    | {"company", "corporation", "club", "league", "alliance", "highway", "avenue", "road"}
    | {"boulevard", "station", "airport", "square", "heights", "valley", "island", "county"}
    | {"district", "province", "city", "museum", "complex", "project", "program"}
)


@dataclass
class Person:
    name: str
    aliases: set[str] = field(default_factory=set)
    roles: Counter[str] = field(default_factory=Counter)

    @property
    def gender(self) -> str | None:
        """From the first name: lets "she said" skip a man named just before."""
        return first_name_gender(self.name.split()[0])


@lru_cache(maxsize=1)
def _first_names() -> Any:
    """gender-guesser's dictionary of about 40,000 first names from many countries (shipped in
    its wheel): it tells "John Horgan" from "United States" where word frequency cannot."""
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


@lru_cache(maxsize=1 << 16)
def first_name_gender(word: str) -> str | None:
    """'male', 'female', 'either' for a known first name, None for a word that is not one."""
    answer = _first_names().get_gender(word)
    if answer == "unknown":
        return None
    return {"male": "male", "mostly_male": "male", "female": "female"}.get(
        answer, "female" if answer == "mostly_female" else "either"
    )


COMMON_SURNAME_ZIPF = 5.5  # after a known first name, only everyday words ("May Day") are out


@lru_cache(maxsize=1 << 16)
def looks_like_person(name: str, language: str | None) -> bool:
    """Two or three capitalised words that hold no role word and are either a known first name
    and a surname, or not common words of the language (which rules out "United States",
    "Secretary General", "Eastern Europe")."""
    words = [w for w in name.replace(".", ". ").split() if not w.endswith(".")]
    if len(words) < 2 or len(words) > 3 or _ROLE_HEAD.search(name):
        return False
    if any(w.casefold() in _NOT_NAMES for w in words):
        return False
    zipfs = [word_zipf(w.casefold(), language) for w in words]
    if any(z is None for z in zipfs):  # no word list for this script: capitalisation decides
        return True
    if first_name_gender(words[0]) is not None:
        return (zipfs[-1] or 0.0) < COMMON_SURNAME_ZIPF
    return (zipfs[-1] or 0.0) < 4.0 and all((z or 0.0) < 4.6 for z in zipfs)


def surname(name: str) -> str:
    return name.split()[-1]


@dataclass
class People:
    """Everyone named with a first name and surname in a story, with their aliases."""

    persons: dict[str, Person] = field(default_factory=dict)  # by full name
    by_surname: dict[str, str] = field(default_factory=dict)
    by_role: dict[str, str] = field(default_factory=dict)

    def resolve(self, mention: str) -> str | None:
        """The full name a mention refers to, or None if it names nobody known."""
        text = mention.strip().strip(",.:;").strip()
        text = re.sub(r"^(?:the|a)\s+", "", text, flags=re.IGNORECASE)
        if text in self.persons:
            return text
        words = text.split()
        if words and words[-1] in self.by_surname and all(w[0].isupper() for w in words):
            return self.by_surname[words[-1]]
        key = role_key(text)
        if key in self.by_role:
            return self.by_role[key]
        for (
            role,
            name,
        ) in self.by_role.items():  # "Secretary General" within "NATO Secretary General"
            if key and (role.endswith(key) or key.endswith(role)):
                return name
        return None


ROLE_CONTEXT = 120  # characters around a role word where a role phrase and a name can be
# What every match of _ROLE_BEFORE_NAME holds after its role word: a two-word name. Most role
# words have none after them ("the president said"), and this finds that at a fraction of the
# cost of the full pattern's attempts.
_NAME_AFTER_ROLE = re.compile(rf"\s{NAME_WORD}\s{NAME_WORD}")


def _roles_before_names(text: str) -> list[re.Match[str]]:
    """Matches of _ROLE_BEFORE_NAME, looked for only around the role words of `text` (the full
    pattern tried at every position of a long text is slow) that have a name after them."""
    found: list[re.Match[str]] = []
    end = 0
    for head in _ROLE_HEAD_LOWER.finditer(lowered(text)):
        if head.start() < end:
            continue
        window_end = min(len(text), head.end() + ROLE_CONTEXT)
        # a match holding this role word starts its name after the word's first letter
        if not _NAME_AFTER_ROLE.search(text, head.start(), window_end):
            continue
        start = max(end, head.start() - ROLE_CONTEXT // 2)
        for match in _ROLE_BEFORE_NAME.finditer(text, start, window_end):
            if match.start() >= end and match.start(1) <= head.start() < match.end(1):
                found.append(match)
                end = match.end()
                break
    return found


def role_key(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.casefold()).strip()


POSSESSIVE = re.compile(r"['’]s?$")  # "Musk's", "Jones'": an owner, not the name


def find_people(articles: Sequence[Article]) -> People:
    """Collect two- or three-word names, their surnames and the roles written before them."""
    people = People()
    full_names: Counter[str] = Counter()
    roles: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for match in _roles_before_names(article.text):
            role, name = match.group(1).strip(), POSSESSIVE.sub("", match.group(2).strip())
            if not looks_like_person(name, article.language):
                continue
            full_names[name] += 1
            roles[name][role] += 1
        for match in PERSON.finditer(article.text):
            name = POSSESSIVE.sub("", match.group(0))  # "Elon Musk's company": Elon Musk
            # "A. Merkel" is an alias of a full name, not one
            if name[1:2] != "." and looks_like_person(name, article.language):
                full_names[name] += 1
    for name in sorted(full_names, key=lambda n: (-full_names[n], n)):
        last = surname(name)
        if last in people.by_surname:  # "Angela Merkel" already claimed "Merkel"
            continue
        person = Person(name=name, aliases={name, last}, roles=roles[name])
        people.persons[name] = person
        people.by_surname[last] = name
        for role in roles[name]:
            people.by_role.setdefault(role_key(role), name)
            person.aliases.add(role)
            # "NATO Secretary-General" is also "the Secretary General"
            head = _ROLE_HEAD.search(role)
            if head:
                people.by_role.setdefault(role_key(head.group(0)), name)
    for article in articles:  # "A. Merkel"
        for match in re.finditer(rf"\b([{_UPPER}])\.\s?({NAME_WORD})", article.text):
            known = people.by_surname.get(match.group(2))
            if known and known.startswith(match.group(1)):
                people.persons[known].aliases.add(match.group(0))
    return people
