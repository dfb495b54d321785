from __future__ import annotations

import jsonschema

from newsfuse import fuse
from newsfuse.model import RawDocument, report_json_schema
from newsfuse.publish import render_html, render_json, render_markdown

from .conftest import EXAMPLES


def test_sample_is_one_story_of_five_outlets(sample_report):
    assert len(sample_report.stories) == 1
    story = sample_report.stories[0]
    assert len(story.articles) == 5
    assert story.coverage.articles == 5 and story.coverage.independent_articles == 5
    assert story.coverage.languages == {"en": 5}
    assert story.coverage.first_published.date().isoformat() == "2022-01-10"
    assert story.quotes and story.claims and story.timeline and story.entities
    for claim in story.claims:  # every item points at the outlet's own words
        for citation in claim.citations:
            article = next(a for a in story.articles if a.id == citation.article_id)
            assert 0 <= citation.start < citation.end <= len(article.text)


def test_report_valid_against_schema(sample_report):
    data = sample_report.model_dump(mode="json")
    jsonschema.validate(data, report_json_schema())
    assert data["schema_version"] == "1.0"
    article = data["stories"][0]["articles"][0]
    assert {
        "id",
        "source",
        "outlet",
        "title",
        "published_at",
        "published_from",
        "language",
        "text",
        "duplicate_of",
    } <= set(article)


def test_deterministic_output(sample_report):
    again = fuse([EXAMPLES])
    assert render_json(again) == render_json(sample_report)
    assert render_html(again) == render_html(sample_report)


def test_raw_documents_and_copies():
    text = (EXAMPLES / "000_6ecc0430d32e5a14.txt").read_text()
    copy = text.replace("APA reports", "a wire service reports")
    report = fuse(
        [
            RawDocument(source="one", kind="text", content=text, outlet="First"),
            RawDocument(source="two", kind="text", content=copy, outlet="Second"),
        ]
    )
    [story] = report.stories
    copies = [a for a in story.articles if a.duplicate_of]
    assert len(copies) == 1 and story.coverage.independent_articles == 1


def test_renderers_escape_article_markup():
    text = "The minister said the <Geneva> talks & the <Vienna> ones went well on Monday. "
    report = fuse([RawDocument(source="x", kind="text", content=text * 3, title="Q&A <onload>")])
    html = render_html(report)
    assert "<Geneva>" not in html and "&lt;Geneva&gt;" in html
    assert "Q&amp;A &lt;onload&gt;" in html
    assert "# newsfuse report" in render_markdown(report)
