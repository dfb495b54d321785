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


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from fastapi.testclient import TestClient

    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'b.db'}")
    with TestClient(app) as client:
        client.post(
            "/api/articles", json=[{"text": p.read_text()} for p in sorted(EXAMPLES.glob("*.txt"))]
        )
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
