"""A self-contained HTML report: one file, no network, readable without JavaScript.

Every citation becomes a marker that links to the article text, where the cited span is marked.
Without JavaScript the link jumps to the span's start and all cited text is underlined; with it,
the clicked span is highlighted (the page carries its own few lines of script, nothing loaded).
The web app renders its pages with the same functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import Citation, Quote, Report, Story

_ENV = Environment(
    loader=PackageLoader("newsfuse", "publish/templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def citation_id(citation: Citation) -> str:
    return f"c-{citation.article_id}-{citation.start}-{citation.end}"


@dataclass
class Segment:
    """A piece of article text and the citations covering it (ids), for rendering."""

    text: str
    spans: list[str]
    starts: list[str]


def story_citations(story: Story) -> list[Citation]:
    found: list[Citation] = []
    found += [c for s in story.summary for c in s.citations]
    found += [c for claim in story.claims for c in claim.citations]
    found += [
        Citation(article_id=v.article_id, start=v.start, end=v.end)
        for q in story.quotes
        for v in q.variants
    ]
    found += [c for conflict in story.conflicts for v in conflict.values for c in v.citations]
    found += [c for e in story.timeline for c in e.citations]
    return found


def segments(text: str, article_id: str, citations: Iterable[Citation]) -> list[Segment]:
    """Cut `text` at every citation boundary so overlapping spans can each be marked."""
    spans = sorted({(c.start, c.end) for c in citations if c.article_id == article_id})
    cuts = sorted({0, len(text)} | {p for span in spans for p in span if 0 <= p <= len(text)})
    out = []
    for start, end in pairwise(cuts):
        covering = [f"c-{article_id}-{s}-{e}" for s, e in spans if s <= start and end <= e]
        starting = [f"c-{article_id}-{s}-{e}" for s, e in spans if s == start]
        out.append(Segment(text[start:end], covering, starting))
    return out


def render_stories(report: Report, template: str = "report.html.j2", **context: object) -> str:
    """Render stories with their citation segments (shared by the report and the web app)."""
    segmented = {
        story.id: {a.id: segments(a.text, a.id, story_citations(story)) for a in story.articles}
        for story in report.stories
    }
    return _ENV.get_template(template).render(
        report=report,
        segmented=segmented,
        cid=citation_id,
        chart_x=chart_x,
        by_speaker=by_speaker,
        **context,
    )


def by_speaker(story: Story) -> list[tuple[str, list[Quote]]]:
    """Quotes grouped by speaker, most quoted first; unattributed ones last."""
    groups: dict[str, list[Quote]] = {}
    for quote in story.quotes:
        groups.setdefault(quote.speaker or "unattributed", []).append(quote)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "unattributed", -len(kv[1]), kv[0]))


def chart_x(day: str, first: str, last: str) -> float:
    """Horizontal position (percent) of an ISO day between the first and last day."""
    start, end, value = (date.fromisoformat(d) for d in (first, last, day))
    span = (end - start).days or 1
    return round(100.0 * (value - start).days / span, 2)


def render_html(report: Report) -> str:
    """Every piece of article text goes through autoescaping: pages may carry markup."""
    return render_stories(report)
