"""The archive's tables as typed SQLAlchemy models.

Only storage code builds queries on these; other packages receive the objects and read their
attributes. Every change to a table is a new Alembic migration under ``migrations/versions``;
``tests/storage`` checks that the migrations and these models describe the same schema.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    false,
    select,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    aliased,
    column_property,
    mapped_column,
    relationship,
    validates,
)
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (the only kind the archive accepts)."""
    return datetime.now(UTC)


def require_aware(value: datetime | None, what: str = "datetime") -> datetime | None:
    """``value`` unchanged if timezone-aware (or ``None``); a naive one raises ``ValueError``.

    Whether a naive time is UTC or Vietnam time is a question for the caller (the importer
    reads it as Vietnam time), not one storage can answer, so it refuses to guess.
    """
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(
            f"naive {what} {value.isoformat()} given to the archive: "
            "pass a timezone-aware datetime (e.g. datetime.now(UTC))"
        )
    return value


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out; stored as naive UTC.

    SQLite has no time zones and PostgreSQL's ``timestamp with time zone`` would convert to the
    session's zone, so the column holds plain UTC and the zone is attached on the way out.
    Naive input is refused (:func:`require_aware`); the models also check on assignment, so
    the ``ValueError`` reaches the caller unwrapped, where the mistake is.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if require_aware(value) is None:
            return None
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:  # a driver that already returns aware values
            return value.astimezone(UTC)
        return value.replace(tzinfo=UTC)


# Named constraints, so that later migrations can drop or alter them by name (SQLite's batch
# mode rebuilds tables and needs the names).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of the archive; its metadata is the migrations' target."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    @validates(
        "created_at",
        "published_at",
        "modified_at",
        "fetched_at",
        "updated_at",
        "started_at",
        "finished_at",
        "tagged_at",
        "replaced_at",
    )
    def _check_aware(self, key: str, value: datetime | None) -> datetime | None:
        return require_aware(value, key)


