from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from newsfuse.analyze import analyze_story
from newsfuse.analyze.statements import sentence_refs
from newsfuse.clean import clean_document
from newsfuse.config import Settings
from newsfuse.model import Article, Citation, RawDocument, SummarySentence
from newsfuse.pipeline import build_stories
from newsfuse.summarize import LLMError, extractive_summary, rewrite_summary
from newsfuse.summarize.extractive import _CHROME, Candidate, _fill_budget


@pytest.fixture(scope="module")
def story(sample_report):
    return sample_report.stories[0]


def test_summary_is_extracted_and_cites_all_support(story):
    texts = {a.id: a.text for a in story.articles}
    assert story.summary
    words = sum(len(s.text.split()) for s in story.summary)
    assert words <= Settings().summary_words
    for sentence in story.summary:
        assert any(sentence.text in t for t in texts.values())  # nothing invented
        # a claim is aligned by statement; the summary quotes the whole sentence holding it
        claim = next(
            c
            for c in story.claims
            if any(texts[x.article_id][x.start : x.end] in sentence.text for x in c.citations)
        )
        assert {c.article_id for c in sentence.citations} == set(claim.article_ids)
        for citation in sentence.citations:  # each citation is a whole sentence
            article = next(a for a in story.articles if a.id == citation.article_id)
            assert (citation.start, citation.end) in {(s.start, s.end) for s in article.sentences}


def test_budget_and_redundancy(story):
    short = extractive_summary(story.articles, story.claims, 40)
    assert sum(len(s.text.split()) for s in short) <= 45
    assert len({s.text for s in short}) == len(short)


@pytest.mark.parametrize("budget", [25, 60, 120])
def test_no_sentence_longer_than_the_budget_when_a_shorter_one_fits(story, budget):
    """A quoted passage the splitter keeps whole (the sample holds one of 128 words) is not the
    summary on its own."""
    summary = extractive_summary(story.articles, story.claims, budget)
    assert summary
    assert sum(len(s.text.split()) for s in summary) <= budget


def _article(name: str, text: str, extracted: bool = False) -> Article:
    document = RawDocument(source=f"{name}.txt", kind="text", content=text, extracted=extracted)
    article = clean_document(document, Settings())
    assert isinstance(article, Article)
    return article


def _summary_texts(articles: list[Article], budget: int) -> list[str]:
    return [s.text for s in extractive_summary(articles, analyze_story(articles).claims, budget)]


def test_leaning_sentence_follows_its_antecedent_and_reader_text_is_left_out():
    first = _article(
        "a",
        "Flood waters forced thousands of residents of Riverton to leave their homes on "
        "Monday night.\n\n"
        "They were taken to shelters in schools and churches across the northern county.\n\n"
        "You can sign up for our daily newsletter to get the latest updates in your inbox.",
    )
    second = _article(
        "b",
        "Thousands of Riverton residents left their homes as flood waters rose on Monday "
        "night.\n\n"
        "Officials said the river would crest at nine metres on Tuesday morning in Riverton.",
    )
    articles = [first, second]
    claims = analyze_story(articles).claims
    summary = extractive_summary(articles, claims, 200)
    texts = [s.text for s in summary]
    leaning = next(i for i, s in enumerate(texts) if s.startswith("They were taken"))
    # right before it: a sentence stating its antecedent (in either outlet's words)
    assert leaning > 0
    assert (first.id, 0) in {(c.article_id, c.start) for c in summary[leaning - 1].citations}
    assert not any("newsletter" in s for s in texts)
    # with a budget that leaves no room for the antecedent, the leaning sentence is not chosen
    short = [s.text for s in extractive_summary(articles, claims, 16)]
    assert not any(s.startswith("They") for s in short)


