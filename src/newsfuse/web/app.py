"""The web app: the same story pages as the HTML report, read from the store, full-text search,
and a REST API (`POST /api/articles`, `GET /api/stories`, `GET /api/stories/{id}`; OpenAPI at
/openapi.json). Input is validated and size-limited; article text is always escaped; only
http(s) URLs become links; every answer carries security headers (see `security`)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import (
    BaseModel,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from .. import __version__
from ..config import Settings
from ..ingest import StoreGrouper, ingest_articles
from ..model import Article, RawDocument, Skipped, Story, make_report
from ..pipeline import clean_one
from ..publish.escape import http_url
from ..publish.html import render_page, render_stories
from ..store import Store
from .cache import RenderCache
from .reports import ReportRefresher
from .security import BodyLimit, SecurityHeaders

MAX_ARTICLES_PER_REQUEST = 500
MAX_BODY_BYTES = 20_000_000
MAX_ERRORS_SHOWN = 20
STORIES_PER_PAGE = 100


class ArticleIn(BaseModel):
    """One article to ingest: its text or its HTML, and what the source knows about it."""

    text: str | None = Field(None, max_length=2_000_000)
    html: str | None = Field(None, max_length=5_000_000)
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2048, description="An http or https URL.")
    published: str | None = Field(None, max_length=100)
    outlet: str | None = Field(None, max_length=300)

    @field_validator("url")
    @classmethod
    def http_only(cls, value: str | None) -> str | None:
        if value is not None and http_url(value) is None:
            raise ValueError("url must be an absolute http or https URL")
        return value

    @model_validator(mode="after")
    def needs_body(self) -> ArticleIn:
        if not (self.text or self.html):
            raise ValueError("an article needs 'text' or 'html'")
        return self


_ARTICLES_IN: TypeAdapter[ArticleIn | list[ArticleIn]] = TypeAdapter(ArticleIn | list[ArticleIn])
_ARTICLE_LIST: TypeAdapter[list[ArticleIn]] = TypeAdapter(list[ArticleIn])


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


def _invalid(errors: list[dict[str, Any]]) -> JSONResponse:
    """422 with what is wrong where, never the input itself (a large body echoed back would
    double the answer)."""
    shown = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
        for e in errors[:MAX_ERRORS_SHOWN]
    ]
    return JSONResponse({"detail": shown, "errors": len(errors)}, status_code=422)


def _parse_articles(body: bytes) -> list[ArticleIn]:
    """The request body as articles, or HTTPException 413/422 saying what is wrong."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, nested too deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        error = {"loc": ["body"], "msg": f"invalid JSON: {reason}", "type": "json_invalid"}
        raise _InvalidBody([error]) from exc
    if isinstance(data, list) and len(data) > MAX_ARTICLES_PER_REQUEST:
        raise HTTPException(413, f"at most {MAX_ARTICLES_PER_REQUEST} articles per request")
    try:
        if isinstance(data, list):
            return _ARTICLE_LIST.validate_python(data)
        return [ArticleIn.model_validate(data)]
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=False)
        raise _InvalidBody([{**e, "loc": ["body", *e["loc"]]} for e in errors]) from exc


