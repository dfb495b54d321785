from __future__ import annotations

import gzip
import json
from datetime import date

import pytest

from newsfuse.clean import clean_document
from newsfuse.clean.dates import infer_date, parse_date_line
from newsfuse.clean.html import HtmlExtract, cannot_keep_more, html_to_text, kept_too_little
from newsfuse.clean.language import detect_language
from newsfuse.clean.outlet import cited_agencies, outlet_from_url, trailing_credit
from newsfuse.clean.repair import repair_text
from newsfuse.config import Settings
from newsfuse.model import RawDocument, Skipped
from newsfuse.read import read_paths

from .conftest import EXAMPLES, FIXTURES


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("regarding & # 171; security & # 187; now", "regarding « security » now"),
        ("a &amp;quot;b&amp;quot; c", 'a "b" c'),
        ("first\n< p> second </ p >", "first\n\nsecond"),
        ("caf\u00c3\u00a9", "café"),
        ("He said “yes”", "He said “yes”"),
    ],
)
def test_repair(broken, fixed):
    assert repair_text(broken) == fixed


def _clean_examples():
    settings = Settings()
    return {
        raw.source.rsplit("/", 1)[-1][:3]: clean_document(raw, settings)
        for raw in read_paths([EXAMPLES], settings)
    }


@pytest.fixture(scope="module")
def examples():
    return _clean_examples()


def test_chrome_removed_body_kept(examples):
    related = examples["001"]
    assert "Загрузка" not in related.text and "HOT NEWS" not in related.text
    assert "Tags:" not in related.text
    assert "COVID-19" not in related.text  # the related-headline list at the bottom
    assert related.text.startswith("At the NATO-Russia Council meeting")
    assert related.text.endswith("provide specific proposals.")
    comments = examples["002"]
    assert "введите" not in comments.text
    assert "The discussion was not easy" in comments.text  # a subheading inside the body stays
    counter = examples["000"]
    assert "1 2 3 4 5" not in counter.text and "©" not in counter.text


def test_titles(examples):
    assert examples["001"].title == "NATO reaffirms Russia's open door policy – Stoltenberg"
    # a site name glued to the front of the title is cut off
    assert examples["002"].title.startswith("What did NATO and the Russian Federation agree on")
    assert examples["003"].title.startswith("Stoltenberg: NATO Will Not Give up")


def test_publication_times(examples):
    first = examples["000"]
    assert first.published_at.isoformat() == "2022-01-12T18:09:00+04:00"
    assert first.published_from == "text" and first.timezone_known
    second = examples["001"]
    assert second.published_at.isoformat().startswith("2022-01-12T17:20")
    assert not second.timezone_known
    inferred = examples["003"]
    assert inferred.published_from == "inferred" and inferred.published_at.date() == date(
        2022, 1, 10
    )


def test_outlets_and_agencies(examples):
    assert examples["000"].outlet == "APA"
    assert examples["003"].outlet == "DW" and not examples["003"].text.endswith("DW")
    assert {"AFP", "RIA Novosti"} <= set(examples["004"].agencies)


def test_sentence_and_paragraph_offsets(examples):
    for article in examples.values():
        assert article.language == "en"
        for span in article.sentences + article.paragraphs:
            piece = article.text[span.start : span.end]
            assert piece == piece.strip() and piece


@pytest.mark.parametrize(
    ("line", "iso", "tz_known"),
    [
        ("# 12 January 2022 18:09 (UTC +04:00)", "2022-01-12T18:09:00+04:00", True),
        ("17:20 12.01.2022", "2022-01-12T17:20:00+00:00", False),
        ("Published Monday, November 18, 2019 8:22AM", "2019-11-18T08:22:00+00:00", False),
        ("UPDATED: 10:48, Tue, Nov 19, 2019 | 11:05", "2019-11-19T10:48:00+00:00", False),
        ("date 2022-01-12 Facts", "2022-01-12T00:00:00+00:00", False),
        ("2022-01-12T09:30:00-05:00", "2022-01-12T09:30:00-05:00", True),
        ("12 janvier 2022", "2022-01-12T00:00:00+00:00", False),
    ],
)
def test_date_lines(line, iso, tz_known):
    found = parse_date_line(line)
    assert found is not None
    assert found[0].isoformat() == iso and found[1] is tz_known


