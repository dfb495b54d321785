"""analyze: inside one story — coverage now; claims, quotes, entities, timeline, conflicts next."""

from .coverage import coverage

__all__ = ["coverage"]
