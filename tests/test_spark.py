"""The Spark run (pyspark in local mode, Java 17) gives what `newsfuse run` gives: the same
stories, the same reports, the same skipped inputs; a retried task adds nothing twice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsfuse import fuse
from newsfuse.config import Settings
from newsfuse.model import Report

from .conftest import EXAMPLES, ROOT

pytest.importorskip("pyspark", reason="the spark extra is not installed")
if shutil.which("java") is None:
    pytest.skip(
        "no Java runtime (apt-get install openjdk-17-jre-headless)", allow_module_level=True
    )

ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus.jsonl"


@pytest.fixture(scope="module")
def spark():
    from newsfuse.spark.session import spark_session

    # two cores; a failed task is tried up to three times
    session = spark_session("local[2,3]", {"spark.sql.shuffle.partitions": "4"})
    yield session
    session.stop()


def _run(spark, paths, out: Path, **kwargs):
    from newsfuse.spark.run import run_spark

    summary = run_spark(spark, [str(p) for p in paths], str(out), Settings(), **kwargs)
    reports = {
        row.story_id: Report.model_validate_json(row.report).stories[0]
        for row in spark.read.parquet(str(out / "reports")).collect()
    }
    return summary, reports


def _assert_same_as_run(paths, reports) -> Report:
    local = fuse(paths, Settings())
    assert {s.id: [a.id for a in s.articles] for s in local.stories} == {
        s.id: [a.id for a in s.articles] for s in reports.values()
    }
    for story in local.stories:  # the whole account: summary, claims, quotes, timeline...
        assert reports[story.id].model_dump_json() == story.model_dump_json()
    return local


def _with_copies(folder: Path) -> list[Path]:
    """The sample, plus a word-for-word copy and a cut copy of one article, undated text."""
    shutil.copytree(EXAMPLES, folder / "sample")
    first = sorted((folder / "sample").iterdir())[0]
    text = first.read_text(encoding="utf-8")
    (folder / "copies").mkdir()
    (folder / "copies" / "exact.html").write_text(text, encoding="utf-8")
    cut = text[: int(len(text) * 0.8)]
    (folder / "copies" / "cut.html").write_text(cut + "\n</body></html>", encoding="utf-8")
    return [folder / "sample", folder / "copies"]


def test_same_stories_and_reports_as_run_with_copies(spark, tmp_path):
    paths = _with_copies(tmp_path)
    summary, reports = _run(spark, paths, tmp_path / "out")
    local = _assert_same_as_run(paths, reports)
    copies = [a for s in local.stories for a in s.articles if a.duplicate_of]
    assert copies, "the copies are found"
    assert summary.articles == sum(len(s.articles) for s in local.stories)
    tables = {
        name: spark.read.parquet(str(tmp_path / "out" / name)).count()
        for name in ("articles", "stories", "claims", "quotes", "timeline", "skipped")
    }
    assert tables["articles"] == summary.articles and tables["stories"] == len(reports)
    assert tables["claims"] == sum(len(s.claims) for s in local.stories)
    assert tables["quotes"] == sum(len(s.quotes) for s in local.stories)
    assert tables["timeline"] == sum(len(s.timeline) for s in local.stories)
    assert not (tmp_path / "out" / "_work").exists()


@pytest.mark.skipif(not ECBPLUS.exists(), reason="../shared/data/ecbplus is not here")
def test_same_stories_as_run_on_ecbplus_slice(spark, tmp_path):
    lines = ECBPLUS.read_text(encoding="utf-8").splitlines()[:120]
    (tmp_path / "ecb.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    paths = [tmp_path / "ecb.jsonl"]
    _summary, reports = _run(spark, paths, tmp_path / "out")
    assert len(reports) > 5
    _assert_same_as_run(paths, reports)


def test_a_stream_of_two_languages_gives_the_stories_of_run(spark, tmp_path):
    """Reports of two events in English and Spanish: the driver's grouper encodes them (the
    multilingual encoder) and links each report to its translation, as `newsfuse run` does."""
    from .test_encoders import CROSS_LANGUAGE

    records = [
        {
            "title": title,
            "text": text,
            "url": f"https://outlet{n}.example/{n}",
            "date": f"2024-03-0{1 + n // 2}T0{n}:00:00Z",
        }
        for n, (_language, title, text) in enumerate(CROSS_LANGUAGE)
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    _summary, reports = _run(spark, [path], tmp_path / "out")
    assert sorted(len(s.articles) for s in reports.values()) == [2, 2]
    assert {a.language for s in reports.values() for a in s.articles} == {"en", "es"}
    _assert_same_as_run([path], reports)


def test_bad_inputs_are_skipped_with_the_reasons_of_run(spark, tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (bad / "records.jsonl").write_text(
        '{"text": "A short note about nothing."}\nnot json\n{"title": "no body"}\n',
        encoding="utf-8",
    )
    paths = [EXAMPLES, bad, tmp_path / "missing.html"]
    summary, reports = _run(spark, paths, tmp_path / "out")
    local = fuse(paths, Settings())
    found = {
        (row.source, row.reason)
        for row in spark.read.parquet(str(tmp_path / "out/skipped")).collect()
    }
    assert found == {(s.source, s.reason) for s in local.skipped}
    assert summary.skipped == len(local.skipped) >= 5
    assert {s.id for s in local.stories} == set(reports)


def test_a_retried_task_duplicates_nothing(spark, tmp_path):
    from newsfuse.pipeline import clean_and_index

    calls = []
    failed = tmp_path / "failed"

    def flaky(job):
        """Each task's first attempt dies after cleaning one document."""
        from pyspark import TaskContext

        context = TaskContext.get()
        calls.append(1)
        if context.attemptNumber() == 0 and len(calls) > 1:
            failed.touch()
            raise RuntimeError("executor lost")
        return clean_and_index(job)

    paths = _with_copies(tmp_path)
    summary, reports = _run(spark, paths, tmp_path / "out", clean=flaky, partitions=2)
    ids = [row.id for row in spark.read.parquet(str(tmp_path / "out/articles")).collect()]
    assert failed.exists(), "a task failed after writing part of its output"
    assert len(ids) == len(set(ids)) == summary.articles == 7
    _assert_same_as_run(paths, reports)


