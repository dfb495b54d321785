"""The line rules: which lines of a page are the article and which are chrome (menus,
captions, bylines, comments, lists of teasers), each kind of noise by a small made-up page."""

from __future__ import annotations

import random

import pytest

from newsfuse.clean.line_rules import COMMENT_HEADING, classify_line, has_words, words
from newsfuse.clean.lines import _article_end, classify_lines, trim_edges
from newsfuse.clean.scripts import main_script

BRIDGE_STORY = [
    "The council voted on Tuesday to close the old bridge for repairs starting next month, "
    "after a long and heated meeting that ran late into the evening.",
    "Engineers found cracks in two of its supports during an inspection in the spring and "
    "warned that heavy lorries could make them worse within a year.",
    "Drivers will be sent over the northern crossing, which adds about ten minutes to most "
    "journeys into the centre, the council said in a statement.",
]


def test_line_classifier_general_signals():
    lines = [
        "Home / World / Europe",
        "Ministers meet in Vienna",
        "The foreign ministers met in Vienna on Thursday to discuss the crisis, officials said.",
        "Why it matters",
        "The meeting was the first in two years and lasted more than five hours, they added.",
        "Share this article",
        "Related",
        "Markets rally after rate decision",
        "Floods hit the coast",
        "Election results delayed",
    ]
    keep = [line.text for line in classify_lines(lines) if line.keep]
    assert keep == [lines[2], lines[3], lines[4]]


def test_far_prose_region_is_not_the_article():
    body = [
        f"Paragraph {n} of the report says the ministers met in Vienna and agreed on a plan."
        for n in range(6)
    ]
    gap = [f"Headline number {n}" for n in range(10)]
    comment = ["Great article, I totally agree with the author and will share it with friends."]
    keep = [line.text for line in classify_lines(body + gap + comment) if line.keep]
    assert keep == body


def test_trim_edges_keeps_inner_lines():
    lines = [
        "Share on Facebook",
        "The talks lasted five hours and ended without a joint statement, officials said.",
        "___",
        "A second round is planned for next month in Geneva, according to the ministry.",
        "© 2022 Example Media",
    ]
    assert trim_edges(lines)[1] == lines[1:4]


def _trim_edges_reading_every_line(texts: list[str]) -> list[str]:
    """What `trim_edges` keeps, by its rule applied to every line classified."""
    classified = classify_lines(texts)
    ended = _article_end(classified, (COMMENT_HEADING,))
    classified = classified[:ended] if ended is not None else classified
    good = [i for i, line in enumerate(classified) if line.label == "good"]
    if not good:
        return [line.text for line in classified if line.label != "bad"]
    return [
        line.text
        for i, line in enumerate(classified)
        if not (line.label == "bad" and (i < good[0] or i > good[-1]))
    ]


TRIM_PIECES = {
    "chrome": ["Share on Facebook", "© 2022 Example Media", "Photo: Reuters", "Image 3 of 12"],
    "short": ["Why it matters", "Ministers meet in Vienna"],
    "prose": BRIDGE_STORY,
    "brief": ["Officials said the bridge will reopen in May, after the repairs are done."],
    "comments": ["Comments (12)", "At 15:08 26th Apr 2009 , reader_1 wrote : I drive over it."],
}