def test_only_lines_naming_a_month_go_to_dateparser_in_those_languages(monkeypatch):
    """dateparser is slow when it tries every language: a line with a year but no month name
    or numeric date never reaches it, and a written date reaches it with only the languages
    whose month names it holds."""
    import newsfuse.clean.dates as dates

    calls = []
    real = dates._parser

    def parser(languages):
        calls.append(languages)
        return real(languages)

    monkeypatch.setattr(dates, "_parser", parser)
    parse_date_line.cache_clear()
    assert parse_date_line("2020 Mini John Cooper Works GP is the most hardcore Mini") is None
    assert calls == []
    for line in ["12 janvier 2022", "12 января 2022 года", "ngày 12 tháng 2 năm 2022"]:
        assert parse_date_line(line)[0].date() == date(2022, 1 if "tháng" not in line else 2, 12)
    assert len(calls) == 3
    assert "fr" in calls[0] and "ru" not in calls[0]
    assert "ru" in calls[1] and "fr" not in calls[1]


def test_date_lines_reject_prose():
    assert parse_date_line("The talks in 2022 were long and nobody agreed on anything.") is None


def test_infer_date_from_weekday():
    assert infer_date("Since 2019 ... he said on Monday, January 10, in Brussels.") == date(
        2022, 1, 10
    )
    assert infer_date("No weekday here, only January 10.") is None


