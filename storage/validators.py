"""The ``http_validators`` table: what a feed, sitemap or listing URL last answered with.

A row means more than "here are its validators": it is written only after a crawl that
fetched the URL finished and every request the page led to (articles, further pages) ended
well, so a ``304 Not Modified`` on its validators means there is nothing new behind it. A row
may hold neither an ETag nor a Last-Modified (the server sent none); it still records that the
page was fully processed at ``checked_at``. Pages whose work did not end well lose their row,
so the next crawl fetches them whole and retries what failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.engine import begin_write
from storage.models import HttpValidator, utcnow


@dataclass(frozen=True)
class Validators:
    """The validators one URL answered with (either may be ``None``)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


def get_validators(session: Session, url: str) -> HttpValidator | None:
    """The stored row for ``url``, or ``None`` when no finished crawl processed it fully."""
    return session.get(HttpValidator, url)


def save_validators(
    session: Session, rows: Iterable[Validators], *, checked_at: datetime | None = None
) -> int:
    """Insert or replace the rows for these URLs; returns how many. The caller commits."""
    when = checked_at or utcnow()
    rows = list(rows)
    if not rows:
        return 0
    begin_write(session)
    existing = {
        row.url: row
        for row in session.scalars(
            select(HttpValidator).where(HttpValidator.url.in_([r.url for r in rows]))
        ).all()
    }
    for row in rows:
        stored = existing.get(row.url)
        if stored is None:
            stored = HttpValidator(url=row.url)
            session.add(stored)
            existing[row.url] = stored
        stored.etag = row.etag
        stored.last_modified = row.last_modified
        stored.checked_at = when
    session.flush()
    return len(rows)


def touch_validators(
    session: Session, urls: Iterable[str], *, checked_at: datetime | None = None
) -> int:
    """Record that these URLs answered ``304`` (validators unchanged); the caller commits."""
    urls = sorted(set(urls))
    if not urls:
        return 0
    begin_write(session)
    result = session.execute(
        update(HttpValidator)
        .where(HttpValidator.url.in_(urls))
        .values(checked_at=(checked_at or utcnow()))
    )
    return result.rowcount or 0


def forget_validators(session: Session, urls: Iterable[str]) -> int:
    """Delete the rows of these URLs (their pages must be fetched whole next time); the caller
    commits."""
    urls = sorted(set(urls))
    if not urls:
        return 0
    begin_write(session)
    result = session.execute(delete(HttpValidator).where(HttpValidator.url.in_(urls)))
    return result.rowcount or 0