@pytest.mark.parametrize("seed", range(40))
def test_trim_edges_reads_only_the_lines_that_decide_and_keeps_the_same(seed):
    """The lines it leaves unread cannot change what it keeps: the same texts as the rule
    applied to every line, on pages of chrome, prose and comments in any order (comments
    before and after enough prose to end the article)."""
    rng = random.Random(seed)
    texts = [
        rng.choice(TRIM_PIECES[kind])
        for kind in rng.choices(list(TRIM_PIECES), k=rng.randint(0, 14))
    ]
    head, kept = trim_edges(texts)
    assert kept == _trim_edges_reading_every_line(texts)
    good = [line.label for line in head].count("good")
    assert good <= 1 and (good == 1 or len(head) == len(texts))


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Image 3 of 12", "page or image counter"),
        ("Related: Floods hit the coast again", "teaser or navigation prefix"),
        ("Tuesday November 19, 2019", "date line"),
        ("Loading...", "placeholder ending in an ellipsis"),
        ("Tags: #nato #russia", "tag line"),
        ("Protesters gather outside parliament on Tuesday (Image: Getty)", "photo caption"),
        ("Rescue workers search the rubble. Photo credit: Jane Doe", "photo caption"),
        ("Image caption Rescue workers search the rubble", "photo caption"),
        ("Photo by Jane Doe", "photo caption"),
        ("Jane Doe - Nov 19, 2019, 10:31 pm CST", "byline or time stamp"),
        ("Updated Nov 19, 9:41 AM; Posted Nov 18, 8:19 PM", "byline or time stamp"),
        ("By Jane Doe | Example Media", "byline or time stamp"),
        (
            "Our desk answers on weekdays between nine and five: call 03-7619056, fax "
            "03-5613699 or write to desk@example.com with any question about your subscription.",
            "contact details",
        ),
        ("SUBSCRIBE TO OUR NEWSLETTER", "interface or legal boilerplate"),
        ("Newsletter: Kommentare und Werbung", "interface or legal boilerplate"),
        ("Voir les COMMENTAIRES", "interface or legal boilerplate"),
        ("Президент встретился с министром", "short line in another script (cyrillic)"),
        ("Write to desk@example.com", "link or address"),
    ],
)
def test_chrome_kinds(line, reason):
    assert classify_line(line, "LATIN") == ("bad", reason)


def test_comment_section_is_not_the_article():
    article = [
        "The council voted on Tuesday to close the old bridge for repairs starting next month.",
        "Engineers found cracks in two of its supports during an inspection in the spring.",
    ]
    comments = ["3 Comments", "jane_doe says:"] + [
        f"Comment {n}: I drive over that bridge every day and I think this is long overdue."
        for n in range(8)
    ]
    keep = [line.text for line in classify_lines(article + comments) if line.keep]
    assert keep == article


def test_reader_posts_headed_by_time_and_author_are_comments():
    article = [
        "The council voted on Tuesday to close the old bridge for repairs starting next month.",
        "Engineers found cracks in two of its supports during an inspection in the spring.",
        "At 10:30 on Monday the council's engineer said: the supports must be replaced.",
        "Costs rose 3.50 percent in a year, and the engineer Jane Smith wrote: it will not last.",
    ]
    posts = []
    for n in range(5):  # each post: its header line, then a line of its own prose
        posts.append(f"At 15:{n}8 26th Apr 2009 , reader_{n} wrote : I drive over it daily.")
        posts.append("I think this repair is long overdue and should have been done years ago.")
    keep = [line.text for line in classify_lines(article + posts) if line.keep]
    assert keep == article
    # a source's own text ("this is the article") may carry its page's comments too
    assert trim_edges(article + posts)[1] == article


def test_headline_glued_to_teaser_is_not_prose():
    glued = "Customers Leave Without Paying Bill At Local Steakhouse A party of six left early."
    assert classify_line(glued, "LATIN") == ("short", "headline glued to its teaser")
    sentence = "Berrien County Health Department officials said on Monday the victim had died."
    assert classify_line(sentence, "LATIN") == ("good", "prose")


def test_list_of_cards_loses_to_the_article():
    """Teasers of other stories, one per card between headline lines, outweigh a short article
    in words but are not it."""
    article = BRIDGE_STORY
    topics = ["harbour", "school", "election", "museum", "stadium", "airport", "library"]
    cards = []
    for topic in topics:
        cards += [
            f"Plans for the {topic} revealed",
            "Staff reporter",
            f"Residents were told on Monday that the new {topic} would open in two years "
            "after a long debate in the city council about its cost and its location.",
        ]
    lines = classify_lines([*article, "More stories", *cards])
    assert [line.text for line in lines if line.keep] == article
    assert sum(line.card for line in lines) == len(topics)


