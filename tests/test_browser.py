"""Browser tests: Debian's chromium driven by Playwright against the app on loopback."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright

from newsfuse.web import create_app

from .conftest import EXAMPLES

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


HOSTILE = "<img src=x onerror=alert(1)><svg onload=alert(2)><script>alert(3)</script>"
HOSTILE_TITLE = "Hostile page " + HOSTILE


def _store_hostile_article(db: str) -> None:
    """An article as a JSONL dump could hand it over: a javascript: URL, markup in its title,
    outlet and quotes (the API refuses such URLs; a file does not)."""
    from newsfuse.config import Settings
    from newsfuse.ingest import ingest_articles
    from newsfuse.model import RawDocument
    from newsfuse.pipeline import clean_documents
    from newsfuse.store import Store

    text = (
        "The harbour authority in Valparaiso said on Tuesday that the container terminal "
        "would reopen after the storm damage was repaired by engineers from three companies.\n\n"
        f"The port director said “{HOSTILE} we will reopen on Friday at the latest” to workers."
    )
    document = RawDocument(
        source="dump.jsonl:1",
        kind="text",
        extracted=True,
        content=text,
        url="javascript:alert(document.domain)",
        title=HOSTILE_TITLE,
        outlet=HOSTILE,
    )
    settings = Settings()
    with Store(db) as store:
        articles, _ = clean_documents([document], settings)
        ingest_articles(store, articles, settings)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from fastapi.testclient import TestClient

    db = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'b.db'}"
    _store_hostile_article(db)
    app = create_app(db)
    with TestClient(app) as client:
        client.post(
            "/api/articles", json=[{"text": p.read_text()} for p in sorted(EXAMPLES.glob("*.txt"))]
        )
        assert client.app.state.reports.wait_idle(120)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def page(base_url):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        yield page
        browser.close()


def test_open_story_click_citation_see_highlight(page, base_url):
    page.goto(base_url + "/")
    page.screenshot(path=str(ARTIFACTS / "index.png"))
    page.locator("table a").first.click()
    expect(page.locator("h2").first).to_be_visible()
    citation = page.locator(".summary a.cite").first
    cited = citation.get_attribute("data-cite")
    citation.click()
    highlighted = page.locator(f'.seg.hl[data-c~="{cited}"]')
    expect(highlighted.first).to_be_visible()
    assert highlighted.count() >= 1
    page.screenshot(path=str(ARTIFACTS / "story-citation.png"))


def test_search(page, base_url):
    page.goto(base_url + "/")
    page.fill("input[name=q]", "Vienna")
    page.press("input[name=q]", "Enter")
    expect(page.locator(".results-articles li")).to_have_count(2)
    page.screenshot(path=str(ARTIFACTS / "search.png"))


def test_hostile_page_runs_nothing(page, base_url):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base_url + "/")
    page.get_by_text("Hostile page").first.click()
    expect(page.locator("h2").first).to_contain_text("Hostile page")
    for link in page.locator(".article a[href]").all():  # whatever links the sources show
        href = link.get_attribute("href") or ""
        assert href.startswith(("http://", "https://", "#")), href
    assert page.locator("body img, body svg").count() == 0
    assert page.evaluate("document.scripts.length") == 1  # the page's own
    page.locator(".article .meta").first.click()
    page.wait_for_timeout(300)
    assert dialogs == []
    page.screenshot(path=str(ARTIFACTS / "hostile.png"))
