"""Full-text search over stories and articles: SQLite FTS5, or PostgreSQL's own."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


def full_text_search(
    session: Session, dialect: str, query: str, limit: int = 20
) -> dict[str, list[dict[str, Any]]]:
    """Stories and articles matching all words of `query`, best first: SQLite FTS5, or
    PostgreSQL's own full-text search."""
    words = re.findall(r"\w+", query)[:12]
    if not words:
        return {"stories": [], "articles": []}
    if dialect == "sqlite":
        # every word, in the text columns only (the id columns are indexed too)
        phrases = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        stories = session.execute(
            text(
                "SELECT story_id, title, snippet(stories_fts, 2, '[', ']', '…', 12) "
                "FROM stories_fts WHERE stories_fts MATCH :q ORDER BY rank LIMIT :n"
            ),
            {"q": "{title summary} : (" + phrases + ")", "n": limit},
        ).all()
        articles = session.execute(
            text(
                "SELECT f.article_id, f.title, "
                "snippet(articles_fts, 2, '[', ']', '…', 16), sa.story_id "
                "FROM articles_fts f "
                "LEFT JOIN story_articles sa ON sa.article_id = f.article_id "
                "WHERE articles_fts MATCH :q ORDER BY rank LIMIT :n"
            ),
            {"q": "{title body} : (" + phrases + ")", "n": limit},
        ).all()
    else:
        tsq = " & ".join(words)
        stories = session.execute(
            text(
                "SELECT id, title, left(report, 0) FROM stories WHERE "
                "to_tsvector('simple', title || ' ' || report) @@ to_tsquery('simple', :q) "
                "LIMIT :n"
            ),
            {"q": tsq, "n": limit},
        ).all()
        articles = session.execute(
            text(
                "SELECT a.id, a.title, "
                "ts_headline('simple', a.data, to_tsquery('simple', :q)), sa.story_id "
                "FROM articles a "
                "LEFT JOIN story_articles sa ON sa.article_id = a.id "
                "WHERE to_tsvector('simple', coalesce(a.title, '') || ' ' || a.data) "
                "@@ to_tsquery('simple', :q) LIMIT :n"
            ),
            {"q": tsq, "n": limit},
        ).all()
    return {
        "stories": [{"id": r[0], "title": r[1], "snippet": r[2]} for r in stories],
        "articles": [
            {"id": r[0], "title": r[1], "snippet": r[2], "story_id": r[3]} for r in articles
        ],
    }
