"""Markdown for terminals, chat and email. Every piece of article-borne text (titles, outlets,
quotes, claims, names, file names) goes through `markdown_text` or `markdown_code`: a page may
carry HTML or link syntax, and a Markdown viewer would render it."""

from __future__ import annotations

from ..model import Article, Citation, Report, Story
from .escape import markdown_code as code
from .escape import markdown_text as md


def _date(article: Article) -> str:
    return article.published_at.isoformat() if article.published_at else "undated"


def _cite(citations: list[Citation], numbers: dict[str, int]) -> str:
    marks = sorted({numbers[c.article_id] for c in citations if c.article_id in numbers})
    return "".join(f"[{n}]" for n in marks)


def render_story(story: Story) -> str:
    numbers = {a.id: n for n, a in enumerate(story.articles, start=1)}
    out = [f"## {md(story.title)}", "", f"{code(story.id)} · {len(story.articles)} articles"]
    cov = story.coverage
    if cov.analysed_articles is not None:
        out[-1] += f" ({cov.analysed_articles} analysed, spread over its span)"
    if cov.outlets:
        out.append("· " + ", ".join(f"{md(o.name)} ({o.articles})" for o in cov.outlets))
    out.append("")
    if story.summary:
        out += ["### Summary", ""]
        out += [f"- {md(s.text)} {_cite(s.citations, numbers)}" for s in story.summary]
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
            speaker = md(quote.speaker or "unattributed")
            out.append(f"- **{speaker}**: “{md(quote.text)}” {cites}")
        out.append("")
    if story.claims:
        out += ["### Claims", ""]
        for claim in story.claims:
            flag = " *(single source)*" if claim.independent_outlets <= 1 else ""
            out.append(
                f"- {md(claim.text)} — {claim.independent_outlets} independent outlets{flag} "
                f"{_cite(claim.citations, numbers)}"
            )
        out.append("")
    if story.conflicts:
        out += ["### Where outlets disagree", ""]
        for conflict in story.conflicts:
            sides = "; ".join(
                f"{md(v.value)} {_cite(v.citations, numbers)}" for v in conflict.values
            )
            out.append(f"- {md(conflict.about)}: {sides}")
        out.append("")
    if story.key_dates:
        out += ["### Key dates", ""]
        for key_date in story.key_dates:
            out.append(f"- **{key_date.date}**")
            out += [f"  - {md(s.text)} {_cite(s.citations, numbers)}" for s in key_date.sentences]
        out.append("")
    if story.timeline:
        out += ["### Timeline", ""]
        out += [
            f"- **{e.date}** {md(e.description)} {_cite(e.citations, numbers)}"
            for e in story.timeline
        ]
        out.append("")
    if story.entities:
        out += ["### Entities", ""]
        for entity in story.entities:
            aliases = f" (also: {md(', '.join(entity.aliases))})" if entity.aliases else ""
            out.append(f"- {md(entity.name)} — {entity.type}{aliases}")
        out.append("")
    out += ["### Sources", ""]
    for article in story.articles:
        copy = f" — copy of {code(article.duplicate_of)}" if article.duplicate_of else ""
        out.append(
            f"{numbers[article.id]}. {md(article.outlet or 'unknown outlet')}: "
            f"{md(article.title or '(untitled)')} ({_date(article)}, "
            f"{md(article.language or '?')}) {code(article.source)}{copy}"
        )
    out.append("")
    return "\n".join(out)


def render_markdown(report: Report) -> str:
    out = [f"# newsfuse report ({len(report.stories)} stories)", ""]
    for story in report.stories:
        out.append(render_story(story))
    if report.skipped:
        out += ["## Skipped inputs", ""]
        out += [f"- {code(s.source)}: {md(s.reason)}" for s in report.skipped]
        out.append("")
    return "\n".join(out)