def test_unspaced_scripts_count_characters_as_words():
    line = "今回はそのデスクトップアプリに関する話で、設定を変更する方法を紹介します。"
    assert len(words(line)) > 30
    assert classify_line(line, "CJK") == ("good", "prose")


def test_paragraph_printed_twice_is_not_the_article():
    notice = (
        "Quotes delayed at least 15 minutes. Market data provided by a vendor, fundamentals by "
        "another vendor, and estimates by a third one, under their terms and conditions."
    )
    article = [
        "The retailer earned 2.8 billion dollars in the third quarter, as revenue rose slightly.",
        "Its shares fell five percent before the opening bell after sales missed estimates.",
    ]
    links = [f"Section {n}" for n in range(10)]
    lines = [notice, *links, *article, *links, notice]
    assert [line.text for line in classify_lines(lines) if line.keep] == article


def test_prose_after_the_copyright_notice_is_not_the_article():
    """A site's legal text (a sign-up dialog's terms) printed after its copyright notice is
    longer prose than the article, but the page ended at the notice."""
    article = BRIDGE_STORY
    footer = ["About us", "Contact", "© 2019 Example Media Group. All rights reserved."]
    terms = [
        f"Rule {n}: users agree that their data may be processed for the purposes stated in "
        "the policy, and that messages breaking these rules may be removed without notice."
        for n in range(6)
    ]
    keep = [line.text for line in classify_lines(article + footer + terms) if line.keep]
    assert keep == article


@pytest.mark.parametrize(
    ("line", "notice"),
    [
        ("© 2019 Example Media Group", True),
        ("Copyright © 2005-2019 Example Media", True),
        ("© Copyright Example Press 2018", True),
        ("Todos os direitos reservados.", True),
        ("© Jane Doe Protesters outside the court in Springfield on May 18, 2018.", False),
        ("© Reuters", False),
    ],
)
def test_copyright_notice_is_told_from_a_photo_credit(line, notice):
    assert (classify_line(line, "LATIN")[1] == "copyright notice") is notice


def test_list_introduced_by_a_sentence_is_kept():
    intro = "The final standings of the season after all thirty-six races were these:"
    table = [f"{n} Driver Number{n} {5000 - n * 40} {n % 3} {n % 5}" for n in range(1, 16)]
    lines = [
        "Home",
        "Standings",
        "This page always shows the current standings of the championship after each race.",
        intro,
        *table,
        "Share this on WhatsApp",
        *[f"Teaser headline number {n}" for n in range(6)],
    ]
    keep = [line.text for line in classify_lines(lines) if line.keep]
    assert keep == [lines[2], intro, *table]


def test_short_closing_sentence_is_kept():
    article = [
        "The council voted on Tuesday to close the old bridge for repairs starting next month.",
        "Engineers found cracks in two of its supports during an inspection in the spring.",
        "The mayor denied any delay.",
    ]
    lines = [*article, "Most read", "Plans for the harbour revealed", "Staff reporter"]
    assert [line.text for line in classify_lines(lines) if line.keep] == article


def test_sentence_ending_in_an_emoji_is_prose():
    line = "Visitors who booked their tickets online have left their reviews of the show! 🙂"
    assert classify_line(line, "LATIN") == ("good", "prose")


def test_quotes_with_their_sources_are_not_a_list_of_cards():
    """Readers' reviews quoted one by one, each followed by "– Name", look like cards (prose
    alone between short lines) but are the article."""
    reviews = []
    for n in range(6):
        reviews += [
            f"“Review {n}: the show was really great and the actors were very talented, we "
            "enjoyed every minute of it and would recommend it to friends.”",
            f"– Visitor {n}",
        ]
    lines = classify_lines(["Reviews", "Contact us", *reviews, "Share on Facebook"])
    assert not any(line.card for line in lines)
    assert [line.text for line in lines if line.keep] == reviews


def test_unspaced_headline_without_sentence_end_is_not_prose():
    """Counting a word per character makes a long Japanese headline as long as a paragraph;
    only a sentence ending makes it prose."""
    headline = "新しいスマートフォンの設定を変更して電池の持ちを長くするための簡単な方法まとめ"
    assert classify_line(headline, "CJK")[0] == "short"
    assert classify_line(headline + "を紹介します。", "CJK") == ("good", "prose")


