"""The ``articles`` table: storing an article idempotently, and every query on articles."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Row, Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from storage.engine import begin_write
from storage.models import Article, ArticleUrl, ArticleVersion, Source, require_aware, utcnow
from storage.search import text_condition
from storage.stories import story_to_dict
from storage.tags import tagged_filters, tags_to_dict, topic_condition
from storage.text import fold
from storage.timeline import DIALECTS, drivers, listing_key

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


def _escape(value: str) -> str:
    """``value`` as a literal in a LIKE pattern with ``escape="\\"``."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filters(
    *,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    text: str | None = None,
    provinces: Sequence[str] = (),
    topics: Sequence[str] = (),
    include_irrelevant: bool = True,
    dialect: str = "sqlite",
    lang: str | None = None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = tagged_filters(
        provinces=provinces, topics=topics, include_irrelevant=include_irrelevant
    )
    if source is not None:
        source_id = select(Source.id).where(Source.key == source).scalar_subquery()
        conditions.append(Article.source_id == source_id)
    if lang is not None:  # "en" is also "en-US"; codes are stored lower-case
        lang = lang.lower()
        region = Article.lang.like(_escape(lang) + "-%", escape="\\")
        conditions.append(or_(Article.lang == lang, region))
    if since is not None:
        conditions.append(Article.published_at >= require_aware(since, "since"))
    if until is not None:
        conditions.append(Article.published_at < require_aware(until, "until"))
    if text:
        matches = text_condition(text, dialect)  # full-text index of the database (search.py)
        if matches is not None:
            conditions.append(matches)
    return conditions


# What a listing reads of each article: enough to order, page, pick one per story and tell
# whether anything shown has changed (a feed's ETag), and no text; the page's few articles
# are then loaded whole (:func:`load_articles`). Reading whole rows for every candidate
# (twice a page, with their tags) was most of a listing's cost.
LISTED = (
    Article.id, Article.story_id, Article.relation, Article.published_at, Article.modified_at,
    Article.content_hash, Article.fetched_at, Article.updated_at, Article.tagged_at,
)  # fmt: skip
Listed = Row[tuple[int, int | None, str | None, datetime | None, datetime | None, str, datetime,
                   datetime | None, datetime | None]]  # fmt: skip


def query_articles(session: Session, **listing: Any) -> list[Article]:
    """The articles :func:`list_articles` lists (same parameters), loaded whole with their
    source and tags."""
    return load_articles(session, [row.id for row in list_articles(session, **listing)])


def list_articles(
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
    after: tuple[datetime | None, int] | None = None,
    lang: str | None = None,
) -> list[Listed]:
    """Articles newest published first (undated last, then newest stored first).

    ``source`` is a source key; ``since`` (inclusive) and ``until`` (exclusive) bound
    ``published_at`` and must be timezone-aware; ``text`` matches without accents or case:
    every word of it must occur in the folded title, summary or text ("da lat" finds "Đà Lạt"),
    as a whole word; ``"a phrase"`` and ``prefix*`` too (:mod:`storage.search`, full-text index).
    ``provinces`` (slugs: any of them, in any role) and ``topics`` (slugs: all of them) filter
    by tags; articles tagged irrelevant are left out unless ``include_irrelevant``.
    ``one_per_story``: of each story's matching articles only one, its original when it
    matches, else the earliest published. ``after``: the ``(published_at, id)`` of the last
    article of the previous page (keyset pagination, stable however the archive grows);
    :func:`page_key` gives it. ``lang``: a language code ("en" also finds "en-US").

    Returns :data:`LISTED` rows, not articles: enough for a caller that may not need the
    articles themselves (a feed answering ``304``); :func:`query_articles` loads them.
    Filtered by tags, the listing reads the tags' timelines (:mod:`storage.timeline`), so a
    page costs about the same whatever the size of the archive and of the province.
    """
    dialect = session.get_bind().dialect.name
    filters = _filters(source=source, since=since, until=until, text=text, lang=lang,
                       include_irrelevant=include_irrelevant, dialect=dialect)  # fmt: skip
    window = _window(session, filters, provinces, topics, dialect)
    if one_per_story:
        matching = [*filters, *tagged_filters(provinces=provinces, topics=topics,
                                              include_irrelevant=True)]  # fmt: skip
        return _first_of_each_story(session, window, matching, limit, offset, after)
    return window(after, limit + offset)[offset:]


def load_articles(session: Session, ids: Sequence[int]) -> list[Article]:
    """The articles of ``ids`` (with source and tags), in the order given."""
    if not ids:
        return []
    found = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(ids))).all()}
    return [found[i] for i in ids if i in found]


def list_members(session: Session, story_ids: Sequence[int]) -> dict[int, list[Listed]]:
    """The :data:`LISTED` rows of each of these stories' articles, by story (one query)."""
    found: dict[int, list[Listed]] = {story_id: [] for story_id in story_ids}
    if found:
        for row in session.execute(select(*LISTED).where(Article.story_id.in_(found))).all():
            found[row.story_id].append(row)
    return found


