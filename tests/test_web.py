from __future__ import annotations

import os
import time

import pytest
from fastapi.testclient import TestClient

from newsfuse.web import create_app

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "web.db"
    app = create_app(f"sqlite:///{db}")
    with TestClient(app) as client:
        articles = [
            {"text": path.read_text(), "url": f"https://news.example/{path.stem}"}
            for path in sorted(EXAMPLES.glob("*.txt"))
        ]
        response = client.post("/api/articles", json=articles)
        assert response.status_code == 200, response.text
        assert client.app.state.reports.wait_idle(120)  # reports are built in the background
        yield client


def test_reports_are_built_in_the_background(tmp_path):
    with TestClient(create_app(f"sqlite:///{tmp_path / 'b.db'}")) as fresh:
        articles = [{"text": p.read_text()} for p in sorted(EXAMPLES.glob("*.txt"))]
        answer = fresh.post("/api/articles", json=articles).json()
        assert answer["added"] == 5 and len(answer["stories"]) == 1
        assert fresh.app.state.reports.wait_idle(120)
        story = fresh.get(f"/api/stories/{answer['stories'][0]}").json()
        assert story["summary"] and story["quotes"] and len(story["articles"]) == 5
        # built in a process of its own, not a thread of the server's; if that process dies,
        # the next rebuild starts another
        refresher = fresh.app.state.reports
        [builder] = refresher._process()._processes.values()
        assert builder.pid != os.getpid()
        builder.kill()
        builder.join(10)
        again = fresh.post("/api/articles", json={"text": articles[0]["text"] + " More news."})
        assert again.status_code == 200 and refresher.wait_idle(120)
        assert not fresh.app.state.store.stale_stories()
        [other] = refresher._process()._processes.values()
        assert other.pid != builder.pid


def test_an_idle_report_builder_ends_and_the_next_rebuild_starts_another(tmp_path, monkeypatch):
    """The builder gives its memory back when it has had no work for a while; a later article
    still gets its story's report."""
    from newsfuse.web import reports

    ended: list = []
    end = reports.ReportRefresher._end_builder

    def recorded(refresher: reports.ReportRefresher, wait: bool = True) -> None:
        builder = refresher._builder
        processes = list(builder._processes.values()) if builder is not None else []
        end(refresher, wait)
        ended.extend(processes)

    monkeypatch.setattr(reports.ReportRefresher, "_end_builder", recorded)
    monkeypatch.setattr(reports, "BUILDER_IDLE_SECONDS", 0.2)
    texts = [p.read_text() for p in sorted(EXAMPLES.glob("*.txt"))]
    with TestClient(create_app(f"sqlite:///{tmp_path / 'i.db'}")) as server:
        refresher = server.app.state.reports
        first = server.post("/api/articles", json=[{"text": t} for t in texts[:4]])
        assert first.status_code == 200 and refresher.wait_idle(120)
        deadline = time.monotonic() + 30
        while not ended and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ended and not any(process.is_alive() for process in ended)
        answer = server.post("/api/articles", json={"text": texts[4]}).json()
        assert refresher.wait_idle(120) and not server.app.state.store.stale_stories()
        story = server.get(f"/api/stories/{answer['stories'][0]}").json()
        assert len(story["articles"]) == 5 and story["summary"]


def test_a_started_server_reads_the_grouping_window_before_the_first_article(tmp_path):
    """A server on a filled store reads the active window in the background when it starts,
    so the first article posted is placed without reading it (and joins its story)."""
    db = f"sqlite:///{tmp_path / 'w.db'}"
    texts = [p.read_text() for p in sorted(EXAMPLES.glob("*.txt"))]
    with TestClient(create_app(db)) as first:
        assert first.post("/api/articles", json=[{"text": t} for t in texts[:4]]).status_code == 200
    with TestClient(create_app(db)) as again:
        grouper = again.app.state.grouper
        deadline = time.monotonic() + 30
        while grouper.loaded_from is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert grouper.loaded_from is not None and grouper.grouper.stories.stories
        answer = again.post("/api/articles", json={"text": texts[4]}).json()
        assert answer["added"] == 1 and len(answer["stories"]) == 1
        listed = again.get("/api/stories").json()
        assert [s["id"] for s in listed] == answer["stories"]  # it joined the four's story


def test_ingest_through_the_api(client):
    again = client.post(
        "/api/articles", json={"text": "Too short.", "url": "https://news.example/x"}
    )
    assert again.status_code == 200
    body = again.json()
    assert body["added"] == 0 and body["skipped"][0]["reason"] == "no article text found"


def test_api_validates_input(client):
    assert client.post("/api/articles", json={"title": "no body"}).status_code == 422
    assert client.post("/api/articles", json=[{"text": "x"}] * 501).status_code == 413
    assert client.get("/api/stories?limit=0").status_code == 422


def test_story_list_and_contract(client):
    stories = client.get("/api/stories").json()
    assert len(stories) == 1 and stories[0]["articles"] == 5
    story = client.get(f"/api/stories/{stories[0]['id']}").json()
    assert len(story["articles"]) == 5 and story["quotes"]
    assert client.get("/api/stories/nope").status_code == 404
    assert "/api/articles" in client.get("/openapi.json").json()["paths"]


def test_pages_and_search(client):
    story_id = client.get("/api/stories").json()[0]["id"]
    assert story_id in client.get("/").text
    page = client.get(f"/stories/{story_id}").text
    assert 'class="cite"' in page and "Who said what" in page
    found = client.get("/api/search", params={"q": "Vienna"}).json()
    assert len(found["articles"]) == 2
    assert "Vienna" in client.get("/search", params={"q": "Vienna"}).text


def test_article_markup_is_escaped(client):
    text = (
        "The <script>alert('x')</script> minister said the talks in Geneva went well on Monday. "
        * 3
    )
    client.post("/api/articles", json={"text": text, "title": "<img src=x onerror=alert(1)>"})
    for row in client.get("/api/stories").json():
        page = client.get(f"/stories/{row['id']}").text
        assert "<img src=x" not in page and "<script>alert" not in page
