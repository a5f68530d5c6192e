"""Listing a province's or a topic's articles newest first, at a cost that does not grow with
the archive.

``query_articles(provinces=[...])`` used to select from ``articles`` where the id is in the
list of all the province's article ids: a list built on every request, as long as the
province is big (a tenth of a million-article archive). The tag timelines
(:class:`~storage.models.ProvinceTimeline`, :class:`~storage.models.TopicTimeline`) are
keyed in the listing's own order, ``(tag, listed_at, article_id)``, so a page is a range of
that key read backwards from the cursor, joined to ``articles`` by primary key, and stopped
as soon as it holds enough rows that pass the other filters.

The timelines are derived data: triggers (migration 0007) write them whenever
``article_provinces``, ``article_topics`` or ``articles.published_at`` change, on SQLite and
on PostgreSQL, so the crawler, an import, ``vnnews retag`` or raw SQL all keep them current.
Other databases have no triggers and are listed without the timelines (correct, slower).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Row, Select, tuple_

from storage.models import Article, ProvinceTimeline, TopicTimeline

# ``listed_at`` of an undated article: before every real date, so last when newest come first.
UNDATED = datetime(1, 1, 1, tzinfo=UTC)
DIALECTS = ("sqlite", "postgresql")  # where migration 0007 created the triggers
# Trigger names, for the tests that check a migration left them in place.
SQLITE_TRIGGERS = (
    "province_timeline_insert", "province_timeline_delete", "province_timeline_update",
    "topic_timeline_insert", "topic_timeline_delete", "topic_timeline_update",
    "timelines_published_at",
)  # fmt: skip
POSTGRESQL_TRIGGERS = ("province_timeline_sync", "topic_timeline_sync", "timelines_published_at")

Timeline = type[ProvinceTimeline] | type[TopicTimeline]


def listed_at(published_at: datetime | None) -> datetime:
    return UNDATED if published_at is None else published_at


def listing_key(article: Article | Row) -> tuple[datetime, int]:
    """An article's place in every listing (compare descending: newest first, undated last,
    then the higher id first)."""
    return listed_at(article.published_at), article.id


@dataclass(frozen=True)
class Driver:
    """One timeline range that yields a listing: the rows of ``table`` whose tag is ``tag``."""

    table: Timeline
    tag: str

    def tag_column(self) -> ColumnElement:
        table = self.table
        return table.province if table is ProvinceTimeline else table.topic  # type: ignore[union-attr]

    def page(
        self,
        stmt: Select,
        after: tuple[datetime | None, int] | None,
        limit: int,
    ) -> Select:
        """``stmt`` (a select of articles, filtered) limited to this tag's articles after the
        position ``after`` (``(published_at, id)`` of the previous page's last article), in
        listing order, ``limit`` of them: an index range scan that stops at ``limit``."""
        table = self.table
        stmt = stmt.join(table, table.article_id == Article.id).where(self.tag_column() == self.tag)
        if after is not None:
            published_at, article_id = after
            # a plain tuple takes the columns' types (UTCDateTime converts the time to UTC)
            key = (listed_at(published_at), article_id)
            stmt = stmt.where(tuple_(table.listed_at, table.article_id) < key)
        return stmt.order_by(table.listed_at.desc(), table.article_id.desc()).limit(limit)


def drivers(provinces: Sequence[str], topics: Sequence[str]) -> tuple[list[Driver], list[str]]:
    """The timelines a tag-filtered listing reads, and the topics left to filter by.

    Provinces are "any of them": one timeline each, their pages merged. Topics are "all of
    them": the first topic's timeline alone is read when no province is asked for, and the
    other topics are conditions on its rows.
    """
    if provinces:
        return [Driver(ProvinceTimeline, slug) for slug in dict.fromkeys(provinces)], list(topics)
    if topics:
        return [Driver(TopicTimeline, topics[0])], list(topics[1:])
    return [], []
