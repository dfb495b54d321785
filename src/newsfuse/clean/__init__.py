"""clean: raw document -> article (main text, repair, metadata, language, sentence spans)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import dateparser

from ..config import Settings
from ..model import Article, Paragraph, PublishedFrom, RawDocument, Skipped
from .dates import infer_date, parse_date_line
from .language import detect_language, paragraph_languages
from .line_rules import has_words, words
from .lines import Line, classify_lines, trim_edges
from .outlet import (
    cited_agencies,
    find_byline,
    outlet_from_text,
    outlet_from_url,
    trailing_credit,
)
from .repair import repair_text
from .sentences import paragraph_spans, sentence_spans

__all__ = ["article_id", "clean_document", "clean_text_lines"]

_MIN_WORDS = 5


def article_id(text: str, outlet: str | None) -> str:
    """Stable id: the same text from the same outlet is the same article wherever it was read."""
    normal = re.sub(r"\s+", " ", text).strip().casefold()
    digest = hashlib.sha256(f"{outlet or ''}\x00{normal}".encode()).hexdigest()
    return digest[:16]


def parse_source_date(value: str | None) -> tuple[datetime, bool] | None:
    """A date string given by a source (ISO 8601, RFC 822 from feeds, or free text)."""
    if not value:
        return None
    value = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC), False
    return parsed, True


def clean_text_lines(text: str) -> tuple[list[Line], list[str]]:
    """Repair `text`, split it into lines and classify each; returns (lines, kept texts)."""
    classified = classify_lines(_lines(text))
    return classified, [line.text for line in classified if line.keep]


def _lines(text: str) -> list[str]:
    return [line for line in repair_text(text).split("\n") if line.strip()]


def _find_title(lines: list[Line]) -> str | None:
    """The first headline-like line before the body; a site name glued in front is cut off."""
    header: list[str] = []
    for line in lines:
        if line.label == "good":
            break
        if (
            line.label == "short"
            and len(words(line.text)) >= 3
            and parse_date_line(line.text) is None
        ):
            header.append(line.text.strip())
    if not header:
        return None
    first = header[0]
    for later in header[1:]:
        if len(words(later)) >= 3 and first != later and first.endswith(later):
            return later
    return first


def _header_date(lines: list[Line]) -> tuple[datetime, bool] | None:
    """The most precise date line before the body (or in its first line, as wire copy has it)."""
    best: tuple[datetime, bool] | None = None
    for line in lines:
        found = parse_date_line(line.text)
        if found and (best is None or _precision(found) > _precision(best)):
            best = found
        if line.label == "good":
            break
    return best


def _precision(found: tuple[datetime, bool]) -> int:
    moment, tz_known = found
    return int(tz_known) * 2 + int(moment.hour != 0 or moment.minute != 0)


def clean_document(raw: RawDocument, settings: Settings) -> Article | Skipped:
    """Turn one raw document into an article, or say why it holds no article."""
    title = raw.title
    published: tuple[datetime, bool] | None = parse_source_date(raw.published)
    published_from: PublishedFrom | None = raw.published_origin if published else None
    url = raw.url
    outlet = raw.outlet
    byline = None
    if raw.kind == "html":
        # trafilatura and lxml load when a page first comes: a command that reads texts only
        # (or adds one) does without them
        from .html import cannot_keep_more, extract_html, html_to_text, kept_too_little

        extract = extract_html(
            raw.content,
            settings.favor_precision,
            settings.favor_recall,
            page_text=settings.html_whole_page_check,
            want_date=published is None,
        )
        title = title or extract.title
        url = url or extract.url
        outlet = outlet or outlet_from_url(url) or extract.sitename
        byline = extract.author
        if published is None:
            published = parse_source_date(extract.date)
            published_from = "html" if published else None
        extracted = bool(extract.text.strip())
        if extracted:
            # the extractor chose the body already: only chrome at its edges goes
            texts = _lines(extract.text)
            lines, kept = trim_edges(texts)
        if not extracted or settings.html_whole_page_check:
            # The text cleaner's reading of the whole page stands for a fragment too small for
            # the extractor, and for a page where the extractor missed most of the article.
            page = extract.page_text if settings.html_whole_page_check else ""
            page = page or html_to_text(raw.content)
            if not extracted or not cannot_keep_more(kept, page):
                page_lines, page_kept = clean_text_lines(page)
                if not extracted or kept_too_little(kept, page_kept):
                    lines, kept = page_lines, page_kept
                    texts = [line.text for line in page_lines]
    elif raw.extracted:
        # the source says this is the article: only chrome at its edges goes, and never all
        # of it (a one-line body that mentions "All rights reserved" is still the article)
        texts = _lines(raw.content)
        lines, kept = trim_edges(texts)
        if not has_words(" ".join(kept), _MIN_WORDS):
            kept = texts
    else:
        lines, kept = clean_text_lines(raw.content)
        texts = [line.text for line in lines]
    title = title or _find_title(lines)
    if title:
        title = repair_text(title)
        without_title = [line for line in kept if line.strip() != title]
        if without_title or not raw.extracted:  # a brief may be its own headline
            kept = without_title
    if published is None:
        published = _header_date(lines)
        published_from = "text" if published else None
    text = "\n\n".join(kept)
    credit = trailing_credit(text)
    if credit:
        text = text[: text.rstrip().rfind(credit)].rstrip(" (")
    if not has_words(text, _MIN_WORDS):
        return Skipped(source=raw.source, reason="no article text found")
    if published is None:
        inferred = infer_date(text)
        if inferred:
            published = (datetime(inferred.year, inferred.month, inferred.day, tzinfo=UTC), False)
            published_from = "inferred"
    outlet = outlet or outlet_from_url(url) or outlet_from_text(text) or credit
    agencies = cited_agencies(text)
    if credit and credit not in agencies and credit != outlet:
        agencies = sorted([*agencies, credit])
    language = detect_language(text, settings.language_high_accuracy)
    spans = paragraph_spans(text)
    block_languages = paragraph_languages(
        [text[span.start : span.end] for span in spans], language, settings.language_high_accuracy
    )
    paragraphs = [
        Paragraph(start=span.start, end=span.end, language=block_language or language)
        for span, block_language in zip(spans, block_languages, strict=True)
    ]
    return Article(
        id=article_id(text, outlet),
        source=raw.source,
        url=url,
        outlet=outlet,
        title=title,
        published_at=published[0] if published else None,
        published_from=published_from,
        timezone_known=published[1] if published else False,
        language=language,
        byline=byline or find_byline(texts[:12]),
        agencies=agencies,
        text=text,
        paragraphs=paragraphs,
        sentences=sentence_spans(text, paragraphs, language),
    )
