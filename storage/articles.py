"""The ``articles`` table: storing an article idempotently, and every query on articles."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from storage.engine import begin_write
from storage.models import Article, ArticleUrl, ArticleVersion, Source, require_aware, utcnow
from storage.stories import story_to_dict
from storage.tags import tagged_filters, tags_to_dict
from storage.text import fold

REQUIRED = ("url", "canonical_url", "source", "title", "content_hash")
# Fields copied from the record as they are (``None`` where the record lacks them).
_PLAIN_FIELDS = (
    "url",
    "title",
    "summary",
    "text",
    "body_html",
    "author",
    "category",
    "lang",
    "published_at",
    "modified_at",
    "content_hash",
    "credited_outlet",
    "credited_url",
)
_LIKE_ESCAPE = "\\"


@dataclass
class StoreOutcome:
    """What :func:`store_article` did: ``new`` row, ``duplicate`` (nothing written) or
    ``updated`` content, and the article's id."""

    status: Literal["new", "duplicate", "updated"]
    article_id: int


def _search_text(values: Mapping[str, Any]) -> str:
    parts = (values.get("title"), values.get("summary"), values.get("text"))
    return fold(" ".join(part for part in parts if part))


def _values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Column values for ``data``, a record as :func:`store_article` takes it."""
    missing = [key for key in REQUIRED if not data.get(key)]
    if missing:
        raise ValueError(f"article record lacks {', '.join(missing)}: {data.get('url')!r}")
    values = {field: data.get(field) for field in _PLAIN_FIELDS}
    values["tags"] = list(data.get("tags") or [])
    values["images"] = [dict(image) for image in data.get("images") or []]
    values["extraction"] = dict(data.get("extraction") or {})
    values["alternates"] = dict(data.get("alternates") or {})
    values["fetched_at"] = data.get("fetched_at") or utcnow()
    values["search_text"] = _search_text(values)
    return values


def store_article(session: Session, data: Mapping[str, Any]) -> StoreOutcome:
    """Store one normalized article record, once per canonical URL; the caller commits.

    - a new canonical URL is inserted: ``new``;
    - a known one with the same ``content_hash`` is left alone: ``duplicate`` (a re-crawl
      writes nothing, not even ``fetched_at``);
    - a known one with another hash takes the record's values, ``updated_at`` is set:
      ``updated``. The stored row is the latest version as a whole (its fields agree with its
      hash), and keeps its first source and id.

    Two writers storing the same new URL at once end with one row: the insert runs in a
    SAVEPOINT, and the loser's unique-constraint error is rolled back to it and retried as the
    duplicate-or-update path, without disturbing the rest of the caller's transaction. (On
    SQLite, :func:`~storage.engine.begin_write` already serializes the writers.)

    ``data`` is the normalize stage's record: ``url``, ``canonical_url``, ``source``,
    ``title`` and ``content_hash`` (sha256 hex) are required; ``summary``, ``text``,
    ``body_html``, ``author``, ``tags``, ``category``, ``images`` (``{"url", "caption"}``),
    ``lang``, ``published_at``, ``modified_at``, ``fetched_at`` (aware datetimes; ``fetched_at``
    defaults to now), ``extraction`` (field -> method), ``credited_outlet``, ``credited_url``
    and ``alternates`` (hreflang code -> URL) are optional. ``source`` is a source
    key whose row must exist (:func:`storage.ensure_source`), else ``LookupError``.
    """
    values = _values(data)
    canonical_url = data["canonical_url"]
    source_id = session.scalar(select(Source.id).where(Source.key == data["source"]))
    if source_id is None:
        raise LookupError(
            f"unknown source {data['source']!r} for {canonical_url}: "
            "create it first with ensure_source()"
        )
    aliases = sorted({canonical_url, *(data.get("aliases") or ())})
    begin_write(session)
    lookup = (
        select(Article)
        .where(
            or_(
                Article.canonical_url == canonical_url,
                Article.id.in_(select(ArticleUrl.article_id).where(ArticleUrl.url.in_(aliases))),
            )
        )
        .order_by(Article.id)
        .limit(1)
        # The session may hold this article from earlier work (expire_on_commit=False keeps
        # it): compare with the row as it is now, not as it was then.
        .execution_options(populate_existing=True)
    )
    for attempt in (1, 2):
        existing = session.scalar(lookup)
        if existing is not None:
            _add_aliases(session, existing.id, aliases)
            if existing.content_hash == values["content_hash"]:
                return StoreOutcome("duplicate", existing.id)
            session.add(_previous_version(existing))
            for field, value in values.items():
                setattr(existing, field, value)
            existing.updated_at = utcnow()
            session.flush()
            return StoreOutcome("updated", existing.id)
        article = Article(source_id=source_id, canonical_url=canonical_url, **values)
        try:
            with session.begin_nested():
                session.add(article)
                session.flush()
                _add_aliases(session, article.id, aliases)
        except IntegrityError:
            if attempt == 2:
                raise  # not a lost race: the row itself is wrong
            continue  # a concurrent writer inserted this URL first: compare with its row
        return StoreOutcome("new", article.id)
    raise AssertionError("unreachable")


def _add_aliases(session: Session, article_id: int, urls: Sequence[str]) -> None:
    """Remember every URL the article was seen under; a URL already taken stays with its
    first article (one URL, one article)."""
    known = set(session.scalars(select(ArticleUrl.url).where(ArticleUrl.url.in_(urls))).all())
    for url in urls:
        if url not in known:
            session.add(ArticleUrl(url=url, article_id=article_id))
    session.flush()


def _previous_version(article: Article) -> ArticleVersion:
    """The article as it was, before a re-fetch replaces its content."""
    return ArticleVersion(
        article_id=article.id, title=article.title, summary=article.summary,
        text=article.text, content_hash=article.content_hash,
        published_at=article.published_at, modified_at=article.modified_at,
        fetched_at=article.fetched_at,
    )  # fmt: skip


def article_known(session: Session, url: str) -> bool:
    """Whether an article with this URL is archived: its canonical URL, the URL it was
    fetched from, or any alias (all indexed); the crawler asks before requesting an article
    page, so known pages are not fetched again."""
    found = session.scalar(
        select(Article.id).where(or_(Article.canonical_url == url, Article.url == url)).limit(1)
    ) or session.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url == url))
    return found is not None


def article_for_url(session: Session, url: str) -> int | None:
    """The id of the article a (canonical) URL belongs to, through its aliases."""
    return session.scalar(
        select(ArticleUrl.article_id).where(ArticleUrl.url == url)
    ) or session.scalar(select(Article.id).where(Article.canonical_url == url))


def _escape_like(term: str) -> str:
    return (
        term.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
        .replace("%", _LIKE_ESCAPE + "%")
        .replace("_", _LIKE_ESCAPE + "_")
    )


def _filters(
    *,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    text: str | None = None,
    provinces: Sequence[str] = (),
    topics: Sequence[str] = (),
    include_irrelevant: bool = True,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = tagged_filters(
        provinces=provinces, topics=topics, include_irrelevant=include_irrelevant
    )
    if source is not None:
        source_id = select(Source.id).where(Source.key == source).scalar_subquery()
        conditions.append(Article.source_id == source_id)
    if since is not None:
        conditions.append(Article.published_at >= require_aware(since, "since"))
    if until is not None:
        conditions.append(Article.published_at < require_aware(until, "until"))
    if text:
        for word in fold(text).split():
            pattern = f"%{_escape_like(word)}%"
            conditions.append(Article.search_text.like(pattern, escape=_LIKE_ESCAPE))
    return conditions


def query_articles(
    session: Session,
    *,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    text: str | None = None,
    provinces: Sequence[str] = (),
    topics: Sequence[str] = (),
    include_irrelevant: bool = False,
    one_per_story: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> list[Article]:
    """Articles newest published first (undated last, then newest stored first).

    ``source`` is a source key; ``since`` (inclusive) and ``until`` (exclusive) bound
    ``published_at`` and must be timezone-aware; ``text`` matches without accents or case:
    every word of it must occur in the folded title, summary or text ("da lat" finds "Đà Lạt").
    ``provinces`` (slugs: any of them, in any role) and ``topics`` (slugs: all of them) filter
    by tags; articles tagged irrelevant are left out unless ``include_irrelevant``.
    ``one_per_story``: of each story's matching articles only one, its original when it
    matches, else the earliest published.
    """
    filters = _filters(source=source, since=since, until=until, text=text, provinces=provinces,
                       topics=topics, include_irrelevant=include_irrelevant)  # fmt: skip
    if one_per_story:
        filters = [Article.id.in_(_first_of_each_story(filters))]
    stmt = (
        select(Article)
        .where(*filters)
        .options(joinedload(Article.source, innerjoin=True))
        .order_by(Article.published_at.desc().nulls_last(), Article.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(stmt).all())


def _first_of_each_story(filters: list[ColumnElement[bool]]) -> Select:
    """Ids of the best matching member of each story (an article without a story stands
    alone): the original, else the earliest published, else the first stored."""
    rank = func.row_number().over(
        partition_by=func.coalesce(Article.story_id, -Article.id),
        order_by=(
            (Article.relation == "original").desc(),
            Article.published_at.asc().nulls_last(),
            Article.id,
        ),
    )
    ranked = select(Article.id.label("id"), rank.label("rank")).where(*filters).subquery()
    return select(ranked.c.id).where(ranked.c.rank == 1)


def iter_articles(
    session: Session,
    *,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    provinces: Sequence[str] = (),
    topics: Sequence[str] = (),
    include_irrelevant: bool = True,
    batch_size: int = 500,
) -> Iterator[Article]:
    """Every matching article in id order, fetched ``batch_size`` at a time for export.

    Keyset pagination (``id > last``) rather than OFFSET keeps each batch as cheap as the
    first, and the session's weak identity map lets exported rows be freed, so memory stays
    flat however large the archive.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    base: Select[Article] = (
        select(Article)
        .where(
            *_filters(
                source=source,
                since=since,
                until=until,
                provinces=provinces,
                topics=topics,
                include_irrelevant=include_irrelevant,
            )
        )  # fmt: skip
        .options(joinedload(Article.source, innerjoin=True))
        .order_by(Article.id)
        .limit(batch_size)
    )
    last_id = 0
    while True:
        batch = session.scalars(base.where(Article.id > last_id)).all()
        yield from batch
        if len(batch) < batch_size:
            return
        last_id = batch[-1].id


