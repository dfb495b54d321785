"""The command line against bad configuration, bad stores and hostile file names: one clear
line, the right exit code, never a traceback, and the work already done kept."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from typer.testing import CliRunner

from newsfuse.cli import app
from newsfuse.store import engine

from .conftest import EXAMPLES

runner = CliRunner()
GOOD = EXAMPLES / "000_6ecc0430d32e5a14.txt"


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("notaurl", "not a database URL"),
        ("mysql://u:secret@localhost/db", "driver for 'mysql'"),
        ("postgresql+pg8000://u:secret@localhost/db", "driver for 'postgresql+pg8000'"),
        ("nosuchdb://x", "no database support"),
    ],
)
def test_bad_database_urls(tmp_path, url, says):
    result = runner.invoke(app, ["ingest", str(GOOD), "--db", url, "-q"])
    line = one_error_line(result)
    assert says in line and "secret" not in line


def test_sqlite_paths_that_are_not_databases(tmp_path):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello")
    cases = [
        (f"sqlite:///{tmp_path}", "is a folder"),
        (f"sqlite:///{tmp_path}/missing/n.db", "is missing"),
        (f"sqlite:///{text_file}", "is not a SQLite database"),
    ]
    for url, says in cases:
        result = runner.invoke(app, ["ingest", str(GOOD), "--db", url, "-q"])
        assert says in one_error_line(result)


def test_locked_database_is_one_line(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'n.db'}"
    assert runner.invoke(app, ["ingest", str(GOOD), "--db", url, "-q"]).exit_code == 0
    monkeypatch.setattr(engine, "LOCK_TIMEOUT_SECONDS", 0.2)
    holder = sqlite3.connect(tmp_path / "n.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", url, "-q"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked by another process" in one_error_line(result)


def test_reading_commands_do_not_create_a_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'none.db'}"
    for command in (["show", "s-x", "--db", url], ["stories", "--db", url]):
        assert "no database at" in one_error_line(runner.invoke(app, command))
    assert not (tmp_path / "none.db").exists()


def test_config_errors_are_shown_whole(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[newsfuse]\ndb_url = 3\nstory_threshold = -1\nsummary_words = "[/red]"\n')
    line = one_error_line(runner.invoke(app, ["run", str(GOOD), "--config", str(config)]))
    assert "story_threshold" in line and "greater than 0" in line
    assert "summary_words" in line and "[/red]" in line and "db_url" in line
    config.write_text("[newsfus]\nstory_threshold = 0.5\n")
    line = one_error_line(runner.invoke(app, ["run", str(GOOD), "--config", str(config)]))
    assert "'newsfus'" in line and "[newsfuse]" in line
    config.write_text("[newsfuse]\nstory_treshold = 0.5\n")
    line = one_error_line(runner.invoke(app, ["run", str(GOOD), "--config", str(config)]))
    assert "story_treshold: unknown setting" in line
    config.write_text("[newsfuse\n")
    assert "not valid TOML" in one_error_line(
        runner.invoke(app, ["run", str(GOOD), "--config", str(config)])
    )
    missing = tmp_path / "nope.toml"
    assert "cannot read" in one_error_line(
        runner.invoke(app, ["run", str(GOOD), "--config", str(missing)])
    )


def test_json_fields_from_the_environment(tmp_path, monkeypatch):
    record = {"story_body": GOOD.read_text(), "url": "https://a.example/1"}
    (tmp_path / "in.jsonl").write_text(json.dumps(record) + "\n")
    monkeypatch.setenv("NEWSFUSE_JSON_FIELDS", '{"text": ["story_body"]}')
    result = runner.invoke(app, ["run", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("NEWSFUSE_JSON_FIELDS", "{not json")
    assert "NEWSFUSE_JSON_FIELDS" in one_error_line(
        runner.invoke(app, ["run", str(tmp_path / "in.jsonl")])
    )


def test_help_shows_brackets_as_written():
    result = runner.invoke(app, ["run", "--help"])
    assert result.exit_code == 0 and "[newsfuse]" in result.stdout


def test_out_is_checked_before_the_work(tmp_path, monkeypatch):
    import newsfuse.pipeline as pipeline

    def no_work(*args, **kwargs):
        raise AssertionError("the pipeline ran before --out was checked")

    monkeypatch.setattr(pipeline, "read_inputs", no_work)
    a_file = tmp_path / "report"
    a_file.write_text("")
    line = one_error_line(runner.invoke(app, ["run", str(GOOD), "--out", str(a_file)]))
    assert "is a file" in line
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        line = one_error_line(runner.invoke(app, ["run", str(GOOD), "--out", str(locked)]))
        assert "cannot write" in line


def test_hostile_file_names_are_printed_as_data(tmp_path):
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    with open(os.path.join(folder, b"bad\xffname.txt"), "wb") as fh:
        fh.write(GOOD.read_bytes())
    missing = [
        str(tmp_path / "x[/red]y.txt"),
        str(tmp_path / "[bold]b[/bold].txt"),
        str(tmp_path / "two\nskipped fake.txt: forged"),
    ]
    result = runner.invoke(
        app, ["run", os.fsdecode(folder), *missing, "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1, result.output
    skipped_lines = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped_lines) == 3
    assert any("'" + str(tmp_path / "x[/red]y.txt") + "'" in line for line in skipped_lines)
    assert any("[bold]b[/bold].txt" in line for line in skipped_lines)
    assert any("two\\nskipped fake.txt" in line for line in skipped_lines)
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["stories"][0]["articles"][0]["source"].endswith("bad\\xffname.txt")


def test_one_line_record_body_with_a_legal_phrase_is_kept(tmp_path):
    body = " ".join(GOOD.read_text().split()) + " All rights reserved."
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": body, "title": "T"}) + "\n")
    brief = "Esther Williams, swimming star, dies at 91"
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": brief, "title": brief}) + "\n")
    result = runner.invoke(app, ["run", str(tmp_path), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    texts = sorted(a["text"] for s in report["stories"] for a in s["articles"])
    assert texts[0] == brief and "NATO" in texts[1]


def test_watch_survives_deleted_files_and_reports_missing_paths(tmp_path, monkeypatch):
    from newsfuse.config import Settings
    from newsfuse.store import Store
    from newsfuse.watch import Watcher

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD.read_text())
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}")
    with Store(settings.db_url) as store:
        watcher = Watcher(store, settings, [folder, tmp_path / "later"])
        first = watcher.poll()
        assert first.added == 1
        assert [s.reason for s in first.skipped] == ["no such file"]
        assert watcher.poll().skipped == []  # told once
        (folder / "b.txt").write_text(GOOD.read_text().replace("NATO", "the alliance"))
        real = watcher.changed_files

        def listed_then_deleted():
            changed = real()
            (folder / "b.txt").unlink()
            return changed

        monkeypatch.setattr(watcher, "changed_files", listed_then_deleted)
        gone = watcher.poll()  # no traceback: the file is simply not there
        assert gone.added == 0 and "no such file" in gone.skipped[0].reason
    result = runner.invoke(
        app, ["watch", str(tmp_path / "nothing"), "--once", "--db", settings.db_url, "-q"]
    )
    assert result.exit_code == 0 and "'" + str(tmp_path / "nothing") + "'" in result.stderr
