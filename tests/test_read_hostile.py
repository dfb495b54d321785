"""Readers against hostile and broken inputs: every bad input is one `Skipped` with a reason,
the good ones around it are read, and nothing raises."""

from __future__ import annotations

import errno
import gzip
import io
import json
import os

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse.config import Settings
from newsfuse.model import RawDocument, Skipped
from newsfuse.read import read_paths

from .conftest import FIXTURES

GOOD = "A real sentence about the talks in Geneva on Monday, said the minister."


def read_all(paths, settings=None):
    found = list(read_paths(paths, settings or Settings()))
    docs = [f for f in found if isinstance(f, RawDocument)]
    skipped = [f for f in found if isinstance(f, Skipped)]
    return docs, skipped


def test_deeply_nested_json_is_skipped_not_fatal(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000)
    (tmp_path / "deep.jsonl").write_text("[" * 100_000 + "\n" + json.dumps({"text": GOOD}) + "\n")
    (tmp_path / "good.txt").write_text(GOOD)
    docs, skipped = read_all([tmp_path])
    assert [d.content for d in docs] == [GOOD, GOOD]
    reasons = {s.source.rsplit("/", 1)[-1]: s.reason for s in skipped}
    assert reasons == {
        "deep.json": "invalid JSON (nested too deeply)",
        "deep.jsonl:1": "invalid JSON (nested too deeply)",
    }


def test_jsonl_keeps_unicode_line_separators_inside_strings(tmp_path):
    texts = [f"{GOOD}\u2028Second line.", f"{GOOD}\u2029x\x85y\x1cz\x1dw\x1e."]
    lines = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    (tmp_path / "a.jsonl").write_bytes(lines.encode())
    docs, skipped = read_all([tmp_path / "a.jsonl"])
    assert skipped == [] and [d.content for d in docs] == texts


def test_jsonl_is_streamed_past_the_file_limit_with_a_limit_per_record(tmp_path):
    records = [json.dumps({"text": f"{GOOD} Number {n}."}) for n in range(300)]
    huge = json.dumps({"text": "word " * 5000})
    path = tmp_path / "dump.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        fh.write("\n".join([*records[:150], huge, *records[150:]]) + "\n")
    settings = Settings(max_file_bytes=1000, max_record_bytes=10_000)
    docs, skipped = read_all([path], settings)
    assert len(docs) == 300 and docs[-1].content.endswith("Number 299.")
    assert [(s.source.rsplit("/", 1)[-1], s.reason) for s in skipped] == [
        ("dump.jsonl.gz:151", "record too large (over 10000 bytes)")
    ]


def test_lone_surrogates_in_json_become_replacement_characters(tmp_path):
    lines = [
        '{"text": "' + GOOD + ' \\ud800 end.", "title": "\\udfff"}',
        '{"text": "' + GOOD + ' \\uD800 end.", "title": "\\uDFFF \\u00e9"}',  # capitals
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    docs, _ = read_all([tmp_path / "a.jsonl"])
    assert [doc.title for doc in docs] == ["\ufffd", "\ufffd \u00e9"]
    for doc in docs:
        assert "\ufffd end." in doc.content
        doc.model_dump_json()  # serialisable


def _warc(records: list[tuple[str, bytes]], compress: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for url, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    return buffer.getvalue()


PAGE = gzip.decompress((FIXTURES / "page.html.gz").read_bytes())


def test_warc_record_cut_short_is_skipped_as_truncated(tmp_path, capfd):
    data = _warc([("https://a.example/1", PAGE), ("https://a.example/2", PAGE)], False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 2000])  # the second record loses its end
    docs, skipped = read_all([path])
    assert [d.url for d in docs] == ["https://a.example/1"]
    assert len(skipped) == 1 and "cut short" in skipped[0].reason
    assert skipped[0].source.endswith("#https://a.example/2")
    assert capfd.readouterr().err == ""  # warcio's own warnings are not printed


def test_truncated_warc_gz_says_so(tmp_path):
    data = _warc([("https://a.example/1", PAGE)], True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) // 2])
    docs, skipped = read_all([path])
    assert docs == [] and len(skipped) == 1
    assert "cut short" in skipped[0].reason or "truncated" in skipped[0].reason


def test_warc_is_streamed_past_the_file_limit(tmp_path):
    path = tmp_path / "big.warc.gz"
    path.write_bytes(_warc([(f"https://a.example/{n}", PAGE) for n in range(3)], True))
    docs, skipped = read_all([path], Settings(max_file_bytes=1000))
    assert skipped == [] and len(docs) == 3
    _, skipped = read_all([path], Settings(max_record_bytes=1000))
    assert [s.reason for s in skipped] == ["record too large (over 1000 bytes)"] * 3


def test_non_utf8_file_name_is_shown_escaped(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"bad\xffname.txt"), "wb") as fh:
        fh.write(GOOD.encode())
    [doc], skipped = read_all([tmp_path])
    assert skipped == [] and doc.source.endswith("bad\\xffname.txt")
    doc.model_dump_json()


def test_symlink_loop_broken_link_and_empty_folder(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "dangling").symlink_to(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.doc").write_text("not an input kind")
    (tmp_path / "cycle").mkdir()
    (tmp_path / "cycle" / "up").symlink_to(tmp_path / "cycle")
    (tmp_path / "cycle" / "a.txt").write_text(GOOD)
    docs, skipped = read_all(
        [tmp_path / "loop", tmp_path / "dangling", tmp_path / "empty", tmp_path / "cycle"]
    )
    reasons = {s.source.rsplit("/", 1)[-1]: s.reason for s in skipped}
    assert reasons["loop"] == "symlink loop"
    assert reasons["dangling"] == "broken symlink"
    assert reasons["empty"].startswith("no input files in it")
    assert reasons["up"] == "symlink loop"
    assert [d.content for d in docs] == [GOOD]


def test_unreadable_folder_is_skipped_and_the_rest_read(tmp_path, monkeypatch):
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_text(GOOD)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(GOOD)
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fsdecode(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    docs, skipped = read_all([tmp_path])
    assert len(docs) == 1 and docs[0].source.endswith("open/a.txt")
    assert [(s.source.rsplit("/", 1)[-1], s.reason) for s in skipped] == [
        ("locked", "permission denied")
    ]


def test_file_inside_an_unreadable_folder(tmp_path, monkeypatch):
    from pathlib import Path

    target = tmp_path / "locked" / "a.txt"
    real_stat = Path.stat

    def stat(self, *args, **kwargs):
        if self == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    docs, skipped = read_all([target])
    assert docs == [] and [s.reason for s in skipped] == ["permission denied"]