def test_parquet_and_uri_inputs_give_the_same_stories(spark, tmp_path):
    records = [
        {"text": a.text, "title": a.title, "url": a.url, "published": str(a.published_at)}
        for s in fuse([EXAMPLES]).stories
        for a in s.articles
    ]
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    spark.read.json(str(jsonl)).write.parquet(str(tmp_path / "records.parquet"))
    _, from_parquet = _run(spark, [tmp_path / "records.parquet"], tmp_path / "out1")
    _, from_uri = _run(spark, [jsonl.as_uri()], tmp_path / "out2")
    local = fuse([jsonl], Settings())
    expected = {s.id: sorted(a.id for a in s.articles) for s in local.stories}
    for reports in (from_parquet, from_uri):
        assert {k: sorted(a.id for a in s.articles) for k, s in reports.items()} == expected


def test_db_writes_the_store_that_serve_shows(spark, tmp_path):
    from newsfuse.store import Store

    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store(url) as store:
        _, reports = _run(spark, [EXAMPLES], tmp_path / "out", store=store)
        assert store.article_count() == 5
        assert not store.stale_stories()
        (story_id,) = reports
        stored = store.story(story_id)
        assert stored is not None and len(stored.articles) == 5
        assert stored.summary == reports[story_id].summary


def test_cli_spark_command(spark, tmp_path):
    from typer.testing import CliRunner

    from newsfuse.cli import app

    result = CliRunner().invoke(
        app, ["spark", str(EXAMPLES), str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1, result.output
    assert "no such file" in result.output and "5 articles, 1 stories" in result.output
    assert (tmp_path / "o" / "reports").is_dir()


def test_bucket_scoring_finds_every_pair_the_copy_rule_passes(monkeypatch):
    """The copy stage scores each shared band's members in array operations; whatever way a
    bucket is paired (at once, or a member at a time for a large one), what it keeps is what
    `copy_score` keeps over every pair, with the earlier article (by time) as the original."""
    import numpy as np
    import pyarrow as pa

    from newsfuse.group.dedupe import DuplicateIndex, copy_score
    from newsfuse.spark import duplicates

    rng = np.random.default_rng(7)
    base = rng.integers(0, 2**32, size=128, dtype=np.uint64)
    members = []
    for k in range(40):  # copies of one text changed in more and more places, and strangers
        values = base.copy() if k % 3 else rng.integers(0, 2**32, size=128, dtype=np.uint64)
        changed = rng.choice(128, size=min(127, 4 * k), replace=False)
        values[changed] = rng.integers(0, 2**32, size=len(changed), dtype=np.uint64)
        members.append(
            {
                "id": f"a{k:02d}",
                "undated": k % 7 == 0,
                "ts": float(rng.integers(0, 5)),  # ties in time are broken by the id
                "shingles": int(rng.choice([5, 30, 200, 1000])),  # some within others
                "signature": values.astype("<u4").tobytes(),  # as `signature_bytes` stores it
            }
        )
    for k in range(2):  # the last two in time are copies: the last pair a bucket makes
        members.append(members[1] | {"id": f"z{k}", "undated": True, "ts": 9.0})
    threshold = 0.5
    min_containment = DuplicateIndex(threshold).min_containment
    ordered = sorted(members, key=lambda m: (m["undated"], m["ts"], m["id"]))
    expected = set()
    for i, earlier in enumerate(ordered):
        for later in ordered[i + 1 :]:
            a = np.frombuffer(later["signature"], dtype="<u4")
            b = np.frombuffer(earlier["signature"], dtype="<u4")
            score = copy_score(
                float((a == b).mean()),
                later["shingles"],
                earlier["shingles"],
                threshold,
                min_containment,
            )
            if score is not None:
                expected.add((later["id"], earlier["id"], round(score, 12)))
    assert 20 < len(expected) < 42 * 41 / 2  # the rule keeps some pairs, not all

    def scored() -> set[tuple[str, str, float]]:
        batch = pa.RecordBatch.from_pydict({"members": [list(reversed(members))]})
        found = duplicates._scored([batch], threshold, min_containment)
        return {
            (later, earlier, round(score, 12))
            for out in found
            for later, earlier, score in zip(*out.to_pydict().values(), strict=True)
        }

    assert scored() == expected
    monkeypatch.setattr(duplicates, "_WHOLE_BUCKET", 4)  # a member at a time
    assert scored() == expected


def test_a_task_leaves_what_its_worker_holds_out_of_later_collections():
    """A Python worker runs task after task: what it holds when one starts (modules, models,
    memos) is frozen, after its garbage is collected (garbage frozen would never go)."""
    import gc
    import weakref

    import pyarrow as pa

    from newsfuse.spark.arrow import rows_in

    class Node:
        pass

    cycle = Node()
    cycle.itself = cycle  # type: ignore[attr-defined]
    gone = weakref.ref(cycle)
    del cycle
    gc.unfreeze()
    try:
        assert list(rows_in([pa.RecordBatch.from_pylist([{"x": 1}])])) == [{"x": 1}]
        assert gone() is None
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