class _InvalidBody(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("invalid request body")
        self.errors = errors


def create_app(db_url: str | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    store = Store(db_url or settings.db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        reports.start()
        reports.wake()  # what an earlier ingest or server left stale
        threading.Thread(target=warm, name="newsfuse-warm-grouping", daemon=True).start()
        try:
            yield
        finally:
            reports.stop()

    app = FastAPI(
        title="newsfuse",
        version=__version__,
        description="Sourced story accounts from many outlets.",
        lifespan=lifespan,
    )
    app.state.store = store
    # the grouping state of the active window, read once and kept in step with the store
    grouper = app.state.grouper = StoreGrouper(store, settings)
    grouping = threading.Lock()

    def warm() -> None:
        """Read the grouping window before the first article is posted (that request waits
        for this one instead of reading it itself)."""
        with grouping:
            try:
                grouper.warm()
            except Exception:  # the first request reads the window itself, and reports why
                logging.getLogger(__name__).exception("reading the grouping window failed")

    reports = app.state.reports = ReportRefresher(store, settings)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _invalid(list(exc.errors()))

    @app.exception_handler(_InvalidBody)
    async def invalid_body(_request: Request, exc: _InvalidBody) -> JSONResponse:
        return _invalid(exc.errors)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(page: int = Query(1, ge=1, le=1_000_000)) -> HTMLResponse:
        rows = store.story_listing(STORIES_PER_PAGE + 1, (page - 1) * STORIES_PER_PAGE)
        return HTMLResponse(
            render_page(
                "page_index.html.j2",
                rows=rows[:STORIES_PER_PAGE],
                page=page,
                more=len(rows) > STORIES_PER_PAGE,
                version=__version__,
            )
        )

    rendered = RenderCache()

    def cached(story_id: str, kind: str, render: Callable[[Story], str]) -> bytes:
        """The story rendered as `kind`, from the cache while the stored story is unchanged."""
        version = store.story_version(story_id)
        if version is None:
            raise HTTPException(404, f"no story {story_id!r}")

        def build() -> bytes | None:
            story = store.story(story_id)
            return None if story is None else render(story).encode()

        body = rendered.get(story_id, kind, version, build)
        if body is None:
            raise HTTPException(404, f"no story {story_id!r}")
        return body

    def page_html(story: Story) -> str:
        report = make_report([story], [])
        return render_stories(report, back="/")

    async def served(story_id: str, kind: str, render: Callable[[Story], str]) -> bytes:
        """Recently checked bytes straight from the event loop; otherwise the store is asked
        (and the story rendered if it changed) on a worker thread."""
        body = rendered.recent(story_id, kind)
        if body is None:
            body = await run_in_threadpool(cached, story_id, kind, render)
        return body

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story_id: str) -> Response:
        return Response(await served(story_id, "html", page_html), media_type="text/html")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = Query("", max_length=200)) -> HTMLResponse:
        results = store.search(q) if q else None
        return HTMLResponse(render_page("page_search.html.j2", q=q, results=results))

    @app.post(
        "/api/articles",
        response_model=IngestOut,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ARTICLES_IN.json_schema()}},
            }
        },
    )
    async def post_articles(request: Request) -> IngestOut:
        """One article or a list of up to 500; bad items are skipped with a reason."""
        items = _parse_articles(await request.body())
        return await run_in_threadpool(ingest, items)

    def ingest(items: list[ArticleIn]) -> IngestOut:
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
        cleaned: dict[str, Article] = {}
        skipped: list[Skipped] = []
        for document in documents:  # in this process: a request is a few articles
            result = clean_one((document, settings))
            if isinstance(result, Skipped):
                skipped.append(result)
            else:
                cleaned.setdefault(result.id, result)
        with grouping:  # one request groups at a time; the grouper stays in step with the store
            stored, _ = ingest_articles(store, list(cleaned.values()), grouper, reports=False)
        reports.wake()  # the changed stories' reports are rebuilt in the background
        ids = set(cleaned)
        stories = sorted({s for s, members in store.members_of(ids).items() if members})
        return IngestOut(
            added=stored.added,
            already_stored=stored.already_stored,
            skipped=skipped,
            stories=stories,
        )

    @app.get("/api/stories", response_model=list[StorySummary])
    def list_stories(
        limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=10_000_000)
    ) -> list[StorySummary]:
        return [
            StorySummary(
                id=r.id,
                title=r.title,
                articles=r.articles,
                first_published=r.first_published.isoformat() if r.first_published else None,
                last_published=r.last_published.isoformat() if r.last_published else None,
            )
            for r in store.story_listing(limit, offset)
        ]

    @app.get(
        "/api/stories/{story_id}",
        response_model=Story,
        responses={200: {"content": {"application/json": {}}}},
    )
    async def get_story(story_id: str) -> Response:
        """The report contract for one story."""
        body = await served(story_id, "json", lambda story: story.model_dump_json())
        return Response(body, media_type="application/json")

    @app.get("/api/search")
    def search(q: str = Query(..., min_length=1, max_length=200)) -> dict[str, Any]:
        return store.search(q)

    return app