def test_outlet_helpers():
    assert outlet_from_url("https://www.dw.com/en/some-story/a-1") == "dw.com"
    assert outlet_from_url("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert trailing_credit("The talks ended. (Reuters)") == "Reuters"
    assert trailing_credit("The talks ended in Geneva.") is None
    assert cited_agencies("According to AFP, the talks ended.") == ["AFP"]


def test_html_page_through_trafilatura():
    html = gzip.decompress((FIXTURES / "page.html.gz").read_bytes()).decode("utf-8")
    truth = next(iter(json.loads((FIXTURES / "page.truth.json").read_text()).values()))
    article = clean_document(RawDocument(source="page.html", kind="html", content=html), Settings())
    assert not isinstance(article, Skipped)
    assert article.title and "Stadia" in article.title
    assert article.outlet == "wsj.com"
    assert article.published_from == "html" and article.published_at.year == 2019
    first_para = truth["articleBody"].split("\n")[0]
    assert first_para[:60] in article.text


def test_page_without_article_is_skipped():
    raw = RawDocument(source="menu.txt", kind="text", content="Home\nNews\nSport\nContact us")
    result = clean_document(raw, Settings())
    assert isinstance(result, Skipped) and result.reason == "no article text found"


def test_undated_stays_undated(examples):
    assert examples["002"].published_at is None
    assert examples["002"].published_from is None


PARAGRAPHS = [
    "The ministers met in Vienna on Tuesday and agreed to meet again next month, officials said.",
    "Talks lasted five hours and ended without a joint statement from either of the delegations.",
    "Both sides described the atmosphere as businesslike, though neither gave ground on troops.",
    "Analysts in Brussels expect the next round to focus on missile deployments and inspections.",
    "Markets barely moved after the news, with the rouble trading flat against the dollar.",
    "A spokesman for the alliance said its door would remain open to new members in Europe.",
]


def test_kept_too_little():
    assert kept_too_little(PARAGRAPHS[:2], PARAGRAPHS)
    assert not kept_too_little(PARAGRAPHS[:4], PARAGRAPHS)  # not twice as much
    assert not kept_too_little(["A different text about the harbour and its ships."], PARAGRAPHS)


def test_cannot_keep_more_counts_the_prose_lines_of_the_page():
    page = "\n".join(["Home | News | Sport", *PARAGRAPHS, "Share this"])
    assert cannot_keep_more(PARAGRAPHS[:4], page)  # six paragraphs: less than twice four
    assert not cannot_keep_more(PARAGRAPHS[:2], page)  # three times two: worth reading
    assert not cannot_keep_more(PARAGRAPHS[:1], "\n".join(PARAGRAPHS[:1] * 2))  # its last line
    assert cannot_keep_more(PARAGRAPHS[:1], "Home | News\nShort line.")  # no prose at all
    assert not cannot_keep_more([], "Home | News\nShort line.")  # nothing extracted: read it


def test_page_text_read_from_the_parsed_tree_is_the_same():
    """The extractor's tree is cleaned in place (no copy) where no one reads it after."""
    from lxml import html as lxml_html

    page = gzip.decompress((FIXTURES / "page.html.gz").read_bytes()).decode()
    tree = lxml_html.fromstring(page)
    scripts = len(tree.findall(".//script"))
    kept = html_to_text(tree)
    assert len(tree.findall(".//script")) == scripts > 0  # left as it is
    assert html_to_text(tree, consume=True) == kept == html_to_text(page)
    assert not tree.findall(".//script")  # consumed


def test_html_page_where_the_extractor_keeps_a_part(monkeypatch):
    """The extractor kept one paragraph of six: the text cleaner's reading of the whole page
    is the article."""
    page = "<html><body><nav>Home</nav>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page += "<footer>© 2019 Example Media. All rights reserved.</footer></body></html>"
    partial = HtmlExtract(PARAGRAPHS[0], "Talks in Vienna", None, None, None, None)
    monkeypatch.setattr("newsfuse.clean.html.extract_html", lambda *args, **kwargs: partial)
    raw = RawDocument(source="p.html", kind="html", content=page)
    article = clean_document(raw, Settings())
    assert not isinstance(article, Skipped)
    assert article.text.split("\n\n") == PARAGRAPHS
    unchecked = clean_document(raw, Settings(html_whole_page_check=False))
    assert not isinstance(unchecked, Skipped)
    assert unchecked.text == PARAGRAPHS[0]


def test_paragraph_languages_follow_the_article_unless_it_mixes():
    from newsfuse.clean.language import detect_language, paragraph_languages

    english = [
        "The NATO Secretary General said the talks with Russia in Brussels were not easy, "
        "but both sides agreed to keep meeting in the weeks ahead.",
        "Stoltenberg called Russia an occupier",  # short: lingua alone would say Italian
        "Diplomats from thirty countries attended, and the next round is planned for Vienna.",
    ]
    assert detect_language(" ".join(english)) == "en"
    assert paragraph_languages(english, "en") == ["en", "en", "en"]
    mixed = [
        english[0],
        "Генеральный секретарь НАТО заявил, что переговоры с Россией в Брюсселе были "
        "непростыми, но стороны договорились продолжить встречи в ближайшие недели.",
        "Der Generalsekretär der NATO sagte, die Gespräche mit Russland in Brüssel seien "
        "schwierig gewesen, beide Seiten wollten sich aber weiter treffen.",
    ]
    assert paragraph_languages(mixed, "en") == ["en", "ru", "de"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # short English headlines lingua alone calls German, Norwegian, Spanish or Tagalog
        ("Kim Lee joins Samsung as chief designer.", "en"),
        ("Tata Motors buys Jaguar Land Rover.", "en"),
        ("Ivo Karlovic serves record 78 aces.", "en"),
        ("Mago Rosales elected mayor of Cebu City.", "en"),
        # and short text in other languages keeps its language
        ("Parlamento aprueba la reforma fiscal tras un largo debate.", "es"),
        ("Het kabinet valt na ruzie over de begroting.", "nl"),
        ("Il governo approva la legge di bilancio.", "it"),
    ],
)
def test_short_text_language(text, language):
    assert detect_language(text) == language
