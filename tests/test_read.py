from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse.config import JsonFields, Settings
from newsfuse.model import RawDocument, Skipped
from newsfuse.read import read_paths

from .conftest import EXAMPLES, FIXTURES


def read_all(paths, settings=None):
    found = list(read_paths(paths, settings or Settings()))
    docs = [f for f in found if isinstance(f, RawDocument)]
    skipped = [f for f in found if isinstance(f, Skipped)]
    return docs, skipped


def test_folder_reads_known_files_in_order():
    docs, skipped = read_all([EXAMPLES])
    assert skipped == []
    assert [Path(d.source).name for d in docs] == sorted(p.name for p in EXAMPLES.glob("*.txt"))
    assert all(d.kind == "text" for d in docs)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary file (a PNG image)"),
        ("nul.txt", b"abc\x00\x01\x02def" * 50, "binary file (contains NUL bytes)"),
        ("noise.txt", bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x01, 0x02, 0x03]) * 300, "undecodable"),
    ],
)
def test_bad_files_are_skipped_with_reason(tmp_path, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("A real sentence about the talks in Geneva on Monday, said the minister.")
    docs, skipped = read_all([bad, good])
    assert [d.source for d in docs] == [str(good)]
    assert len(skipped) == 1 and skipped[0].source == str(bad)
    assert reason in skipped[0].reason


def test_missing_and_huge_files(tmp_path):
    huge = tmp_path / "huge.txt"
    huge.write_text("word " * 1000)
    docs, skipped = read_all([tmp_path / "missing.txt", huge], Settings(max_file_bytes=100))
    assert docs == []
    reasons = {Path(s.source).name: s.reason for s in skipped}
    assert reasons["missing.txt"] == "no such file"
    assert reasons["huge.txt"].startswith("too large (5000 bytes, limit 100)")


def test_unreadable_file(tmp_path, monkeypatch):
    locked = tmp_path / "locked.txt"
    locked.write_text("text")
    original = Path.open

    def deny(self, *args, **kwargs):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    _, skipped = read_all([locked])
    assert skipped[0].reason == "permission denied"


def test_detects_legacy_encoding(tmp_path):
    text = "Генеральный секретарь НАТО заявил, что переговоры с Россией были непростыми. " * 5
    path = tmp_path / "ru.txt"
    path.write_bytes(text.encode("cp1251"))
    docs, _ = read_all([path])
    assert docs[0].content.strip() == text.strip()


def test_gzipped_html(tmp_path):
    docs, skipped = read_all([FIXTURES / "page.html.gz"])
    assert skipped == [] and docs[0].kind == "html" and "<html" in docs[0].content.lower()


def test_json_and_jsonl_with_configured_fields(tmp_path):
    records = [
        {"body_text": "First article text here.", "headline": "One", "link": "https://a.example/1"},
        {"body_text": "Second article text here.", "headline": "Two"},
        {"nothing": 1},
    ]
    (tmp_path / "a.json").write_text(json.dumps({"items": records}))
    lines = "\n".join(json.dumps(r) for r in records) + "\n{broken\n"
    (tmp_path / "b.jsonl").write_text(lines)
    settings = Settings(json_fields=JsonFields(text=["body_text"]))
    docs, skipped = read_all([tmp_path], settings)
    assert [d.title for d in docs] == ["One", "Two", "One", "Two"]
    assert docs[0].url == "https://a.example/1"
    assert {s.source.rsplit("/", 1)[-1] for s in skipped} == {"a.json#3", "b.jsonl:3", "b.jsonl:4"}


def test_rss_feed_entries(tmp_path):
    feed = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
    <item><title>Talks end</title><link>https://wire.example/talks</link>
    <pubDate>Wed, 12 Jan 2022 17:20:00 +0200</pubDate>
    <description>&lt;p&gt;The talks ended in Brussels on Wednesday.&lt;/p&gt;</description></item>
    <item><title>Empty</title></item>
    </channel></rss>"""
    (tmp_path / "feed.rss").write_text(feed)
    docs, skipped = read_all([tmp_path / "feed.rss"])
    assert docs[0].title == "Talks end" and docs[0].outlet == "Example Wire"
    assert docs[0].published == "Wed, 12 Jan 2022 17:20:00 +0200"
    assert "Brussels" in docs[0].content
    assert len(skipped) == 1 and "no content" in skipped[0].reason


def test_warc_html_responses(tmp_path):
    html = gzip.decompress((FIXTURES / "page.html.gz").read_bytes())
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://news.example/a", "response", payload=io.BytesIO(html), http_headers=headers
        )
    )
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(buffer.getvalue())
    docs, skipped = read_all([path])
    assert skipped == [] and len(docs) == 1
    assert docs[0].url == "https://news.example/a" and docs[0].kind == "html"


def test_broken_warc(tmp_path):
    path = tmp_path / "bad.warc"
    path.write_text("this is not a warc archive at all\n" * 10)
    _, skipped = read_all([path])
    assert skipped and "WARC" in skipped[0].reason


def test_stdin(monkeypatch):
    class FakeStdin:
        buffer = io.BytesIO(b"<html><body><p>Text from a pipe.</p></body></html>")

    monkeypatch.setattr("sys.stdin", FakeStdin)
    docs, skipped = read_all(["-"])
    assert skipped == [] and docs[0].source == "<stdin>" and docs[0].kind == "html"
