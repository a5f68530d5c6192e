"""Tag timelines: each province's and each topic's articles in listing order, kept by triggers.

``province_timeline`` and ``topic_timeline`` hold ``(tag, listed_at, article_id)``, where
``listed_at`` is the article's ``published_at`` (year 1 when undated), so a province feed reads
one range of a primary key instead of building the list of all the province's articles
(storage/timeline.py). Triggers keep them in step with ``article_provinces``,
``article_topics`` and ``articles.published_at`` whoever writes; a later migration that
rebuilds one of those tables (batch mode) drops its triggers with it and must create them
again (``tests/storage/test_timeline.py`` checks they exist). Existing tags are copied in.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (("province_timeline", "province", 32, "article_provinces"),
          ("topic_timeline", "topic", 48, "article_topics"))  # fmt: skip
SQLITE_UNDATED = "'0001-01-01 00:00:00.000000'"  # how SQLAlchemy stores year 1 on SQLite
POSTGRESQL_UNDATED = "TIMESTAMP '0001-01-01 00:00:00'"


def _sqlite_up(timeline: str, tag: str, source: str) -> list[str]:
    def add(row: str) -> str:
        return (f"INSERT OR IGNORE INTO {timeline} ({tag}, listed_at, article_id) "
                f"SELECT {row}.{tag}, coalesce(published_at, {SQLITE_UNDATED}), id "
                f"FROM articles WHERE id = {row}.article_id;")  # fmt: skip

    # A tag's last row for the article gone (a province may be there in several roles).
    remove = (f"DELETE FROM {timeline} WHERE article_id = old.article_id "
              f"AND {tag} = old.{tag} AND NOT EXISTS (SELECT 1 FROM {source} "
              f"WHERE article_id = old.article_id AND {tag} = old.{tag});")  # fmt: skip
    return [
        f"CREATE TRIGGER {timeline}_insert AFTER INSERT ON {source} BEGIN {add('new')} END",
        f"CREATE TRIGGER {timeline}_delete AFTER DELETE ON {source} BEGIN {remove} END",
        f"CREATE TRIGGER {timeline}_update AFTER UPDATE OF article_id, {tag} ON {source} "
        f"BEGIN {remove} {add('new')} END",
        f"INSERT OR IGNORE INTO {timeline} ({tag}, listed_at, article_id) "
        f"SELECT t.{tag}, coalesce(a.published_at, {SQLITE_UNDATED}), a.id "
        f"FROM {source} AS t JOIN articles AS a ON a.id = t.article_id",
    ]


SQLITE_MOVED = (
    "CREATE TRIGGER timelines_published_at AFTER UPDATE OF published_at ON articles BEGIN "
    f"UPDATE province_timeline SET listed_at = coalesce(new.published_at, {SQLITE_UNDATED}) "
    "WHERE article_id = new.id; "
    f"UPDATE topic_timeline SET listed_at = coalesce(new.published_at, {SQLITE_UNDATED}) "
    "WHERE article_id = new.id; END"
)


def _postgresql_up(timeline: str, tag: str, source: str) -> list[str]:
    return [
        f"""CREATE FUNCTION {timeline}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM {timeline} WHERE article_id = OLD.article_id AND {tag} = OLD.{tag}
            AND NOT EXISTS (SELECT 1 FROM {source}
                            WHERE article_id = OLD.article_id AND {tag} = OLD.{tag});
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO {timeline} ({tag}, listed_at, article_id)
            SELECT NEW.{tag}, coalesce(published_at, {POSTGRESQL_UNDATED}), id
            FROM articles WHERE id = NEW.article_id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$""",
        f"CREATE TRIGGER {timeline}_sync AFTER INSERT OR DELETE OR UPDATE OF article_id, {tag} "
        f"ON {source} FOR EACH ROW EXECUTE FUNCTION {timeline}_sync()",
        f"INSERT INTO {timeline} ({tag}, listed_at, article_id) "
        f"SELECT DISTINCT t.{tag}, coalesce(a.published_at, {POSTGRESQL_UNDATED}), a.id "
        f"FROM {source} AS t JOIN articles AS a ON a.id = t.article_id",
    ]


POSTGRESQL_MOVED = (
    f"""CREATE FUNCTION timelines_published_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE province_timeline SET listed_at = coalesce(NEW.published_at, {POSTGRESQL_UNDATED})
        WHERE article_id = NEW.id;
    UPDATE topic_timeline SET listed_at = coalesce(NEW.published_at, {POSTGRESQL_UNDATED})
        WHERE article_id = NEW.id;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER timelines_published_at AFTER UPDATE OF published_at ON articles "
    "FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at) "
    "EXECUTE FUNCTION timelines_published_at()",
)


def upgrade() -> None:
    for timeline, tag, length, _source in TABLES:
        op.create_table(
            timeline,
            sa.Column(tag, sa.String(length=length), nullable=False),
            sa.Column("listed_at", sa.DateTime(), nullable=False),
            sa.Column("article_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                ["article_id"],
                ["articles.id"],
                name=f"fk_{timeline}_article_id_articles",
                ondelete="CASCADE",
            ),  # fmt: skip
            sa.PrimaryKeyConstraint(tag, "listed_at", "article_id", name=f"pk_{timeline}"),
            sqlite_with_rowid=False,
        )
        op.create_index(f"ix_{timeline}_article_id", timeline, ["article_id"], unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        statements = [s for t, tag, _, source in TABLES for s in _sqlite_up(t, tag, source)]
        statements.append(SQLITE_MOVED)
    elif dialect == "postgresql":
        statements = [s for t, tag, _, source in TABLES for s in _postgresql_up(t, tag, source)]
        statements.extend(POSTGRESQL_MOVED)
    else:  # no triggers: storage.articles lists by tag without the timelines there
        statements = []
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS timelines_published_at")
        for timeline, *_ in TABLES:
            for suffix in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {timeline}_{suffix}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS timelines_published_at ON articles")
        op.execute("DROP FUNCTION IF EXISTS timelines_published_at()")
        for timeline, _tag, _length, source in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {timeline}_sync ON {source}")
            op.execute(f"DROP FUNCTION IF EXISTS {timeline}_sync()")
    for timeline, *_ in reversed(TABLES):
        op.drop_index(f"ix_{timeline}_article_id", table_name=timeline)
        op.drop_table(timeline)