# A window of a listing: the first ``limit`` matching articles after a position, in order.
Window = Callable[[tuple[datetime | None, int] | None, int], list[Listed]]


def _window(
    session: Session,
    filters: list[ColumnElement[bool]],
    provinces: Sequence[str],
    topics: Sequence[str],
    dialect: str,
) -> Window:
    """How to read windows of the listing of articles matching ``filters`` and the tags: from
    the tags' timelines where the database keeps them, else from ``articles`` by date."""
    listing = select(*LISTED)
    timelines, other_topics = drivers(provinces, topics) if dialect in DIALECTS else ([], [])
    if not timelines:
        by_date = listing.where(
            *filters, *tagged_filters(provinces=provinces, topics=topics, include_irrelevant=True)
        ).order_by(Article.published_at.desc().nulls_last(), Article.id.desc())

        def from_articles(after: tuple[datetime | None, int] | None, limit: int) -> list[Listed]:
            keyset = [_after(*after)] if after is not None else []
            return list(session.execute(by_date.where(*keyset).limit(limit)).all())

        return from_articles
    tagged = listing.where(*filters, *(topic_condition(topic) for topic in other_topics))

    def from_timelines(after: tuple[datetime | None, int] | None, limit: int) -> list[Listed]:
        found: dict[int, Listed] = {}
        for timeline in timelines:  # several provinces: each one's window, merged
            for row in session.execute(timeline.page(tagged, after, limit)).all():
                found[row.id] = row
        if len(timelines) == 1:
            return list(found.values())
        return sorted(found.values(), key=listing_key, reverse=True)[:limit]

    return from_timelines


def page_key(article: Article | Listed) -> tuple[datetime | None, int]:
    """Where a page of :func:`query_articles` (or :func:`list_articles`) ended: pass it as
    ``after`` for the next page."""
    return article.published_at, article.id


def _after(published_at: datetime | None, article_id: int) -> ColumnElement[bool]:
    """Articles after this key in the listing's order (newest first, undated last, then
    newest stored first)."""
    if published_at is None:
        return and_(Article.published_at.is_(None), Article.id < article_id)
    published_at = require_aware(published_at, "after")
    return or_(
        Article.published_at < published_at,
        and_(Article.published_at == published_at, Article.id < article_id),
        Article.published_at.is_(None),
    )


def _story_rank(relation: str | None, published_at: datetime | None, article_id: int) -> tuple:
    """A story member's place in the choice of the one that stands for its story: the
    original first, then the earliest published (undated last), then the first stored."""
    return (relation != "original", published_at is None, published_at or datetime.min, article_id)


def _first_of_each_story(
    session: Session,
    window: Window,
    filters: list[ColumnElement[bool]],
    limit: int,
    offset: int,
    after: tuple[datetime | None, int] | None,
) -> list[Listed]:
    """The page of a one-per-story listing: of each story's articles matching ``filters``
    only the best ranked (:func:`_story_rank`; an article without a story stands alone).

    Candidates are read in the listing's order a window at a time; a candidate that is not
    its story's original is dropped when a member ranking before it matches the filters
    too (its story's members: one indexed query per window; the filters: one more, on those
    few members). A page thus costs about the same in an archive of ten thousand articles
    as in one of a million; ranking every matching article first (a window function) would
    not.
    """
    wanted = limit + offset  # copies outranked by their original need a few more candidates
    batch_size = wanted + max(wanted // 4, 10)
    picked: list[Listed] = []
    skip, position = offset, after
    while len(picked) < limit:
        batch = window(position, batch_size)
        outranked = _outranked(session, filters, batch)
        for article in batch:
            if article.id in outranked:
                continue  # another member of its story stands for it
            if skip:
                skip -= 1
                continue
            picked.append(article)
            if len(picked) == limit:
                break
        if len(batch) < batch_size:
            break
        position = page_key(batch[-1])
    return picked


def _outranked(
    session: Session, filters: list[ColumnElement[bool]], candidates: list[Listed]
) -> set[int]:
    """Ids of the candidates some other member of their story, matching ``filters``, ranks
    before. An original is never outranked, so only copies need a look at their story."""
    copies = [a for a in candidates if a.story_id is not None and a.relation != "original"]
    if not copies:
        return set()
    ranked: dict[int, list[tuple[tuple, int]]] = {}  # story id -> (rank, id) of each member
    for story_id, relation, published_at, member_id in session.execute(
        select(Article.story_id, Article.relation, Article.published_at, Article.id).where(
            Article.story_id.in_({a.story_id for a in copies})
        )
    ):
        ranked.setdefault(story_id, []).append(
            (_story_rank(relation, published_at, member_id), member_id)
        )
    before: dict[int, set[int]] = {}  # candidate id -> ids of members ranking before it
    for copy in copies:
        rank = _story_rank(copy.relation, copy.published_at, copy.id)
        before[copy.id] = {m for r, m in ranked.get(copy.story_id, ()) if r < rank}
    maybe = set().union(*before.values())
    if not maybe:
        return set()
    matching = set(session.scalars(select(Article.id).where(Article.id.in_(maybe), *filters)))
    return {copy_id for copy_id, ids in before.items() if ids & matching}


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
