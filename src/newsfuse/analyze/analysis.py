"""All analyses of one story from its member articles, and what they share while one story
is analysed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Article, Claim, Conflict, Entity, Event, Quote
from .alignment import align_sentences
from .claims import story_claims
from .conflicts import story_conflicts
from .entities import story_entities
from .meaning import SentenceMeaning
from .quotes import story_quotes
from .speakers import find_people
from .statements import _sentence_vector, _span_vectors, sentence_refs
from .timeline import _mentions, middle_day, story_timeline


def forget_story() -> None:
    """Empty what the analyses of one story share (sentence vectors per article and per
    sentence, time mentions): a process that analyses story after story keeps only one story's
    worth."""
    _span_vectors.cache_clear()
    _sentence_vector.cache_clear()
    _mentions.cache_clear()


@dataclass
class Analysis:
    claims: list[Claim]
    quotes: list[Quote]
    conflicts: list[Conflict]
    timeline: list[Event]
    entities: list[Entity]


def analyze_story(articles: Sequence[Article], meaning: SentenceMeaning | None = None) -> Analysis:
    """All analyses of one story from its member articles (copies marked by `duplicate_of`);
    claims and quotes matched across languages by `meaning` when given."""
    people = find_people(articles)
    groups = align_sentences(articles, meaning)
    refs = [ref for article in articles for ref in sentence_refs(article)]
    fallback = middle_day(articles)
    return Analysis(
        claims=story_claims(articles, groups),
        quotes=story_quotes(articles, people, meaning),
        conflicts=story_conflicts(articles, groups, refs, fallback),
        timeline=story_timeline(articles),
        entities=story_entities(articles, people),
    )