def test_a_restatement_of_a_chosen_sentence_is_not_chosen_again():
    # a page that repeats a statement in other words (its own report and a copy of another
    # outlet's) states it twice; with room for everything the summary says it once
    first = _article(
        "a",
        "Stallone Flattered By Arts Idea\n\n"
        '"I am incredibly flattered to have been suggested for the National Endowment of the '
        'Arts," Stallone said in a statement late on Sunday.\n\n'
        "Advisers of the president-elect approached the actor last week about the job.\n\n"
        "\u201cI am incredibly flattered to have been suggested for the National Endowment of "
        "the Arts,\u201d he said in a written statement.",
    )
    second = _article(
        "b",
        "Actor Named In Arts Post Report\n\n"
        '"I am incredibly flattered to have been suggested for the National Endowment of the '
        'Arts," Stallone said in a statement on Sunday.\n\n'
        "The endowment funds theatres, orchestras and museums in every American state.",
    )
    texts = _summary_texts([first, second], 500)
    assert sum("incredibly flattered" in t for t in texts) == 1
    assert any(t.startswith("Advisers") for t in texts)
    assert any(t.startswith("The endowment") for t in texts)


def test_a_dateline_is_left_out_of_the_summary_sentence_but_not_of_its_citation():
    first = _article(
        "a",
        "WASHINGTON \u2014 Senate Republicans pushed a balanced-budget plan through the "
        "chamber early on Friday.\n\n"
        "The plan cuts spending on health care by a trillion dollars over the next ten years.",
    )
    second = _article(
        "b",
        "(CNN) Senate Republicans pushed a balanced-budget plan through the chamber early on "
        "Friday morning.\n\n"
        "The European Union (EU) Foreign Affairs Council said the cuts would hurt its aid "
        "programmes.",
    )
    articles = [first, second]
    summary = extractive_summary(articles, analyze_story(articles).claims, 200)
    texts = [s.text for s in summary]
    lead = next(s for s in summary if s.text.startswith("Senate Republicans pushed"))
    assert {(c.article_id, c.start) for c in lead.citations} == {(first.id, 0), (second.id, 0)}
    assert not any("WASHINGTON" in t or "CNN" in t for t in texts)
    # a name with its initials in brackets is not a dateline
    assert any(t.startswith("The European Union (EU) Foreign") for t in texts)


def _candidate(
    name: str, words: int, score: float, term: str, antecedent: tuple[str, int] | None = None
) -> Candidate:
    text = " ".join([name] * (words - 1) + ["end."])
    citation = Citation(article_id=name, start=0, end=len(text))
    return Candidate([citation], citation, text, {term: 1.0}, score, "2022-01-01", {}, antecedent)


def test_unused_words_go_to_a_longer_sentence_that_scores_nearly_as_well():
    lead = _candidate("lead", 10, 2.0, "a")
    short = _candidate("short", 8, 1.0, "b")
    longer = _candidate("longer", 12, 0.95, "c")
    much_worse = _candidate("worse", 13, 0.5, "d")  # fills more, says much less
    restating = _candidate("restating", 13, 1.0, "a")  # the lead in other words
    chosen = [lead, short]
    _fill_budget(chosen, [lead, restating, short, longer, much_worse], 23)
    assert chosen == [lead, longer]


def test_a_sentence_another_one_leans_on_is_not_swapped():
    lead = _candidate("lead", 10, 2.0, "a")
    follower = _candidate("follower", 8, 1.0, "b", antecedent=("lead", 0))
    longer_lead = _candidate("other", 14, 1.98, "c")
    chosen = [lead, follower]
    _fill_budget(chosen, [lead, longer_lead, follower], 23)
    assert chosen == [lead, follower]


