"""The web app: the same story pages as the HTML report, read from the store, full-text search,
and a REST API (`POST /api/articles`, `GET /api/stories`, `GET /api/stories/{id}`; OpenAPI at
/openapi.json). Input is validated and size-limited; article text is always escaped."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field, model_validator

from .. import __version__
from ..config import Settings
from ..model import RawDocument, Report, Skipped, Story
from ..pipeline import Grouper, clean_documents, ingest_articles
from ..publish.html import _ENV, render_stories
from ..store import Store

MAX_ARTICLES_PER_REQUEST = 500
MAX_BODY_BYTES = 20_000_000


class ArticleIn(BaseModel):
    """One article to ingest: its text or its HTML, and what the source knows about it."""

    text: str | None = Field(None, max_length=2_000_000)
    html: str | None = Field(None, max_length=5_000_000)
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2048)
    published: str | None = Field(None, max_length=100)
    outlet: str | None = Field(None, max_length=300)

    @model_validator(mode="after")
    def needs_body(self) -> ArticleIn:
        if not (self.text or self.html):
            raise ValueError("an article needs 'text' or 'html'")
        return self


class IngestOut(BaseModel):
    added: int
    already_stored: int
    skipped: list[Skipped]
    stories: list[str]


class StorySummary(BaseModel):
    id: str
    title: str
    articles: int
    first_published: str | None
    last_published: str | None


def create_app(db_url: str | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    store = Store(db_url or settings.db_url)
    app = FastAPI(
        title="newsfuse",
        version=__version__,
        description="Sourced story accounts from many outlets.",
    )
    app.state.store = store

    @app.middleware("http")
    async def limit_size(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            from fastapi.responses import JSONResponse

            return JSONResponse({"detail": f"request body over {MAX_BODY_BYTES} bytes"}, 413)
        return await call_next(request)

    def page(template: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(_ENV.get_template(template).render(**context))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return page("page_index.html.j2", rows=store.story_rows(), version=__version__)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        story = store.story(story_id)
        if story is None:
            raise HTTPException(404, f"no story {story_id!r}")
        report = Report(generator=f"newsfuse {__version__}", stories=[story])
        return HTMLResponse(render_stories(report, back="/"))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = Query("", max_length=200)) -> HTMLResponse:
        return page("page_search.html.j2", q=q, results=store.search(q) if q else None)

    @app.post("/api/articles", response_model=IngestOut)
    def post_articles(articles: ArticleIn | list[ArticleIn]) -> IngestOut:
        items = articles if isinstance(articles, list) else [articles]
        if len(items) > MAX_ARTICLES_PER_REQUEST:
            raise HTTPException(413, f"at most {MAX_ARTICLES_PER_REQUEST} articles per request")
        documents = [
            RawDocument(
                source=item.url or f"api#{n}",
                kind="text" if item.text else "html",
                content=item.text or item.html or "",
                url=item.url,
                title=item.title,
                published=item.published,
                outlet=item.outlet,
            )
            for n, item in enumerate(items, start=1)
        ]
        cleaned, skipped = clean_documents(documents, settings)
        result, _ = ingest_articles(store, cleaned, Grouper.from_store(store, settings))
        ids = {a.id for a in cleaned}
        stories = sorted({s for s, members in store.members_of(ids).items() if members})
        return IngestOut(
            added=result.added,
            already_stored=result.already_stored,
            skipped=skipped,
            stories=stories,
        )

    @app.get("/api/stories", response_model=list[StorySummary])
    def list_stories(
        limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)
    ) -> list[StorySummary]:
        rows = store.story_rows()[offset : offset + limit]
        return [
            StorySummary(
                id=r.id,
                title=r.title,
                articles=r.article_count,
                first_published=r.first_published.isoformat() if r.first_published else None,
                last_published=r.last_published.isoformat() if r.last_published else None,
            )
            for r in rows
        ]

    @app.get("/api/stories/{story_id}", response_model=Story)
    def get_story(story_id: str) -> Story:
        story = store.story(story_id)
        if story is None:
            raise HTTPException(404, f"no story {story_id!r}")
        return story

    @app.get("/api/search")
    def search(q: str = Query(..., min_length=1, max_length=200)) -> dict[str, Any]:
        return store.search(q)

    return app
