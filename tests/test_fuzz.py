"""Property tests over the readers and the API with Hypothesis: random and hostile inputs
never raise, every bad input is one `skipped` entry with a reason, work per input is bounded
(a deadline per example catches a hang), and what was stored before is never lost.

Together these run 4,500 generated inputs; `derandomize` keeps every run the same.
NEWSFUSE_FUZZ_ROUNDS=N runs N times as many (a deeper search than the suite's time allows).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse.config import Settings
from newsfuse.model import RawDocument, Report, Skipped
from newsfuse.pipeline import clean_documents
from newsfuse.read import read_paths
from newsfuse.web import create_app

from .conftest import EXAMPLES

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=20),  # a hang, not a speed measure
    suppress_health_check=list(HealthCheck),
)
# the two properties took 200 s of a 10-minute suite at 6,000 and 4,500 examples on a slow day
ROUNDS = int(os.environ.get("NEWSFUSE_FUZZ_ROUNDS", "1"))
READER_EXAMPLES = 2500 * ROUNDS  # each example is one to three files
API_EXAMPLES = 2000 * ROUNDS
SENTENCE = "The minister said the talks in Geneva went well on Monday, and more would follow."
HOSTILE = [
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "[x](javascript:alert(1))",
    "& # 171;",
    "< p>",
    "\u2028",
    "\x00",
    "\udcff",
    "All rights reserved.",
    "\x1b[31m",
    "[/red]",
    "A" * 5000,
]
PLAIN = [
    "the",
    "minister",
    "said",
    "Geneva",
    "NATO",
    "«",
    "»",
    "“",
    "”",
    '"',
    ".",
    "Monday",
    "said:",
    "Stoltenberg",
    "%",
    "7",
]
words = st.sampled_from([*PLAIN, "\n", "\n\n", "12 January 2022", "according to", *HOSTILE])
texts = st.one_of(
    st.text(max_size=400),
    st.lists(words, max_size=120).map(" ".join),
    st.lists(st.sampled_from([SENTENCE, *HOSTILE]), max_size=12).map("\n".join),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | texts,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.sampled_from(["text", "html", "title", "url", "date", "outlet", "body", "x"]),
            inner,
            max_size=6,
        )
    ),
    max_leaves=20,
)


def _warc(payload: bytes, cut: int | None) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://a.example/x", "response", payload=io.BytesIO(payload), http_headers=headers
        )
    )
    data = buffer.getvalue()
    return data if cut is None else data[: max(0, len(data) - cut)]


file_contents = st.one_of(
    st.tuples(st.just(".txt"), st.binary(max_size=600)),
    st.tuples(st.just(".txt"), texts.map(lambda t: t.encode("utf-8", "surrogatepass"))),
    st.tuples(
        st.just(".html"),
        texts.map(lambda t: f"<html><body><p>{t}</p>".encode("utf-8", "surrogatepass")),
    ),
    st.tuples(st.just(".json"), json_values.map(lambda v: json.dumps(v).encode())),
    st.tuples(st.just(".json"), st.integers(1, 5000).map(lambda n: b"[" * n)),
    st.tuples(
        st.just(".jsonl"),
        st.lists(json_values.map(json.dumps), max_size=5).map(lambda ls: "\n".join(ls).encode()),
    ),
    st.tuples(st.just(".jsonl.gz"), st.binary(max_size=300)),
    st.tuples(
        st.just(".html.gz"), texts.map(lambda t: gzip.compress(t.encode("utf-8", "replace")))
    ),
    st.tuples(
        st.just(".rss"),
        texts.map(
            lambda t: (
                f"<rss><channel><item><description>{t}</description></item></channel></rss>".encode(
                    "utf-8", "replace"
                )
            )
        ),
    ),
    st.tuples(
        st.just(".warc"),
        st.tuples(texts, st.none() | st.integers(0, 400)).map(
            lambda tc: _warc(tc[0].encode("utf-8", "replace"), tc[1])
        ),
    ),
    st.tuples(st.just(".warc.gz"), st.binary(max_size=300)),
)
names = st.text(
    alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=20,
)


@settings(FUZZ, max_examples=READER_EXAMPLES)
@given(st.lists(st.tuples(names, file_contents), min_size=1, max_size=3))
def test_readers_and_cleaner_never_raise(files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        written = []
        for n, (name, (suffix, data)) in enumerate(files):
            path = folder / f"{n}-{name.replace('.', '_')}{suffix}"
            try:
                path.write_bytes(data)
            except OSError:  # a name the file system refuses
                continue
            written.append(path)
        found = list(read_paths([folder, folder / "missing.txt"], Settings()))
        documents = [f for f in found if isinstance(f, RawDocument)]
        skipped = [f for f in found if isinstance(f, Skipped)]
        articles, not_cleaned = clean_documents(documents, Settings())
        for item in skipped + not_cleaned:
            assert item.source and item.reason
        sources = [item.source for item in documents + skipped]
        for path in written:  # every input is either read or skipped with a reason
            assert any(
                source == str(path) or source.startswith((f"{path}#", f"{path}:"))
                for source in sources
            ), path
        assert [s.reason for s in skipped if s.source.endswith("missing.txt")] == ["no such file"]
        # and whatever came out can be written as the report contract
        Report(generator="fuzz", stories=[], skipped=skipped + not_cleaned).model_dump_json()
        for article in articles:
            article.model_dump_json()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'f.db'}"
    with TestClient(create_app(db)) as client:
        articles = [{"text": p.read_text()} for p in sorted(EXAMPLES.glob("*.txt"))]
        assert client.post("/api/articles", json=articles).json()["added"] == 5
        yield client
        # nothing stored before the fuzzing was lost
        stories = client.get("/api/stories").json()
        assert stories[0]["articles"] >= 5


api_bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "text": st.none() | texts,
                "html": st.none() | texts,
                "title": st.none() | texts,
                "url": st.none()
                | st.sampled_from(
                    ["https://a.example/1", "javascript:alert(1)", "http://", "x", " https://b"]
                ),
                "published": st.none()
                | st.sampled_from(
                    ["2022-01-12", "yesterday", "13 января 2022", "", "9999-99-99", "x" * 150]
                ),
                "outlet": st.none() | texts,
            },
        ),
        max_size=3,
    ).map(lambda v: json.dumps(v).encode()),
)


@settings(FUZZ, max_examples=API_EXAMPLES)
@given(body=api_bodies)
def test_api_answers_every_body_with_a_status_not_a_crash(client, body):
    response = client.post(
        "/api/articles", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code in (200, 413, 422), response.text
    answer = response.json()
    if response.status_code == 200:
        assert set(answer) == {"added", "already_stored", "skipped", "stories"}
    else:
        assert len(response.content) < 20_000  # never the input echoed back