def test_japanese_kana_and_han_are_one_writing_system():
    assert main_script("商標権侵害と判断される場合があります。") == "CJK"
    assert main_script("スマートフォン") == "CJK"


def test_author_bio_after_an_about_heading_is_not_the_article():
    article = [
        "The council voted on Tuesday to close the old bridge for repairs starting next month.",
        "Engineers found cracks in two of its supports during an inspection in the spring.",
    ]
    bio = [
        "About Jane Doe",
        "Jane Doe has covered city hall for the paper since 2009 and writes a weekly column "
        "about transport, housing and the people who run the city.",
    ]
    assert [line.text for line in classify_lines(article + bio) if line.keep] == article


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("About Us", True),
        ("ABOUT THE AUTHOR", True),
        ("Über Jane Doe", True),
        ("About this rating", False),
        ("about mobile apps", False),
        ("About the study", False),
    ],
)
def test_about_headings(line, heading):
    assert (classify_line(line, "LATIN") == ("bad", "about heading")) is heading


def test_table_after_the_last_paragraph_is_kept():
    article = [
        "The band will tour North America next summer to celebrate fifty years on the road.",
        "Tickets go on sale to the general public on Friday at ten in the morning, local time.",
    ]
    table = [
        f"{month} {day} – {city}, {state} @ {venue} Arena"
        for month, day, city, state, venue in [
            ("June", 9, "Tampa", "FL", "Bay"),
            ("June", 14, "Atlanta", "GA", "Peach"),
            ("July", 2, "Boston", "MA", "Harbor"),
            ("July", 19, "Toronto", "ON", "Lake"),
            ("August", 30, "Denver", "CO", "Mountain"),
        ]
    ]
    related = ["Trending", "Singer announces new album 2", "Band splits after 30 years 3"]
    lines = classify_lines([*article, "Tour dates", *table, *related])
    assert [line.text for line in lines if line.keep] == [*article, "Tour dates", *table]


def test_related_headlines_with_times_are_not_a_table():
    article = [
        "The band will tour North America next summer to celebrate fifty years on the road.",
        "Tickets go on sale to the general public on Friday at ten in the morning, local time.",
    ]
    related = []
    for n in range(5):
        related += [f"Another story about music number {n}", f"11/20/2019 0{n}:14 PM"]
    lines = classify_lines([*article, *related])
    assert [line.text for line in lines if line.keep] == article


def test_interview_turns_after_the_last_paragraph_are_kept():
    interview = [
        "Q: What did you learn in your first year as the head of the company?",
        "A: That listening to the people who do the work matters more than any plan we write.",
        "Q: What is next for the business, now that the market has changed so much?",
        "A: We are moving our subscriptions to the next level with a new offer for everyone.",
        "Q: Favourite book?",
        "A: A short history of nearly everything",
        "Q: Favourite city?",
        "A: Lisbon",
    ]
    lines = classify_lines([*interview, "Share", "Most read", "Plans for the harbour revealed"])
    assert [line.text for line in lines if line.keep] == interview


@pytest.mark.parametrize(
    "line",
    ["By Monday the strike had ended.", "The vote starts at 10:30 on Nov 19, the council said."],
)
def test_sentences_with_times_or_by_are_not_bylines(line):
    assert classify_line(line, "LATIN")[0] != "bad"


@pytest.mark.parametrize(
    ("text", "n", "expected"),
    [
        ("one two three four five", 5, True),
        ("one two three four", 5, False),
        ("one, two; 3 4 five six", 5, False),  # numbers are no words
        ("東京で地震", 5, True),  # a word per Han or kana character
        ("", 1, False),
        ("word " * 10_000, 5, True),
    ],
)
def test_has_words_agrees_with_counting_them(text, n, expected):
    assert has_words(text, n) is expected
    assert has_words(text, n) is (len(words(text)) >= n)
