"""Province and topic tags: article_provinces, article_topics, and the article's summary of
them (primary province, relevance, which tagger produced them).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("primary_province", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("relevant", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("tagging_version", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("tagged_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_articles_primary_province", ["primary_province"])
        batch.create_index("ix_articles_relevant", ["relevant"])
    op.create_table(
        "article_provinces",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("province", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("old_names", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_article_provinces_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "province", "role", name="pk_article_provinces"),
    )
    op.create_index("ix_article_provinces_province_role", "article_provinces", ["province", "role"])
    op.create_table(
        "article_topics",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=48), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_article_topics_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "topic", name="pk_article_topics"),
    )
    op.create_index("ix_article_topics_topic", "article_topics", ["topic"])


def downgrade() -> None:
    op.drop_index("ix_article_topics_topic", table_name="article_topics")
    op.drop_table("article_topics")
    op.drop_index("ix_article_provinces_province_role", table_name="article_provinces")
    op.drop_table("article_provinces")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_relevant")
        batch.drop_index("ix_articles_primary_province")
        batch.drop_column("tagged_at")
        batch.drop_column("tagging_version")
        batch.drop_column("relevant")
        batch.drop_column("primary_province")
