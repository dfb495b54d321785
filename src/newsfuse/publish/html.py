"""A self-contained HTML report: one file, no network, readable without JavaScript.

Every citation becomes a marker that links to the article text, where the cited span is marked.
Without JavaScript the link jumps to the span's start and all cited text is underlined; with it,
the clicked span is highlighted (the page carries its own few lines of script, allowed by its
hash in the page's Content-Security-Policy; nothing else may run or load). The web app renders
its pages with the same functions.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import Citation, Quote, Report, Story
from .escape import http_url

# Highlight the clicked citation's span (the page works without this).
SCRIPT = """
document.addEventListener("click", function (event) {
  var link = event.target.closest("a.cite");
  if (!link) return;
  document.querySelectorAll(".seg.hl").forEach(function (el) { el.classList.remove("hl"); });
  var id = link.getAttribute("data-cite");
  document.querySelectorAll(".seg").forEach(function (el) {
    var ids = " " + el.getAttribute("data-c") + " ";
    if (ids.indexOf(" " + id + " ") >= 0) el.classList.add("hl");
  });
});
"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
# What a page may do: its own inline styles and its one script; no other script, no plugin, no
# frame, no request anywhere (a report is read offline; the web app serves its own pages).
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src '{SCRIPT_HASH}'; style-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'self'"
)

_ENV = Environment(
    loader=PackageLoader("newsfuse", "publish/templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals.update(script=SCRIPT, csp=CONTENT_SECURITY_POLICY, http_url=http_url)


def citation_id(citation: Citation) -> str:
    return f"c-{citation.article_id}-{citation.start}-{citation.end}"


@dataclass
class Segment:
    """A piece of article text and the citations covering it (ids), for rendering."""

    text: str
    spans: list[str]
    starts: list[str]


@dataclass
class StoryView:
    """What the story template looks up, built once per story (not once per citation)."""

    numbers: dict[str, int]  # article id -> its number in the sources list
    outlets: dict[str, str]
    texts: dict[str, str]
    segments: dict[str, list[Segment]]  # article id -> its text cut at citation boundaries


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
    found += [c for k in story.key_dates for s in k.sentences for c in s.citations]
    return found


def segments(text: str, article_id: str, citations: Iterable[Citation]) -> list[Segment]:
    """Cut `text` at every citation boundary so overlapping spans can each be marked."""
    spans = sorted({(c.start, c.end) for c in citations if c.article_id == article_id})
    cuts = sorted({0, len(text)} | {p for span in spans for p in span if 0 <= p <= len(text)})
    out = []
    open_spans: list[tuple[int, int]] = []
    next_span = 0
    for start, end in pairwise(cuts):
        starting = []
        while next_span < len(spans) and spans[next_span][0] <= start:
            span = spans[next_span]
            open_spans.append(span)
            if span[0] == start:
                starting.append(f"c-{article_id}-{span[0]}-{span[1]}")
            next_span += 1
        open_spans = [s for s in open_spans if s[1] >= end]
        covering = [f"c-{article_id}-{s}-{e}" for s, e in open_spans]
        out.append(Segment(text[start:end], covering, starting))
    return out


def story_view(story: Story) -> StoryView:
    by_article: defaultdict[str, list[Citation]] = defaultdict(list)
    for citation in story_citations(story):
        by_article[citation.article_id].append(citation)
    return StoryView(
        numbers={a.id: n for n, a in enumerate(story.articles, start=1)},
        outlets={a.id: a.outlet or "unknown outlet" for a in story.articles},
        texts={a.id: a.text for a in story.articles},
        segments={a.id: segments(a.text, a.id, by_article[a.id]) for a in story.articles},
    )


def render_stories(report: Report, template: str = "report.html.j2", **context: object) -> str:
    """Render stories with their citation segments (shared by the report and the web app)."""
    return _ENV.get_template(template).render(
        report=report,
        views={story.id: story_view(story) for story in report.stories},
        cid=citation_id,
        chart_x=chart_x,
        by_speaker=by_speaker,
        **context,
    )


def render_page(template: str, **context: object) -> str:
    """One of the web app's own pages (story list, search)."""
    return _ENV.get_template(template).render(**context)


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
