"""Stories and the deduplication index: stories, every URL of an article, credit/alternate
links, fingerprints, LSH bands, rare features by day, and previous versions of articles.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"], ["articles.id"], name=f"fk_{table}_article_id_articles", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("original_id", sa.Integer(), nullable=True),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["original_id"], ["articles.id"], name="fk_stories_original_id_articles",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into"], ["stories.id"], name="fk_stories_merged_into_stories"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )  # fmt: skip
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("story_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("relation", sa.String(length=16), nullable=True))
        batch.create_index("ix_articles_story_id", ["story_id"])
        batch.create_foreign_key("fk_articles_story_id_stories", "stories", ["story_id"], ["id"])
    op.create_table(
        "article_urls",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        _article_fk("article_urls"),
        sa.PrimaryKeyConstraint("url", name="pk_article_urls"),
    )
    op.create_index("ix_article_urls_article_id", "article_urls", ["article_id"])
    op.create_table(
        "article_links",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _article_fk("article_links"),
        sa.PrimaryKeyConstraint("article_id", "url", "kind", name="pk_article_links"),
    )
    op.create_index("ix_article_links_url", "article_links", ["url"])
    op.create_table(
        "article_fingerprints",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.String(length=32), nullable=False),
        _article_fk("article_fingerprints"),
        sa.PrimaryKeyConstraint("article_id", name="pk_article_fingerprints"),
    )
    op.create_index("ix_article_fingerprints_text_hash", "article_fingerprints", ["text_hash"])
    op.create_table(
        "dedup_bands",
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        _article_fk("dedup_bands"),
        sa.PrimaryKeyConstraint("band_key", "article_id", name="pk_dedup_bands"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_dedup_bands_article_id", "dedup_bands", ["article_id"])
    op.create_table(
        "dedup_features",
        sa.Column("feature_key", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        _article_fk("dedup_features"),
        sa.PrimaryKeyConstraint("feature_key", "day", "article_id", name="pk_dedup_features"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_dedup_features_article_id", "dedup_features", ["article_id"])
    op.create_table(
        "article_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("modified_at", sa.DateTime(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        _article_fk("article_versions"),
        sa.PrimaryKeyConstraint("id", name="pk_article_versions"),
    )
    op.create_index("ix_article_versions_article_id", "article_versions", ["article_id"])


def downgrade() -> None:
    for table in ("article_versions", "dedup_features", "dedup_bands", "article_fingerprints",
                  "article_links", "article_urls"):  # fmt: skip
        op.drop_table(table)
    with op.batch_alter_table("articles") as batch:
        batch.drop_constraint("fk_articles_story_id_stories", type_="foreignkey")
        batch.drop_index("ix_articles_story_id")
        batch.drop_column("relation")
        batch.drop_column("story_id")
    op.drop_table("stories")