def test_photo_captions_and_widgets_are_not_summary_sentences():
    # a caption names the story's subject and its words as well as any sentence does
    first = _article(
        "a",
        "Senator Resigns Over Ethics Report\n\n"
        "FILE - In this May 24, 2016, file photo, Senator Ann Holt speaks on Capitol Hill in "
        "Washington during a hearing of the ethics committee.\n\n"
        "Senator Ann Holt resigned on Tuesday after the ethics committee found she had misused "
        "campaign funds.",
    )
    second = _article(
        "b",
        "Holt Quits Senate\n\n"
        "CLOSE Senator Ann Holt speaks on Capitol Hill about the ethics committee hearing.\n\n"
        "Ann Holt left the Senate on Tuesday, a week after the ethics committee report on her "
        "campaign funds.",
    )
    third = _article(  # a caption that ends in its place and full date
        "c",
        "Senator Ann Holt speaks about the ethics committee report on her campaign funds in "
        "Washington, Tuesday, May 24, 2016.\n\n"
        "Senator Ann Holt resigned after the ethics committee found she misused campaign funds."
        "\n\nFor the ethics committee report on Senator Ann Holt's campaign funds, click here.",
    )
    texts = _summary_texts([first, second, third], 40)
    assert texts and not any(t.startswith(("FILE", "CLOSE")) for t in texts)
    assert not any(t.endswith("2016.") or "click here" in t for t in texts), texts


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("In this June 21, 2018, photo, Speaker Paul Ryan arrives for a news conference.", True),
        (
            "A woman lays flowers at a school in San Bernardino, Calif., Tuesday, April 11, 2017.",
            True,
        ),
        ("Ueli Steck speaks to the media at a hotel in Kathmandu, Nepal May 30, 2016.", True),
        ("Hide Caption 1 of 6 Photos: Sinking of the Musashi A battleship under attack.", True),
        ("For a full recap of the night's big winners, click here.", True),
        ("Join the conversation and don't forget to follow us on Twitter.", True),
        ("#RIPPRODIGY ---------------------- Mobb Deep is my favorite rap group.", True),
        ("Email This Even at 88, Betty White has the ambition of a 20-something!", True),
        ("The new law takes effect on January 1, 2020.", False),
        ("The treaty was signed Oct. 1, 1953.", False),
        ("People who read more books sleep better, the study found.", False),
        ("Photographers followed us on the way to the court.", False),
    ],
)
def test_page_chrome_is_told_from_sentences(line: str, chrome: bool) -> None:
    assert bool(_CHROME.search(line)) is chrome


def test_headlines_captions_and_cut_off_lines_are_not_summary_sentences():
    # each names the story's subject in its words as well as any sentence does, but ends in
    # no stop: a related link's headline, a caption, a lead-in to a list, a line cut short,
    # a teaser cut at an ellipsis
    first = _article(
        "a",
        "Flood waters forced thousands of residents of Riverton to leave their homes on "
        "Monday night.\n\n"
        "Riverton Residents Flee Rising Flood Waters As River Bursts Its Banks\n\n"
        "Officials said the river would crest at nine metres in Riverton on Tuesday morning."
        "\n\nSchools in the lower town stayed closed while the water rose through the night."
        "\n\nVolunteers filled sandbags beside the old bridge until the police closed it.",
    )
    second = _article(
        "b",
        "Thousands of Riverton residents left their homes as flood waters rose on Monday "
        "night.\n\n"
        "The mayor asked the national government for soldiers to build flood barriers.\n\n"
        "Forecasters expect more rain over the valley before the end of the week.\n\n"
        "Riverton residents were told to expect more evacuations as the river rose past...\n\n"
        "Riverton residents wade through flood waters near the town hall on Monday night\n\n"
        "The river would crest at nine metres on Tuesday, officials in Riverton said:\n\n"
        "Shelters opened in schools across Riverton as thousands of residents left homes and",
    )
    articles = [first, second]
    texts = _summary_texts(articles, 500)
    assert texts
    assert all(t.endswith(".") and not t.endswith("...") for t in texts), texts
    # a language that writes no stops keeps its sentences: the rule needs stops to be usual
    bare = [_article(a.id, a.text.replace(".", ""), extracted=True) for a in articles]
    assert extractive_summary(bare, analyze_story(bare).claims, 500)


def test_a_pronoun_subject_after_an_opening_phrase_waits_for_its_antecedent():
    first = _article(
        "a",
        "Mayor Ann Holt of Riverton ordered the evacuation of the riverside districts on "
        "Monday night.\n\n"
        "On Tuesday, she asked the national government for soldiers to build flood barriers.",
    )
    second = _article(
        "b",
        "Riverton's mayor ordered families in the riverside districts to leave their homes on "
        "Monday night.\n\n"
        "Forecasters expect more rain over the valley before the end of the week.",
    )
    texts = _summary_texts([first, second], 200)
    leaning = next(i for i, t in enumerate(texts) if t.startswith("On Tuesday, she"))
    assert leaning > 0 and texts[leaning - 1].startswith("Mayor Ann Holt")
    short = _summary_texts([first, second], 14)
    assert not any(t.startswith("On Tuesday, she") for t in short)