def count_articles(session: Session, *, source: str | None = None) -> int:
    """How many articles the archive holds, in all or from the source with key ``source``."""
    stmt = select(func.count(Article.id)).where(*_filters(source=source))
    return session.scalar(stmt) or 0


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def article_to_dict(article: Article) -> dict[str, Any]:
    """The export record (``vnnews export``/``query``): JSON-ready, dates ISO 8601 in UTC.

    Only what the archive holds: the tag fields (``primary_province``, ``provinces``,
    ``topics``, ``relevant``) once the article is tagged, the story fields (``story_id``,
    ``is_original``, ``original_url``, ``relation``) once it is in a story.
    """
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "source": article.source.key,
        "title": article.title,
        "summary": article.summary,
        "text": article.text,
        "lang": article.lang,
        "published_at": _iso(article.published_at),
        "modified_at": _iso(article.modified_at),
        "fetched_at": _iso(article.fetched_at),
        "author": article.author,
        "tags": list(article.tags or []),
        "category": article.category,
        "images": [dict(image) for image in article.images or []],
        "content_hash": article.content_hash,
        "extraction": dict(article.extraction or {}),
        "credited_outlet": article.credited_outlet,
        "credited_url": article.credited_url,
        "alternates": dict(article.alternates or {}),
        **tags_to_dict(article),
        **story_to_dict(article),
    }
