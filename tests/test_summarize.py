from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from newsfuse.config import Settings
from newsfuse.model import Citation, SummarySentence
from newsfuse.pipeline import build_stories
from newsfuse.summarize import LLMError, extractive_summary, rewrite_summary


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
        claim = next(
            c
            for c in story.claims
            if sentence.text in [texts[x.article_id][x.start : x.end] for x in c.citations]
        )
        assert {c.article_id for c in sentence.citations} == set(claim.article_ids)


def test_budget_and_redundancy(story):
    short = extractive_summary(story.articles, story.claims, 40)
    assert sum(len(s.text.split()) for s in short) <= 45
    assert len({s.text for s in short}) == len(short)


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