def test_statements_of_a_quoted_passage_align_with_other_outlets():
    passage = (
        '"This meeting took place at a defining moment for European security. This was not '
        "an easy discussion. There are significant differences between the allies and Russia "
        'on these issues," Secretary General Jens Stoltenberg told reporters in Brussels.'
    )
    quoted = _article("a", passage)
    short = _article(
        "b",
        "Stoltenberg said there are significant differences between the allies and Russia on "
        "these issues.",
    )
    statements = [r.text for r in sentence_refs(quoted, 3, statements=True)]
    assert statements[1] == "This was not an easy discussion."
    assert len(statements) == 3
    initials = _article(
        "c",
        '"We met Dr. Jane Doe and J. Smith of the U.S. delegation at the talks in Geneva on '
        'Monday. Both of them agreed to meet again," the envoy said after the meeting.',
    )
    assert [r.text[:9] for r in sentence_refs(initials, 3, statements=True)] == [
        '"We met D',
        "Both of t",
    ]
    claims = analyze_story([quoted, short]).claims
    shared = next(c for c in claims if len(c.article_ids) == 2)
    cited = [quoted.text[x.start : x.end] for x in shared.citations if x.article_id == quoted.id]
    assert cited == [
        'There are significant differences between the allies and Russia on these issues," '
        "Secretary General Jens Stoltenberg told reporters in Brussels."
    ]
    # the summary quotes whole sentences, never a statement cut out of its quotation marks
    summary = [s.text for s in extractive_summary([quoted, short], claims, 120)]
    assert summary
    assert "This was not an easy discussion." not in summary
    assert set(summary) <= {passage, short.text}


class _FakeLLM(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict]] = []
    reply = ""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _FakeLLM.requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
        )
        answer = {"choices": [{"message": {"role": "assistant", "content": _FakeLLM.reply}}]}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def llm_server():
    server = HTTPServer(("127.0.0.1", 0), _FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FakeLLM.requests = []
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


def test_abstractive_contract_and_grounding(llm_server):
    selected = [
        SummarySentence(
            text="NATO and Russia held talks in Brussels on Wednesday.",
            citations=[Citation(article_id="a", start=0, end=10)],
        ),
        SummarySentence(
            text="The allies rejected Russia's demand to close NATO's open door.",
            citations=[Citation(article_id="b", start=5, end=40)],
        ),
    ]
    _FakeLLM.reply = (
        "NATO and Russia held talks in Brussels on Wednesday [1]. "
        "Aliens landed near the summit and signed a peace treaty [2]. "
        "The allies rejected Russia's demand about the open door."
    )
    kept = rewrite_summary(selected, base_url=llm_server, model="tiny", api_key="k", words=50)
    request = _FakeLLM.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer k"
    assert (
        request["body"]["model"] == "tiny" and "[2]" in request["body"]["messages"][-1]["content"]
    )
    assert [s.text for s in kept] == [
        "NATO and Russia held talks in Brussels on Wednesday.",
        "The allies rejected Russia's demand about the open door.",
    ]
    assert kept[0].citations == selected[0].citations  # cited [1]
    assert kept[1].citations == selected[1].citations  # traced back to [2]


def test_abstractive_needs_configuration(story):
    settings = Settings(summary_mode="abstractive")
    with pytest.raises(LLMError):
        build_stories(story.articles, settings)


def test_unreachable_endpoint_is_a_clear_error():
    selected = [SummarySentence(text="Talks were held in Brussels on Wednesday.", citations=[])]
    with pytest.raises(LLMError, match="failed"):
        rewrite_summary(selected, base_url="http://127.0.0.1:9/v1", model="m", timeout=2)
