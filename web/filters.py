"""The article filters every listing takes — the JSON API, the feeds and the browse page —
parsed and resolved once, as a FastAPI dependency (so the OpenAPI description documents them).

``province`` (repeatable: any of them) and ``topic`` (repeatable: all of them) accept what
the CLI accepts; ``since``/``until`` are ISO 8601 dates or times, a time without a zone being
Vietnam time (UTC+7), as in ``vnnews query``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy.orm import Session

from storage.runs import articles_per_source
from web.db import get_session
from web.errors import DATE_HINT, ApiError
from web.names import resolve_province, resolve_topic

VIETNAM = timezone(timedelta(hours=7))
MAX_QUERY_LENGTH = 500
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LANG = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
_SOURCE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_WHEN = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})?)?$"
)
# Documented as what it is: a date, or a date-time (RFC 3339; the zone may be left out).
WHEN_SCHEMA = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]
}


@dataclass(frozen=True)
class ArticleFilters:
    """What to list; ``provinces`` and ``topics`` are resolved slugs."""

    provinces: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    source: str | None = None
    lang: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    q: str | None = None
    include_irrelevant: bool = False

    def query_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :func:`storage.articles.query_articles`."""
        return {
            "provinces": list(self.provinces),
            "topics": list(self.topics),
            "source": self.source,
            "lang": self.lang,
            "since": self.since,
            "until": self.until,
            "text": self.q,
            "include_irrelevant": self.include_irrelevant,
        }

    def with_province(self, slug: str) -> ArticleFilters:
        provinces = self.provinces if slug in self.provinces else (slug, *self.provinces)
        return replace(self, provinces=provinces)

    def with_topic(self, slug: str) -> ArticleFilters:
        topics = self.topics if slug in self.topics else (slug, *self.topics)
        return replace(self, topics=topics)


def clean(value: str | None) -> str | None:
    """A text parameter without control characters (they mean nothing in a name or a query,
    and PostgreSQL refuses NUL) and surrounding space; None when nothing is left."""
    if value is None:
        return None
    return _CONTROL.sub(" ", value).strip() or None


def parse_when(value: str | None, param: str) -> datetime | None:
    """``since``/``until``: an ISO 8601 date (midnight), an RFC 3339 date-time, or a date-time
    without a zone (Vietnam time), as an aware UTC datetime. Nothing else (no timestamps):
    what the OpenAPI description says is exactly what is accepted. Beyond the calendar's ends
    (year 1 with a positive offset) a time is clamped to them."""
    if value is None:
        return None
    match = _WHEN.match(value.strip())
    try:
        if match is None:
            raise ValueError(value)
        date_part, time_part, fraction, zone = match.groups()
        text = date_part + ("T" + time_part if time_part else "")
        text += ("." + fraction[:6]) if fraction else ""
        parsed = datetime.fromisoformat(text)
        if zone:
            zone = "+00:00" if zone.upper() == "Z" else zone
            parsed = parsed.replace(tzinfo=datetime.fromisoformat("2000-01-01T00:00" + zone).tzinfo)
        else:
            parsed = parsed.replace(tzinfo=VIETNAM)
    except ValueError:
        raise ApiError(400, "invalid_date", f"{param}: {DATE_HINT}", param=param) from None
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        return (datetime.min if parsed.year == 1 else datetime.max).replace(tzinfo=UTC)


def resolve_source(session: Session, key: str) -> str:
    import difflib

    known = list(articles_per_source(session))
    if key in known:
        return key
    raise ApiError(
        404,
        "unknown_source",
        f"unknown source {key!r}: /api/sources lists them",
        param="source",
        closest=difflib.get_close_matches(key, known, n=5, cutoff=0.4),
    )


def article_filters(
    session: Annotated[Session, Depends(get_session)],
    province: Annotated[
        list[str],
        Query(
            description="province: slug (lam-dong), name with or without diacritics, English "
            "name or an old province's name; repeat for any of several",
            max_length=34,
        ),
    ] = [],  # noqa: B006 - FastAPI copies defaults
    topic: Annotated[
        list[str],
        Query(description="topic slug or label; repeat: all of them", max_length=20),
    ] = [],  # noqa: B006
    source: Annotated[
        str | None, Query(description="source key, e.g. mst", pattern=_SOURCE)
    ] = None,
    lang: Annotated[
        str | None, Query(description="language code, e.g. vi, en (also en-US)", pattern=_LANG)
    ] = None,
    since: Annotated[
        str | None,
        Query(
            description="published at or after: a date (2026-09-01) or a date-time "
            "(2026-09-01T08:00+07:00); without a zone it is Vietnam time",
            json_schema_extra=WHEN_SCHEMA,
        ),
    ] = None,
    until: Annotated[
        str | None,
        Query(description="published before (as since)", json_schema_extra=WHEN_SCHEMA),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            description='full text: every word, accents optional ("chuyen doi so"); '
            '"a phrase", prefix*',
            max_length=MAX_QUERY_LENGTH,
        ),
    ] = None,
    include_irrelevant: Annotated[
        bool,
        Query(
            description="also articles tagged as not about science, technology or "
            "digital transformation"
        ),
    ] = False,  # fmt: skip
) -> ArticleFilters:
    provinces: list[str] = []
    for name in province:
        slug = resolve_province(clean(name) or "").slug
        if slug not in provinces:
            provinces.append(slug)
    topics: list[str] = []
    for name in topic:
        slug = resolve_topic(clean(name) or "").slug
        if slug not in topics:
            topics.append(slug)
    return ArticleFilters(
        provinces=tuple(provinces),
        topics=tuple(topics),
        source=resolve_source(session, source) if source else None,
        lang=lang.lower() if lang else None,
        since=parse_when(since, "since"),
        until=parse_when(until, "until"),
        q=clean(q),
        include_irrelevant=include_irrelevant,
    )