class Source(Base):
    """A site the archive takes articles from, identified by a stable ``key`` (e.g. ``mst``)."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    host: Mapped[str] = mapped_column(String(255))
    spider: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str | None] = mapped_column(String(16))
    province: Mapped[str | None] = mapped_column(String(64))  # slug of the source's own province
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"Source(id={self.id!r}, key={self.key!r})"


class Article(Base):
    """One stored article, keyed by its canonical URL.

    ``extraction`` records which step answered each field (``{"title": "selector"}``), so a site
    whose layout changed shows up as a rise in fallbacks. ``search_text`` is the folded
    title, summary and text (:func:`storage.text.fold`) that accent-insensitive queries match.
    ``updated_at`` stays NULL until a re-fetch finds changed content.
    """

    __tablename__ = "articles"
    __table_args__ = (
        Index(None, "source_id", "published_at"),
        Index(None, "published_at"),
        Index(None, "url"),  # article_known() looks requested URLs up before fetching
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True, index=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)  # sanitized by the pipeline
    author: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    category: Mapped[str | None] = mapped_column(Text)
    images: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # {"url","caption"}
    lang: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of title/summary/text
    extraction: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Republications: the outlet credited and the original article's URL (dedup trusts these).
    credited_outlet: Mapped[str | None] = mapped_column(Text)
    credited_url: Mapped[str | None] = mapped_column(Text, index=True)
    alternates: Mapped[dict[str, str]] = mapped_column(
        JSON, default=dict, server_default=sql_text("'{}'")
    )  # hreflang code -> URL of the page's other language editions
    # Tags (crawler.tagging): NULL ``relevant`` means not tagged yet. ``tagging_version`` says
    # which gazetteer/taxonomy/code produced them, so a re-tag knows what is current.
    primary_province: Mapped[str | None] = mapped_column(String(32), index=True)
    relevant: Mapped[bool | None] = mapped_column(Boolean, index=True)
    tagging_version: Mapped[str | None] = mapped_column(String(64))
    tagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Its story (crawler.dedup): every article belongs to exactly one once deduplicated;
    # ``relation`` is ``original``, ``republished`` (same language) or ``translated``.
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"), index=True)
    relation: Mapped[str | None] = mapped_column(String(16))

    # Many-to-one and small: always loaded with the article, so an article read in one session
    # can be exported (``source.key``) after that session has closed.
    source: Mapped[Source] = relationship(lazy="joined", innerjoin=True)
    # Small per article and always exported with it: loaded in one extra query per batch.
    provinces: Mapped[list[ArticleProvince]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ArticleProvince.position"
    )
    topics: Mapped[list[ArticleTopic]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ArticleTopic.position"
    )

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, canonical_url={self.canonical_url!r})"


class Story(Base):
    """One report, however many sites and languages carried it.

    ``original_id`` is the article the credits point to, else the earliest published. A story
    merged into another keeps its row with ``merged_into`` set, so an old story id still
    leads somewhere.
    """

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    original_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL", use_alter=True)
    )
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("stories.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ArticleUrl(Base):
    """Every URL an article was seen under (fetched, canonical link, tracking variants): each
    resolves to exactly one article."""

    __tablename__ = "article_urls"

    url: Mapped[str] = mapped_column(Text, primary_key=True)  # canonical form
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )


class ArticleLink(Base):
    """A URL an article points at as its original (``credit``) or as another language edition
    (``alternate``), canonical form; indexed by URL, so the article it names can find the
    articles pointing at it when it arrives later."""

    __tablename__ = "article_links"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    url: Mapped[str] = mapped_column(Text, primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)


class ArticleFingerprint(Base):
    """What the near-duplicate index knows of an article (crawler.dedup.fingerprint)."""

    __tablename__ = "article_fingerprints"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    features: Mapped[list[str]] = mapped_column(JSON, default=list)
    lang: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[str] = mapped_column(String(32))  # which fingerprinter made it


class DedupBand(Base):
    """LSH band keys of article signatures: articles sharing a key are candidates."""

    __tablename__ = "dedup_bands"
    __table_args__ = {"sqlite_with_rowid": False}

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DedupFeature(Base):
    """Rare language-independent features (document numbers, URLs, specific numbers) by
    publication day, for finding translations without a link inside a date window."""

    __tablename__ = "dedup_features"
    __table_args__ = {"sqlite_with_rowid": False}

    feature_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)  # days since 1970-01-01, UTC
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ArticleVersion(Base):
    """A previous version of an article, kept when a re-fetch of its URL found new content:
    the ``updated`` relation of its story."""

    __tablename__ = "article_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ArticleProvince(Base):
    """A province an article is tagged with, in one role (``source``, ``primary`` or
    ``mentioned``). Code and name are copied from the gazetteer so the archive can be read
    (and exported) without it; a re-tag refreshes them."""

    __tablename__ = "article_provinces"
    __table_args__ = (Index(None, "province", "role"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    province: Mapped[str] = mapped_column(String(32), primary_key=True)  # slug
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order the tagger gave
    code: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(64))
    names: Mapped[list[str]] = mapped_column(JSON, default=list)  # the forms found in the text
    old_names: Mapped[list[str]] = mapped_column(JSON, default=list)  # pre-2025 names found


class ArticleTopic(Base):
    """A topic an article is tagged with (slug of the taxonomy) and the tagger's score."""

    __tablename__ = "article_topics"
    __table_args__ = (Index(None, "topic"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(48), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # best first
    score: Mapped[float] = mapped_column(Float, default=0.0)


class _Timeline:
    """Shared columns of the tag timelines: a tag's articles in listing order.

    One row per article and tag (a province named in two roles is listed once), keyed by
    ``(tag, listed_at, article_id)``; ``listed_at`` is the article's ``published_at``, or
    year 1 for an undated article (:data:`storage.timeline.UNDATED`: it sorts last, as undated
    articles do in every listing). The key is the listing's order itself, so "the newest N
    articles of a province after this position" is one range of the key, read backwards and
    stopped after N rows, however many articles the province has.

    Derived data the application never writes: triggers on ``article_provinces``,
    ``article_topics`` and ``articles.published_at`` keep it in step with every writer
    (:mod:`storage.timeline`, migration 0007).
    """

    listed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )


class ProvinceTimeline(_Timeline, Base):
    """Each province's articles (any role) in listing order (:class:`_Timeline`)."""

    __tablename__ = "province_timeline"
    __table_args__ = (
        PrimaryKeyConstraint("province", "listed_at", "article_id"),
        {"sqlite_with_rowid": False},
    )

    province: Mapped[str] = mapped_column(String(32))


class TopicTimeline(_Timeline, Base):
    """Each topic's articles in listing order (:class:`_Timeline`)."""

    __tablename__ = "topic_timeline"
    __table_args__ = (
        PrimaryKeyConstraint("topic", "listed_at", "article_id"),
        {"sqlite_with_rowid": False},
    )

    topic: Mapped[str] = mapped_column(String(48))


class CrawlRun(Base):
    """One crawl of one spider: when, how it ended, and what it did.

    ``status`` is ``running`` until the crawl closes, then ``ok``, ``unreachable``, ``failed``
    or ``interrupted``; a row left ``running`` is a crawl whose process died.
    """

    __tablename__ = "crawl_runs"
    __table_args__ = (Index(None, "spider"), Index(None, "source_id"))  # last run per source

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    spider: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="running")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message: Mapped[str | None] = mapped_column(Text)
    # Extraction health of the run (crawler.health): shares, counts, reasons; ``degraded``
    # is set when the site's selectors stopped matching.
    health: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, server_default=sql_text("'{}'")
    )
    degraded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Who started it (``manual``: the CLI; ``schedule``: the scheduler) and the process that
    # ran it, so a run left ``running`` by a dead process can be told from a live one.
    trigger: Mapped[str] = mapped_column(
        String(16), default="manual", server_default=sql_text("'manual'")
    )
    pid: Mapped[int | None] = mapped_column(Integer)

    source: Mapped[Source | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"CrawlRun(id={self.id!r}, spider={self.spider!r}, status={self.status!r})"


class Schedule(Base):
    """When a source is crawled: a fixed cron expression, or an interval that adapts to how
    often the source publishes, between ``min_seconds`` and ``max_seconds``.

    The scheduler's own job rows live in APScheduler's job store (same database); this row is
    what the user asked for and why the interval is what it is now.
    """

    __tablename__ = "schedules"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)  # source key
    kind: Mapped[str] = mapped_column(String(16))  # interval | cron
    cron: Mapped[str | None] = mapped_column(String(128))
    interval_seconds: Mapped[int | None] = mapped_column(Integer)  # current interval
    base_seconds: Mapped[int | None] = mapped_column(Integer)  # what the user asked for
    min_seconds: Mapped[int | None] = mapped_column(Integer)
    max_seconds: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)  # why the interval is what it is
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    timeout_seconds: Mapped[int] = mapped_column(Integer, default=3600)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SchedulerJob(Base):
    """A row of APScheduler's SQLAlchemy job store (``vnnews scheduler``), laid out as
    APScheduler lays it out: the pickled job and its next run time (Unix time, UTC; ``None``
    while paused). APScheduler alone writes it; vnnews reads ``next_run_time`` for
    ``schedule list`` and ``status``.
    """

    __tablename__ = "apscheduler_jobs"
    __table_args__ = (Index(None, "next_run_time"),)

    id: Mapped[str] = mapped_column(String(191), primary_key=True)  # "crawl:<source>"
    next_run_time: Mapped[float | None] = mapped_column(Float(25))
    job_state: Mapped[bytes] = mapped_column(LargeBinary)


class HttpValidator(Base):
    """The validators a feed, sitemap or listing URL last answered with, for conditional GET."""

    __tablename__ = "http_validators"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(64))  # the header, verbatim
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def _original_url_of_story() -> Any:
    """The URL of the story's original, as a column of every article (export's
    ``original_url``): one correlated lookup by primary keys."""
    original = aliased(Article)
    return (
        select(original.url)
        .join(Story, Story.original_id == original.id)
        .where(Story.id == Article.story_id)
        .correlate_except(Story, original)
        .scalar_subquery()
    )


Article.original_url = column_property(_original_url_of_story())
