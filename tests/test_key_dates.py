"""Key dates of long stories, and the timeline measures the benchmark scores them with."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from newsfuse.clean import clean_document
from newsfuse.config import Settings
from newsfuse.model import Article, RawDocument
from newsfuse.pipeline import assemble_story
from newsfuse.summarize.key_dates import key_date_budget, key_dates

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from timeline_metrics import alignment_rouge, date_f1, rouge_counts


def _article(name: str, published: str, text: str) -> Article:
    article = clean_document(
        RawDocument(source=f"{name}.txt", kind="text", content=text, published=published),
        Settings(),
    )
    assert isinstance(article, Article)
    return article


STORY = [
    (
        "a",
        "2010-04-21",
        "The Deepwater Horizon oil rig exploded in the Gulf of Mexico on April 20, killing "
        "eleven workers on the platform.\n\nThe rig sank two days later, on April 22, and oil "
        "began to leak from the well a mile below the surface.",
    ),
    (
        "b",
        "2010-04-22",
        "Eleven workers are missing after the Deepwater Horizon rig exploded on April 20 in "
        "the Gulf of Mexico.\n\nCoast Guard boats searched the waters around the burning rig "
        "for the missing workers through the night.",
    ),
    (
        "c",
        "2010-05-28",
        "BP said on May 26 it had started the top kill attempt to plug the leaking well with "
        "heavy drilling mud.\n\nEngineers pumped mud into the well for three days before the "
        "company said the attempt had failed.",
    ),
    (
        "d",
        "2010-07-16",
        "BP said on July 15 that a new cap had stopped the oil flowing from the well for the "
        "first time since April.\n\nThe cap will be tested over the next two days while "
        "engineers watch the pressure in the well.",
    ),
]


def test_key_dates_of_a_long_story_cite_what_happened_that_day():
    articles = [_article(*item) for item in STORY]
    chosen = key_dates(articles, 3, 1)
    days = [k.date for k in chosen]
    assert days == sorted(days) and len(days) == 3
    assert "2010-04-20" in days  # stated by two articles
    blast = next(k for k in chosen if k.date == "2010-04-20")
    assert "exploded" in blast.sentences[0].text
    cited = {c.article_id for c in blast.sentences[0].citations}
    assert cited == {articles[0].id, articles[1].id}  # both outlets say it
    texts = {a.id: a.text for a in articles}
    for key_date in chosen:
        for sentence in key_date.sentences:
            first = sentence.citations[0]  # the wording shown is its first citation's
            assert texts[first.article_id][first.start : first.end] == sentence.text


def test_a_day_later_reports_look_back_to_outranks_one_only_announced():
    # Three articles of May 4 announce a vote on May 5; two articles of June look back to the
    # fire of April 20. Counted plainly, May 4 and 5 (three articles each) beat April 20 (two);
    # a day that later reports recall counts each of them double.
    vote = (
        "The council will vote on May 5 on the plan to rebuild the old mill by the river.\n\n"
        "Members said the vote on May 5 would settle an argument that has lasted {} weeks."
    )
    fire = (
        "The fire of April 20 destroyed the old mill on the river and its storehouse.\n\n"
        "Since April 20 the town has argued for {} weeks about rebuilding the mill."
    )
    articles = [_article(f"v{n}", "2010-05-04", vote.format(n + 2)) for n in range(3)]
    articles += [_article(f"f{n}", f"2010-06-1{n}", fire.format(n + 7)) for n in range(2)]
    assert [k.date for k in key_dates(articles, 1, 1)] == ["2010-04-20"]


def test_a_day_is_told_by_what_the_story_is_about_not_by_an_aside():
    # May 3 has two sentences, equally like the day's; the story is about the mill fire
    day = _article(
        "d",
        "2010-05-03",
        "The owner bought a red car for his daughter on Monday, May 3, in the next town.\n\n"
        "The fire destroyed the old mill by the river on Monday, May 3, before dawn.",
    )
    later = [
        _article(
            f"f{n}",
            f"2010-06-1{n}",
            f"Since the fire in the spring the town has argued for {n + 7} weeks about the old "
            "mill by the river.\n\nThe mill by the river burned down before dawn after the "
            "fire spread.",
        )
        for n in range(2)
    ]
    chosen = key_dates([day, *later], 1, 1)
    assert [k.date for k in chosen] == ["2010-05-03"]
    assert "fire destroyed the old mill" in chosen[0].sentences[0].text


def test_budget_follows_the_span():
    articles = [_article(*item) for item in STORY]
    assert key_date_budget(articles[:2], 14, 1.0, 30) == 0  # two days: no key dates
    assert key_date_budget(articles, 14, 1.0, 30) == 13  # 86 days, one a week
    assert key_date_budget(articles, 14, 1.0, 5) == 5
    story = assemble_story("s", articles, None, Settings(key_dates_per_week=0.5))
    assert 3 <= len(story.key_dates) <= 7  # ceil(86 / 7 * 0.5) = 7, as many days as stated
    assert not assemble_story("s", articles[:2], None, Settings()).key_dates


def test_rouge_counts_stem_and_drop_stop_words():
    # "The leaks were stopped" vs "leak stopped": the, were dropped; leaks -> leak
    assert rouge_counts(["The leaks were stopped ."], ["leak stopped"], 1) == (2, 2, 2)
    assert rouge_counts(["The leaks were stopped ."], ["leak stopped"], 2) == (1, 1, 1)


def test_alignment_rouge_by_hand():
    reference = {date(2010, 4, 20): ["rig exploded killing workers"]}
    same_day = {date(2010, 4, 20): ["rig exploded killing workers"]}
    assert alignment_rouge(same_day, reference, 1)["f1"] == pytest.approx(1.0)
    # one day off: the overlap counts half (1 / (1 + 1))
    day_off = {date(2010, 4, 21): ["rig exploded killing workers"]}
    assert alignment_rouge(day_off, reference, 1)["f1"] == pytest.approx(0.5)
    # two predicted days map to the one reference day (many to one); the unrelated one
    # shares nothing, so precision halves and recall stays whole
    two = {date(2010, 4, 20): ["rig exploded killing workers"], date(2010, 6, 1): ["cap works"]}
    scores = alignment_rouge(two, reference, 1)
    assert scores["precision"] == pytest.approx(4 / 6)
    assert scores["recall"] == pytest.approx(1.0)
    assert date_f1(two, reference) == pytest.approx(2 * 0.5 * 1 / 1.5)
    assert alignment_rouge({}, reference, 1)["f1"] == 0.0
