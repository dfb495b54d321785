"""A long story's report reads a bounded, spread selection of its members."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsfuse.analyze.selection import members_to_analyse, spread
from newsfuse.config import Settings
from newsfuse.pipeline import assemble_story


def test_spread_keeps_ends_and_order():
    assert spread(10, 3) == [0, 4, 9]
    assert spread(4, 10) == [0, 1, 2, 3]
    assert spread(5, 1) == [0] and spread(5, 0) == []
    picked = spread(1000, 37)
    assert len(picked) == 37 and picked == sorted(picked) and picked[-1] == 999


UNDATED = datetime(2022, 1, 12, tzinfo=UTC)


def _long_story(articles, days):
    """The sample's five articles again every day (ids and dates moved), the repeats marked
    as copies of the first day's."""
    members = []
    for day in range(days):
        for a in articles:
            members.append(
                a.model_copy(
                    update={
                        "id": f"{a.id[:20]}-{day:03d}",
                        "published_at": (a.published_at or UNDATED) + timedelta(days=day),
                        "duplicate_of": None if day == 0 else f"{a.id[:20]}-000",
                    }
                )
            )
    return members


def test_originals_first_then_copies_spread_over_the_span(sample_report):
    members = _long_story(sample_report.stories[0].articles, 30)  # 150: 5 originals
    ordered = sorted(members, key=lambda a: (a.published_at, a.id))
    chosen = members_to_analyse(ordered, 25)
    assert len(chosen) == 25 and chosen == sorted(chosen, key=lambda a: (a.published_at, a.id))
    assert sum(a.duplicate_of is None for a in chosen) == 5  # every original
    days = {a.published_at.date() for a in chosen}
    assert min(days) == ordered[0].published_at.date()
    assert max(days) == ordered[-1].published_at.date()  # the span's end is read too
    assert members_to_analyse(ordered[:20], 25) == ordered[:20]


def test_report_of_a_long_story_is_drawn_from_the_selection(sample_report):
    members = _long_story(sample_report.stories[0].articles, 6)  # 30 articles
    story = assemble_story("s", members, None, Settings(report_max_articles=12))
    assert story.coverage.articles == len(story.articles) == 30  # every member listed, counted
    assert story.coverage.analysed_articles == 12
    cited = {c.article_id for claim in story.claims for c in claim.citations}
    cited |= {c.article_id for s in story.summary for c in s.citations}
    assert cited and len(cited) <= 12
    whole = assemble_story("s", members, None, Settings())
    assert whole.coverage.analysed_articles is None  # under the limit: all read
    assert len({c.article_id for claim in whole.claims for c in claim.citations}) > 12


def test_a_long_story_in_the_store_reads_only_the_selections_texts(tmp_path, sample_report):
    from newsfuse.ingest import StoreGrouper, ingest_articles, refresh_reports
    from newsfuse.store import Store

    members = _long_story(sample_report.stories[0].articles, 6)
    settings = Settings(report_max_articles=12)
    with Store(f"sqlite:///{tmp_path / 's.db'}") as store:
        ingest_articles(store, members, StoreGrouper(store, settings), reports=False)
        [(_, story_id)] = store.stale_stories()
        listed, read = store.report_members(story_id, 12)
        assert len(listed) == len(members) and sum(bool(a.text) for a in listed) == 12
        assert all(a.text for a in read) and len(read) == 12
        everyone = store.members([story_id])[story_id]
        assert store.report_members(story_id, 30) == (everyone, everyone)
        budget = sum(len(a.text) for a in everyone) // 3
        listed, read = store.report_members(story_id, 30, budget)
        assert len(listed) == 30 and read == [a for a in listed if a.text]
        assert 0 < len(read) < 30 and sum(len(a.text) for a in read) <= budget
        assert refresh_reports(store, settings) == 1
        stored = store.story(story_id)
        whole = assemble_story(story_id, store.members([story_id])[story_id], None, settings)
    assert stored is not None and stored.coverage.analysed_articles == 12
    assert (stored.claims, stored.summary, stored.quotes, stored.timeline) == (
        whole.claims,
        whole.summary,
        whole.quotes,
        whole.timeline,
    )
    assert stored.coverage.articles == whole.coverage.articles == 30


def test_an_untitled_long_storys_title_comes_from_an_article_with_text(sample_report):
    from newsfuse.summarize import story_title

    article = sample_report.stories[0].articles[0].model_copy(update={"title": None})
    stub = article.model_copy(update={"id": "stub", "text": "", "sentences": []})
    first = article.text[article.sentences[0].start : article.sentences[0].end]
    assert story_title([stub, article], None) == first


def test_a_story_of_long_pages_is_analysed_on_the_text_the_budget_holds(sample_report):
    members = _long_story(sample_report.stories[0].articles, 6)  # 30 articles, 5 originals
    ordered = sorted(members, key=lambda a: (a.published_at, a.id))
    chars = [len(a.text) for a in ordered]
    budget = sum(chars) // 3
    chosen = members_to_analyse(ordered, 1000, budget)
    assert sum(len(a.text) for a in chosen) <= budget < sum(len(a.text) for a in ordered)
    assert chosen == sorted(chosen, key=lambda a: (a.published_at, a.id))
    assert sum(a.duplicate_of is None for a in chosen) == 5  # originals before copies
    # one more article, chosen the same way, would not fit
    more = members_to_analyse(ordered, len(chosen) + 1)
    assert sum(len(a.text) for a in more) > budget
    assert members_to_analyse(ordered, 1000, sum(chars)) == ordered  # it fits: all read
    assert len(members_to_analyse(ordered, 1000, 1)) == 1  # always something to read

    setting = max(budget, 10_000)  # the setting's floor
    story = assemble_story("s", members, None, Settings(report_max_chars=setting))
    assert story.coverage.articles == 30
    assert story.coverage.analysed_articles == len(members_to_analyse(ordered, 1000, setting))
