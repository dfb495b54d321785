"""Who said it: each quote's mention resolved to one person. A name or role the story knows is
that person; "he said" is the person named first in the nearest sentence before (of the
pronoun's gender where the first name tells it); a quote with no mention goes on with the
last speaker; what cannot be resolved is kept as the text names it ("a spokesperson").
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..model import Article
from .speakers import PERSON, POSSESSIVE, People
from .speech_words import PRONOUNS, SPEECH_AFTER, Found


def resolve_speakers(article: Article, found: list[Found], people: People) -> list[str | None]:
    """Full names for each quote's mention. "He said" is the subject of what came just before;
    a quote with no mention goes on with the last speaker, unless someone new was named since."""
    speakers: list[str | None] = []
    last: str | None = None
    last_end = 0
    for item in found:
        name = None
        mention = (item.mention or "").strip()
        if POSSESSIVE.search(mention):  # "Elon Musk's company said": not Musk
            mention = ""
        written = _HIS_WORDS.match(mention)
        # "her statement said": she said ("HİS", matched case-blind, is no pronoun it knows)
        owner = _OWNER.get(written.group(1).casefold()) if written else None
        if owner:
            mention = owner
        if mention and mention.casefold() not in PRONOUNS:
            # a person we know, else who the text says it is ("a spokesperson", "Surrey staff")
            name = people.resolve(mention) or _known_inside(mention, people) or _as_written(mention)
        elif mention:
            name = _named_just_before(article, item.start, people, pronoun=mention) or last
        elif item.kind == "direct":
            introduced = _named_just_before(article, item.start, people, since=last_end)
            name = introduced or last or _last_person_before(article.text, item.start, people)
        speakers.append(name)
        last = name or last
        last_end = max(last_end, item.end)
    return speakers


def _known_inside(mention: str, people: People) -> str | None:
    """A known person's name inside a longer mention ("Environment Minister Jane Doe")."""
    words = mention.split()
    for size in (3, 2):
        # from the end: a name follows its title ("Montana Sen. Jon Tester": not "Montana Sen")
        for at in reversed(range(len(words) - size + 1)):
            name = " ".join(words[at : at + size])
            if name in people.persons:
                return name
    known = [people.by_surname[w] for w in words if w in people.by_surname]
    return known[0] if known else None


def _as_written(mention: str) -> str:
    """An unresolved speaker as the text names it, without a leading article."""
    return re.sub(r"^(?:the|a|an)\s+", "", mention.strip(" ,.:;"), flags=re.IGNORECASE)


# What a person wrote or sent speaks for them ("…,” her statement said)
_HIS_WORDS = re.compile(
    r"(his|her|their)\s+(?:(?:written|brief|short|own)\s+)?(?:statement|letter|post|tweet|"
    r"e-?mail|message|memo|note|release|blog|book|speech|testimony|affidavit|submission)$",
    re.IGNORECASE,
)
_OWNER = {"his": "he", "her": "she", "their": "they"}
_OTHER_GENDER = {"he": "female", "him": "female", "she": "male", "her": "male"}
PRONOUN_SENTENCES = 3  # sentences back where "he" or "she" looks for the person


def _named_just_before(
    article: Article, position: int, people: People, since: int = 0, pronoun: str = ""
) -> str | None:
    """Who "he said" means: the first person named (by name, surname or role) in the nearest
    sentence before the quote that names one: the subject of what came just before, which in
    news is who goes on speaking ("X met Y on Monday. He said …" means X)."""
    text = article.text
    starts = [span.start for span in article.sentences if since <= span.start < position]
    if since and (not starts or starts[0] > since):
        starts.insert(0, since)  # what follows the last quote, in the middle of a sentence
    bounds = [*starts[-PRONOUN_SENTENCES:], position]
    for begin, end in reversed(list(pairwise(bounds))):
        found: list[tuple[int, str]] = [
            (match.start(), people.by_surname[words[-1]])
            for match in PERSON.finditer(text, begin, end)
            if (words := match.group(0).split())[-1] in people.by_surname
        ]
        lowered = text[begin:end].casefold()
        found += [
            (begin + at, name)
            for role, name in people.by_role.items()
            # "the NATO secretary general", "the mayor" (a bare "mayor" may be any mayor)
            if (at := lowered.find(role if len(role.split()) >= 2 else f"the {role} ")) >= 0
        ]
        unlike = _OTHER_GENDER.get(pronoun.casefold())
        found = [(at, name) for at, name in found if people.persons[name].gender != unlike]
        if found:
            return min(found)[1]
    return None


def _last_person_before(text: str, position: int, people: People) -> str | None:
    """The person named last before `position` ("he" in the next paragraph means them)."""
    surnames = "|".join(re.escape(s) for s in sorted(people.by_surname, key=len, reverse=True))
    if not surnames:
        return None
    # not an owner: "Elon Musk's company" is not Musk
    matches = list(re.finditer(rf"\b(?:{surnames})\b(?!['’])", text[:position]))
    # prefer the last one who speaks ("Merkel told … with Minister Ivanov" -> Merkel)
    speaking = [m for m in matches if SPEECH_AFTER.match(text, m.end())]
    chosen = (speaking or matches)[-1:]
    return people.by_surname[chosen[0].group(0)] if chosen else None
