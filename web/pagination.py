"""Cursor pagination: an opaque cursor naming where the previous page ended.

The cursor is the last item's position in the listing's order (publication time, then id):
16 bytes (microseconds since 1970 or "undated", and the id), base64url-encoded. A page is
found by a keyset condition, never an OFFSET, so it costs the same on page 1 and page 1000
and no item is skipped or repeated when new articles arrive while a client pages through.
Every 22-character base64url string decodes to some position (far-off times are clamped), so
the OpenAPI pattern describes exactly the cursors the server accepts.
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Query
from sqlalchemy.orm import Session

from storage.articles import Listed, list_articles, load_articles, page_key
from storage.models import Article
from web.filters import ArticleFilters

MAX_LIMIT = 100
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{22}$"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_UNDATED = -(2**63)  # no time: the undated tail of the listing
_FORMAT = ">qq"  # microseconds since the epoch, article id


def encode_cursor(published_at: datetime | None, article_id: int) -> str:
    micros = (
        _UNDATED if published_at is None else (published_at - _EPOCH) // timedelta(microseconds=1)
    )
    raw = struct.pack(_FORMAT, micros, article_id)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime | None, int]:
    """The position a cursor names; the caller has checked it against CURSOR_PATTERN."""
    micros, article_id = struct.unpack(_FORMAT, base64.urlsafe_b64decode(cursor + "=="))
    if micros == _UNDATED:
        return None, article_id
    try:
        return _EPOCH + timedelta(microseconds=micros), article_id
    except OverflowError:
        return (datetime.max if micros > 0 else datetime.min).replace(tzinfo=UTC), article_id


@dataclass(frozen=True)
class PageRequest:
    limit: int
    after: tuple[datetime | None, int] | None


def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")] = 20,
    cursor: Annotated[
        str | None,
        Query(description="next_cursor of the previous page (opaque)", pattern=CURSOR_PATTERN),
    ] = None,
) -> PageRequest:
    return PageRequest(limit=limit, after=decode_cursor(cursor) if cursor else None)


def fetch_page(
    session: Session, filters: ArticleFilters, page: PageRequest, *, one_per_story: bool
) -> tuple[list[Article], str | None]:
    """One page of articles, newest first, and the cursor of the next page (None at the end)."""
    listed, next_cursor = fetch_listing(session, filters, page, one_per_story=one_per_story)
    return load_articles(session, [row.id for row in listed]), next_cursor


def fetch_listing(
    session: Session, filters: ArticleFilters, page: PageRequest, *, one_per_story: bool
) -> tuple[list[Listed], str | None]:
    """:func:`fetch_page` without loading the articles: their listing rows only."""
    listed = list_articles(
        session,
        **filters.query_kwargs(),
        one_per_story=one_per_story,
        limit=page.limit + 1,
        after=page.after,
    )
    if len(listed) <= page.limit:
        return listed, None
    listed = listed[: page.limit]
    return listed, encode_cursor(*page_key(listed[-1]))
