"""Markdown for terminals, chat and email."""

from __future__ import annotations

from ..model import Article, Citation, Report, Story


def _date(article: Article) -> str:
    return article.published_at.isoformat() if article.published_at else "undated"


def _cite(citations: list[Citation], numbers: dict[str, int]) -> str:
    marks = sorted({numbers[c.article_id] for c in citations if c.article_id in numbers})
    return "".join(f"[{n}]" for n in marks)


def render_story(story: Story) -> str:
    numbers = {a.id: n for n, a in enumerate(story.articles, start=1)}
    out = [f"## {story.title}", "", f"`{story.id}` · {len(story.articles)} articles"]
    cov = story.coverage
    if cov.outlets:
        out.append("· " + ", ".join(f"{o.name} ({o.articles})" for o in cov.outlets))
    out.append("")
    if story.summary:
        out += ["### Summary", ""]
        out += [f"- {s.text} {_cite(s.citations, numbers)}" for s in story.summary]
        out.append("")
    if story.quotes:
        out += ["### Who said what", ""]
        for quote in story.quotes:
            cites = _cite(
                [
                    Citation(article_id=v.article_id, start=v.start, end=v.end)
                    for v in quote.variants
                ],
                numbers,
            )
            out.append(f"- **{quote.speaker or 'unattributed'}**: “{quote.text}” {cites}")
        out.append("")
    if story.claims:
        out += ["### Claims", ""]
        for claim in story.claims:
            flag = " *(single source)*" if claim.independent_outlets <= 1 else ""
            out.append(
                f"- {claim.text} — {claim.independent_outlets} independent outlets{flag} "
                f"{_cite(claim.citations, numbers)}"
            )
        out.append("")
    if story.conflicts:
        out += ["### Where outlets disagree", ""]
        for conflict in story.conflicts:
            sides = "; ".join(f"{v.value} {_cite(v.citations, numbers)}" for v in conflict.values)
            out.append(f"- {conflict.about}: {sides}")
        out.append("")
    if story.timeline:
        out += ["### Timeline", ""]
        out += [
            f"- **{e.date}** {e.description} {_cite(e.citations, numbers)}" for e in story.timeline
        ]
        out.append("")
    if story.entities:
        out += ["### Entities", ""]
        for entity in story.entities:
            aliases = f" (also: {', '.join(entity.aliases)})" if entity.aliases else ""
            out.append(f"- {entity.name} — {entity.type}{aliases}")
        out.append("")
    out += ["### Sources", ""]
    for article in story.articles:
        copy = f" — copy of {article.duplicate_of}" if article.duplicate_of else ""
        out.append(
            f"{numbers[article.id]}. {article.outlet or 'unknown outlet'}: "
            f"{article.title or '(untitled)'} ({_date(article)}, {article.language or '?'}) "
            f"`{article.source}`{copy}"
        )
    out.append("")
    return "\n".join(out)


def render_markdown(report: Report) -> str:
    out = [f"# newsfuse report ({len(report.stories)} stories)", ""]
    for story in report.stories:
        out.append(render_story(story))
    if report.skipped:
        out += ["## Skipped inputs", ""]
        out += [f"- `{s.source}`: {s.reason}" for s in report.skipped]
        out.append("")
    return "\n".join(out)
