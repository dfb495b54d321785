from __future__ import annotations

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
        yield client


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
